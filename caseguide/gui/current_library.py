"""The one library the window shows, shared by every view, and a signal when it is replaced."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class CurrentLibrary(QObject):
    """Holds the Library the window, the packs dialog and handouts all read.

    The Library is made once at start-up; after a pack is installed or removed :meth:`replace`
    puts the new one in (made reusing the old one's parsed guides) and ``changed`` tells every view.
    """

    changed = Signal(object)  # the new Library

    def __init__(self, library, parent=None):
        super().__init__(parent)
        self.library = library

    def replace(self, library) -> None:
        self.library = library
        self.changed.emit(library)
