"""Guide > Headings (Ctrl+Shift+H) and Guide > Links in this guide (Ctrl+Shift+L).

A long guide is skimmed by its headings and its links. Orca can list them only in a web page (its
structural navigation and lists are not offered for a Qt window), and NVDA and Narrator have no
such list for one either, so CaseGuide has its own: a dialog with a named list; Enter goes to the
chosen heading, or follows the chosen link ("Move to link" only takes the keyboard there).
"""

from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtCore import QObject, QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout

from .. import APP_NAME
from ..i18n import _
from .accessibility import announce
from .page_index import Heading, Link


class PageListDialog(QDialog):
    """The headings or the links of the page in a list; *go(item)* and *follow(item)* do the choosing."""

    def __init__(self, kind: str, items, index, go, follow=None, parent=None):
        super().__init__(parent)
        self.kind, self.items, self._go, self._follow = kind, list(items), go, follow
        headings = kind == "heading"
        self.setWindowTitle((_("Headings") if headings else _("Links in this guide")) + f" – {APP_NAME}")
        self.resize(560, 480)
        intro = QLabel(_("Enter goes to the heading you choose.") if headings else
                       _("Enter follows the link you choose; Move to link only takes you to it in the guide."))
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Headings") if headings else _("Links"))
        for item in self.items:
            self.list.addItem(self._row(item, index))
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.choose(follow=not headings))
        buttons = QDialogButtonBox()  # Tab goes from the list to what it does, then to Close
        if headings:
            self.go_button = buttons.addButton(_("&Go to heading"), QDialogButtonBox.ButtonRole.AcceptRole)
            self.go_button.clicked.connect(lambda: self.choose(follow=False))
        else:
            self.follow_button = buttons.addButton(_("&Follow link"), QDialogButtonBox.ButtonRole.AcceptRole)
            self.follow_button.clicked.connect(lambda: self.choose(follow=True))
            self.go_button = buttons.addButton(_("&Move to link"), QDialogButtonBox.ButtonRole.ActionRole)
            self.go_button.clicked.connect(lambda: self.choose(follow=False))
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        self.list.setFocus()

    @staticmethod
    def _row(item, index) -> QListWidgetItem:
        """A heading indented by its level and read with it; a link by its name and where it goes."""
        if isinstance(item, Heading):
            row = QListWidgetItem("    " * (item.level - 1) + item.text)
            row.setData(QtCore.Qt.ItemDataRole.AccessibleTextRole,
                        _("{heading}, level {level}").format(heading=index.name(item), level=item.level))
        else:
            name, where = index.name(item), index.description(item)
            row = QListWidgetItem(f"{name}\n    {where}" if where else name)
            row.setData(QtCore.Qt.ItemDataRole.AccessibleTextRole, name)
            if where:
                row.setData(QtCore.Qt.ItemDataRole.AccessibleDescriptionRole, where)
        return row

    def chosen(self) -> Heading | Link | None:
        row = self.list.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def choose(self, follow: bool) -> None:
        item = self.chosen()
        if item is None:
            return
        self.accept()
        if follow and self._follow is not None and isinstance(item, Link):
            self._follow(item)
        else:
            self._go(item)


class PageLists(QObject):
    """Opens the lists for the reading view *view*; *follow(url)* follows a link as a click would."""

    def __init__(self, view, follow, parent=None):
        super().__init__(parent)
        self.view, self.follow = view, follow
        self.dialog: PageListDialog | None = None

    def show_headings(self) -> PageListDialog | None:
        return self._show("heading")

    def show_links(self) -> PageListDialog | None:
        return self._show("link")

    def _show(self, kind: str) -> PageListDialog | None:
        index = self.view.page_index
        items = index.headings() if kind == "heading" else index.links()
        if not items:
            message = _("This page has no headings.") if kind == "heading" else _("This page has no links.")
            window = self.view.window()
            window.statusBar().showMessage(message, 8000)
            announce(window, message)
            return None
        if self.dialog is not None:
            self.dialog.close()
        dialog = self.dialog = PageListDialog(kind, items, index, self._go,
                                              lambda link: self.follow(QUrl(link.href)), self.view.window())
        dialog.destroyed.connect(lambda *_: setattr(self, "dialog", None) if self.dialog is dialog else None)
        dialog.open()
        return dialog

    def _go(self, item) -> None:
        """Back in the guide, the keyboard on *item* (a screen reader says it once the guide has the focus)."""
        self.view.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
        self.view.page_index.go(item)
