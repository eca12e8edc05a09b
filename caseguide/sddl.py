"""Reading SDDL, the text Windows describes a security descriptor in, into access-list entries.

``O:owner G:group D:flags(entry)(entry)... S:flags(entry)...``; each entry is
``type;flags;rights;object_guid;inherit_object_guid;sid`` and, for conditional (callback) and
resource-attribute entries, ``;(expression)`` after the SID, an expression that may hold nested
parentheses and quoted strings (Microsoft's "Security Descriptor String Format", "ACE Strings",
"SID Strings" and "SDDL for Conditional ACEs"; [MS-DTYP] 2.5.1). Each entry is cut out by matching
its parentheses outside quotes, so what follows a conditional entry is read too; the expression
itself is not evaluated (caseguide.winacl says what an entry that may or may not apply counts as).

An entry that cannot be read in full counts as allowing everything to everyone, and text that
cannot be split into parts and entries as no access list at all (everyone may do anything).
"""

from __future__ import annotations

import re

from .winacl import ACE_TYPES, ADMINISTRATORS, EVERYONE, SYSTEM, UNREADABLE, USERS, Entry, entry

# Aliases Windows writes for well-known SIDs (Microsoft's "SID Strings", [MS-DTYP] 2.5.1.1). Those
# relative to a domain (DA, DU, LA...) stay as written: they are never this user, SYSTEM or the
# Administrators group, which is all a caller needs to know about them.
ALIASES = {
    "AA": "S-1-5-32-579", "AC": "S-1-15-2-1", "AN": "S-1-5-7", "AO": "S-1-5-32-548", "AS": "S-1-18-1",
    "AU": "S-1-5-11", "BA": ADMINISTRATORS, "BG": "S-1-5-32-546", "BO": "S-1-5-32-551", "BU": USERS,
    "CD": "S-1-5-32-574", "CG": "S-1-3-1", "CO": "S-1-3-0", "CY": "S-1-5-32-569", "ED": "S-1-5-9",
    "ER": "S-1-5-32-573", "ES": "S-1-5-32-576", "HA": "S-1-5-32-578", "HI": "S-1-16-12288",
    "IS": "S-1-5-32-568", "IU": "S-1-5-4", "LS": "S-1-5-19", "LU": "S-1-5-32-559", "LW": "S-1-16-4096",
    "ME": "S-1-16-8192", "MP": "S-1-16-8448", "MS": "S-1-5-32-577", "MU": "S-1-5-32-558",
    "NO": "S-1-5-32-556", "NS": "S-1-5-20", "NU": "S-1-5-2", "OW": "S-1-3-4", "PO": "S-1-5-32-550",
    "PS": "S-1-5-10", "PU": "S-1-5-32-547", "RA": "S-1-5-32-575", "RC": "S-1-5-12", "RD": "S-1-5-32-555",
    "RE": "S-1-5-32-552", "RM": "S-1-5-32-580", "RU": "S-1-5-32-554", "SI": "S-1-16-16384",
    "SO": "S-1-5-32-549", "SS": "S-1-18-2", "SU": "S-1-5-6", "SY": SYSTEM, "UD": "S-1-5-84-0-0-0-0-0",
    "WD": EVERYONE, "WR": "S-1-5-33",
    **{alias: alias for alias in ("AP", "CA", "CN", "DA", "DC", "DD", "DG", "DU", "EA", "EK", "KA", "LA",
                                  "LG", "PA", "RO", "RS", "SA")},
}
RIGHTS = {"GA": 0x10000000, "GX": 0x20000000, "GW": 0x40000000, "GR": 0x80000000,
          "FA": 0x1F01FF, "FR": 0x120089, "FW": 0x120116, "FX": 0x1200A0,
          "KA": 0xF003F, "KR": 0x20019, "KW": 0x20006, "KX": 0x20019,
          "SD": 0x10000, "RC": 0x20000, "WD": 0x40000, "WO": 0x80000,
          "CC": 0x1, "DC": 0x2, "LC": 0x4, "SW": 0x8, "RP": 0x10, "WP": 0x20, "DT": 0x40, "LO": 0x80,
          "CR": 0x100, "NR": 0x1, "NW": 0x2, "NX": 0x4}
FLAGS = {"OI": 0x1, "CI": 0x2, "NP": 0x4, "IO": 0x8, "ID": 0x10, "CR": 0x20, "TP": 0x40,
         "SA": 0x40, "FA": 0x80}
TYPES = {name: code for code, (name, *_rest) in ACE_TYPES.items() if name}
# Types whose SDDL may carry "(expression)" after the SID: the callback ones and resource attributes.
WITH_EXPRESSION = {name for code, (name, _, _, callback) in ACE_TYPES.items() if callback and name} | {"RA"}

_PART = re.compile(r"\s*([OGDS]):")
_SID = re.compile(r"\s*(S-1-(?:0[xX][0-9A-Fa-f]{12}|[0-9]{1,10})(?:-[0-9]{1,10}){0,15}|[A-Z]{2})(?![-0-9])")
_ACL_FLAGS = re.compile(r"(?:P|AI|AR|NO_ACCESS_CONTROL)*")
_NUMBER = re.compile(r"0[xX][0-9A-Fa-f]{1,8}|0[0-7]{0,11}|[1-9][0-9]{0,9}")
_GUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")


class Unreadable(ValueError):
    """The text cannot be split into parts and entries."""


def _closing(text: str, start: int) -> int:
    """Where the group opened by the parenthesis at *start* ends (just past its closing one);
    parentheses inside double-quoted strings do not count."""
    depth, quoted = 0, False
    for i in range(start, len(text)):
        char = text[i]
        if quoted:
            quoted = char != '"'
        elif char == '"':
            quoted = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
    raise Unreadable("a parenthesis or a quote is not closed")


def parts(text: str) -> dict[str, str | tuple[str, list[str]]]:
    """The owner and group SIDs (as written) and each list's flags and entry texts, by part letter."""
    found: dict[str, str | tuple[str, list[str]]] = {}
    pos = 0
    while text[pos:].strip():
        match = _PART.match(text, pos)
        if match is None or match.group(1) in found:
            raise Unreadable(f"no part starts at {pos}")
        letter, pos = match.group(1), match.end()
        if letter in "OG":
            sid = _SID.match(text, pos)
            if sid is None:
                raise Unreadable(f"no SID at {pos}")
            found[letter], pos = sid.group(1), sid.end()
            continue
        flags = _ACL_FLAGS.match(text, pos)
        pos, bodies = flags.end(), []
        while True:
            while pos < len(text) and text[pos].isspace():
                pos += 1
            if not text.startswith("(", pos):
                break
            end = _closing(text, pos)
            bodies.append(text[pos + 1:end - 1])
            pos = end
        found[letter] = (flags.group(0), bodies)
    return found


def owner(text: str) -> str | None:
    """The owner's SID of an SDDL text (O:...), or None if it names none or cannot be read."""
    try:
        written = parts(text).get("O")
    except Unreadable:
        return None
    return _sid(written) if isinstance(written, str) else None


def _sid(text: str) -> str | None:
    match = _SID.fullmatch(text)
    return match and ALIASES.get(match.group(1), None if len(match.group(1)) == 2 else match.group(1))


def _bits(text: str, names: dict[str, int], largest: int) -> int | None:
    """A mask written as a number (hex 0x..., octal 0..., decimal) or as two-letter names run
    together; None if it is neither, or names a bit this does not know."""
    if _NUMBER.fullmatch(text):
        value = int(text, 16 if text[:2] in ("0x", "0X") else 8 if text.startswith("0") else 10)
        return value if value <= largest else None
    if len(text) % 2:
        return None
    mask = 0
    for i in range(0, len(text), 2):
        if text[i:i + 2] not in names:
            return None
        mask |= names[text[i:i + 2]]
    return mask


def ace(body: str) -> Entry:
    """One entry, from the text between its parentheses."""
    fields = [field.strip() for field in body.split(";", 6)]
    if len(fields) < 6:
        return UNREADABLE
    kind, flag_text, rights, guid, inherited_guid, sid_text = fields[:6]
    expression = fields[6] if len(fields) == 7 else None
    flags, sid = _bits(flag_text, FLAGS, 0xFF), _sid(sid_text)
    if (kind not in TYPES or flags is None or sid is None
            or any(g and not _GUID.fullmatch(g) for g in (guid, inherited_guid))
            or (expression is not None and (kind not in WITH_EXPRESSION or not _one_group(expression)))):
        return UNREADABLE
    # Rights this does not know leave the entry readable: an allow then grants everything to its SID.
    return entry(TYPES[kind], flags, _bits(rights, RIGHTS, 0xFFFFFFFF), sid, object_type=bool(guid))


def _one_group(text: str) -> bool:
    try:
        return text.startswith("(") and _closing(text, 0) == len(text)
    except Unreadable:
        return False


def dacl(text: str) -> list[Entry] | None:
    """The entries of the access list (D:) in SDDL *text*; None if there is none, it is null
    (NO_ACCESS_CONTROL), or the text cannot be read."""
    try:
        found = parts(text)
    except Unreadable:
        return None
    if "D" not in found:
        return None
    flags, bodies = found["D"]
    if "NO_ACCESS_CONTROL" in flags:
        return None
    return [ace(body) for body in bodies]
