"""What screen readers are told beyond what Qt's widgets say by themselves.

:func:`install` adds an accessibility factory (once per process) for two things Qt gets wrong or
leaves out, as read over AT-SPI (Orca) and UI Automation (NVDA, Narrator):

- **Combo boxes are named by their label.** On Linux Qt gives a combo box its current value as
  its name ("All kinds", "A4"), whatever ``setAccessibleName`` says. Here the name is the
  accessible name set in code, else the text of the label whose buddy it is; the value stays
  the value.
- **Links in a guide are accessible objects.** Qt's reading view (QTextBrowser) exposes its
  text but not its links, and Qt's AT-SPI bridge has no Hypertext interface at all. Each link
  becomes a child object with the Link role, named by its text and where it goes ("(guide)",
  "(website)"), with a "press" action; when Tab moves to a link the screen reader is told.
  See :class:`LinkIndex`.

Everything here is created only when an assistive technology asks, so it costs nothing when
none is running.
"""

from __future__ import annotations

import logging
import re

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QUrl
from PySide6.QtGui import (
    QAccessible,
    QAccessibleActionInterface,
    QAccessibleAnnouncementEvent,
    QAccessibleEvent,
    QAccessibleObject,
    QTextCursor,
)
from PySide6.QtWidgets import QAccessibleWidget, QComboBox, QLabel, QMessageBox, QTextBrowser, QWidget

from ..display import clean_text
from ..i18n import _

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
        if isinstance(obj, LinkObject):
            return LinkAccessible(obj)
        if isinstance(obj, QComboBox):
            return ComboBoxAccessible(obj)
        if isinstance(obj, QWidget) and isinstance(obj.parent(), QTextBrowser):
            index = LinkIndex.of(obj.parent())
            if index is not None and obj is index.view.viewport():
                return LinkPaneAccessible(obj, index)
    except Exception:  # noqa: BLE001 - a factory that raises would take Qt down with it
        log.exception("accessibility factory failed for %s", class_name)
    return None


def _null():
    return shiboken6.VoidPtr(0)


def _action_pointer(interface) -> shiboken6.VoidPtr:
    """The address of *interface*'s QAccessibleActionInterface part (it inherits both in Python)."""
    pointers = shiboken6.getCppPointer(interface)
    return shiboken6.VoidPtr(pointers[-1])


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


def announce(widget: QWidget, message: str) -> None:
    """Have a screen reader say *message* now, without moving the focus (a polite live region)."""
    if QAccessible.isActive():
        event = QAccessibleAnnouncementEvent(widget, message)
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Polite)
        QAccessible.updateAccessibility(event)


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


# Links in the reading view ---------------------------------------------------------------------

class LinkObject(QObject):
    """One link on the page shown in a reading view: the characters it covers and its address."""

    def __init__(self, view: QTextBrowser, start: int, end: int, href: str, text: str, number: int):
        super().__init__(view)
        self.view, self.start, self.end, self.href, self.label, self.number = view, start, end, href, text, number


class LinkIndex(QObject):
    """The links of the page in a QTextBrowser, as accessible objects, made when first asked for.

    *describe(href)* says where a link goes: ``(where, detail)``, for example ``("guide", "Registering
    with a GP")`` or ``("website", "https://www.nhs.uk/")``. Call :meth:`page_changed` after the
    view shows a new page.
    """

    _by_view: dict[int, LinkIndex] = {}

    def __init__(self, view: QTextBrowser, describe):
        super().__init__(view)
        self.view = view
        self.describe = describe
        self._ranges: list[tuple[int, int, str, str]] | None = None
        self._objects: dict[int, LinkObject] = {}
        self._focused: int | None = None
        key = id(view)
        LinkIndex._by_view[key] = self
        view.destroyed.connect(lambda *_: LinkIndex._by_view.pop(key, None))
        view.installEventFilter(self)

    @classmethod
    def of(cls, view) -> LinkIndex | None:
        return cls._by_view.get(id(view))

    # The links -------------------------------------------------------------------------

    def ranges(self) -> list[tuple[int, int, str, str]]:
        """(start, end, href, text) of every link on the page, in reading order."""
        if self._ranges is None:
            self._ranges = find_links(self.view.document())
        return self._ranges

    def count(self) -> int:
        return len(self.ranges())

    def link(self, number: int) -> LinkObject | None:
        ranges = self.ranges()
        if not 0 <= number < len(ranges):
            return None
        obj = self._objects.get(number)
        if obj is None:
            start, end, href, text = ranges[number]
            obj = self._objects[number] = LinkObject(self.view, start, end, href, text, number)
        return obj

    def name(self, link: LinkObject) -> str:
        where, _detail = self.describe(link.href)
        text = " ".join(clean_text(link.label).split()) or clean_text(link.href)
        if where and not re.search(rf"\b{re.escape(where)}\b", text, re.IGNORECASE):
            return f"{text} ({where})"
        return text

    def description(self, link: LinkObject) -> str:
        where, detail = self.describe(link.href)
        return f"{where[:1].upper()}{where[1:]}: {clean_text(detail)}" if detail else ""

    def page_changed(self) -> None:
        """Forget the old page's links (their objects go) and tell a screen reader the page changed."""
        for obj in self._objects.values():
            obj.setParent(None)
            shiboken6.delete(obj)
        self._objects.clear()
        self._ranges = None
        self._focused = None
        if QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleEvent(self.view.viewport(), QAccessible.Event.ObjectReorder))

    # Focus: Tab in a QTextBrowser selects the next link --------------------------------------

    def current(self) -> int | None:
        """The number of the link the view's cursor is on (Tab selects a link), if any."""
        cursor = self.view.textCursor()
        if not cursor.hasSelection():
            return None
        span = (cursor.selectionStart(), cursor.selectionEnd())
        for number, (start, end, _href, _text) in enumerate(self.ranges()):
            if (start, end) == span:
                return number
        return None

    def focus_moved(self) -> None:
        """Call after Tab moved in the view: a screen reader is told which link has the focus.
        (Qt moves the view's cursor to a link without any signal, selectionChanged included.)"""
        if not QAccessible.isActive() or not self.view.hasFocus():
            return
        number = self.current()
        if number is not None and number != self._focused:
            self._focused = number
            QAccessible.updateAccessibility(QAccessibleEvent(self.link(number), QAccessible.Event.Focus))
        elif number is None:
            self._focused = None

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self._focused = None
        return False

    def focus(self, link: LinkObject) -> None:
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(link.start)
        cursor.setPosition(link.end, QTextCursor.MoveMode.KeepAnchor)
        self.view.setFocus()
        self.view.setTextCursor(cursor)
        self.view.ensureCursorVisible()

    def rect(self, link: LinkObject) -> QRect:
        """Where the link is on screen (its first line; the lines it spans if several)."""
        view = self.view
        cursor = QTextCursor(view.document())
        cursor.setPosition(link.start)
        first = view.cursorRect(cursor)
        cursor.setPosition(link.end)
        last = view.cursorRect(cursor)
        if last.top() == first.top():
            area = QRect(first.topLeft(), last.bottomRight())
        else:
            area = QRect(QPoint(0, first.top()), QPoint(view.viewport().width(), last.bottom()))
        return QRect(view.viewport().mapToGlobal(area.topLeft()), area.size())


def find_links(document) -> list[tuple[int, int, str, str]]:
    """Every link in a QTextDocument: (start, end, href, text), neighbouring pieces joined."""
    links: list[list] = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid():
                fmt = fragment.charFormat()
                href = fmt.anchorHref() if fmt.isAnchor() else ""
                if href:
                    start, end = fragment.position(), fragment.position() + fragment.length()
                    if links and links[-1][2] == href and links[-1][1] == start:
                        links[-1][1] = end
                        links[-1][3] += fragment.text()
                    else:
                        links.append([start, end, href, fragment.text()])
            it += 1
        block = block.next()
    return [tuple(link) for link in links]


class LinkPaneAccessible(QAccessibleWidget):
    """The reading view's viewport: the page's links are its children."""

    def __init__(self, viewport: QWidget, index: LinkIndex):
        super().__init__(viewport, Role.Client)
        self.index = index

    def childCount(self) -> int:
        return self.index.count()

    def child(self, number: int):
        link = self.index.link(number)
        return QAccessible.queryAccessibleInterface(link) if link is not None else None

    def indexOfChild(self, child) -> int:
        obj = child.object() if child is not None else None
        return obj.number if isinstance(obj, LinkObject) and obj.view is self.index.view else -1

    def childAt(self, x: int, y: int):
        viewport = self.widget()
        href = self.index.view.anchorAt(viewport.mapFromGlobal(QPoint(x, y)))
        if href:
            for number, (_s, _e, link_href, _t) in enumerate(self.index.ranges()):
                if link_href == href and self.index.rect(self.index.link(number)).contains(x, y):
                    return self.child(number)
        return None

    def focusChild(self):
        number = self.index.current() if self.index.view.hasFocus() else None
        return self.child(number) if number is not None else None


class LinkAccessible(QAccessibleObject, QAccessibleActionInterface):
    """One link: named by its text and where it goes; "press" follows it, as Enter does."""

    def __init__(self, link: LinkObject):
        QAccessibleObject.__init__(self, link)
        QAccessibleActionInterface.__init__(self)
        self.link = link

    def _index(self) -> LinkIndex | None:
        return LinkIndex.of(self.link.view)

    def interface_cast(self, t):
        if t == QAccessible.InterfaceType.ActionInterface:
            return _action_pointer(self)
        return _null()

    def isValid(self) -> bool:
        return shiboken6.isValid(self.link) and self._index() is not None

    def role(self):
        return Role.Link

    def text(self, t):
        index = self._index()
        if index is None:
            return ""
        if t == Text.Name:
            return index.name(self.link)
        if t == Text.Description:
            return index.description(self.link)
        if t == Text.Value:
            return self.link.href
        return ""

    def setText(self, t, text) -> None:
        pass

    def state(self):
        state = QAccessible.State()
        state.focusable = True
        state.linked = True
        index = self._index()
        if index is None:
            state.invalid = True
            return state
        view = self.link.view
        state.focused = view.hasFocus() and index.current() == self.link.number
        state.disabled = not view.isEnabled()
        visible = view.isVisible()
        state.invisible = not visible
        viewport = QRect(view.viewport().mapToGlobal(QPoint(0, 0)), view.viewport().size())
        state.offscreen = not visible or not viewport.intersects(index.rect(self.link))
        return state

    def rect(self):
        index = self._index()
        return index.rect(self.link) if index is not None else QRect()

    def parent(self):
        return QAccessible.queryAccessibleInterface(self.link.view.viewport())

    def window(self):
        return self.link.view.window().windowHandle()

    def childCount(self) -> int:
        return 0

    def child(self, number: int):
        return None

    def indexOfChild(self, child) -> int:
        return -1

    def childAt(self, x: int, y: int):
        return None

    def focusChild(self):
        return None

    def relations(self, match=QAccessible.RelationFlag.AllRelations):
        return []

    # Action interface
    def actionNames(self):
        return [QAccessibleActionInterface.pressAction(), QAccessibleActionInterface.setFocusAction()]

    def localizedActionDescription(self, name: str) -> str:
        return {QAccessibleActionInterface.pressAction(): _("Follow the link"),
                QAccessibleActionInterface.setFocusAction(): _("Move to the link")}.get(name, "")

    def doAction(self, name: str) -> None:
        index = self._index()
        if index is None:
            return
        if name == QAccessibleActionInterface.setFocusAction():
            index.focus(self.link)
        elif name == QAccessibleActionInterface.pressAction():
            index.focus(self.link)
            index.view.anchorClicked.emit(QUrl(self.link.href))

    def keyBindingsForAction(self, name: str):
        return ["Return"] if name == QAccessibleActionInterface.pressAction() else []

