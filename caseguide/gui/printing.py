"""Paint handout HTML onto pages (a printer or a PDF) with "Page N of M" at the foot of each.

The document is laid out in pages (gui/page_breaks.py keeps together what a reader expects
together), with room for each source's QR code, which gui/qr_codes.py draws as vectors.

Each page is painted with only what lies on it. Qt's document painting draws every line that comes
within about a line's height of the area asked for, and a painter's clip hides what falls outside
but leaves it in a PDF: copy-and-paste, search and screen readers found the last line of one page
again at the top of the next, and a heading moved to the next page also at the foot of this one.
So the layout gives every page a blank band as tall as the page above and below its body (the root
frame's margins, which Qt's paged layout repeats on every page), and painting asks for one page's
body exactly: what lies on the pages before and after is a band's height away, further than Qt
ever reaches.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from ..errors import CaseGuideError
from ..fsutil import qt_path, replacing
from ..guides.handout import footer_text, handout_html_language, handout_qr_module_mm
from . import qr_codes
from .guide_view import SafeDocument
from .page_breaks import HEADING_KEEPS_LINES, keep_together, line_tops  # noqa: F401 (tests use them here)
from .pdf_metadata import xmp_metadata

PAGE_SIZES = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
MARGINS_MM = QMarginsF(18, 16, 18, 14)
PDF_DPI = 300


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


def body_top(page: int, page_height: float) -> float:
    """Where page *page*'s body starts in the laid-out document (below its blank band)."""
    return page * page_height + page_height / 3


class HandoutDocument(SafeDocument):
    """A handout's document: loads what a guide's pages do (SafeDocument), and no image for a QR
    code's room (gui/qr_codes.py draws the code there); knows where the codes are once laid out."""

    def __init__(self, library=None, parent=None):
        super().__init__(library, parent)
        self.codes: list[qr_codes.Code] = []

    def loadResource(self, kind, url):
        if qr_codes.is_code(url.toString()):
            return QImage()
        return super().loadResource(kind, url)


def css_scale(device) -> float:
    """How many of *device*'s pixels Qt's text layout makes of one CSS pixel (a frame's margin, an
    image's size): its resolution over the screen's, which a person's display settings change, so
    it is measured rather than assumed."""
    probe = QTextDocument()
    probe.documentLayout().setPaintDevice(device)
    probe.setPlainText("x")
    frame = probe.rootFrame().frameFormat()
    frame.setMargin(0)
    frame.setTopMargin(100)
    probe.rootFrame().setFrameFormat(frame)
    return probe.documentLayout().blockBoundingRect(probe.begin()).top() / 100 or 1.0


def layout_handout(html: str, device, base_pt: int, library=None) -> tuple[HandoutDocument, float]:
    """*html* laid out in pages of *device*, with what belongs together kept together; returns the
    document and the height of one page in it (its body, which is the page less its footer, and a
    blank band as tall as the body above and below: see the module's docstring). The page of a line
    is ``top // page_height``; a page's body starts at :func:`body_top`."""
    width, body_height, _footer = page_geometry(device, base_pt)
    scale = css_scale(device)
    document = HandoutDocument(library)
    document.documentLayout().setPaintDevice(device)
    font = QFont(document.defaultFont())
    font.setPointSizeF(base_pt)
    document.setDefaultFont(font)
    document.setHtml(html)
    document.codes = qr_codes.place(document, device, handout_qr_module_mm(html), scale)
    frame = document.rootFrame().frameFormat()
    frame.setMargin(0)
    frame.setTopMargin(body_height / scale)
    frame.setBottomMargin(body_height / scale)
    document.rootFrame().setFrameFormat(frame)
    page_height = 3 * body_height
    document.setPageSize(QSizeF(width, page_height))
    keep_together(document, page_height)
    return document, page_height


def paint_pages(html: str, device, base_pt: int, library=None) -> int:
    """Lay *html* out on *device*'s pages and paint them; returns the number of pages."""
    document, page_height = layout_handout(html, device, base_pt, library)
    width, body_height, footer_height = page_geometry(device, base_pt)
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
            top = body_top(page, page_height)
            painter.save()
            painter.setClipRect(QRectF(0, 0, width, body_height))
            painter.translate(0, -top)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = QRectF(0, top, width, body_height)  # this page's body, and nothing near it
            document.documentLayout().draw(painter, context)
            qr_codes.paint(painter, document, document.codes, top, top + body_height)
            painter.restore()
            painter.drawText(QRectF(0, body_height, width, footer_height),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                             footer_text(page + 1, pages, lang))
        return pages
    finally:
        painter.end()


def pdf_writer(out, paper: str, title: str, language: str = "") -> QPdfWriter:
    """A PDF writer for a handout: the paper's page layout, PDF_DPI, and the document's title and
    language (see pdf_metadata for what Qt lets a PDF say)."""
    writer = QPdfWriter(out)
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(page_layout(paper))
    writer.setTitle(title)
    writer.setCreator("CaseGuide")
    if language:
        writer.setDocumentXmpMetadata(xmp_metadata(title, language, writer.documentId()))
    return writer


def write_pdf(html: str, out: Path, paper: str, base_pt: int, title: str, library=None) -> int:
    """Write the handout to *out*, whole or not at all (a temporary file, then a rename)."""
    out = Path(out)
    if not out.parent.is_dir():
        raise CaseGuideError(f"cannot save {out}: the folder {out.parent} does not exist")
    qt_path(out)
    try:
        with replacing(out, suffix=".pdf") as tmp:
            writer = pdf_writer(qt_path(tmp), paper, title, handout_html_language(html))
            pages = paint_pages(html, writer, base_pt, library)
            del writer  # finishes the file
        return pages
    except OSError as exc:
        raise CaseGuideError(f"cannot save {out}: {exc.strerror or exc}") from None
