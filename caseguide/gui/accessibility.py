"""What screen readers are told beyond what Qt's widgets say by themselves.

:func:`install` adds an accessibility factory (once per process) for two things Qt gets wrong or
leaves out, as read over AT-SPI (Orca) and UI Automation (NVDA, Narrator):

- **Combo boxes are named by their label.** On Linux Qt gives a combo box its current value as
  its name ("All kinds", "A4"), whatever ``setAccessibleName`` says. Here the name is the
  accessible name set in code, else the text of the label whose buddy it is; the value stays
  the value.
- **The reading view is a document** named by what is open, with its headings and links as
  objects of their own (Qt makes it a label, with neither): see reading_access.
- **Something said without moving the focus** ("3 guides found") reaches Orca 43 too, which
  does not listen for Qt's announcements: see :func:`announce`.

Everything here is created only when an assistive technology asks, so it costs nothing when
none is running.
"""

from __future__ import annotations

import logging
import re
import sys

from PySide6.QtCore import QObject, QPoint, QRect, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleActionInterface,
    QAccessibleAnnouncementEvent,
    QAccessibleEvent,
    QAccessibleObject,
)
from PySide6.QtWidgets import QAccessibleWidget, QComboBox, QLabel, QMessageBox, QWidget

from ..i18n import _
from . import reading_access

log = logging.getLogger(__name__)

Role = QAccessible.Role
Text = QAccessible.Text

_installed = False


def install() -> None:
    """Install the factory (safe to call more than once; needs a QApplication)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True


def _factory(class_name: str, obj: QObject):
    try:
        if reading_access.borrowing():
            return None
        if isinstance(obj, Notice):
            return NoticeAccessible(obj)
        if isinstance(obj, QComboBox):
            return ComboBoxAccessible(obj)
        return reading_access.factory(obj)
    except Exception:  # noqa: BLE001 - a factory that raises would take Qt down with it
        log.exception("accessibility factory failed for %s", class_name)
    return None


def label_text(text: str) -> str:
    """A visible label as a name: no mnemonic ampersands, no closing colon."""
    text = re.sub(r"&(.)", r"\1", text)
    return text.strip().rstrip(":").strip()


def buddy_label(widget: QWidget) -> str:
    """The text of the label in *widget*'s window that names it (its buddy), or ''."""
    window = widget.window()
    for label in window.findChildren(QLabel):
        if label.buddy() is widget and label.text():
            return label_text(label.text())
    return ""


# Linux screen readers hear Qt's announcements over AT-SPI only from Orca 45 on; Orca 43 (Debian 12's)
# ignores them, but speaks a notification the moment it is shown. On Windows, Qt raises a UI Automation
# notification for an announcement, which NVDA and Narrator speak.
ANNOUNCE_BY_NOTIFICATION = sys.platform not in ("win32", "darwin")


def announce(widget: QWidget, message: str) -> None:
    """Have a screen reader say *message* now, without moving the focus (a polite live region).

    Over AT-SPI the message is a notification object of *widget*'s window, shown: every Orca speaks
    that ("notification 3 guides found."), where only newer ones speak an announcement event.
    :func:`announcements` tells of each message too (the tests listen there)."""
    if not message:
        return
    announcements().said.emit(message)
    if not QAccessible.isActive():
        return
    if ANNOUNCE_BY_NOTIFICATION:
        notice = Notice.of(widget.window())
        notice.message = message
        QAccessible.updateAccessibility(QAccessibleEvent(notice, QAccessible.Event.ObjectShow))
        return
    event = QAccessibleAnnouncementEvent(widget, message)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Polite)
    QAccessible.updateAccessibility(event)


class Announcements(QObject):
    """Says (``said``) each message :func:`announce` gives a screen reader; nothing keeps them."""

    said = Signal(str)


_announcements: Announcements | None = None


def announcements() -> Announcements:
    global _announcements
    if _announcements is None:
        _announcements = Announcements()
    return _announcements


class Notice(QObject):
    """What :func:`announce` last said in one window, as an object a screen reader can read."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.window = window
        self.message = ""

    @classmethod
    def of(cls, window: QWidget) -> Notice:
        return next((child for child in window.children() if isinstance(child, Notice)), None) or cls(window)


class NoticeAccessible(reading_access.Leaf, QAccessibleObject):
    """A notification: its name is the message; it lives in its window but is not one of its children
    (nothing to Tab to or read in the window's tree: it is only ever shown, and so spoken)."""

    def __init__(self, notice: Notice):
        super().__init__(notice)
        self.notice = notice

    def role(self):
        return Role.Notification

    def text(self, t):
        return self.notice.message if t == Text.Name else ""

    def setText(self, t, text) -> None:
        pass

    def state(self):
        state = QAccessible.State()
        state.invisible = not self.notice.window.isVisible()
        return state

    def rect(self):
        return QRect()

    def parent(self):
        return QAccessible.queryAccessibleInterface(self.notice.window)

    def window(self):
        return self.notice.window.windowHandle()


def name_message_icon(box: QMessageBox) -> None:
    """Name a message box's icon by what it means, so the meaning is not in the picture alone."""
    words = {QMessageBox.Icon.Information: _("Information"), QMessageBox.Icon.Warning: _("Warning"),
             QMessageBox.Icon.Critical: _("Problem"), QMessageBox.Icon.Question: _("Question")}
    icon = box.findChild(QLabel, "qt_msgboxex_icon_label")
    if icon is not None and box.icon() in words:
        icon.setAccessibleName(words[box.icon()])


# Combo boxes -----------------------------------------------------------------------------------

class ComboBoxAccessible(QAccessibleWidget):
    """A combo box named by its label; its value is what is chosen. Mirrors Qt's own otherwise."""

    def __init__(self, combo: QComboBox):
        super().__init__(combo, Role.ComboBox)

    def combo(self) -> QComboBox:
        return self.widget()

    def text(self, t):
        combo = self.combo()
        value = combo.lineEdit().text() if combo.isEditable() else combo.currentText()
        if t == Text.Name:
            return combo.accessibleName() or buddy_label(combo) or value
        if t == Text.Value:
            return value
        return super().text(t)

    def state(self):
        state = super().state()
        state.expandable = True
        state.expanded = self.combo().view().isVisible()
        state.editable = self.combo().isEditable()
        return state

    def childCount(self) -> int:
        return 2 if self.combo().isEditable() else 1

    def child(self, index: int):
        combo = self.combo()
        if index == 0:
            return QAccessible.queryAccessibleInterface(combo.view())
        if index == 1 and combo.isEditable():
            return QAccessible.queryAccessibleInterface(combo.lineEdit())
        return None

    def indexOfChild(self, child) -> int:
        obj = child.object() if child is not None else None
        combo = self.combo()
        if obj is not None and obj is combo.view():
            return 0
        if obj is not None and combo.isEditable() and obj is combo.lineEdit():
            return 1
        return -1

    def childAt(self, x: int, y: int):
        combo = self.combo()
        if combo.isEditable():
            edit = combo.lineEdit()
            if QRect(edit.mapToGlobal(QPoint(0, 0)), edit.size()).contains(x, y):
                return self.child(1)
        return None

    def actionNames(self):
        return [QAccessibleActionInterface.showMenuAction(), QAccessibleActionInterface.pressAction()]

    def doAction(self, name: str) -> None:
        if name in self.actionNames():
            combo = self.combo()
            combo.hidePopup() if combo.view().isVisible() else combo.showPopup()

    def keyBindingsForAction(self, name: str):
        return []
