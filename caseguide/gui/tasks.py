"""Run a slow core function off the UI thread, with progress, and hear back by signal."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ..errors import CaseGuideError
from ..i18n import _

log = logging.getLogger(__name__)


class _Runner(QObject):
    progress = Signal(str, float)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, function, kwargs):
        super().__init__()
        self._function = function
        self._kwargs = kwargs

    @Slot()
    def run(self) -> None:
        try:
            result = self._function(progress=lambda text, fraction: self.progress.emit(text, fraction),
                                    **self._kwargs)
        except CaseGuideError as exc:
            self.failed.emit(str(exc))
        except Exception:  # noqa: BLE001 - a bug: logged with its traceback, reported in words
            log.exception("a background task failed")
            self.failed.emit(_("Something went wrong inside CaseGuide (a bug). Nothing was changed."))
        else:
            self.finished.emit(result)


class Task(QObject):
    """``Task(function, **kwargs).start()``: *function(progress=..., **kwargs)* runs on its own thread.

    Signals arrive on the UI thread: progress(text, fraction), finished(result), failed(message).
    """

    progress = Signal(str, float)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, function, parent=None, **kwargs):
        super().__init__(parent)
        self._thread = QThread()
        self._runner = _Runner(function, kwargs)
        self._runner.moveToThread(self._thread)
        self._thread.started.connect(self._runner.run)
        self._runner.progress.connect(self.progress)
        self._runner.finished.connect(self._done_ok)
        self._runner.failed.connect(self._done_failed)

    def start(self) -> None:
        self._thread.start()

    def wait(self) -> None:
        """Block until the function has returned and the thread has stopped."""
        self._stop()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def _stop(self) -> None:
        self._thread.quit()
        self._thread.wait()

    def _done_ok(self, result) -> None:
        self._stop()
        self.finished.emit(result)

    def _done_failed(self, message: str) -> None:
        self._stop()
        self.failed.emit(message)
