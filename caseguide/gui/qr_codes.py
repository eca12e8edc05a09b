"""A handout's QR codes, drawn as vectors where the laid-out text keeps room for them.

The handout's HTML (guides/handout_parts.py) holds each source's code as an image named
``caseguide-qr:`` and the address. Qt lays such an image out inside a line of text, so a code is
never parted across a page; :func:`place` gives it the exact printed size guides/qr.py says (the
modules of the size the handout asks for, quiet zone included), and the document loads no image
for it, so Qt draws nothing there. After Qt has painted a page, :func:`paint` draws on it the
codes whose room is there: the dark modules as filled rectangles, one path a code, so a printer
prints them crisp and a PDF holds a vector drawing with no text in it. An image named so whose
address guides/qr.py will not encode takes no room and draws nothing.

(A text object of our own, QTextObjectInterface, would be the obvious way; PySide6 cannot register
one written in Python: Qt's qobject_cast does not find the interface, and the object is laid out
with no size.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QTextCursor, QTextLength

from ..guides import qr
from ..guides.handout_parts import QR_SCHEME

MM_PER_INCH = 25.4
CELL_PADDING = 4  # the handout's source tables' cellpadding, in CSS pixels


@dataclass(frozen=True)
class Code:
    url: str
    position: int  # of its image's character in the document
    side: float  # its printed width and height, quiet zone included, in the device's pixels


def is_code(name: str) -> bool:
    return name.startswith(QR_SCHEME)


def place(document, device, module_mm: float, css_scale: float) -> list[Code]:
    """Give each QR code image in *document* the room its code takes on *device* with modules of
    *module_mm* (Qt multiplies an image's size by *css_scale*, its CSS pixel on this device, and
    rounds it to whole CSS pixels first: the room is that much larger, and the code is drawn in
    its middle); returns the codes, in document order."""
    pixels_per_mm = device.logicalDpiY() / MM_PER_INCH
    found = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.charFormat().isImageFormat() and is_code(fragment.charFormat().toImageFormat().name()):
                found.append((fragment.position(), fragment.length(), fragment.charFormat().toImageFormat()))
            iterator += 1
        block = block.next()
    codes = []
    for position, length, image_format in found:
        url = image_format.name()[len(QR_SCHEME):]
        side = qr.printed_mm(url, module_mm) * pixels_per_mm
        room = math.ceil(side / css_scale) if side else 0
        image_format.setWidth(room)
        image_format.setHeight(room)
        cursor = QTextCursor(document)
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(image_format)
        if side:
            codes.append(Code(url, position, side))
    _align(document, [position for position, _l, _f in found],
           max((math.ceil(code.side / css_scale) for code in codes), default=0))
    return codes


def _align(document, positions: list[int], widest: int) -> None:
    """Give the code's column of every source's table (the last, or in a right-to-left guide the
    first) the width of the widest code, so the sources' titles and addresses line up down the page."""
    for position in positions:
        cursor = QTextCursor(document)
        cursor.setPosition(position)
        table = cursor.currentTable()
        if table is None:
            continue
        table_format = table.format()
        widths = list(table_format.columnWidthConstraints()) or [QTextLength()] * table.columns()
        column = table.cellAt(position).column()
        widths[column] = QTextLength(QTextLength.Type.FixedLength, widest + 2 * CELL_PADDING)
        table_format.setColumnWidthConstraints(widths)
        table.setFormat(table_format)


def room(document, code: Code) -> QRectF:
    """Where *code*'s image lies in the laid-out document: its line's top and the image's two edges
    (whichever way the line runs), as tall as it is wide, standing on the line's baseline."""
    block = document.findBlock(code.position)
    layout = block.layout()
    offset = code.position - block.position()
    line = layout.lineForTextPosition(offset)
    origin = document.documentLayout().blockBoundingRect(block).topLeft()
    left, right = sorted((line.cursorToX(offset)[0], line.cursorToX(offset + 1)[0]))
    baseline = origin.y() + line.y() + line.ascent()
    width = right - left
    return QRectF(origin.x() + left, baseline - width, width, width)


def draw(painter: QPainter, code: Code, where: QRectF) -> None:
    """*code*'s dark modules as one filled path (its rectangles filled together, so no seam shows
    between two that touch), centred in *where*."""
    rows = qr.modules(code.url)
    count = len(rows) + 2 * qr.QUIET_MODULES
    size = code.side / count
    left = where.center().x() - code.side / 2 + qr.QUIET_MODULES * size
    top = where.center().y() - code.side / 2 + qr.QUIET_MODULES * size
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    for y, row in enumerate(rows):
        x = 0
        while x < len(row):  # each run of dark modules in a row is one rectangle
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            path.addRect(QRectF(left + start * size, top + y * size, (x - start) * size, size))
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.fillPath(path, QColor("#000000"))  # not path.simplified(): it loses modules of some codes
    painter.restore()


def paint(painter: QPainter, document, codes: list[Code], top: float, bottom: float) -> None:
    """Draw the codes whose room lies between *top* and *bottom* of the document (one page's body)
    onto *painter*, which paints that page in the document's coordinates."""
    for code in codes:
        where = room(document, code)
        if top <= where.top() and where.bottom() <= bottom + 1:
            draw(painter, code, where)
