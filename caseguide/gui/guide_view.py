"""The reading view: a QTextBrowser that loads nothing it should not.

Links are never followed by Qt itself: the window decides what each click
means. Resources load only through :meth:`GuideView.loadResource`, which hands
out image files from inside the current guide's own pack (via the core's
checks) and small inline images, and nothing else: no network, no other files.
"""

from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QAccessible, QColor, QImage, QPalette, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextBrowser

from ..guides.markup import data_image_bytes
from ..guides.render import STYLESHEET
from ..i18n import _
from .accessibility import announce
from .page_index import Link, heading_at, next_after
from .reading_access import PageIndex
from .style import luminance

MIN_ZOOM, MAX_ZOOM = -4, 12
READING_WIDTH = 860  # pixels of text per line at normal size: about 90 characters
MIN_MARGIN = 20


def load_resource(library, pack_id: str | None, kind, url: QUrl) -> QImage:
    """The one gate for anything a guide's HTML asks Qt to load.

    Images inside the pack *pack_id* (any pack the library holds if None: a
    handout's own HTML names each image's pack) through the core's checks, and
    small inline images; for everything else an empty image, which Qt takes
    as an answer, so it never goes looking itself.
    """
    if kind != QTextDocument.ResourceType.ImageResource:
        return QImage()  # stylesheets, other documents: nothing
    text = url.toString()
    if text.startswith("data:"):
        data = data_image_bytes(text)
        return QImage.fromData(data) if data else QImage()
    if library is None:
        return QImage()
    owner = pack_id if pack_id is not None else text.partition(":")[2].partition("/")[0]
    data = library.read_image(text, owner) if owner else None
    return QImage.fromData(data) if data else QImage()


class SafeDocument(QTextDocument):
    """A QTextDocument (for printing) that loads resources only through :func:`load_resource`."""

    def __init__(self, library=None, parent=None):
        super().__init__(parent)
        self._library = library

    def loadResource(self, kind, url: QUrl):
        return load_resource(self._library, None, kind, url)


def paper(palette: QPalette) -> QPalette:
    """The reading view's colours: a light page whatever the theme, because a guide's own colours
    (grey notes, blue links, a pale yellow warning box) are chosen to be read on white."""
    if luminance(palette.color(QPalette.ColorRole.Base)) >= 0.5:
        return palette
    palette = palette.__copy__()  # not QPalette(palette): see style.readable_palette
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Base, QColor("#ffffff"))
        palette.setColor(group, QPalette.ColorRole.Text, QColor("#000000"))
        palette.setColor(group, QPalette.ColorRole.Link, QColor("#0b57a4"))
    return palette


class GuideView(QTextBrowser):
    linkActivated = Signal(QUrl)

    def __init__(self, library, parent=None, shared: bool = False):
        super().__init__(parent)
        self._library = library
        self._shared = shared
        self._pack_id = ""
        self.zoom_steps = 0
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.document().setDefaultStyleSheet(STYLESHEET)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)
        self.setPalette(paper(self.palette()))
        self._title = ""
        self.page_index = PageIndex(self, self.describe_link)
        self.retranslate()
        self.anchorClicked.connect(self.linkActivated)

    def retranslate(self) -> None:
        # A screen reader calls the view by what is open: "Registering with a GP document".
        self.setAccessibleName(self._title or _("Home page"))
        self.setAccessibleDescription(_("H and Shift+H move by heading, K by link, Tab from link to link."))

    def describe_link(self, href: str) -> tuple[str, str]:
        """Where a link goes, for a screen reader: ("guide", its title), ("website", the address)..."""
        url = QUrl(href)
        scheme = url.scheme().lower()
        if scheme == "guide":
            guide = self._library.guides.get(url.path()) if self._library is not None else None
            return (_("guide"), guide.title) if guide is not None else (_("guide not in this library"), "")
        if scheme in ("http", "https"):
            # as the website box shows it: encoded, so what is read out is what would open
            return _("website"), url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
        if scheme == "mailto":
            return _("email address"), url.path()
        if scheme == "tel":
            return _("phone number"), url.path()
        if not scheme and url.hasFragment():
            return _("part of this page"), ""
        return "", ""

    def set_library(self, library) -> None:
        self._library = library

    def show_page(self, html: str, pack_id: str = "", title: str = "") -> None:
        """Show core-made, sanitized HTML; *pack_id* is the pack its images may come from, *title* the
        guide's (none for the home page)."""
        self._pack_id = pack_id
        self._title = title
        self.setAccessibleName(title or _("Home page"))
        self.document().clear()
        self.setHtml(html)
        self.page_index.page_changed()
        self._fit_margin()
        self.verticalScrollBar().setValue(0)

    def loadResource(self, kind, url: QUrl):
        return load_resource(self._library, self._pack_id, kind, url)

    def context_menu(self, position):
        """Qt's menu for the reading view; on a shared PC without "Copy Link Location": a visitor copies
        only what they selected themselves (End session empties the clipboard for the next person)."""
        menu = self.createStandardContextMenu(position)
        if self._shared:
            for action in menu.actions():
                if action.objectName() == "link-copy":
                    menu.removeAction(action)
        return menu

    def contextMenuEvent(self, event) -> None:
        menu = self.context_menu(event.pos())
        menu.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())

    # The keyboard in the page -----------------------------------------------------------

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 - Qt's name
        """Tab goes to the next link (as Qt's own does), then out of the view, the caret going back to the
        top as Qt's does (F6 back and Tab finds the first link again; Shift+Tab back in starts at the
        end: focusInEvent); a screen reader is told of each link before the caret moves onto it
        (reading_access.PageIndex.go)."""
        if self.hasFocus():
            if self.move_to("link", next, quiet=True):
                return True
            cursor = self.textCursor()
            cursor.movePosition(QTextCursor.MoveOperation.Start)
            self.setTextCursor(cursor)
        return super(QTextBrowser, self).focusNextPrevChild(next)

    def move_to(self, kind: str, forward: bool, quiet: bool = False) -> bool:
        """Take the keyboard to the next (or previous) heading or link after the caret, or after the
        heading or link it is on; False if there is none that way (a screen reader hears so, unless
        *quiet*)."""
        index = self.page_index
        items = index.headings() if kind == "heading" else index.links()
        here = index.current_item()
        cursor = self.textCursor()
        if here is not None:
            position = here.start
        elif forward:  # a link that starts at the caret is next; a heading there is the one it is in
            position = cursor.selectionEnd() - (1 if kind == "link" else 0)
        else:
            position = cursor.selectionStart()
        number = next_after(items, position, forward)
        if number is None:
            if not quiet:
                announce(self, _("No more headings.") if kind == "heading" else _("No more links."))
            return False
        index.go(items[number])
        return True

    def arrow_into_heading(self, forward: bool) -> bool:
        """Up or Down, with a screen reader running, onto a heading: the keyboard goes to the heading
        (PageIndex.go), so it is read with its level; False when the arrow lands anywhere else."""
        probe = QTextCursor(self.textCursor())
        probe.clearSelection()
        if not probe.movePosition(QTextCursor.MoveOperation.Down if forward else QTextCursor.MoveOperation.Up):
            return False
        index = self.page_index
        number = heading_at(index.headings(), probe.position())
        if number is None or index.current_item() is index.headings()[number]:
            return False
        index.go(index.headings()[number])
        return True

    def keyPressEvent(self, event) -> None:
        key, modifiers = event.key(), event.modifiers()
        plain = modifiers in (QtCore.Qt.KeyboardModifier.NoModifier, QtCore.Qt.KeyboardModifier.KeypadModifier)
        shift = modifiers == QtCore.Qt.KeyboardModifier.ShiftModifier
        link = self.page_index.current_item()
        if plain and key in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter) and isinstance(link, Link):
            self.anchorClicked.emit(QUrl(link.href))  # the link Tab, K or the Links list went to
            return
        if (plain or shift) and key in (QtCore.Qt.Key.Key_H, QtCore.Qt.Key.Key_K):
            self.move_to("heading" if key == QtCore.Qt.Key.Key_H else "link", forward=plain)
            return
        if (plain and key in (QtCore.Qt.Key.Key_Up, QtCore.Qt.Key.Key_Down) and QAccessible.isActive()
                and self.arrow_into_heading(key == QtCore.Qt.Key.Key_Down)):
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:
        # With a screen reader the page has a caret, which the arrow keys move and the reader reads from;
        # without one, the arrow keys scroll, as they always have.
        flags = QtCore.Qt.TextInteractionFlag.TextBrowserInteraction
        if QAccessible.isActive():
            flags |= QtCore.Qt.TextInteractionFlag.TextSelectableByKeyboard
        self.setTextInteractionFlags(flags)
        # Tab into the page starts at its top (the next Tab is its first link), Shift+Tab at its end.
        reason = event.reason()
        if reason in (QtCore.Qt.FocusReason.TabFocusReason, QtCore.Qt.FocusReason.BacktabFocusReason):
            cursor = self.textCursor()
            cursor.movePosition(QTextCursor.MoveOperation.Start if reason == QtCore.Qt.FocusReason.TabFocusReason
                                else QTextCursor.MoveOperation.End)
            self.setTextCursor(cursor)
        super().focusInEvent(event)

    def _fit_margin(self) -> None:
        # Keep lines to a comfortable length on wide screens: centre the text column.
        spare = self.viewport().width() - READING_WIDTH * (1 + 0.1 * self.zoom_steps)
        self.document().setDocumentMargin(max(MIN_MARGIN, int(spare / 2)))

    def resizeEvent(self, event) -> None:
        self._fit_margin()
        super().resizeEvent(event)

    # Zoom: text size only, so layout reflows -------------------------------

    def zoom_by(self, steps: int) -> None:
        target = max(MIN_ZOOM, min(MAX_ZOOM, self.zoom_steps + steps))
        delta = target - self.zoom_steps
        if delta > 0:
            self.zoomIn(delta)
        elif delta < 0:
            self.zoomOut(-delta)
        self.zoom_steps = target
        self._fit_margin()

    def reset_zoom(self) -> None:
        self.zoom_by(-self.zoom_steps)
