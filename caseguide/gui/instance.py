"""One CaseGuide window per person: starting it again brings back the one already open.

This is how a window hidden by Quick exit comes back. A lock file says an
instance is running; a second start touches a "wake" file beside it and
leaves; the running instance watches that file and shows itself. No sockets:
CaseGuide opens no connections of any kind.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, Signal

from ..fsutil import locked


class SingleInstance(QObject):
    woken = Signal()

    def __init__(self, folder: Path, parent=None):
        super().__init__(parent)
        self.folder = Path(folder)
        self.wake_file = self.folder / "wake"
        self._stack = contextlib.ExitStack()
        self._watcher: QFileSystemWatcher | None = None
        self._touched = None  # the wake file as this instance left it when it took the lock

    def acquire(self) -> bool:
        """True if this is the only instance (and now holds the lock)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            held = self._stack.enter_context(locked(self.folder, wait=False))
        except OSError:
            return True  # no place for a lock: carry on as a lone instance
        if not held:
            self._stack.close()
            return False
        self.wake_file.touch()
        self._touched = self._stamp()
        return True

    def _stamp(self):
        try:
            stat = self.wake_file.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def watch(self) -> None:
        """Start answering a second start's wake-up. The window calls this once it is painted:
        making the watcher (its Python type, its enums) cost 9 ms before the first paint (issue 26).
        A second start before then is not missed: the wake file has changed since the lock was taken."""
        if self._watcher is None and self._stack is not None:
            self._watcher = QFileSystemWatcher([str(self.wake_file)], self)
            self._watcher.fileChanged.connect(self._changed)
            if self._stamp() != self._touched:
                self.woken.emit()

    def wake_other(self) -> None:
        with contextlib.suppress(OSError):
            self.wake_file.write_bytes(b"wake\n")

    def _changed(self, path: str) -> None:
        if self._watcher is not None and path not in self._watcher.files() and Path(path).exists():
            self._watcher.addPath(path)  # some editors replace files; keep watching
        self.woken.emit()

    def release(self) -> None:
        self._stack.close()
