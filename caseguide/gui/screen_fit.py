"""The first window fits the screen it opens on: its preferred size, never larger than the room there.

Nothing about the window is remembered between sessions (a shared PC keeps no trace of the last
person), so the size is worked out afresh each time from the screen's available area: the screen
less the taskbar or panels, in Qt's device-independent pixels, so 125% or 150% scaling is counted.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

PREFERRED = QSize(1200, 800)
# Before a window is first shown Qt cannot know the frame the window manager adds (borders and a
# title bar); until it can, this much room is left for it.
FRAME_ALLOWANCE = QSize(16, 40)


def available_area(widget: QWidget) -> QRect:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def frame_extra(widget: QWidget) -> QSize:
    """How much the frame adds around *widget*: measured once it is on screen, else the allowance."""
    frame, inner = widget.frameGeometry(), widget.geometry()
    measured = QSize(frame.width() - inner.width(), frame.height() - inner.height())
    if widget.isVisible() and (measured.width() > 0 or measured.height() > 0):
        return measured
    return FRAME_ALLOWANCE if not widget.isVisible() else measured


def fitted_size(area: QRect, extra: QSize, preferred: QSize = PREFERRED) -> QSize:
    """The preferred size, shrunk to what fits in *area* with the frame (*extra*) around it."""
    return QSize(max(1, min(preferred.width(), area.width() - extra.width())),
                 max(1, min(preferred.height(), area.height() - extra.height())))


def fit_to_screen(window: QWidget, preferred: QSize = PREFERRED) -> QSize:
    """Size *window* to fit its screen's available area, centred there; returns the size set.

    The window's minimum size gives way too, so that on a very small screen the window still fits.
    """
    area = available_area(window)
    extra = frame_extra(window)
    size = fitted_size(area, extra, preferred)
    minimum = window.minimumSize()
    window.setMinimumSize(min(minimum.width(), size.width()), min(minimum.height(), size.height()))
    window.resize(size)
    outer = QSize(size.width() + extra.width(), size.height() + extra.height())
    window.move(area.x() + max(0, (area.width() - outer.width()) // 2),
                area.y() + max(0, (area.height() - outer.height()) // 2))
    return window.size()
