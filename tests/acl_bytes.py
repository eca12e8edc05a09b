"""Binary Windows access lists for tests, laid out as [MS-DTYP] says: a SID (2.4.2.2), an ACE_HEADER
and its body (2.4.4.1-2.4.4.17: mask, for object entries the flags and GUIDs, the SID, then a
callback entry's application data) and the ACL header (2.4.5)."""

from __future__ import annotations

import struct
import uuid

A, D, OA, OD, XA, XD, ZA, ML = 0x00, 0x01, 0x05, 0x06, 0x09, 0x0A, 0x0B, 0x11
OBJECT_TYPES = {0x05, 0x06, 0x07, 0x08, 0x0B, 0x0C, 0x0F, 0x10}
OI, CI, NP, IO, ID = 0x1, 0x2, 0x4, 0x8, 0x10


def sid(text: str) -> bytes:
    parts = text.split("-")
    assert parts[:2] == ["S", "1"], text
    subs = [int(p) for p in parts[3:]]
    return (struct.pack("<BB", 1, len(subs)) + int(parts[2], 0).to_bytes(6, "big")
            + struct.pack(f"<{len(subs)}I", *subs))


def ace(type_code: int, flags: int, mask: int, sid_text: str, object_type: str | None = None,
        inherited_type: str | None = None, data: bytes = b"") -> bytes:
    body = struct.pack("<I", mask)
    if type_code in OBJECT_TYPES:
        body += struct.pack("<I", (object_type is not None) | (inherited_type is not None) << 1)
        body += b"".join(uuid.UUID(g).bytes_le for g in (object_type, inherited_type) if g)
    body += sid(sid_text) + data
    body += b"\0" * (-len(body) % 4)
    return struct.pack("<BBH", type_code, flags, 4 + len(body)) + body


def acl(*aces: bytes, revision: int = 2) -> bytes:
    body = b"".join(aces)
    return struct.pack("<BBHHH", revision, 0, 8 + len(body), len(aces), 0) + body


def _name(code: int, name: str) -> bytes:
    encoded = name.encode("utf-16-le")
    return bytes([code]) + struct.pack("<I", len(encoded)) + encoded


def condition_title_is(title: str) -> bytes:
    """The application data of a conditional entry for ``(@User.Title == "<title>")``: the "artx"
    mark, then the expression in postfix tokens (2.4.4.17.4-6: 0xF9 a user attribute, 0x10 a
    Unicode string, 0x80 ==)."""
    return b"artx" + _name(0xF9, "Title") + _name(0x10, title) + b"\x80"


def self_relative_descriptor(dacl: bytes) -> bytes:
    """A SECURITY_DESCRIPTOR_RELATIVE (2.4.6) holding only *dacl* (SE_DACL_PRESENT, SE_SELF_RELATIVE)."""
    return struct.pack("<BBHIIII", 1, 0, 0x8004, 0, 0, 0, 20) + dacl
