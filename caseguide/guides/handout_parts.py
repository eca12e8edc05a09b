"""The blocks of a handout that tell its reader where it came from (Qt-free): the guide's currency
on its first page (when it was reviewed, the nations it is about, which guide and pack version it
is, and after which date to ask for a newer copy) and its Sources list, each source with its full
address and, beside it, a QR code of the address; and the marks that tell the page layout
(gui/page_breaks.py) what it must not part."""

from __future__ import annotations

from .. import i18n
from . import qr
from .markup import esc
from .model import Guide
from .render import about_line, app_text, box, english_in_rtl, format_date, review_line, source_item

# Blocks the page layout must not part (gui/page_breaks.py reads these). Qt's rich text keeps a block's
# "-qt-user-state" style as the block's user state, so the marks survive into the laid-out pages.
KEEP_TOGETHER = 1  # the whole block on one page: a source's address, the organisation's details
KEEP_WITH_NEXT = 2  # on the same page as the whole of the next block (headings are kept with their text)
KEEP_TABLE = 3  # every block of a table kept whole on one page (a source with its QR code)
KEEP_STYLE = ' style="-qt-user-state: {}"'

# A source's QR code in the handout's HTML: an image whose name is this and the address; printing
# draws it (gui/qr_codes.py), and the image loader never fetches it.
QR_SCHEME = "caseguide-qr:"


def printed_url(url: str) -> str:
    """An address as printed: in full, escaped. Qt wraps a too-long address at the margin; no
    invisible break characters are added, so an address copied out of a PDF still works."""
    return esc(url)


def pack_version(guide: Guide, library) -> str:
    """The version of the pack *guide* came from ("" if the library does not know it)."""
    pack = library.pack(guide.pack) if library is not None and guide.pack else None
    return pack.version if pack is not None else ""


def currency_lines(guide: Guide, library, lang: str) -> list[str]:
    """What a client, a friend or a volunteer needs later to tell whether the handout is still
    current, in the guide's language: when it was reviewed, the nations whose law it is about, the
    date after which to ask for a newer copy, and which guide and pack version it is."""
    t = i18n.translator(lang).gettext
    lines = [review_line(guide, lang), about_line(guide, lang),
             t("Ask for a newer copy after {date}.").format(date=format_date(guide.review_due, lang))]
    version = pack_version(guide, library)
    if version:
        lines.append(t("Guide {id}, from pack {pack} version {version}.").format(
            id=guide.id, pack=guide.pack, version=version))
    else:
        lines.append(t("Guide {id}.").format(id=guide.id))
    return lines


def currency_box(guide: Guide, library, lang: str, english: bool) -> str:
    """The guide's first page block (see currency_lines): framed, so it is in plain view, and kept
    on one page."""
    review, about, ask, which = (esc(line) for line in currency_lines(guide, library, lang))
    inner = f"{review}<br/>{about}<br/><b>{ask}</b><br/>{which}"
    return box("currency", app_text(inner, english, "meta", style=KEEP_STYLE.format(KEEP_TOGETHER)), padding=6)


def source_code(url: str, codes: bool) -> str:
    """The QR code of *url* as an image for gui/qr_objects.py to draw (as vectors, at the size
    ``qr`` gives), or "" for an address that gets none: only a real web address becomes a code."""
    if not codes or not qr.encodable(url):
        return ""
    return f'<img src="{QR_SCHEME}{esc(url)}" alt=""/>'


def sources_html(guide: Guide, codes: bool, lang: str) -> str:
    """The Sources list: each source's number, title and full address, and with *codes* on, its
    code beside it, kept on one page together (every block of the source's table carries the
    KEEP_TABLE mark). A right-to-left guide's row is mirrored, number on the right and code on the
    left: Qt lays a table's cells out left to right whatever its direction, so they come in the
    other order."""
    t = i18n.translator(lang).gettext
    rtl = guide.is_rtl
    heading = "<h2>" + esc(t("Sources")) + "</h2>"
    images = [source_code(source.url, codes) for source in guide.sources]
    if not any(images):
        items = [source_item(esc(s.title), f'<span class="url">{printed_url(s.url)}</span>', rtl,
                             keep=(KEEP_STYLE.format(KEEP_WITH_NEXT), KEEP_STYLE.format(KEEP_TOGETHER)))
                 for s in guide.sources]
        return heading + "<ol>" + "".join(items) + "</ol>"
    english = english_in_rtl(guide, lang)
    hint = t("To open a source on a phone, point its camera at the code beside it.")
    parts = [heading, app_text(esc(hint), english, "meta", style=KEEP_STYLE.format(KEEP_WITH_NEXT))]
    keep = KEEP_STYLE.format(KEEP_TABLE)
    for number, (source, code) in enumerate(zip(guide.sources, images), start=1):
        url = f'<span class="url">{printed_url(source.url)}</span>'
        if rtl:
            text = f'<div{keep}>{esc(source.title)}</div><div dir="ltr" align="right"{keep}>{url}</div>'
        else:
            text = f"<div{keep}>{esc(source.title)}<br/>{url}</div>"
        cells = [f'<td class="source-number" width="7%"><div{keep}>{number}.</div></td>',
                 f'<td class="source-text">{text}</td>',
                 f'<td class="source-code" align="{"left" if rtl else "right"}"><div{keep}>{code}</div></td>']
        if rtl:
            cells.reverse()
        direction = ' dir="rtl"' if rtl else ""
        parts.append(f'<table class="source"{direction} width="100%" cellspacing="0" cellpadding="4">'
                     f'<tr>{"".join(cells)}</tr></table>')
    return "".join(parts)
