"""Paint handout HTML onto pages (a printer or a PDF) with "Page N of M" at the foot of each."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

from ..errors import CaseGuideError
from ..fsutil import qt_path, replacing
from ..guides.handout import footer_text
from .guide_view import SafeDocument

PAGE_SIZES = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
MARGINS_MM = QMarginsF(18, 16, 18, 14)
PDF_DPI = 300


def page_layout(paper: str) -> QPageLayout:
    return QPageLayout(QPageSize(PAGE_SIZES[paper]), QPageLayout.Orientation.Portrait, MARGINS_MM,
                       QPageLayout.Unit.Millimeter)


def paint_pages(html: str, device, base_pt: int, library=None) -> int:
    """Lay *html* out on *device*'s pages and paint them; returns the number of pages."""
    rect = device.pageLayout().paintRectPixels(device.resolution())
    width, height = rect.width(), rect.height()
    painter = QPainter()
    if not painter.begin(device):
        raise CaseGuideError("the printer or file could not be opened for writing")
    try:
        footer_font = QFont(painter.font())
        footer_font.setPointSizeF(max(base_pt - 2, 9))
        painter.setFont(footer_font)
        footer_height = painter.fontMetrics().height() * 2
        body_height = height - footer_height

        document = SafeDocument(library)
        document.documentLayout().setPaintDevice(device)
        font = QFont(document.defaultFont())
        font.setPointSizeF(base_pt)
        document.setDefaultFont(font)
        document.setDocumentMargin(0)
        document.setHtml(html)
        document.setPageSize(QSizeF(width, body_height))
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
                             footer_text(page + 1, pages))
        return pages
    finally:
        painter.end()


def write_pdf(html: str, out: Path, paper: str, base_pt: int, title: str, library=None) -> int:
    """Write the handout to *out*, whole or not at all (a temporary file, then a rename)."""
    out = Path(out)
    qt_path(out)
    if not out.parent.is_dir():
        raise CaseGuideError(f"cannot save {out}: the folder {out.parent} does not exist")
    try:
        with replacing(out, suffix=".pdf") as tmp:
            writer = QPdfWriter(qt_path(tmp))
            writer.setResolution(PDF_DPI)
            writer.setPageLayout(page_layout(paper))
            writer.setTitle(title)
            writer.setCreator("CaseGuide")
            pages = paint_pages(html, writer, base_pt, library)
            del writer  # finishes the file
        return pages
    except OSError as exc:
        raise CaseGuideError(f"cannot save {out}: {exc.strerror or exc}") from None
