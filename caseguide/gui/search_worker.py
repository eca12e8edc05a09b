"""Search off the UI thread.

A :class:`SearchWorker` lives in its own QThread and owns the core's
SearchIndex. The window asks by signal and hears back by signal, so typing
never waits for Whoosh, and building the index at start shows a progress bar
instead of a frozen window. Listing the library's guides happens here too,
first, so a big library never holds up the window's first paint. Requests are handled in order: a search asked for
while the index is still being built simply waits its turn.
"""

from __future__ import annotations

import dataclasses
import logging

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from ..guides.model import is_listed
from ..i18n import _

log = logging.getLogger(__name__)

RESULTS = 50  # results a search shows
FIRST_SNIPPETS = 12  # made before the results are sent: a screenful; the rest follow at once


class SearchWorker(QObject):
    libraryLoaded = Signal(object)  # the Library, its guides listed: the window can show them
    progress = Signal(int, int)
    ready = Signal(list)  # notices to show once
    failed = Signal(str)
    results = Signal(int, object)  # request number, search.Results: a screenful of snippets made
    completed = Signal(int, object)  # the same request's Results with every snippet, once asked for

    def __init__(self, library, latest_request=lambda: 0, shared: bool = False):
        super().__init__()
        self._library = library
        # A shared PC: visitors are never shown guides written for caseworkers, and the index is never
        # read from or written to disk, where any visitor could plant one.
        self._shared = shared
        self._memory_only = shared
        self._index = None
        self._latest_request = latest_request  # the newest request asked for, read across threads
        self._unfinished = None  # (request, Results) of the latest search sent with snippets still to make

    @Slot(bool)
    def open_index(self, rebuild: bool = False) -> None:
        """Open the index, then list the library's guides (from the cached catalogues where they
        are good): the search box answers first, and importing the search engine, the heaviest part,
        happens while the window has nothing else to do (issue 26). A catalogue found damaged while
        listing has its pack indexed again."""
        library = self._library
        from ..search.query import SearchIndex  # whoosh loads here, on this thread, not at start-up

        def opened():
            return SearchIndex(library, memory_only=self._memory_only or None).open(
                rebuild=rebuild, progress=lambda done, total: self.progress.emit(done, total))

        try:
            self._index = opened()
        except Exception:  # noqa: BLE001 - reported to the window; the app stays usable
            log.exception("the search index could not be opened")
            self._index = None
        if self._index is not None:
            self.ready.emit(list(self._index.notices))
        try:
            library.guides  # noqa: B018 - the listing, here and not on the UI thread
        except Exception:  # noqa: BLE001 - reported to the window; the app stays usable
            log.exception("the library could not be listed")
            self.failed.emit(_("The library could not be read."))
            return
        if self._index is not None and library.catalogues_refused:
            try:
                self._index.close()
                self._index = opened()  # those packs' indexes are built again, with new catalogues
            except Exception:  # noqa: BLE001
                log.exception("the search index could not be opened")
                self._index = None
        self.libraryLoaded.emit(library)
        if self._index is None:
            self.failed.emit(_("Search is not available: the search index could not be built."))
            return
        try:
            self._index.warm_up()
        except Exception:  # noqa: BLE001 - only a head start; searching works without it
            log.exception("warming up the search index failed")

    @Slot(object)
    def use_library(self, library) -> None:
        """Switch to a new library (after a pack was installed or removed) and open its index."""
        if self._index is not None:
            self._index.close()
            self._index = None
        self._library = library
        self.open_index(False)

    @Slot(int, str, object)
    def search(self, request: int, query: str, filters: dict) -> None:
        from ..search.results import Results

        empty = Results([], query, query)
        if request < self._latest_request():
            return  # typing has already asked for something newer: nobody will see this one
        if self._index is None:
            self.results.emit(request, empty)
            return
        try:
            kind, lang, topic, nation = (filters.get(k) or None for k in ("kind", "lang", "topic", "nation"))
            prefer = filters.get("prefer") or ""  # the organisation's nation: its guides first
            if filters.get("exact"):
                found = self._index.search_plan(self._index.plan(query), RESULTS, kind, lang, topic, nation, prefer,
                                                snippets=FIRST_SNIPPETS)
            else:
                found = self._index.forgiving_search(query, limit=RESULTS, kind=kind, lang=lang, topic=topic,
                                                     nation=nation, prefer=prefer, snippets=FIRST_SNIPPETS)
        except Exception:  # noqa: BLE001
            log.exception("a search failed")  # the query itself is never logged
            found = empty
        self._unfinished = (request, found) if found.later else None
        self.results.emit(request, self._visible(found))

    @Slot(int)
    def complete(self, request: int) -> None:
        """Make the snippets the results of *request* were sent without (the window asks once it has
        shown them: making them sooner would compete with its first paint)."""
        if self._unfinished is None or self._unfinished[0] != request or request < self._latest_request():
            return
        found, self._unfinished = self._unfinished[1], None
        try:
            self.completed.emit(request, self._visible(self._index.complete(found)))
        except Exception:  # noqa: BLE001
            log.exception("making a search's snippets failed")

    def _visible(self, found):
        """*found* without what a shared PC's visitors are not shown."""
        if not self._shared:
            return found
        guides = self._library.guides
        return dataclasses.replace(found, hits=[h for h in found.hits
                                                if h.id in guides and is_listed(guides[h.id], True)])

    @Slot()
    def close(self) -> None:
        if self._index is not None:
            self._index.close()


class SearchService(QObject):
    """The window's handle on the worker thread."""

    _open = Signal(bool)
    _search = Signal(int, str, object)
    _complete = Signal(int)
    _close = Signal()
    _use = Signal(object)

    def __init__(self, library, parent=None, shared: bool = False):
        super().__init__(parent)
        self._request = 0
        self._thread = QThread()
        self._thread.setObjectName("caseguide-search")
        self.worker = SearchWorker(library, lambda: self._request, shared)
        self.worker.moveToThread(self._thread)
        self._open.connect(self.worker.open_index)
        self._search.connect(self.worker.search)
        self._complete.connect(self.worker.complete)
        self._close.connect(self.worker.close)
        self._use.connect(self.worker.use_library)
        self._thread.start()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    def open(self, rebuild: bool = False) -> None:
        self._open.emit(rebuild)

    def use_library(self, library) -> None:
        self._use.emit(library)

    def search(self, query: str, **filters) -> int:
        """Ask for a search (filters: kind, lang, topic, nation, prefer, exact); returns the request number
        the results carry."""
        self._request += 1
        self._search.emit(self._request, query, filters)
        return self._request

    def complete(self, request: int) -> None:
        """Ask for the rest of *request*'s snippets (sent by the worker's completed signal)."""
        self._complete.emit(request)

    @property
    def latest_request(self) -> int:
        return self._request

    def shutdown(self) -> None:
        if self._thread.isRunning():
            self._close.emit()
            self._thread.quit()
            self._thread.wait(5000)
