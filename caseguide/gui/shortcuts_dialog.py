"""Help > Keyboard shortcuts: every key the window answers to, in a dialog that does not block."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from .. import APP_NAME
from ..i18n import N_, _

# Keys that are not menu commands: Qt's own, and the ones the window watches for itself.
OTHER_KEYS = [
    (N_("Tab / Shift+Tab"), N_("Next / previous control. In a guide: next / previous link")),
    (N_("H / Shift+H (in a guide)"), N_("Next / previous heading")),
    (N_("K / Shift+K (in a guide)"), N_("Next / previous link")),
    (N_("Enter"), N_("Open the selected guide; in a guide, follow the selected link")),
    (N_("Arrow keys"), N_("Move within the library, the results and tables; open and close a library section")),
    (N_("Down arrow (in the search box)"), N_("Move into the results")),
    (N_("Esc (in the search box)"), N_("Clear the search")),
    (N_("Shift, three times"), N_("Quick exit, like the Quick exit button")),
    (N_("Alt"), N_("The menus; Alt with an underlined letter chooses that menu or control")),
    (N_("Space"), N_("Press the button, or tick the box, that has the focus")),
    (N_("Ctrl+Tab / Ctrl+Shift+Tab"), N_("Next / previous tab (Content packs)")),
    (N_("Esc (in a dialog)"), N_("Close the dialog")),
]


def plain(text: str) -> str:
    """A menu text as a person reads it: no '&' marking the underlined letter, no trailing '…'."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def key_text(sequence: QKeySequence) -> str:
    """A key sequence as a person reads it; a special key of its own (Back, Zoom In) says "key"."""
    text = sequence.toString(QKeySequence.SequenceFormat.NativeText)
    special = len(text) > 1 and "+" not in text.rstrip("+") and not re.fullmatch(r"F\d+", text)
    return _("{key} key").format(key=text) if special else text


def shortcut_rows(actions: dict) -> list[tuple[str, str]]:
    """(keys, what they do) for every action with a shortcut, in menu order, then the other keys."""
    rows = []
    for action in actions.values():
        keys = [key_text(s) for s in action.shortcuts()]
        keys = [k for k in keys if k]
        if keys and action.isVisible():
            rows.append((_(" or ").join(keys), plain(action.text())))
    return rows + [(_(keys), _(what)) for keys, what in OTHER_KEYS]


class ShortcutsDialog(QDialog):
    """A table of keys and what they do; stays open beside the window (``show()``, not ``exec()``)."""

    def __init__(self, rows: list[tuple[str, str]], parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Keyboard shortcuts") + f" – {APP_NAME}")
        self.resize(640, 560)
        intro = QLabel(_("Every part of CaseGuide works from the keyboard. F6 moves between the toolbar, "
                       "the search box, the library or results, and the guide."))
        intro.setWordWrap(True)
        self.table = QTableWidget(len(rows), 2)
        self.table.setAccessibleName(_("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([_("Keys"), _("What they do")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for n, (keys, what) in enumerate(rows):
            for column, text in enumerate((keys, what)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(n, column, item)
        self.table.resizeRowsToContents()
        self.table.setCurrentCell(0, 0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def rows(self) -> list[tuple[str, str]]:
        return [(self.table.item(n, 0).text(), self.table.item(n, 1).text()) for n in range(self.table.rowCount())]
