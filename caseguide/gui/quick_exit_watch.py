"""The window's side of the Quick exit watchdog (``caseguide.session.watchdog``, a process of its own).

Quick exit has to work while this thread is stuck in Qt (a long page's layout, a print preview), and
no thread of this process can help then: PySide6 holds Python's lock through such calls. So a small
Qt-free process watches for the gesture instead. From here it gets a beat every 50 ms while this
thread turns its event loop, and the native ids of CaseGuide's windows on screen whenever they
change; when it hid them itself it says ``hidden``, and this runs the window's own Quick exit
(``triggered``) as soon as the thread is free, then answers ``done``.

It starts just after the window's first paint, so it never delays it, and only on the platforms it can
watch: X11 (xcb) and Windows. On Wayland (other programs cannot see a Wayland window's keys or
hide it), on macOS and offscreen, Quick exit works as before: while the window answers.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication

# QProcess and the watchdog's own module are imported once the window is on screen: PySide6 builds
# QProcess's type (and its enums) on first use, a few milliseconds the first paint need not wait for.

log = logging.getLogger(__name__)

PLATFORMS = {"xcb", "windows"}
WATCHDOG_PROGRAM = "caseguide-quickexit"  # in the bundle (build_installer.py makes it)
MAX_BACKLOG = 64 * 1024  # bytes the watchdog has not read: it is stuck, and is stopped
MAX_ANSWER = 256


def watchdog_command() -> tuple[str, list[str]]:
    """How to start the watchdog: in the bundle, its own program beside this one (Qt-free: in this
    executable PyInstaller's PySide6 hook would load QtCore first, 250 ms and 20 MB); from a checkout or
    an installed package, this Python with the module and no site (the standard library and caseguide
    are all it needs, found where this process found them)."""
    if getattr(sys, "frozen", False):
        name = WATCHDOG_PROGRAM + (".exe" if sys.platform == "win32" else "")
        return str(Path(sys.executable).resolve().with_name(name)), []  # (through the PATH's link)
    return sys.executable, ["-S", "-m", "caseguide.session.watchdog"]


def visible_windows() -> list[int]:
    """The native ids of this process's windows on screen: the main window, dialogs, the print
    preview, and popups (the search suggestions, menus, tooltips) too."""
    return sorted(int(window.winId()) for window in QGuiApplication.topLevelWindows() if window.isVisible())


class QuickExitWatch(QObject):
    """Starts the watchdog after *window*'s first paint and talks to it until the window closes or the
    application quits.
    *windows_changed* is a signal that fires when a top-level window is shown or hidden (SessionGuard's)."""

    triggered = Signal()  # the watchdog hid the windows while this thread was busy: run Quick exit now

    def __init__(self, window, windows_changed=None, command: tuple[str, list[str]] | None = None):
        super().__init__(window)
        self._window = window
        self._command = command
        self.process = None  # the QProcess, while it runs
        self.ready = ""  # what the watchdog said it watches with ("X11Screen", "WindowsScreen")
        self._sent: list[int] | None = None
        self._reading = False
        self._painted = self._closed = False
        self._beat = QTimer(self)
        self._beat.timeout.connect(self._send_beat)
        if windows_changed is not None:
            windows_changed.connect(self._send_windows)
        window.installEventFilter(self)
        QGuiApplication.instance().aboutToQuit.connect(self.stop)

    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Paint and not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.start)
        elif kind == QEvent.Type.Close:  # the window closes (CaseGuide quits; or a test is over)
            self._closed = True
            self.stop()
        return False

    def start(self) -> bool:
        """Start the watchdog where it can watch (True if started)."""
        if self.process is not None:
            return True
        if self._closed:
            return False
        platform = QGuiApplication.platformName()
        if self._command is None and platform not in PLATFORMS:
            log.info("Quick exit works only while the window answers on this platform (%s)", platform)
            return False
        from PySide6.QtCore import QProcess, QProcessEnvironment

        from ..session import watchdog

        program, arguments = self._command or watchdog_command()
        self._max_windows = watchdog.MAX_WINDOWS
        self._beat.setInterval(round(watchdog.BEAT_SECONDS * 1000))
        process = self.process = QProcess(self)
        # Its standard error goes straight to ours, not through this thread (a traceback is not lost).
        process.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedErrorChannel)
        if not getattr(sys, "frozen", False):
            environment = QProcessEnvironment.systemEnvironment()
            root = str(Path(watchdog.__file__).resolve().parents[2])
            paths = [root, *filter(None, [environment.value("PYTHONPATH")])]
            environment.insert("PYTHONPATH", os.pathsep.join(paths))
            process.setProcessEnvironment(environment)
        process.readyReadStandardOutput.connect(self._read)
        process.started.connect(self._started)
        process.finished.connect(self._finished)
        process.errorOccurred.connect(self._failed)
        process.start(program, arguments)
        return True

    def _failed(self, error) -> None:
        if error == type(error).FailedToStart:  # (no "finished" follows)
            log.warning("the Quick exit watchdog cannot start (%s): Quick exit works only while the window "
                        "answers", self.process.errorString() if self.process is not None else error)
            self._beat.stop()
            self.process = None

    def _started(self) -> None:
        self._sent = None
        self._send_beat()
        self._beat.start()

    def stop(self) -> None:
        """End the watchdog: it ends itself when its input closes; killed if it has not within a second."""
        self._beat.stop()
        process, self.process = self.process, None
        if process is None:
            return
        process.finished.disconnect(self._finished)
        if process.state() != process.ProcessState.NotRunning:
            process.closeWriteChannel()
            if not process.waitForFinished(1000):
                process.kill()
                process.waitForFinished(1000)
        process.deleteLater()

    # Talking to it -------------------------------------------------------------------

    def _write(self, line: str) -> bool:
        process = self.process
        if process is None or process.state() != process.ProcessState.Running:
            return False
        if process.bytesToWrite() > MAX_BACKLOG:
            log.warning("the Quick exit watchdog stopped reading; stopping it")
            self.stop()
            return False
        process.write(line.encode("ascii") + b"\n")
        # Written now, not when the event loop next turns: the thread may be about to get stuck.
        process.waitForBytesWritten(0)
        return True

    def _send_beat(self) -> None:
        self._send_windows()
        self._write("beat")

    def _send_windows(self) -> None:
        if self.process is None:
            return
        windows = visible_windows()
        if windows != self._sent and self._write(" ".join(["windows", *map(str, windows[:self._max_windows])])):
            self._sent = windows

    def _read(self) -> None:
        if self._reading:  # Quick exit turns the event loop: a nested call reads the rest afterwards
            return
        self._reading = True
        try:
            while self.process is not None and self.process.canReadLine():
                answer = bytes(self.process.readLine(MAX_ANSWER)).decode("ascii", "replace").strip()
                if answer == "hidden":
                    self.triggered.emit()
                    self._sent = None
                    self._write("done")
                elif answer.startswith("ready"):
                    self.ready = answer.partition(" ")[2] or "yes"
                    log.debug("Quick exit watchdog ready (%s)", self.ready)
                elif answer.startswith("unavailable"):
                    log.info("Quick exit works only while the window answers: %s", answer.partition(" ")[2])
        finally:
            self._reading = False

    def _finished(self, code: int, status) -> None:
        self._beat.stop()
        self._read()  # its last words: why it cannot watch here, if that is why it ended
        if self.ready or code != 0 or status != type(status).NormalExit:
            log.warning("the Quick exit watchdog ended (exit code %s): Quick exit works only while the "
                        "window answers", code)
        self.process = None
