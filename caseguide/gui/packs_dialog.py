"""Library > Content packs: what is installed, install from a file, remove, and trusted publishers."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .. import APP_NAME
from ..errors import CaseGuideError
from ..i18n import N_, _, ngettext
from ..library import install
from ..packs import SUFFIX, trust
from ..packs.store import packs_by_signer
from ..search.query import prepare_index
from .accessibility import announce
from .keyboard import chain_tab_order
from .tasks import Task

COLUMNS = (N_("Pack"), N_("Version"), N_("Publisher"), N_("Installed"), N_("Guides"), N_("For"))
KEY_COLUMNS = (N_("Publisher"), N_("Fingerprint"), N_("For"), N_("Packs it signed"))
SCOPE_WORDS = {"bundled": N_("Built in"), "system": N_("Everyone on this PC"), "user": N_("You"), "local": N_("Preview")}
NO_KEYS = N_("No publishers are trusted yet, so no pack can be installed.\n\nTo add one, get the publisher's "
             ".pub file from them directly (not in the same email as a pack), then press "
             "\u201cAdd a publisher's key…\u201d below.")
MAX_NAME = 80


def publisher_row(key, signed, library) -> tuple[str, str, str, str]:
    """(publisher, fingerprint, for whom, packs it signed) for one trusted key: the publisher is the
    key's own comment, or else the publisher named by the packs it signed."""
    packs = [library.pack(entry.id) for entry in signed]
    publishers = sorted({p.publisher for p in packs if p is not None and p.publisher})
    if key.key.has_own_comment:
        name = key.key.comment
    elif publishers:
        name = ", ".join(publishers)
    else:
        name = _("Unknown publisher (no pack from this key is installed)")
    name = name if len(name) <= MAX_NAME else name[:MAX_NAME - 1] + "…"
    titles = [f"{p.title if p is not None else entry.id} {entry.version}" for entry, p in zip(signed, packs)]
    return name, key.key.fingerprint, _(SCOPE_WORDS[key.scope]), ", ".join(titles) or _("None yet")


def _cell(value: str, row_data) -> QTableWidgetItem:
    """A table cell; an empty one shows a dash and is read out as "none", never as nothing."""
    item = QTableWidgetItem(value or "–")
    if not value:
        item.setData(Qt.ItemDataRole.AccessibleTextRole, "none")
    item.setData(Qt.ItemDataRole.UserRole, row_data)
    return item


def _table(columns, name) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setTabKeyNavigation(False)  # Tab leaves the table (arrow keys move inside it)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class PacksDialog(QDialog):
    """Lists the packs of *current* (the window's CurrentLibrary), so it shows what the window
    shows; after an install or a removal it replaces that library, and every view follows."""

    def __init__(self, current, parent=None):
        super().__init__(parent)
        self.current = current
        self.remove_box: QMessageBox | None = None
        self.setWindowTitle(_("Content packs") + f" – {APP_NAME}")
        self.resize(820, 480)
        self.task: Task | None = None
        self._pending: install.InstallPlan | None = None  # checked, waiting for "Install this pack"

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Content packs and trusted publishers"))
        self.tabs.addTab(self._packs_tab(), _("&Packs"))
        self.tabs.addTab(self._trust_tab(), _("&Trusted publishers"))

        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(_("Progress"))
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.confirm = QPushButton(_("&Install this pack"))
        self.confirm.setAccessibleName(_("Install this pack"))
        self.confirm.hide()
        self.confirm.clicked.connect(self._install_pending)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.progress)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.confirm)
        layout.addLayout(row)
        layout.addWidget(buttons)
        # Tab goes down the dialog as it is laid out; the tabs come first (arrow keys or Ctrl+Tab switch).
        chain_tab_order([self.tabs.tabBar(), self.table, self.install_button, self.remove_button,
                         self.system_box, self.keys, self.add_key_button, self.remove_key_button,
                         self.confirm, self.close_button])
        self.tabs.tabBar().setFocus()
        self.status.hide()  # until there is something to say (an empty label is a nameless stop)
        self.refresh()
        current.changed.connect(lambda _library: self.refresh())

    # Tabs -------------------------------------------------------------------------

    def _packs_tab(self) -> QWidget:
        tab = QWidget()
        self.table = _table([_(c) for c in COLUMNS], _("Installed packs"))
        self.install_button = QPushButton(_("Install from &file…"))
        self.install_button.clicked.connect(self.choose_file)
        self.remove_button = QPushButton(_("&Remove"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.system_box = QCheckBox(_("For &everyone on this PC (needs administrator rights)"))
        self.system_box.setAccessibleName(_("Install for everyone on this PC"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.install_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.system_box)
        layout = QVBoxLayout(tab)
        hint = QLabel(_("Packs add or update guides. You can also drop a {suffix} file on the main window.").format(
            suffix=SUFFIX))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        return tab

    def _trust_tab(self) -> QWidget:
        tab = QWidget()
        self.keys = _table([_(c) for c in KEY_COLUMNS], _("Trusted publishers"))
        self.keys.itemSelectionChanged.connect(self._selection_changed)
        self.no_keys = QLabel(_(NO_KEYS))
        self.no_keys.setWordWrap(True)
        # Read by its text (a name would hide the instructions from a screen reader).
        self.no_keys.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_keys.setFrameShape(QFrame.Shape.StyledPanel)
        self.no_keys.setMinimumHeight(120)
        add = self.add_key_button = QPushButton(_("&Add a publisher's key…"))
        add.clicked.connect(self.choose_key)
        self.remove_key_button = QPushButton(_("Stop &trusting"))
        self.remove_key_button.clicked.connect(self.remove_key)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(self.remove_key_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(tab)
        hint = QLabel(_("Only packs signed by one of these keys can be installed. Get a publisher's .pub file "
                      "from them directly (not from the same email as the pack)."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.keys, 1)
        layout.addWidget(self.no_keys, 1)  # one or the other fills the room under the hint
        layout.addLayout(buttons)
        return tab

    def refresh(self) -> None:
        rows = install.list_packs(self.current.library)
        self.table.setRowCount(len(rows))
        for n, row in enumerate(rows):
            installed = "" if row.installed in ("", "bundled") else row.installed[:10]
            values = (row.title, row.version, row.publisher, installed, str(row.guides),
                      _(SCOPE_WORDS[row.scope]) if row.scope in SCOPE_WORDS else row.scope)
            for column, value in enumerate(values):
                self.table.setItem(n, column, _cell(value, (row.id, row.scope)))
        keys = trust.trusted_keys()
        signed = packs_by_signer()
        self.keys.clearSelection()
        self.keys.setRowCount(len(keys))
        for n, key in enumerate(keys):
            for column, value in enumerate(publisher_row(key, signed.get(key.id, []), self.current.library)):
                self.keys.setItem(n, column, _cell(value, (key.id, key.scope)))
        self.keys.setVisible(bool(keys))
        self.no_keys.setVisible(not keys)
        # What a screen reader adds to "Installed packs, table with 2 rows": how many of each there are.
        self.table.setAccessibleDescription(ngettext("{n} pack installed.", "{n} packs installed.",
                                                     len(rows)).format(n=len(rows)))
        self.keys.setAccessibleDescription(ngettext("{n} publisher trusted.", "{n} publishers trusted.",
                                                    len(keys)).format(n=len(keys)))
        self._selection_changed()

    def _selected(self, table) -> tuple[str, str] | None:
        items = table.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def _selection_changed(self) -> None:
        chosen = self._selected(self.table)
        self.remove_button.setEnabled(bool(chosen) and chosen[1] in ("user", "system") and not self.busy())
        self.remove_key_button.setEnabled(self._selected(self.keys) is not None)

    def busy(self) -> bool:
        return self.task is not None and self.task.is_running()

    def say(self, text: str, problem: bool = False) -> None:
        """Show *text* under the tabs; a screen reader hears it too, wherever the focus is."""
        not_done = _("Not done.")
        self.status.setText((f"<b>{html.escape(not_done)}</b> " if problem else "")
                            + html.escape(text).replace("\n", "<br/>"))
        self.status.setVisible(bool(text))
        announce(self.status, (f"{not_done} " if problem else "") + text)

    # Installing ---------------------------------------------------------------------

    def choose_file(self) -> None:
        dialog = QFileDialog(self, _("Choose a content pack"), "", _("CaseGuide packs") + f" (*{SUFFIX})")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda name: self.check_file(Path(name)))
        dialog.open()

    def check_file(self, path: Path) -> None:
        """Verify *path* off the UI thread and show what installing it would do."""
        if self.busy():
            return
        system = self.system_box.isChecked()
        self.confirm.hide()
        self._discard_pending()
        self._run(install.InstallPlan, self._checked, path=path, system=system, library=self.current.library)

    def hideEvent(self, event) -> None:
        self._discard_pending()  # a checked pack nobody installed is thrown away with the dialog
        self.confirm.hide()
        super().hideEvent(event)

    def _discard_pending(self) -> None:
        if self._pending is not None:
            self._pending.discard()
            self._pending = None

    def _checked(self, checked) -> None:
        """A pack checked and staged (an InstallPlan): say what installing it would do, and wait."""
        self._pending = checked
        verified, change = checked.verified, checked.change
        m = verified.manifest
        self.say(_("{title} {version}, from {publisher}, is signed by trusted key {key}.").format(
            title=m.title, version=m.version, publisher=m.publisher, key=verified.key_id) + "\n"
            + _("Installing it: {change}.").format(change=change.describe())
            + "".join(f"\n{note}." for note in change.notes))  # the core's words, as its refusals are
        self.confirm.show()
        self.confirm.setFocus()

    def _install_pending(self) -> None:
        if not self._pending or self.busy():
            return
        checked, self._pending = self._pending, None
        self.confirm.hide()
        # What was checked is what is installed: no second check, no second reading of its guides.
        self._run(lambda progress: checked.commit(prepare_index, progress), self._installed)

    def _installed(self, change) -> None:
        self.say(_("Installed: {change}.").format(change=change.describe()) + "".join(f"\n{note}." for note in change.notes))
        self._library_moved(change.library)

    def _run(self, function, on_done, **kwargs) -> None:
        self.progress.setValue(0)
        self.progress.show()
        self.say(_("Working…"))
        for button in (self.install_button, self.remove_button):
            button.setEnabled(False)
        self.task = Task(function, self, **kwargs)
        self.task.progress.connect(self._progress)
        self.task.finished.connect(lambda result: (self._task_over(), on_done(result)))
        self.task.failed.connect(self._failed)
        self.task.start()

    def _failed(self, message: str) -> None:
        self._task_over()
        self._discard_pending()
        self.say(message, problem=True)

    def _progress(self, text: str, fraction: float) -> None:
        self.progress.setValue(int(fraction * 100))
        self.progress.setFormat(_(text) + "… %p%")

    def _task_over(self) -> None:
        self.progress.hide()
        self.install_button.setEnabled(True)
        self._selection_changed()

    # Removing -------------------------------------------------------------------------

    def remove_selected(self) -> None:
        chosen = self._selected(self.table)
        if not chosen or self.busy():
            return
        pack_id, scope = chosen
        box = QMessageBox(QMessageBox.Icon.Question, _("Remove a pack") + f" – {APP_NAME}",
                          (_("Remove the pack {pack}? Its guides leave the library for everyone on this PC.")
                           if scope == "system" else _("Remove the pack {pack}? Its guides leave the library."))
                          .format(pack=pack_id), parent=self)
        remove = box.addButton(_("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def done(_result):
            if box.clickedButton() is remove:
                self._run(lambda progress, **kw: install.RemovalPlan(**kw).commit(), self._removed,
                          pack_id=pack_id, system=scope == "system", library=self.current.library)

        box.finished.connect(done)
        box.open()
        self.remove_box = box

    def _removed(self, change) -> None:
        self.say(_("Removed {pack} {version}.").format(pack=change.gone.id, version=change.gone.version))
        self._library_moved(change.library)

    def _library_moved(self, installed) -> None:
        """The installed library changed: the window follows it, unless it previews a --library
        folder, which no install touches (then only this dialog's list is redrawn)."""
        if self.current.library.is_installed_library:
            self.current.replace(installed)
        else:
            self.refresh()

    # Trust ---------------------------------------------------------------------------

    def choose_key(self) -> None:
        dialog = QFileDialog(self, _("Choose a publisher's public key"), "", _("Public keys") + " (*.pub)")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda name: self.add_key(Path(name)))
        dialog.open()

    def add_key(self, path: Path) -> None:
        try:
            added = trust.add_key(path, system=self.system_box.isChecked())
        except CaseGuideError as exc:
            self.say(str(exc), problem=True)
            return
        self.say(_("Now trusting the key with fingerprint {fingerprint}. Check it with the publisher.").format(
            fingerprint=added.key.fingerprint))
        self.refresh()

    def remove_key(self) -> None:
        chosen = self._selected(self.keys)
        if not chosen:
            return
        try:
            trust.remove_key(chosen[0], system=chosen[1] == "system")
        except CaseGuideError as exc:
            self.say(str(exc), problem=True)
            return
        self.say(_("No longer trusting key {key}.").format(key=chosen[0]))
        self.refresh()
