"""A focus ring a person can see on every control, and colours that are readable.

Qt's styles mark the focus faintly or not at all: Fusion draws a pale outline on some controls
only after a key was pressed, and nothing on tool buttons, combo boxes, lists, trees or the
reading view. :class:`FocusRing` is one overlay (a QFocusFrame: Qt keeps it over the focused
control as that moves, resizes or changes window) that draws a solid ring at least 2 pixels wide
(4 at 200% text) just inside the edge of whatever has the keyboard focus.

The ring's colour is the palette's highlight, darkened (or, on a dark theme, lightened) until it
has at least 3:1 contrast (WCAG 2.2, non-text contrast) with the window, the text background, a
button and the selection colour, so it shows on a selected row too. :func:`readable_palette`
moves any text colour with less than 4.5:1 contrast against its background (Fusion's white on
light blue for a selected row has 3.7:1; its placeholder text 4.0:1).

A style that drew the ring itself (a Python QProxyStyle) made every repaint of the window nearly
twice as slow, since every style call crossed into Python; the overlay costs one rounded
rectangle when it repaints.
"""

from __future__ import annotations

import shiboken6
from PySide6 import QtCore
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QFocusFrame, QProxyStyle, QStyle

RING_CONTRAST = 3.0


def luminance(color: QColor) -> float:
    """Relative luminance (WCAG 2.2) of an sRGB colour."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def over(color: QColor, background: QColor) -> QColor:
    """*color* as it shows on *background* (a see-through colour blended with it)."""
    a = color.alphaF()
    if a >= 1.0:
        return color.__copy__()  # not QColor(color), which builds Qt's enum namespace
    return QColor.fromRgbF(*(a * c + (1 - a) * b for c, b in zip(
        (color.redF(), color.greenF(), color.blueF()), (background.redF(), background.greenF(), background.blueF()))))


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


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


TEXT_CONTRAST = 4.5
R = QPalette.ColorRole
# Text colours and what they are read against (WCAG 2.2 AA: 4.5:1 for text).
TEXT_PAIRS = [(R.WindowText, R.Window), (R.Text, R.Base), (R.Text, R.AlternateBase), (R.ButtonText, R.Button),
              (R.HighlightedText, R.Highlight), (R.PlaceholderText, R.Base), (R.Link, R.Base),
              (R.ToolTipText, R.ToolTipBase)]


def readable(color: QColor, background: QColor, ratio: float = TEXT_CONTRAST) -> QColor:
    """*color*, moved away from *background* (darker on a light one, lighter on a dark one) until
    they have *ratio* contrast; unchanged if they already do."""
    toward_dark = luminance(background) >= 0.18
    color = over(color, background)
    for _ in range(50):
        if contrast(color, background) >= ratio:
            return color
        h, s, l_, a = color.getHslF()
        color = QColor.fromHslF(max(h, 0.0), s, max(0.0, l_ - 0.03) if toward_dark else min(1.0, l_ + 0.03), 1.0)
    return QColor("black") if toward_dark else QColor("white")


def readable_palette(palette: QPalette) -> QPalette:
    """*palette* with every text colour readable against its background, in the active and inactive
    groups (disabled controls are exempt). For selected text and alternate rows the background is
    the one moved (the selection is darkened behind white text), since the text must stay as it is."""
    palette = palette.__copy__()  # not QPalette(palette): that builds Qt's enum namespace before the first paint
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        for text_role, background_role in TEXT_PAIRS:
            text, background = palette.color(group, text_role), palette.color(group, background_role)
            if contrast(over(text, background), background) >= TEXT_CONTRAST:
                continue
            if text_role == R.HighlightedText or background_role == R.AlternateBase:
                # The text must stay as it is (white on the selection; the same text on every row).
                palette.setColor(group, background_role, readable(background, text))
            else:
                palette.setColor(group, text_role, readable(text, background))
    return palette


_ring: FocusRing | None = None
_palette_done = False


def install(app, ring: bool = True) -> FocusRing | None:
    """Give *app* readable colours and (unless *ring* is False) the focus ring, once each.

    The window starts with ``ring=False`` and adds the ring just after its first paint: making it
    builds Qt's namespace of enums in Python, a third of a bare window's start-up."""
    global _ring, _palette_done
    if not _palette_done:
        app.setPalette(readable_palette(app.palette()))
        _palette_done = True
    if ring and (_ring is None or not shiboken6.isValid(_ring)):
        _ring = FocusRing(app)
        _ring.follow(None, app.focusWidget())
    return _ring
