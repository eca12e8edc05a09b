"""Watching for the quick-exit gesture and for idleness, across every window of the app."""

from __future__ import annotations

import time

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QWindow

from ..session.quickexit import ShiftTaps

INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                QEvent.Type.Wheel, QEvent.Type.TouchBegin}
WINDOW_EVENTS = {QEvent.Type.Show, QEvent.Type.Hide}


class SessionGuard(QObject):
    """An application event filter.

    ``quickExit`` fires on three lone Shift presses within a few seconds;
    ``idle`` fires after *idle_seconds* with no input (if given);
    ``windowsChanged`` fires as any top-level window is shown or hidden (the Quick exit watchdog
    learns of a new window at once, in case the thread gets stuck before it can say so later).
    Events are counted once each, where they first arrive (at the QWindow).
    """

    quickExit = Signal()
    idle = Signal()
    windowsChanged = Signal()

    def __init__(self, app, idle_seconds: int | None = None, parent=None):
        super().__init__(parent)
        self.taps = ShiftTaps()
        self.idle_timer = QTimer(self, singleShot=True)
        self.idle_timer.timeout.connect(self.idle)
        if idle_seconds:
            self.idle_timer.setInterval(idle_seconds * 1000)
            self.idle_timer.start()
        app.installEventFilter(self)
        self._app = app

    def remove(self) -> None:
        self._app.removeEventFilter(self)
        self.idle_timer.stop()

    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if kind in INPUT_EVENTS and isinstance(watched, QWindow):
            if self.idle_timer.interval() > 0:
                self.idle_timer.start()
            if kind == QEvent.Type.KeyPress and not event.isAutoRepeat():
                if event.key() == QtCore.Qt.Key.Key_Shift:
                    if self.taps.shift_pressed(time.monotonic()):
                        self.quickExit.emit()
                else:
                    self.taps.other_key()
        elif kind in WINDOW_EVENTS and isinstance(watched, QWindow):
            self.windowsChanged.emit()
        return False
