"""A focus ring a person can see on every control.

Qt's styles mark the focus faintly or not at all: Fusion draws a pale outline on some controls
only after a key was pressed, and nothing on tool buttons, combo boxes, lists, trees or the
reading view. :class:`FocusRing` is one overlay (a QFocusFrame: Qt keeps it over the focused
control as that moves, resizes or changes window) that draws a solid ring at least 2 pixels wide
(4 at 200% text) just inside the edge of whatever has the keyboard focus.

The ring's colour is the palette's highlight, darkened (or, on a dark theme, lightened) until it
has at least 3:1 contrast (WCAG 2.2, non-text contrast) with the window, the text background, a
button and the selection colour, so it shows on a selected row too.

A style that drew the ring itself (a Python QProxyStyle) made every repaint of the window nearly
twice as slow, since every style call crossed into Python; the overlay costs one rounded
rectangle when it repaints. The window imports this module just after its first paint: its Qt
classes (QStyle's enums above all) cost 5 ms or so of start-up (issue 26).
"""

from __future__ import annotations

import shiboken6
from PySide6 import QtCore
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QFocusFrame, QProxyStyle, QStyle

from . import style
from .style import contrast, luminance

RING_CONTRAST = 3.0


def focus_colour(palette: QPalette) -> QColor:
    """The highlight colour, made darker or lighter until it stands out from its surroundings."""
    against = [palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.Base),
               palette.color(QPalette.ColorRole.Button), palette.color(QPalette.ColorRole.Highlight)]
    dark_theme = luminance(palette.color(QPalette.ColorRole.Window)) < 0.2
    color = palette.color(QPalette.ColorRole.Highlight)  # a copy already
    for _ in range(40):
        if min(contrast(color, c) for c in against) >= RING_CONTRAST:
            return color
        h, s, l_, a = color.getHslF()
        color = QColor.fromHslF(h, s, min(1.0, l_ + 0.04) if dark_theme else max(0.0, l_ - 0.04), a)
    return QColor("white") if dark_theme else QColor("black")


def ring_width(widget) -> int:
    """2 pixels at normal text size, growing with the text (4 at 200%)."""
    return max(2, round(widget.fontMetrics().height() / 8))


class _AboveStyle(QProxyStyle):
    """For the ring only: Qt places a focus frame above the control, at the control's own size."""

    def styleHint(self, hint, option=None, widget=None, returnData=None) -> int:
        if hint == QStyle.StyleHint.SH_FocusFrame_AboveWidget:
            return 1
        return super().styleHint(hint, option, widget, returnData)

    def pixelMetric(self, metric, option=None, widget=None) -> int:
        if metric in (QStyle.PixelMetric.PM_FocusFrameHMargin, QStyle.PixelMetric.PM_FocusFrameVMargin):
            return 0
        return super().pixelMetric(metric, option, widget)


class FocusRing(QFocusFrame):
    """The ring round the control with the keyboard focus, in every window of the app."""

    def __init__(self, app: QApplication):
        super().__init__()
        self._style = _AboveStyle()
        self.setStyle(self._style)
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_NoSystemBackground)
        app.focusChanged.connect(self.follow)

    def follow(self, _old, new) -> None:
        if new is None or new.isWindow() or isinstance(new, QFocusFrame):
            self.setWidget(None)
            # Qt makes the ring a child of the focused control's window: out of it, or the ring
            # would be deleted with a dialog that closes and is deleted.
            self.setParent(None)
            return
        self.setWidget(new)
        self.raise_()
        self.update()

    def paintEvent(self, event) -> None:
        widget = self.widget()
        if widget is None:
            return
        width = ring_width(widget)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(focus_colour(widget.palette()), width)
        pen.setJoinStyle(QtCore.Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        half = width / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(half, half, -half, -half), 3, 3)
        painter.end()


_ring: FocusRing | None = None


def install(app) -> FocusRing:
    """Give *app* readable colours and the focus ring, once each."""
    global _ring
    style.install(app)
    if _ring is None or not shiboken6.isValid(_ring):
        _ring = FocusRing(app)
        _ring.follow(None, app.focusWidget())
    return _ring
