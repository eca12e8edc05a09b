"""QR codes of a handout's source addresses: which addresses get one, its modules, its printed size.

A client who takes a handout home cannot type a 120-character legislation address from paper; a
phone camera can read it from a QR code printed beside the source. This module decides everything
about the code (Qt-free); ``gui/qr_objects.py`` draws the modules with QPainter as vectors.

How big: a typical legislation.gov.uk address ("https://www.legislation.gov.uk/ukpga/1999/33/
section/84", 55 to 71 characters; the bundled guides' median is 64) is a version 4 or 5 code at
error correction M (33 or 37 modules across); the 120-character addresses the issue names are
version 7 (45 modules), and the longest bundled address (246 characters) version 11 (61 modules).
A phone's camera app decodes from a preview of about 1080 pixels across, which spans about 0.93 times
the distance to the paper (a field of view of about 50 degrees), and needs 2 to 3 pixels on each module.
At MODULE_MM = 0.8 mm that is 3 pixels a module at 31 cm and 2 at 46 cm: arm's length. (The printing
trade's rule of thumb, a code scans from 10 times its width, says the same: a version 5 code at 0.8
mm is 29.6 mm wide, read from 30 cm.) Large print, for people who see less well, uses 1.0 mm modules:
3 pixels at 39 cm. Around every code is the standard quiet zone of 4 modules, part of its printed size.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .schema import URL_RE

ERROR = "m"  # error correction M: about 15% of the code can be damaged (a fold, a coffee ring)
MODULE_MM = 0.8
LARGE_MODULE_MM = 1.0
QUIET_MODULES = 4
# Version 13 (69 modules, 331 bytes at M) is 55 mm across at 0.8 mm; a longer address gets no code
# (it is still printed in full): a bigger code would crowd the page, and none of the bundled
# addresses comes near it.
MAX_VERSION = 13


def module_mm(large_print: bool) -> float:
    return LARGE_MODULE_MM if large_print else MODULE_MM


def encodable(url: str) -> bool:
    """True for a real web address that fits in a code of at most MAX_VERSION: http or https, a
    host, nothing a browser would not take as one address (no spaces, no quotes, no angle brackets)."""
    if not isinstance(url, str) or not URL_RE.match(url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return False
    return _symbol(url) is not None


def modules(url: str) -> list[list[bool]]:
    """The code's dark modules, row by row (no quiet zone); [] for an address that gets no code."""
    symbol = _symbol(url) if encodable(url) else None
    return [[bool(cell) for cell in row] for row in symbol.matrix] if symbol is not None else []


def version(url: str) -> int:
    """The QR version of *url*'s code (0 for none)."""
    symbol = _symbol(url) if encodable(url) else None
    return symbol.version if symbol is not None else 0


def printed_mm(url: str, module: float = MODULE_MM) -> float:
    """The width (and height) of *url*'s code on paper with modules of *module* millimetres, quiet
    zone included (0 for an address that gets no code)."""
    rows = modules(url)
    return (len(rows) + 2 * QUIET_MODULES) * module if rows else 0.0


_CACHE: dict[str, object] = {}


def _symbol(url: str):
    """segno's code for *url* at level M exactly (not raised to a better level when there is room,
    so the error correction is what the handout says), or None when it needs more than MAX_VERSION."""
    if url in _CACHE:
        return _CACHE[url]
    import segno  # only handouts need it

    try:
        symbol = segno.make(url, error=ERROR, boost_error=False, micro=False)
    except segno.DataOverflowError:
        symbol = None
    if symbol is not None and symbol.version > MAX_VERSION:
        symbol = None
    if len(_CACHE) > 512:
        _CACHE.clear()
    _CACHE[url] = symbol
    return symbol
