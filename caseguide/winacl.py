"""Who a Windows access list lets in, from the entries Windows keeps in it.

A folder's access list (DACL) is a list of entries, each of a type (allow, deny, audit, a label
...), with flags, an access mask and the SID it names. Windows reads it in order: for each entry
that applies to the object (not inherit-only) and names a SID in the asking token, a deny refuses
the rights not yet granted, an allow grants the rights not yet refused. This module applies that
rule to each SID on its own and says which SIDs may get any of some rights (WRITE, READ).

It only ever errs towards "may": a deny on one SID never hides an allow for another (a member of
Users need not be the SID a deny names), a conditional deny is taken as not applying and a
conditional allow as applying (the condition cannot be evaluated here), and an entry that cannot
be read in full counts as allowing everything to everyone. The entries come from the binary list
Windows keeps (:func:`parse_acl`, used by winsec on Windows) or from SDDL text (caseguide.sddl).
Pure Python, so both are tested on every platform. References: Microsoft's "ACE Strings",
"ACE_HEADER" and [MS-DTYP] 2.4.4 (ACE types and layouts), 2.5.3.2 (the access check).
"""

from __future__ import annotations

import struct
from typing import NamedTuple

SYSTEM, ADMINISTRATORS, USERS, EVERYONE = "S-1-5-18", "S-1-5-32-544", "S-1-5-32-545", "S-1-1-0"

# Create or change files in it, delete what is in it or the folder itself (a folder one may delete can
# be renamed away and replaced), or change who may: GENERIC_ALL, GENERIC_WRITE, WRITE_DAC,
# WRITE_OWNER, DELETE, FILE_DELETE_CHILD, FILE_APPEND_DATA (add a folder), FILE_WRITE_DATA (add a file).
WRITE = 0x10000000 | 0x40000000 | 0x40000 | 0x80000 | 0x10000 | 0x40 | 0x4 | 0x2
# Read what is in a file: GENERIC_ALL, GENERIC_READ, FILE_READ_DATA.
READ = 0x10000000 | 0x80000000 | 0x1
ALL = 0xFFFFFFFF

ALLOW, DENY, NEITHER = "allow", "deny", "neither"


class Entry(NamedTuple):
    """One entry as the access check sees it. *sid* None means anyone (a SID that could not be read)."""
    kind: str  # ALLOW, DENY, or NEITHER (an audit entry, a label, a deny that may not apply...)
    inherit_only: bool
    mask: int
    sid: str | None


UNREADABLE = Entry(ALLOW, False, ALL, None)  # what an entry that cannot be read in full counts as

# AceType -> (SDDL type string, kind, object entry, callback entry). A callback entry carries a
# condition after its SID; an object entry has object-type GUIDs before it. [MS-DTYP] 2.4.4.1.
ACE_TYPES = {
    0x00: ("A", ALLOW, False, False), 0x01: ("D", DENY, False, False),
    0x02: ("AU", NEITHER, False, False), 0x03: ("AL", NEITHER, False, False),
    # 0x04 ACCESS_ALLOWED_COMPOUND (server and client SIDs, no SDDL): not listed, so read as UNREADABLE.
    0x05: ("OA", ALLOW, True, False), 0x06: ("OD", DENY, True, False),
    0x07: ("OU", NEITHER, True, False), 0x08: ("OL", NEITHER, True, False),
    0x09: ("XA", ALLOW, False, True), 0x0A: ("XD", DENY, False, True),
    0x0B: ("ZA", ALLOW, True, True), 0x0C: ("", DENY, True, True),
    0x0D: ("XU", NEITHER, False, True), 0x0E: ("", NEITHER, False, True),
    0x0F: ("", NEITHER, True, True), 0x10: ("", NEITHER, True, True),
    0x11: ("ML", NEITHER, False, False), 0x12: ("RA", NEITHER, False, False),
    0x13: ("SP", NEITHER, False, False), 0x14: ("TL", NEITHER, False, False),
    0x15: ("FL", NEITHER, False, False),
}
INHERIT_ONLY = 0x08
OBJECT_TYPE_PRESENT, INHERITED_OBJECT_TYPE_PRESENT = 0x1, 0x2


def entry(type_code: int, flags: int, mask: int | None, sid: str | None, object_type: bool = False) -> Entry:
    """The entry the access check sees for one ACE. *mask* None: rights that could not be read.
    *object_type*: the entry names an object type (a GUID), so a deny only covers that type."""
    if type_code not in ACE_TYPES:
        return UNREADABLE
    _, kind, _, callback = ACE_TYPES[type_code]
    if kind == DENY and (callback or object_type or mask is None or sid is None):
        # A conditional deny may not apply, one for an object type does not cover the file, and one
        # whose rights or SID could not be read cannot be said to refuse anything.
        kind = NEITHER
    if kind == ALLOW and mask is None:
        mask = ALL
    return Entry(kind, bool(flags & INHERIT_ONLY), mask or 0, sid)


def who_may(entries: list[Entry] | None, access: int) -> set[str] | None:
    """The SIDs these entries let have any of *access*, or None for everyone (no list, a null list,
    one that could not be read, or an entry in it that could not be)."""
    if entries is None:
        return None
    granted: dict[str, int] = {}
    denied: dict[str, int] = {}
    for item in entries:
        if item.inherit_only or item.kind == NEITHER:
            continue
        if item.sid is None:
            if item.kind == ALLOW and item.mask & access:
                return None
            continue
        before = granted.get(item.sid, 0)
        if item.kind == ALLOW:
            granted[item.sid] = before | (item.mask & ~denied.get(item.sid, 0))
        else:
            denied[item.sid] = denied.get(item.sid, 0) | (item.mask & ~before)
    return {sid for sid, mask in granted.items() if mask & access}


# The binary list -------------------------------------------------------------------------

def sid_text(data: bytes, offset: int) -> tuple[str, int] | None:
    """The SID at *offset* in S-1-... form and where it ends, or None if it is not a whole SID."""
    if offset + 8 > len(data):
        return None
    revision, count = data[offset], data[offset + 1]
    end = offset + 8 + 4 * count
    if revision != 1 or count > 15 or end > len(data):
        return None
    authority = int.from_bytes(data[offset + 2:offset + 8], "big")
    parts = [f"{authority}" if authority < 2 ** 32 else f"0x{authority:012X}"]
    parts += [str(n) for n in struct.unpack_from(f"<{count}I", data, offset + 8)]
    return "S-1-" + "-".join(parts), end


def _binary_entry(type_code: int, flags: int, body: bytes) -> Entry:
    if type_code not in ACE_TYPES:
        return UNREADABLE
    _, kind, is_object, _ = ACE_TYPES[type_code]
    if len(body) < 4:
        return entry(type_code, flags, None, None)
    mask = struct.unpack_from("<I", body)[0]
    offset, object_type = 4, False
    if is_object:
        if len(body) < 8:
            return entry(type_code, flags, mask, None)
        present = struct.unpack_from("<I", body, 4)[0]
        object_type = bool(present & OBJECT_TYPE_PRESENT)
        offset = 8 + 16 * object_type + 16 * bool(present & INHERITED_OBJECT_TYPE_PRESENT)
    sid = sid_text(body, offset)
    return entry(type_code, flags, mask, sid and sid[0], object_type)


def parse_acl(data: bytes) -> list[Entry] | None:
    """The entries of a binary ACL (ACL header, then AceCount entries, each an ACE_HEADER and its
    body), or None if it is not a whole, consistent ACL."""
    if len(data) < 8:
        return None
    revision, _, size, count, _ = struct.unpack_from("<BBHHH", data)
    if revision not in (2, 4) or not 8 <= size <= len(data):
        return None
    entries, pos = [], 8
    for _ in range(count):
        if pos + 4 > size:
            return None
        type_code, flags, ace_size = struct.unpack_from("<BBH", data, pos)
        if ace_size < 4 or pos + ace_size > size:
            return None
        entries.append(_binary_entry(type_code, flags, data[pos + 4:pos + ace_size]))
        pos += ace_size
    return entries
