"""The library as a tree: kind, then topic, then guide."""

from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from ..guides.model import KIND_LABELS, KINDS
from .plain import plain_tooltip

GUIDE_ROLE = 0x0100  # Qt.ItemDataRole.UserRole, as a number: see toolbar.BUTTON_STYLE


class LibraryTree(QTreeWidget):
    guideChosen = Signal(str)

    def __init__(self, library=None, parent=None, shared: bool = False):
        super().__init__(parent)
        self.shared = shared  # on a shared PC, guides for caseworkers are not listed
        self.setHeaderHidden(True)
        self.setAccessibleName("Library")
        self.setAccessibleDescription("Guides by kind and topic. Press Enter to open a guide.")
        self.setUniformRowHeights(True)
        self.setWordWrap(True)
        self.setSelectionMode(QTreeWidget.SelectionMode.ExtendedSelection)
        if library is not None:
            self.populate(library)
        self.itemActivated.connect(self._chosen)
        self.itemClicked.connect(self._chosen)

    def populate(self, library) -> None:
        self.clear()
        for kind in KINDS:
            guides = [g for g in library.listed(self.shared) if g.kind == kind]
            kind_item = QTreeWidgetItem(self, [f"{KIND_LABELS[kind]} ({len(guides)})"])
            kind_item.setFlags(QtCore.Qt.ItemFlag.ItemIsEnabled)
            topics = sorted({t for g in guides for t in g.topics} or {""}, key=library.topic_label)
            for topic in topics:
                in_topic = sorted((g for g in guides if topic in g.topics or not topic),
                                  key=lambda g: g.title.lower())
                if not in_topic:
                    continue
                parent = kind_item
                if topic:
                    parent = QTreeWidgetItem(kind_item, [library.topic_label(topic)])
                    parent.setFlags(QtCore.Qt.ItemFlag.ItemIsEnabled)
                for guide in in_topic:
                    item = QTreeWidgetItem(parent, [guide.title])
                    item.setData(0, GUIDE_ROLE, guide.id)
                    item.setToolTip(0, plain_tooltip(guide.summary))
                    if guide.is_overdue():
                        item.setText(0, f"{guide.title} (review overdue)")
            kind_item.setExpanded(True)

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
        for item in self.findItems("*", QtCore.Qt.MatchFlag.MatchWildcard | QtCore.Qt.MatchFlag.MatchRecursive):
            if item.data(0, GUIDE_ROLE) == guide_id:
                self.blockSignals(True)
                self.setCurrentItem(item)
                self.blockSignals(False)
                return
        self.clearSelection()
