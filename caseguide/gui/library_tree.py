"""The library as a tree: kind, then topic, then guide."""

from __future__ import annotations

import datetime as _dt

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from .. import i18n
from ..guides.model import KIND_LABELS, KINDS
from ..guides.render import nations_text
from ..i18n import _
from .plain import plain_tooltip

GUIDE_ROLE = 0x0100  # Qt.ItemDataRole.UserRole, as a number: see toolbar.BUTTON_STYLE


class LibraryTree(QTreeWidget):
    guideChosen = Signal(str)

    def __init__(self, library=None, parent=None, shared: bool = False, nation: str = ""):
        super().__init__(parent)
        self.shared = shared  # on a shared PC, guides for caseworkers are not listed
        self.nation = nation  # the organisation's nation: its guides come first, others say where they apply
        self.setHeaderHidden(True)
        self._library = None
        self.retranslate()
        self.setUniformRowHeights(True)
        self.setWordWrap(True)
        self.setSelectionMode(QTreeWidget.SelectionMode.ExtendedSelection)
        self._first_item: dict[str, QTreeWidgetItem] = {}  # each guide's first place, to select it
        if library is not None:
            self.populate(library)
        self.itemActivated.connect(self._chosen)
        self.itemClicked.connect(self._chosen)

    def retranslate(self) -> None:
        """The tree's names and its kind headings, in the interface's language now."""
        self.setHeaderLabels([_("Guides")])  # hidden, but a screen reader still reads the column's name
        self.setAccessibleName(_("Library"))
        self.setAccessibleDescription(_("Guides by kind and topic. Press Enter to open a guide."))
        if self._library is not None:
            self.populate(self._library)

    def populate(self, library) -> None:
        """Fill the tree. Items are made detached and added a branch at a time: adding 2,000 guides
        one by one to a tree on screen took several times as long."""
        self.clear()
        self._library = library
        self._first_item: dict[str, QTreeWidgetItem] = {}
        today = _dt.date.today()
        enabled = QtCore.Qt.ItemFlag.ItemIsEnabled
        by_kind = {kind: [] for kind in KINDS}
        for guide in library.listed(self.shared):
            by_kind[guide.kind].append(guide)
        kind_items = []
        for kind in KINDS:
            guides = sorted(by_kind[kind], key=lambda g: (not g.covers(self.nation), g.title.lower()))
            kind_item = QTreeWidgetItem([f"{_(KIND_LABELS[kind])} ({len(guides)})"])
            kind_item.setFlags(enabled)
            by_topic: dict[str, list] = {}
            for guide in guides:
                for topic in guide.topics or ("",):
                    by_topic.setdefault(topic, []).append(guide)
            branches = []
            for topic in sorted(by_topic, key=library.topic_label):
                items = [self._guide_item(guide, today) for guide in by_topic[topic]]
                if topic:
                    branch = QTreeWidgetItem([library.topic_label(topic)])
                    branch.setFlags(enabled)
                    branch.addChildren(items)
                    branches.append(branch)
                else:
                    branches += items
            kind_item.addChildren(branches)
            kind_items.append(kind_item)
        self.addTopLevelItems(kind_items)
        for kind_item in kind_items:
            kind_item.setExpanded(True)

    def focus_target(self):
        """What F6 moves to in this pane: the tree itself."""
        return self

    def _guide_item(self, guide, today) -> QTreeWidgetItem:
        overdue = " (" + _("review overdue") + ")" if guide.is_overdue(today) else ""
        elsewhere = "" if guide.covers(self.nation) else \
            " (" + nations_text(guide.nations, i18n.current_language()) + ")"  # said, not only by its place
        item = QTreeWidgetItem([guide.title + elsewhere + overdue])
        item.setData(0, GUIDE_ROLE, guide.id)
        item.setToolTip(0, plain_tooltip(guide.summary))
        self._first_item.setdefault(guide.id, item)
        return item

    def _chosen(self, item, _column=0) -> None:
        guide_id = item.data(0, GUIDE_ROLE)
        if guide_id:
            self.guideChosen.emit(guide_id)

    def selected_guide_ids(self) -> list[str]:
        """Selected guides in library order, each once (a guide can sit under several topics)."""
        ids = [item.data(0, GUIDE_ROLE) for item in self.selectedItems()]
        return list(dict.fromkeys(i for i in ids if i))

    def select_guide(self, guide_id: str) -> None:
        """Highlight the guide's first place in the tree, without opening anything."""
        item = self._first_item.get(guide_id)
        if item is None:
            self.clearSelection()
            return
        self.blockSignals(True)
        self.setCurrentItem(item)
        self.blockSignals(False)
