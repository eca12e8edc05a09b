"""Paint handout HTML onto pages (a printer or a PDF) with "Page N of M" at the foot of each.

Qt's page layout breaks a page wherever the next line does not fit. Before painting,
:func:`keep_together` moves to the next page what must not be parted: a heading from the first
lines of its text, and each block the handout marks to keep whole (a source's address, the
organisation's contact block).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextBlockFormat,
    QTextCursor,
    QTextFormat,
)

from ..errors import CaseGuideError
from ..fsutil import qt_path, replacing
from ..guides.handout import KEEP_TOGETHER, KEEP_WITH_NEXT, footer_text, handout_html_language
from .guide_view import SafeDocument

PAGE_SIZES = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
MARGINS_MM = QMarginsF(18, 16, 18, 14)
PDF_DPI = 300
HEADING_KEEPS_LINES = 2  # a heading goes overleaf unless this many lines of its text follow it on its page
MAX_MOVES = 2000  # each move is one page break; a handout has far fewer pages than this


def page_layout(paper: str) -> QPageLayout:
    return QPageLayout(QPageSize(PAGE_SIZES[paper]), QPageLayout.Orientation.Portrait, MARGINS_MM,
                       QPageLayout.Unit.Millimeter)


def _footer_font(base_pt: int, font: QFont) -> QFont:
    footer_font = QFont(font)
    footer_font.setPointSizeF(max(base_pt - 2, 9))
    return footer_font


def page_geometry(device, base_pt: int) -> tuple[float, float, float]:
    """(width, body height, footer height) of a page of *device*, in its pixels."""
    rect = device.pageLayout().paintRectPixels(device.resolution())
    footer_height = QFontMetricsF(_footer_font(base_pt, QFont()), device).height() * 2
    return rect.width(), rect.height() - footer_height, footer_height


def layout_handout(html: str, device, base_pt: int, library=None) -> tuple[SafeDocument, float]:
    """*html* laid out in pages of *device*, with what belongs together kept together; returns the
    document and the height of a page's body (the page less its footer)."""
    width, body_height, _footer = page_geometry(device, base_pt)
    document = SafeDocument(library)
    document.documentLayout().setPaintDevice(device)
    font = QFont(document.defaultFont())
    font.setPointSizeF(base_pt)
    document.setDefaultFont(font)
    document.setDocumentMargin(0)
    document.setHtml(html)
    document.setPageSize(QSizeF(width, body_height))
    keep_together(document, body_height)
    return document, body_height


def paint_pages(html: str, device, base_pt: int, library=None) -> int:
    """Lay *html* out on *device*'s pages and paint them; returns the number of pages."""
    document, body_height = layout_handout(html, device, base_pt, library)
    width, _body, footer_height = page_geometry(device, base_pt)
    lang = handout_html_language(html)  # "Page 1 of 3" in the handout's own language
    painter = QPainter()
    if not painter.begin(device):
        raise CaseGuideError("the printer or file could not be opened for writing")
    try:
        painter.setFont(_footer_font(base_pt, painter.font()))
        pages = document.pageCount()
        for page in range(pages):
            if page:
                device.newPage()
            painter.save()
            painter.translate(0, -page * body_height)
            document.drawContents(painter, QRectF(0, page * body_height, width, body_height))
            painter.restore()
            painter.drawText(QRectF(0, body_height, width, footer_height),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                             footer_text(page + 1, pages, lang))
        return pages
    finally:
        painter.end()


# Keeping things together -------------------------------------------------------------

def line_tops(document, block) -> list[float]:
    """The top of each of *block*'s laid-out lines, in document coordinates."""
    top = document.documentLayout().blockBoundingRect(block).top()
    layout = block.layout()
    return [top + layout.lineAt(n).y() for n in range(layout.lineCount())]


def _keeps_with_next(block) -> bool:
    return block.blockFormat().headingLevel() > 0 or block.userState() == KEEP_WITH_NEXT


def _kept_with(document, block) -> list:
    """The blocks whose lines must share a page with *block*: for a heading, those after it up to
    the first HEADING_KEEPS_LINES lines of text (headings straight after it come along, but do not
    count); for a block kept with the next, the next block."""
    kept = []
    wanted = HEADING_KEEPS_LINES
    whole_next = block.blockFormat().headingLevel() == 0
    following = block.next()
    while following.isValid() and wanted > 0:
        if following.text().strip() and line_tops(document, following):
            kept.append(following)
            if whole_next:
                break
            if not _keeps_with_next(following):
                wanted -= min(wanted, len(line_tops(document, following)))
        following = following.next()
    return kept


def _following_lines(document, block) -> list[float]:
    """The tops of the lines that must share a page with *block* (see _kept_with)."""
    kept = _kept_with(document, block)
    lines: list[float] = []
    wanted = HEADING_KEEPS_LINES
    for following in kept:
        tops = line_tops(document, following)
        if block.blockFormat().headingLevel() == 0 or _keeps_with_next(following):
            lines += tops
        else:
            lines += tops[:wanted]
            wanted -= len(tops[:wanted])
    return lines


def _first_parted(document, page_height: float, start):
    """The first block from *start* on that is parted from what belongs with it and can be moved
    (it does not start a page already, where moving it would not help), or None."""
    def page(y: float) -> int:
        return int(y // page_height)

    last_page = -1
    block = start.previous()
    while block.isValid() and last_page < 0:  # the page of the last line before *start*
        tops = line_tops(document, block)
        last_page = page(tops[-1]) if tops and block.text().strip() else -1
        block = block.previous()
    block = start
    while block.isValid():
        tops = line_tops(document, block) if block.text().strip() else []
        if tops:
            if page(tops[0]) == last_page:
                if block.userState() == KEEP_TOGETHER and page(tops[-1]) != page(tops[0]):
                    return block
                if _keeps_with_next(block):
                    after = _following_lines(document, block)
                    if after and page(after[-1]) != page(tops[-1]):
                        return block
            last_page = page(tops[-1])
        block = block.next()
    return None


def _set_break(block, before: bool) -> None:
    policy = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore if before else QTextFormat.PageBreakFlag.PageBreak_Auto
    page_break = QTextBlockFormat()
    page_break.setPageBreakPolicy(policy)
    QTextCursor(block).mergeBlockFormat(page_break)


def keep_together(document, page_height: float) -> int:
    """Move to the next page each heading whose first lines of text would be overleaf, and each
    block marked KEEP_TOGETHER that would be split; returns how many were moved."""
    moves = 0
    ours: set[int] = set()  # the blocks given a page break here (not those the handout asked for)
    start = document.begin()
    while moves < MAX_MOVES:
        document.pageCount()  # Qt lays out lazily: this finishes the layout, so every line has its place
        block = _first_parted(document, page_height, start)
        if block is None:
            break
        # What goes overleaf with it needs no page break of its own any more (one made earlier,
        # before this block was found parted from it, would now leave this block alone on its page).
        for following in _kept_with(document, block):
            if following.blockNumber() in ours:
                _set_break(following, False)
                ours.discard(following.blockNumber())
        _set_break(block, True)
        ours.add(block.blockNumber())
        moves += 1
        # A heading just before it may now be the one left behind: look again from there.
        start = block
        while start.previous().isValid() and (_keeps_with_next(start.previous())
                                              or not start.previous().text().strip()):
            start = start.previous()
    document.pageCount()
    return moves


def pdf_writer(out, paper: str, title: str) -> QPdfWriter:
    """A PDF writer for a handout: the paper's page layout, PDF_DPI, and the document's title."""
    writer = QPdfWriter(out)
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(page_layout(paper))
    writer.setTitle(title)
    writer.setCreator("CaseGuide")
    return writer


def write_pdf(html: str, out: Path, paper: str, base_pt: int, title: str, library=None) -> int:
    """Write the handout to *out*, whole or not at all (a temporary file, then a rename)."""
    out = Path(out)
    if not out.parent.is_dir():
        raise CaseGuideError(f"cannot save {out}: the folder {out.parent} does not exist")
    qt_path(out)
    try:
        with replacing(out, suffix=".pdf") as tmp:
            writer = pdf_writer(qt_path(tmp), paper, title)
            pages = paint_pages(html, writer, base_pt, library)
            del writer  # finishes the file
        return pages
    except OSError as exc:
        raise CaseGuideError(f"cannot save {out}: {exc.strerror or exc}") from None
