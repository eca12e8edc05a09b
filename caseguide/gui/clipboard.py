"""What CaseGuide put on the clipboard, so a session reset can take it off again.

On a shared PC a visitor may copy a line of a guide, or an address, and walk away; the next visitor
would paste it. A reset (End session, the idle reset, Quick exit) clears the clipboard, and on X11
the selection, but only while they still hold what was copied from CaseGuide: something copied in
another program since then is that program's, and is left alone.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QClipboard, QGuiApplication


class ClipboardGuard(QObject):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._clipboard = QGuiApplication.clipboard()
        self._copied: dict[QClipboard.Mode, str] = {}
        self._clipboard.changed.connect(self._changed)

    def _modes(self):
        modes = [QClipboard.Mode.Clipboard]
        if self._clipboard.supportsSelection():
            modes.append(QClipboard.Mode.Selection)
        return modes

    def _ours(self, mode: QClipboard.Mode) -> bool:
        owns = self._clipboard.ownsSelection() if mode == QClipboard.Mode.Selection else self._clipboard.ownsClipboard()
        focus = QGuiApplication.focusWindow()  # copied while a CaseGuide window on screen had the keyboard
        return owns or (focus is not None and focus.isVisible())

    def _changed(self, mode: QClipboard.Mode) -> None:
        if mode not in self._modes():
            return
        if self._ours(mode):
            self._copied[mode] = self._clipboard.text(mode)
        else:
            self._copied.pop(mode, None)  # another program's now

    def forget(self) -> None:
        """Clear the clipboard (and the selection) if they still hold what was copied from CaseGuide."""
        for mode in self._modes():
            owned = (self._clipboard.ownsSelection() if mode == QClipboard.Mode.Selection
                     else self._clipboard.ownsClipboard())
            if owned or (mode in self._copied and self._clipboard.text(mode) == self._copied[mode]):
                self._clipboard.clear(mode)
            self._copied.pop(mode, None)
