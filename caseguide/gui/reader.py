"""The reading pane's life: which page is shown (a guide or the home page), how it is made and shown
(off the UI thread for a long guide), the history behind Back and Forward, and the shelf of pinned
and changed guides. The window asks it to open, go back, go home; it says what it did by signal.

It builds no page itself: guides.render and guides.home make them, from the library the window's
CurrentLibrary holds, which this follows.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QObject, QUrl, Signal

from ..errors import CaseGuideError, GuideError, StaffOnlyGuideError
from ..guides.home import home_page
from ..guides.render import guide_page
from ..i18n import _, ngettext
from ..session.history import HOME, History

# A guide this long (characters of Markdown) is made into its page off the UI thread, the reading view
# saying "Opening…" meanwhile: the largest guides CaseGuide accepts take a second or two to render.
BIG_GUIDE_CHARS = 50_000


class Reader(QObject):
    pageShown = Signal(str)  # a guide's page (its id) or the home page (HOME) is in the view
    titleChanged = Signal(str)  # the open guide's title, or "" for the home page
    navigated = Signal()  # Back, Forward or what is pinned may have changed
    guideShown = Signal(str)  # the guide now open (select it in the library), or "" for none
    status = Signal(str, int)  # a message for the status bar, and how long it stays (ms)
    problem = Signal(str, str)  # a title and a message for a problem box

    def __init__(self, view, current, shared: bool, shelf=None, nation: str = "", parent=None):
        super().__init__(parent)
        self.view = view
        self.current = current  # the window's CurrentLibrary
        self.shared = shared
        self.nation = nation  # the organisation's nation (a setting): other nations' guides say so
        self.updated: tuple[str, bool] | None = None  # the last update from the feed, for the home page
        self.shelf = shelf  # a caseworker's pinned guides and what changed; None on a shared PC
        self.history = History()
        self._request = 0
        self._render_tasks: set = set()

    @property
    def library(self):
        return self.current.library

    # What is open --------------------------------------------------------------------

    def open_guide_id(self) -> str | None:
        place = self.history.current
        return place.target if place is not None and place.target != HOME else None

    def _leave_current(self) -> None:
        if self.history.current is not None:
            self.history.current.scroll = self.view.verticalScrollBar().value()

    def show(self, target: str, anchor: str = "", scroll: int = 0) -> None:
        """Put *target* (a guide's id, or HOME) in the view, as it is in the library now."""
        self._request += 1
        if target == HOME:
            listed = self.library if self.library.loaded else None  # its lists follow when loaded
            count = len(listed.listed(self.shared)) if listed is not None else 0
            # A screen reader calls the page by what it holds: "Home page, 36 guides".
            title = ngettext("Home page, {n} guide", "Home page, {n} guides", count).format(n=count) if listed \
                else _("Home page")
            self.view.show_page(home_page(listed, shared=self.shared, nation=self.nation, updated=self.updated,
                                          **(self._shelf_lists() if listed else {})), title=title)
            self.titleChanged.emit("")
            self.guideShown.emit("")
        else:
            try:
                guide = self.library.open(target, self.shared)
            except StaffOnlyGuideError:  # reached by Back or Forward: never shown to a visitor
                self._say_staff_only()
                self.show(HOME)
                return
            self.titleChanged.emit(guide.title)
            self.guideShown.emit(target)
            if len(guide.body) > BIG_GUIDE_CHARS:
                self._render_off_thread(guide, anchor, scroll)
                self.navigated.emit()
                return
            self.view.show_page(guide_page(guide, self.library, shared=self.shared, nation=self.nation), guide.pack,
                                title=guide.title)
        self._page_ready(target, anchor, scroll)

    def refresh(self) -> None:
        """Show what is open again (the library or the language changed), where it was scrolled to."""
        place = self.history.current
        if place is not None:
            self.show(place.target, scroll=self.view.verticalScrollBar().value())

    def _page_ready(self, target: str, anchor: str, scroll: int) -> None:
        if anchor:
            self.view.scrollToAnchor(anchor)
        elif scroll:
            self.view.verticalScrollBar().setValue(scroll)
        self.navigated.emit()
        self.pageShown.emit(target)

    def _render_off_thread(self, guide, anchor: str, scroll: int) -> None:
        """Show "Opening…", make the page on a worker thread, and show it if it is still wanted."""
        from .tasks import Task

        request, library, shared, nation = self._request, self.library, self.shared, self.nation
        opening = html.escape(_("Opening…"))
        self.view.show_page(f"<h1>{html.escape(guide.title)}</h1><p>{opening}</p>", title=guide.title)
        task = Task(lambda progress: guide_page(guide, library, shared=shared, nation=nation), self)
        self._render_tasks.add(task)

        def done(page: str) -> None:
            self._render_tasks.discard(task)
            if request == self._request and library is self.library:
                self.view.show_page(page, guide.pack, title=guide.title)
                self._page_ready(guide.id, anchor, scroll)

        def failed(message: str) -> None:
            self._render_tasks.discard(task)
            if request == self._request:
                self.view.show_page(f"<h1>{html.escape(guide.title)}</h1><p>{html.escape(message)}</p>",
                                    title=guide.title)

        task.finished.connect(done)
        task.failed.connect(failed)
        task.start()

    def wait(self) -> None:
        """Let any page being made finish its thread (before the window closes)."""
        for task in list(self._render_tasks):
            task.wait()

    # Going places --------------------------------------------------------------------

    def open_guide(self, guide_id: str, anchor: str = "") -> bool:
        if guide_id not in self.library.guides:
            self.status.emit(_("That guide is not in this library."), 8000)
            return False
        try:
            self.library.open(guide_id, self.shared)  # its file is read now: it may have gone or changed
        except StaffOnlyGuideError:
            self._say_staff_only()
            return False
        except GuideError as exc:
            self.problem.emit(_("The guide cannot be opened"), f"{exc}\n\n" + _(
                "The rest of the library works. Whoever looks after the guides can fix this file."))
            return False
        self._leave_current()
        self.history.visit(guide_id)
        self.show(guide_id, anchor)
        if self.shelf is not None and guide_id in self.shelf.changed:
            self._shelf_do(self.shelf.looked_at, guide_id)
        return True

    def _say_staff_only(self) -> None:
        self.status.emit(_("That guide is written for caseworkers. On this shared computer it is "
                           "for staff: ask a member of staff."), 10000)

    def go_home(self) -> None:
        self._leave_current()
        self.history.visit(HOME)
        self.show(HOME)

    def go_back(self) -> None:
        self._leave_current()
        place = self.history.back()
        if place:
            self.show(place.target, scroll=place.scroll)

    def go_forward(self) -> None:
        self._leave_current()
        place = self.history.forward()
        if place:
            self.show(place.target, scroll=place.scroll)

    def clear(self) -> None:
        """Forget where the person has been (a session ends), and show the home page."""
        self.history.clear()
        self.go_home()

    # The shelf (pinned and changed guides; not on a shared PC) --------------------------

    def _shelf_lists(self) -> dict:
        if self.shelf is None:
            return {}
        guides = self.library.guides
        return {"pinned": [guides[i] for i in self.shelf.pinned if i in guides],
                "changed": [(guides[i], how) for i, how in sorted(self.shelf.changed.items(),
                                                                  key=lambda item: guides[item[0]].title.lower())
                            if i in guides]}

    def _shelf_do(self, change, *args) -> None:
        """Change the shelf; if it cannot be saved, say so (the change still shows until CaseGuide closes)."""
        try:
            change(*args)
        except CaseGuideError as exc:
            self.status.emit(str(exc)[0].upper() + str(exc)[1:], 15000)
        if self.history.current is not None and self.history.current.target == HOME:
            self.show(HOME, scroll=self.view.verticalScrollBar().value())
        self.navigated.emit()

    def notice_changes(self) -> None:
        """Added and updated guides join "Changed since you last looked"."""
        if self.shelf is not None:
            self._shelf_do(self.shelf.notice, self.library)

    def is_pinned(self, guide_id: str | None) -> bool:
        return bool(self.shelf is not None and guide_id and self.shelf.is_pinned(guide_id))

    def pin_current(self, pin: bool = True) -> None:
        guide = self.open_guide_id()
        if self.shelf is None or guide is None:
            return
        self._shelf_do(self.shelf.pin if pin else self.shelf.unpin, guide)
        self.status.emit(_("Pinned to the home page.") if pin else _("Taken off the home page."), 5000)

    def shelf_link(self, url: QUrl) -> None:
        action, _sep, guide = url.path().partition("/")
        if self.shelf is None:
            return
        if action == "unpin":
            self._shelf_do(self.shelf.unpin, guide)
        elif action == "dismiss":
            self._shelf_do(self.shelf.dismiss)
