"""The one library the window shows, shared by every view, and the signals every view follows."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class CurrentLibrary(QObject):
    """Holds the Library the window, the packs dialog and handouts all read.

    The Library is made once at start-up; after a pack is installed or removed :meth:`replace`
    puts the new one in (made reusing the old one's parsed guides) and ``changed`` says so. Its list
    of guides is read on the search thread; when it is ready, :meth:`mark_listed` and ``listed``
    tell every view that shows the list (the tree, the results' filters, the window's counts).
    Each view connects itself to the one signal it needs; nobody hands views the library.
    """

    changed = Signal(object)  # a new Library (its list may not be read yet)
    listed = Signal(object)  # the current Library's list of guides is ready

    def __init__(self, library, parent=None):
        super().__init__(parent)
        self.library = library

    def replace(self, library) -> None:
        self.library = library
        self.changed.emit(library)

    def mark_listed(self, library) -> None:
        """*library*'s list is read; said only if it is still the current one (else its successor follows)."""
        if library is self.library:
            self.listed.emit(library)
