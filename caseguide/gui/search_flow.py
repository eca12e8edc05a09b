"""What typing in the search box does: the pause that starts a search, "Searching…" when an answer is
slow, the results and then the rest of their snippets, title suggestions, Enter opening the best match.

The window makes one :class:`SearchFlow` and hands it what it works with (the box, the results pane,
the search thread's service, the reader that knows the nation); the flow decides nothing about what is
shown beside the results.
"""

from __future__ import annotations

from typing import Callable

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject, QStringListModel, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QStackedWidget

from ..i18n import _

SEARCH_DELAY_MS = 45  # a pause in typing this long starts a search: results within 100 ms of the last key
SNIPPETS_LATER_MS = 60  # the rest of the results' snippets are made this long after the first are shown
SEARCH_WAITING_MS = 150  # say "Searching…" when results take longer than this


class SearchFlow(QObject):
    resultsShown = Signal()  # the results of the latest search are on screen

    def __init__(self, field: QLineEdit, results, left: QStackedWidget, tree, service, reader,
                 open_guide: Callable[[str], object], listed: Callable[[], list], parent=None):
        """*listed* gives the guides a person may open now (the current library, this PC's audience)."""
        super().__init__(parent)
        self.field, self.results, self.left, self.tree = field, results, left, tree
        self.service, self.reader, self._open_guide, self._listed = service, reader, open_guide, listed
        self.open_first_result = False
        self.shown_request = 0
        self.shown_query = ""

        field.setClearButtonEnabled(True)
        field.textChanged.connect(self._query_changed)
        field.returnPressed.connect(self._open_first)
        field.installEventFilter(self)
        # Title suggestions as you type: choosing one opens that guide (filled when the library is listed).
        self.completer_model = QStringListModel()
        self.completer = QCompleter(self.completer_model, field)  # matching set up when titles arrive
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.activated[str].connect(self._open_title)
        field.setCompleter(self.completer)

        results.filtersChanged.connect(self.run_search)
        results.searchInstead.connect(lambda words: self.run_search(exact=True))
        service.worker.results.connect(self._show_results)
        service.worker.completed.connect(self._show_snippets)  # issue 26: the rest of the snippets
        self.snippets_later = QTimer(self, singleShot=True, interval=SNIPPETS_LATER_MS)
        self.snippets_later.timeout.connect(lambda: self.service.complete(self.shown_request))
        self.debounce = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.debounce.timeout.connect(self.run_search)
        self.waiting = QTimer(self, singleShot=True, interval=SEARCH_WAITING_MS)
        self.waiting.timeout.connect(results.show_waiting)

    def retranslate(self) -> None:
        self.field.setPlaceholderText(_("Search guides (Ctrl+F)"))
        self.field.setAccessibleName(_("Search guides"))

    def library_listed(self) -> None:
        """The library's list arrived: suggest its titles (matching set up only now, after the paint)."""
        self.completer.setCaseSensitivity(QtCore.Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(QtCore.Qt.MatchFlag.MatchContains)
        self.completer_model.setStringList(sorted(g.title for g in self._listed()))

    def reset(self) -> None:
        """Forget the search: nothing typed, no results, no pending search (a session's end)."""
        self.debounce.stop()
        self.waiting.stop()
        self.open_first_result = False
        self.field.setText("")  # unlike clear(), also forgets the undo history: no Ctrl+Z back
        self.completer.popup().hide()
        self.results.reset_filters()
        self.results.clear()

    def _query_changed(self, text: str) -> None:
        if not text.strip():
            self.debounce.stop()
            self.open_first_result = False
            self.left.setCurrentWidget(self.tree)
            return
        self.debounce.start()

    def run_search(self, exact: bool = False) -> None:
        """Search now for what is in the box (normally called after a short pause in typing).

        *exact* searches the words as typed, with no spelling correction.
        """
        self.debounce.stop()
        query = self.field.text().strip()
        if not query:
            return
        self.left.setCurrentWidget(self.results)
        self.waiting.start()  # "Searching…" only if the answer is slow: a repaint now would slow it
        self.shown_query = query
        self.service.search(query, exact=exact is True, prefer=self.reader.nation, **self.results.filters())

    def _show_results(self, request: int, found) -> None:
        if request != self.service.latest_request:
            return  # an older search, overtaken by typing
        self.shown_request = request
        self.waiting.stop()
        self.results.show_results(found)
        self.resultsShown.emit()
        if found.later:  # the snippets below the first screenful, once it is painted (issue 26)
            self.snippets_later.start()
        if self.open_first_result:
            self.open_first_result = False
            if found.hits:
                self._open_guide(found.hits[0].id)

    def _show_snippets(self, request: int, found) -> None:
        """The snippets below the first screenful, for the results on screen (issue 26)."""
        if request == self.shown_request == self.service.latest_request:
            self.results.add_snippets(found)

    def up_to_date(self) -> bool:
        """The results on screen answer what is in the box now."""
        return (self.shown_request == self.service.latest_request and self.field.text().strip() == self.shown_query
                and not self.debounce.isActive())

    def _open_title(self, title: str) -> None:
        guide = next((g for g in self._listed() if g.title == title), None)
        if guide is not None:
            self._open_guide(guide.id)

    def _open_first(self) -> None:
        if not self.field.text().strip():
            return
        if self.up_to_date():
            first = self.results.first_guide()
            if first:
                self._open_guide(first)
        else:
            self.open_first_result = True
            self.run_search()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            if event.key() == QtCore.Qt.Key.Key_Down and self.left.currentWidget() is self.results:
                self.results.list.setFocus()
                return True
            if event.key() == QtCore.Qt.Key.Key_Escape and self.field.text():
                self.field.clear()
                return True
        return super().eventFilter(watched, event)
