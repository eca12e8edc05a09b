"""What a screen reader is told of the reading view: a document, named by what is open, whose
text is read from the caret, with its headings and links as objects of their own.

Qt gives a read-only QTextBrowser the role of a label (Orca said "Guide label." and nothing
else), so the view gets an interface of ours: the Document role, the open guide's title as its
name, and Qt's own text interface for it, borrowed (PySide cannot implement one that is whole:
QAccessibleTextInterface's attributes() and textAtOffset() are not bound, and Orca says nothing of
a line whose attributes a Python interface cannot give). See :func:`factory`.

Each heading (role Heading, with its level) and each link (role Link, named by where it goes,
with a "press" action) is a child object of the view's viewport, in reading order. When the
keyboard takes the caret to one (Tab, H, K, Up and Down, the Headings and Links lists), the screen
reader is told that object has the focus *before* the caret moves, and the document reports no
focus of its own meanwhile: Orca then says the heading with its level, or the link with where it
goes, once, and not the bare line as well. See :class:`PageIndex`.

Everything here is made only when an assistive technology asks, so it costs nothing when none runs.
"""

from __future__ import annotations

import re

import shiboken6
from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QTimer, QUrl
from PySide6.QtGui import (
    QAccessible,
    QAccessibleActionInterface,
    QAccessibleAttributesInterface,
    QAccessibleEvent,
    QAccessibleObject,
    QAccessibleStateChangeEvent,
    QPalette,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QAccessibleWidget, QTextEdit, QWidget

from ..display import clean_text
from ..i18n import _
from .page_index import Heading, Link, find_headings, find_links

Role = QAccessible.Role
Text = QAccessible.Text
Interface = QAccessible.InterfaceType

def _null():
    return shiboken6.VoidPtr(0)


def part(interface, number: int) -> shiboken6.VoidPtr:
    """The address of *interface*'s *number*th C++ base: a Python class with several Qt bases is
    one C++ object per base, in the order the class names them."""
    return shiboken6.VoidPtr(shiboken6.getCppPointer(interface)[number])


class Leaf:
    """What an accessible object with no children of its own answers (a heading, a link, a notice):
    put before the Qt interface class it is mixed into."""

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


class PageItem(QObject):
    """One heading or link of the page in a reading view, as an object a screen reader can ask about."""

    def __init__(self, view, number: int, item: Heading | Link):
        super().__init__(view)
        self.view, self.number, self.item = view, number, item


class PageIndex(QObject):
    """The headings and links of the page in a reading view, in reading order, and which of them the
    keyboard is on. *describe(href)* says where a link goes: ``(where, detail)``, for example
    ``("guide", "Registering with a GP")``. Call :meth:`page_changed` after a new page is shown."""

    _by_view: dict[int, PageIndex] = {}

    def __init__(self, view, describe):
        super().__init__(view)
        self.view = view
        self.describe = describe
        self._headings: list[Heading] | None = None
        self._links: list[Link] | None = None
        self._items: list[Heading | Link] | None = None
        self._objects: dict[int, PageItem] = {}
        self._current: int | None = None  # the item the keyboard went to, while the caret stays on it
        key = id(view)
        PageIndex._by_view[key] = self
        view.destroyed.connect(lambda *_: PageIndex._by_view.pop(key, None))
        view.installEventFilter(self)
        view.cursorPositionChanged.connect(self._caret_moved)

    @classmethod
    def of(cls, view) -> PageIndex | None:
        return cls._by_view.get(id(view))

    # What is on the page ---------------------------------------------------------------

    def headings(self) -> list[Heading]:
        if self._headings is None:
            self._headings = find_headings(self.view.document())
        return self._headings

    def links(self) -> list[Link]:
        if self._links is None:
            self._links = find_links(self.view.document())
        return self._links

    def items(self) -> list[Heading | Link]:
        """Headings and links together, as they come on the page."""
        if self._items is None:
            self._items = sorted(self.headings() + self.links(), key=lambda i: (i.start, isinstance(i, Link)))
        return self._items

    def obj(self, number: int) -> PageItem | None:
        items = self.items()
        if not 0 <= number < len(items):
            return None
        found = self._objects.get(number)
        if found is None:
            found = self._objects[number] = PageItem(self.view, number, items[number])
        return found

    def number(self, item: Heading | Link) -> int:
        return self.items().index(item)

    def name(self, item: Heading | Link) -> str:
        if isinstance(item, Heading):
            return clean_text(item.text)
        where, _detail = self.describe(item.href)
        text = " ".join(clean_text(item.text).split()) or clean_text(item.href)
        if where and not re.search(rf"\b{re.escape(where)}\b", text, re.IGNORECASE):
            return f"{text} ({where})"
        return text

    def description(self, item: Heading | Link) -> str:
        if isinstance(item, Heading):
            return ""
        where, detail = self.describe(item.href)
        return f"{where[:1].upper()}{where[1:]}: {clean_text(detail)}" if detail else ""

    def page_changed(self) -> None:
        """Forget the old page's headings and links (their objects go); tell a screen reader."""
        for obj in self._objects.values():
            obj.setParent(None)
            shiboken6.delete(obj)
        self._objects.clear()
        self._headings = self._links = self._items = None
        self.leave()
        if QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleEvent(self.view.viewport(), QAccessible.Event.ObjectReorder))

    # Where the keyboard is -----------------------------------------------------------------

    def current(self) -> int | None:
        """The item (its number in items()) the keyboard is on, if the caret is still on it."""
        return self._current

    def current_item(self) -> Heading | Link | None:
        return self.items()[self._current] if self._current is not None else None

    def go(self, item: Heading | Link, tell: bool = True) -> None:
        """Take the keyboard to *item*: the caret to its start, and a link shown as selected (Enter
        follows it, as after Tab). The screen reader hears of it first, so it says the heading with its
        level (or the link with where it goes), and not the bare line as well.

        A link is highlighted, not selected: Orca reads out every change of a text selection ("…
        selected", "unselected"), which Qt's own Tab to a link (a selection) made it say each time."""
        number = self.number(item)
        self._current = number
        self._tell_on_focus = False
        if tell and QAccessible.isActive():
            if self.view.hasFocus():
                self._tell()
            else:  # the window is not active yet (a dialog closing): when the page has the focus again
                self._tell_on_focus = True
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(item.start)
        self._moving = True
        try:
            self.view.setTextCursor(cursor)
        finally:
            self._moving = False
        self._highlight(item)
        self.view.ensureCursorVisible()

    def _highlight(self, item: Heading | Link | None) -> None:
        """Show the link the keyboard is on in the selection's colours (nothing for a heading)."""
        selections = []
        if isinstance(item, Link):
            highlight = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.view.document())
            cursor.setPosition(item.start)
            cursor.setPosition(item.end, QTextCursor.MoveMode.KeepAnchor)
            highlight.cursor = cursor
            colours = QTextCharFormat()
            palette = self.view.palette()
            colours.setBackground(palette.brush(QPalette.ColorRole.Highlight))
            colours.setForeground(palette.brush(QPalette.ColorRole.HighlightedText))
            highlight.format = colours
            selections.append(highlight)
        self.view.setExtraSelections(selections)

    _moving = False
    _tell_on_focus = False

    def _tell(self) -> None:
        """The heading or link has the focus, and the page no longer: said in that order, so the caret's
        own move, which follows, is not read out as well."""
        if self._current is not None and self.view.hasFocus():
            self._page_focus_changed()
            QAccessible.updateAccessibility(QAccessibleEvent(self.obj(self._current), QAccessible.Event.Focus))

    def _page_focus_changed(self) -> None:
        """Tell a screen reader the page's own focus changed (DocumentAccessible.state says which way)."""
        changed = QAccessible.State()
        changed.focused = True
        QAccessible.updateAccessibility(QAccessibleStateChangeEvent(self.view, changed))

    def _caret_moved(self) -> None:
        """The caret left the item the keyboard went to (a click, an arrow key, Orca's Say All)."""
        if self._moving or self._current is None:
            return
        item = self.items()[self._current]
        cursor = self.view.textCursor()
        if cursor.hasSelection() or not item.start <= cursor.position() <= item.end \
                or isinstance(item, Link) and cursor.position() != item.start:
            self.leave()

    def leave(self) -> None:
        """The keyboard is on no heading or link any more. If the page still has the focus, a screen
        reader is told the page has it again, just after the caret's own move (which it then reads):
        telling it first would have it announce the whole page again."""
        if self._current is not None:
            self._current = None
            self._highlight(None)
            if QAccessible.isActive() and self.view.hasFocus():
                QTimer.singleShot(0, self._page_focused)

    def _page_focused(self) -> None:
        if self._current is None and self.view.hasFocus():
            self._page_focus_changed()

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.FocusOut and event.reason() != QtCore.Qt.FocusReason.PopupFocusReason:
            self.leave()
        elif event.type() == QEvent.Type.FocusIn and self._tell_on_focus:
            self._tell_on_focus = False
            QTimer.singleShot(0, self._tell)  # after Qt has told of the page itself taking the focus
        return False

    def rect(self, item: Heading | Link) -> QRect:
        """Where *item* is on screen (its first line; the lines it spans if several)."""
        view = self.view
        cursor = QTextCursor(view.document())
        cursor.setPosition(item.start)
        first = view.cursorRect(cursor)
        cursor.setPosition(item.end)
        last = view.cursorRect(cursor)
        if last.top() == first.top():
            area = QRect(first.topLeft(), last.bottomRight())
        else:
            area = QRect(QPoint(0, first.top()), QPoint(view.viewport().width(), last.bottom()))
        return QRect(view.viewport().mapToGlobal(area.topLeft()), area.size())


# The interfaces ----------------------------------------------------------------------------------

_borrowing = False


def borrowing() -> bool:
    """True while Qt makes its own interface for a reading view (every factory of ours stands aside)."""
    return _borrowing


def factory(obj: QObject):
    """The interface for *obj* if it is part of a reading view, else None (accessibility.install)."""
    global _borrowing
    if isinstance(obj, PageItem):
        return LinkAccessible(obj) if isinstance(obj.item, Link) else HeadingAccessible(obj)
    if isinstance(obj, QWidget):
        index = PageIndex.of(obj)
        if index is not None:
            # Qt's own interface for the view, made (and cached) first, lends its text to ours, which
            # then takes the view's place in the cache: what Qt's events and bridge ask for is ours.
            _borrowing = True
            try:
                qt_own = QAccessible.queryAccessibleInterface(obj)
            finally:
                _borrowing = False
            if qt_own is None or qt_own.textInterface() is None:
                return None
            return DocumentAccessible(obj, index, qt_own)
        parent = obj.parent()
        index = PageIndex.of(parent) if parent is not None else None
        if index is not None and obj is index.view.viewport():
            return PageAccessible(obj, index)
    return None


class DocumentAccessible(QAccessibleWidget):
    """The reading view: a read-only document named by what is open, its text read from the caret.

    Its text is Qt's own (*qt_own*: the interface Qt makes for any QTextEdit), whose lines are the
    lines on screen and whose text attributes are right; only its role, name, state and children
    are ours."""

    def __init__(self, view, index: PageIndex, qt_own):
        QAccessibleWidget.__init__(self, view, Role.Document)
        self.index = index
        self.qt_own = qt_own  # owned by Qt's cache of interfaces, as this one is
        self._text = shiboken6.VoidPtr(shiboken6.getCppPointer(qt_own.textInterface())[0])

    def interface_cast(self, t):
        return self._text if t == Interface.TextInterface else _null()

    def text(self, t):
        view = self.widget()
        if t == Text.Name:
            return view.accessibleName()
        if t == Text.Description:
            return view.accessibleDescription()
        return ""

    def state(self):
        state = QAccessibleWidget.state(self)
        state.readOnly = True
        state.multiLine = True
        state.selectableText = True
        # While the keyboard is on one of its headings or links, that object has the focus, not the page.
        state.focused = self.widget().hasFocus() and self.index.current() is None
        return state


class PageAccessible(QAccessibleWidget):
    """The reading view's viewport: the page's headings and links are its children, in reading order."""

    def __init__(self, viewport: QWidget, index: PageIndex):
        super().__init__(viewport, Role.Client)
        self.index = index

    def childCount(self) -> int:
        return len(self.index.items())

    def child(self, number: int):
        obj = self.index.obj(number)
        return QAccessible.queryAccessibleInterface(obj) if obj is not None else None

    def indexOfChild(self, child) -> int:
        obj = child.object() if child is not None else None
        return obj.number if isinstance(obj, PageItem) and obj.view is self.index.view else -1

    def childAt(self, x: int, y: int):
        for number, item in enumerate(self.index.items()):
            if self.index.rect(item).contains(x, y):
                return self.child(number)
        return None

    def focusChild(self):
        number = self.index.current() if self.index.view.hasFocus() else None
        return self.child(number) if number is not None else None


class ItemAccessible(Leaf, QAccessibleObject):
    """What headings and links share: where they are, whether the keyboard is on them."""

    role_of_item = Role.NoRole

    def __init__(self, obj: PageItem):
        QAccessibleObject.__init__(self, obj)
        self.page_item = obj

    def index(self) -> PageIndex | None:
        return PageIndex.of(self.page_item.view)

    def isValid(self) -> bool:
        return shiboken6.isValid(self.page_item) and self.index() is not None

    def role(self):
        return self.role_of_item

    def text(self, t):
        index = self.index()
        if index is None:
            return ""
        if t == Text.Name:
            return index.name(self.page_item.item)
        if t == Text.Description:
            return index.description(self.page_item.item)
        return ""

    def setText(self, t, text) -> None:
        pass

    def state(self):
        state = QAccessible.State()
        index = self.index()
        if index is None:
            state.invalid = True
            return state
        view = self.page_item.view
        state.focused = view.hasFocus() and index.current() == self.page_item.number
        state.disabled = not view.isEnabled()
        visible = view.isVisible()
        state.invisible = not visible
        viewport = QRect(view.viewport().mapToGlobal(QPoint(0, 0)), view.viewport().size())
        state.offscreen = not visible or not viewport.intersects(index.rect(self.page_item.item))
        return state

    def rect(self):
        index = self.index()
        return index.rect(self.page_item.item) if index is not None else QRect()

    def parent(self):
        return QAccessible.queryAccessibleInterface(self.page_item.view.viewport())

    def window(self):
        return self.page_item.view.window().windowHandle()


class HeadingAccessible(ItemAccessible, QAccessibleAttributesInterface):
    """A heading, named by its text, with its level (Orca: "What this means for you heading level 2")."""

    role_of_item = Role.Heading

    def __init__(self, obj: PageItem):
        ItemAccessible.__init__(self, obj)
        QAccessibleAttributesInterface.__init__(self)

    def interface_cast(self, t):
        return part(self, 1) if t == Interface.AttributesInterface else _null()

    def attributeKeys(self):
        return [QAccessible.Attribute.Level]

    def attributeValue(self, key):
        return self.page_item.item.level if key == QAccessible.Attribute.Level else None


class LinkAccessible(ItemAccessible, QAccessibleActionInterface):
    """A link: named by its text and where it goes; "press" follows it, as Enter does."""

    role_of_item = Role.Link

    def __init__(self, obj: PageItem):
        ItemAccessible.__init__(self, obj)
        QAccessibleActionInterface.__init__(self)

    def interface_cast(self, t):
        return part(self, 1) if t == Interface.ActionInterface else _null()

    def text(self, t):
        if t == Text.Value:
            return self.page_item.item.href
        return ItemAccessible.text(self, t)

    def state(self):
        state = ItemAccessible.state(self)
        state.focusable = True
        state.linked = True
        return state

    def actionNames(self):
        return [QAccessibleActionInterface.pressAction(), QAccessibleActionInterface.setFocusAction()]

    def localizedActionDescription(self, name: str) -> str:
        return {QAccessibleActionInterface.pressAction(): _("Follow the link"),
                QAccessibleActionInterface.setFocusAction(): _("Move to the link")}.get(name, "")

    def doAction(self, name: str) -> None:
        index = self.index()
        if index is None:
            return
        link = self.page_item.item
        if name in (QAccessibleActionInterface.setFocusAction(), QAccessibleActionInterface.pressAction()):
            index.view.setFocus()
            index.go(link, tell=False)
        if name == QAccessibleActionInterface.pressAction():
            index.view.anchorClicked.emit(QUrl(link.href))

    def keyBindingsForAction(self, name: str):
        return ["Return"] if name == QAccessibleActionInterface.pressAction() else []
