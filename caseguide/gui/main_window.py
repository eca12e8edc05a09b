"""The main window: the library or search results on the left, the guide on the right."""

from __future__ import annotations

import html
from pathlib import Path

# Qt's namespace of enums (QtCore.Qt) is named only in code that runs after the first paint: building it
# in Python takes about as long as a third of a bare window's start (tests/gui/test_startup.py).
from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject, QTimer, QUrl, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
)

from .. import APP_NAME, __version__, i18n
from ..errors import CaseGuideError
from ..i18n import _, ngettext
from ..packs import SUFFIX
from ..session.history import HOME
from ..library.shelf import Shelf
from . import accessibility, language
from .actions import build_actions, translate_menus
from .clipboard import ClipboardGuard
from .current_library import CurrentLibrary
from .guide_view import GuideView
from .keyboard import Region, RegionCycler, chain_tab_order, first_focusable
from .library_tree import LibraryTree
from .page_lists import PageLists
from .links import EXTERNAL_SCHEMES, external_link_dialog
from .quick_exit_watch import QuickExitWatch
from .screen_fit import fit_to_screen
from .search_flow import SearchFlow
from .search_results import SearchResults
from .reader import Reader
from .search_worker import SearchService
from .session import SessionGuard
from .toolbar import MainToolBar

FOCUS_RING_LATEST_MS = 1000  # the focus ring appears when search is ready, or this long after the first paint


class MainWindow(QMainWindow):
    """The window paints first with what a person needs at once: the search box, and the home
    page's opening. The library's list (tree, counts, the home page's lists, title suggestions)
    arrives from the search thread moments later, from the catalogues cached with the index, and
    the search box answers as soon as the index is open: nothing waits on the library's size."""

    libraryShown = Signal()  # the library's list is on screen (tree, counts, home page lists)
    searchReady = Signal()  # the index is open (or failed): searches are answered now
    resultsShown = Signal()  # the results of the latest search are on screen
    pageShown = Signal(str)  # a guide's page (its id) or the home page is in the reading view
    firstPainted = Signal()  # the window is on screen: what was kept back for after may start

    def __init__(self, library, settings, parent=None):
        """*library* to show, and *settings* as read once at start-up (app.open_window): the window
        reads no settings file itself, and hands these to what needs them."""
        super().__init__(parent)
        accessibility.install()  # also when a test makes the window without app.application()
        self.settings = settings
        self.shared = settings.shared_mode
        # The language this window starts in, and goes back to when a visitor's session ends.
        self.start_language = language.apply(language.starting_language(self.settings))
        self.current = CurrentLibrary(library, self)
        self.packs_dialog = None
        self.preferences_dialog = None
        self.shortcuts_dialog = None
        self.problem_box: QMessageBox | None = None
        self.link_dialog: QMessageBox | None = None

        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(640, 420)

        self.view = GuideView(library, shared=self.shared)
        self.view.linkActivated.connect(self.follow_link)
        self.page_lists = PageLists(self.view, self.follow_link, self)
        # Pinned guides and what changed: a caseworker's own, never on a shared PC (nothing read or written).
        nation = settings.get("organisation.nation")
        self.reader = Reader(self.view, self.current, self.shared, None if self.shared else Shelf.load(), nation, self)
        self.history = self.reader.history
        self.reader.titleChanged.connect(lambda title: self.setWindowTitle(f"{title} – {APP_NAME}" if title
                                                                           else APP_NAME))
        self.reader.navigated.connect(self._update_navigation)
        self.reader.pageShown.connect(self.pageShown)
        self.reader.status.connect(lambda text, ms: self.statusBar().showMessage(text, ms))
        self.reader.problem.connect(self.show_problem)
        self.tree = LibraryTree(shared=self.shared, nation=nation)
        self.tree.guideChosen.connect(self.open_guide)
        self.reader.guideShown.connect(lambda guide_id: self.tree.select_guide(guide_id) if guide_id
                                       else self.tree.clearSelection())
        self.results = SearchResults()
        self.results.guideChosen.connect(self.open_guide)
        self.left = QStackedWidget()
        self.left.addWidget(self.tree)
        self.left.addWidget(self.results)

        splitter = QSplitter()  # side by side, Qt's default
        splitter.addWidget(self.left)
        splitter.addWidget(self.view)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 860])
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)
        self.splitter = splitter
        self._split_set = False

        self.search = SearchService(library, self, shared=self.shared)
        self.search_field = QLineEdit()
        self.search_flow = SearchFlow(self.search_field, self.results, self.left, self.tree, self.search,
                                      self.reader, self.open_guide, lambda: self.library.listed(self.shared), self)
        self.search_flow.resultsShown.connect(self.resultsShown)
        self.completer = self.search_flow.completer
        self.completer_model = self.search_flow.completer_model
        self._make_actions()
        self._make_status_bar()

        # Each view follows the current library through one signal of CurrentLibrary's.
        self.current.changed.connect(self.view.set_library)
        self.current.changed.connect(self.search.use_library)
        self.current.changed.connect(self._library_changed)
        self.search.worker.libraryLoaded.connect(self.current.mark_listed)
        self.current.listed.connect(self.tree.populate)
        self.current.listed.connect(self.results.set_library)
        self.current.listed.connect(self._library_loaded)
        self.search.worker.progress.connect(self._index_progress)
        self.search.worker.ready.connect(self._index_ready)
        self.search.worker.failed.connect(self._index_failed)

        self._handouts = None
        self.setAcceptDrops(True)
        self._make_keyboard_order()
        self.retranslate()
        self.guard = SessionGuard(QApplication.instance(),
                                  self.settings.get("shared.idle_reset_seconds") if self.shared else None, self)
        self.clipboard_guard = ClipboardGuard(self)
        self.guard.quickExit.connect(self.quick_exit)
        self.guard.idle.connect(self.idle_reset)
        # Quick exit while this thread is busy (issue 22): a watchdog process, from the first paint on.
        self.quick_exit_watch = QuickExitWatch(self, self.guard.windowsChanged)
        self.quick_exit_watch.triggered.connect(self.quick_exit)
        if self.shared:
            for name in ("packs", "preferences", "export_pdf"):
                self.actions_by_name[name].setToolTip(_("Ask a member of staff: not available on a shared PC"))
            self.actions_by_name["export_pdf"].setVisible(False)
        shelf_problem = self.reader.shelf.problem if self.reader.shelf is not None else ""
        self.go_home()
        if shelf_problem:
            self.statusBar().showMessage(shelf_problem, 20000)
        # Search opens its index once the window is on screen: its thread would otherwise compete
        # with the first paint (Python's GIL) for nothing the person can use yet.
        self._search_started = False
        self._painted = False
        self.firstPainted.connect(self.start_search)
        self.installEventFilter(self)
        self._fitted_size = fit_to_screen(self)  # unless whoever opens it asks for a size (resize)

    # Building the window ------------------------------------------------------

    @property
    def library(self):
        """The library the window shows now (the one every view shares)."""
        return self.current.library

    def _make_actions(self) -> None:
        slots = {
            "back": self.go_back, "forward": self.go_forward, "home": self.go_home, "find": self.focus_search,
            "zoom_in": lambda: self.view.zoom_by(1), "zoom_out": lambda: self.view.zoom_by(-1),
            "zoom_reset": self.view.reset_zoom, "print": self.print_handout, "export_pdf": self.export_pdf,
            "preferences": self.show_preferences, "quit": self.close, "about": self.show_about,
            "quick_exit": self.quick_exit, "end_session": self.end_session, "packs": lambda: self.show_packs(),
            "pin": lambda: self.pin_current(True), "unpin": lambda: self.pin_current(False),
            "next_region": self.next_region, "previous_region": self.previous_region,
            "shortcuts": self.show_shortcuts,
            # Guide > Headings and Links in this guide (issue 27): lists a screen-reader user skims by
            "headings": lambda: self.page_lists.show_headings(), "links": lambda: self.page_lists.show_links(),
        }
        a = self.actions_by_name = build_actions(self, slots, self.shared)
        self.language_button = language.LanguageButton()
        self.language_button.chosen.connect(self.set_language)
        self.toolbar = MainToolBar(a, self.search_field, self.shared, language_button=self.language_button)
        self.addToolBar(self.toolbar)

    def _make_keyboard_order(self) -> None:
        """Tab goes through the window as it is laid out: toolbar, list, guide. F6 jumps between them."""
        chain_tab_order(self.toolbar.buttons() + [self.tree] + self.results.tab_order() + [self.view])
        bar_buttons = [b for b in self.toolbar.buttons() if b is not self.search_field]
        self.regions = RegionCycler([
            Region("search", lambda: self.search_field, lambda: self.search_field),
            Region("toolbar", lambda: self.toolbar, lambda: first_focusable(bar_buttons)),
            Region("list", lambda: self.left, lambda: self.left.currentWidget().focus_target()),
            Region("guide", lambda: self.view, lambda: self.view),
        ], order=["toolbar", "search", "list", "guide"])

    def next_region(self) -> None:
        self.regions.move(1)
        if self.regions.current() == "search":
            self.search_field.selectAll()

    def previous_region(self) -> None:
        self.regions.move(-1)
        if self.regions.current() == "search":
            self.search_field.selectAll()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._split_set:
            # The reading pane gets most of the room, also in a small window or at 200% text.
            self._split_set = True
            width = self.splitter.width()
            left = max(220, min(340, width * 3 // 10))
            self.splitter.setSizes([left, max(width - left, 1)])
            self.search_field.setFocus()  # start typing to search, as soon as the window is up
            if self.size() == self._fitted_size:
                # Now the window manager's frame can be measured: fit again if it was larger than allowed.
                QTimer.singleShot(0, self._refit)

    def _refit(self) -> None:
        if self.size() == self._fitted_size and not self.isMaximized():
            self._fitted_size = fit_to_screen(self)

    def _make_status_bar(self) -> None:
        status = self.statusBar()
        self.count_label = QLabel()
        status.addPermanentWidget(self.count_label)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(240)
        self.progress.setRange(0, 1)  # 0%, not Qt's busy animation: it repainted the window every 20 ms
        status.addPermanentWidget(self.progress)
        self.problems_button = None

    def _show_load_problems(self, library) -> None:
        count = len(library.warnings)
        if self.problems_button is None and count:
            button = self.problems_button = QPushButton()
            button.setFlat(True)
            button.setAccessibleName(_("Show library problems"))
            button.clicked.connect(self.show_problems)
            self.statusBar().addWidget(button)
        if self.problems_button is not None:
            self.problems_button.setText("⚠ " + ngettext("{n} file could not be loaded", "{n} files could not be loaded",
                                                          count).format(n=count))
            self.problems_button.setVisible(bool(count))

    # Navigation: the Reader's ------------------------------------------------------

    def _update_navigation(self) -> None:
        self.actions_by_name["back"].setEnabled(self.history.can_go_back())
        self.actions_by_name["forward"].setEnabled(self.history.can_go_forward())
        guide = self.reader.open_guide_id()
        pinned = self.reader.is_pinned(guide)
        self.actions_by_name["pin"].setEnabled(self.reader.shelf is not None and bool(guide) and not pinned)
        self.actions_by_name["unpin"].setEnabled(pinned)

    @property
    def shelf(self):
        return self.reader.shelf

    def open_guide(self, guide_id: str, anchor: str = "") -> bool:
        return self.reader.open_guide(guide_id, anchor)

    def go_home(self) -> None:
        self.reader.go_home()

    def go_back(self) -> None:
        self.reader.go_back()

    def go_forward(self) -> None:
        self.reader.go_forward()

    def pin_current(self, pin: bool = True) -> None:
        self.reader.pin_current(pin)

    def follow_link(self, url: QUrl) -> None:
        scheme = url.scheme().lower()
        if scheme == "guide":
            self.open_guide(url.path(), url.fragment())
        elif not scheme and url.hasFragment():
            self.view.scrollToAnchor(url.fragment())
        elif scheme in EXTERNAL_SCHEMES:
            self.confirm_external(url)
        elif scheme == "shelf":
            self.reader.shelf_link(url)
        elif scheme == "app" and url.path() == "language":  # the home page's "Language: ..." link
            self.language_button.showMenu()

    def confirm_external(self, url: QUrl) -> None:
        """Show a website's address; open it only if the person says so (never on a shared PC)."""
        box = self.link_dialog = external_link_dialog(
            self, url, self.shared, copied=lambda: self.statusBar().showMessage(_("Address copied."), 5000))
        box.finished.connect(lambda _result: setattr(self, "link_dialog", None))
        box.open()

    # Search -------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_field.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def run_search(self, exact: bool = False) -> None:
        """Search now for what is in the box (normally called after a short pause in typing)."""
        self.search_flow.run_search(exact)

    def start_search(self) -> None:
        if not self._search_started:
            self._search_started = True
            self.search.open()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self and event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True  # once: a second paint can come before the timers below fire
            QTimer.singleShot(0, self.firstPainted.emit)  # search starts, then the instance watcher
            # The focus ring once search answers (making it builds Qt's enums in Python, 40 ms that
            # would hold up the search thread: issue 26), or a second after the first paint.
            QTimer.singleShot(FOCUS_RING_LATEST_MS, self._add_focus_ring)
        return super().eventFilter(watched, event)

    def _index_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _index_ready(self, notices: list) -> None:
        self.progress.hide()
        for notice in notices:
            self.statusBar().showMessage(notice[0].upper() + notice[1:], 15000)
        self.searchReady.emit()
        QTimer.singleShot(0, self._add_focus_ring)

    def _index_failed(self, message: str) -> None:
        self.progress.hide()
        self.statusBar().showMessage(message)
        self.searchReady.emit()
        QTimer.singleShot(0, self._add_focus_ring)

    @staticmethod
    def _add_focus_ring() -> None:
        from .focus_ring import install  # after the first paint: its Qt classes cost start-up time

        install(QApplication.instance())  # once: later calls do nothing

    # Handouts ------------------------------------------------------------------

    @property
    def handouts(self):
        """Printing and PDF export, loaded on first use (Qt's print support is not needed to start)."""
        if self._handouts is None:
            from .handouts import Handouts

            actions = self.actions_by_name
            self._handouts = Handouts(
                self.current, self.settings,
                choices=lambda: (actions["large_print"].isChecked(), actions["client_version"].isChecked()),
                add_details=self.show_preferences, parent=self, shared=self.shared)
            self._handouts.saved.connect(lambda path, pages: self.statusBar().showMessage(
                ngettext("Saved {path} ({n} page).", "Saved {path} ({n} pages).", pages).format(path=path, n=pages),
                15000))
            self._handouts.failed.connect(lambda message: self.show_problem(_("The handout was not made"), message))
        return self._handouts

    def handout_guides(self) -> list:
        """What Print and Export mean now: several selected guides, else the open one."""
        pane = self.left.currentWidget()
        selected = pane.selected_guide_ids() if hasattr(pane, "selected_guide_ids") else []
        current = self.history.current
        if len(selected) > 1:
            ids = selected
        elif current is not None and current.target != HOME:
            ids = [current.target]
        else:
            ids = selected
        guides = []
        for guide_id in ids:
            try:
                guides.append(self.library.open(guide_id, self.shared))
            except CaseGuideError:
                continue  # gone or unreadable: the message says to select guides
        if not guides:
            self.statusBar().showMessage(_("Open a guide, or select guides in the list, to print them."), 8000)
        return guides

    def print_handout(self) -> None:
        guides = self.handout_guides()
        if guides:
            self.handouts.print_preview(guides)

    def export_pdf(self) -> None:
        if self.shared:  # files saved on a shared PC would be there for the next person
            self.statusBar().showMessage(_("On a shared PC, handouts can be printed but not saved."), 8000)
            return
        guides = self.handout_guides()
        if guides:
            self.handouts.export_pdf(guides)

    def show_preferences(self) -> None:
        from .preferences import PreferencesDialog

        if self.staff_only(_("Preferences")):
            return
        dialog = PreferencesDialog(self.settings, self)
        dialog.saved.connect(self._preferences_saved)
        self.preferences_dialog = dialog
        dialog.open()

    def _preferences_saved(self) -> None:
        chosen = language.starting_language(self.settings)  # a new ui.language takes effect at once
        if chosen != self.start_language:
            self.start_language = chosen
            self.set_language(chosen)
        nation = self.settings.get("organisation.nation")  # and a new nation
        if nation != self.reader.nation:
            self.reader.nation = self.tree.nation = nation
            if self.library.loaded:
                self.tree.populate(self.library)
            self.reader.refresh()
            if self.search_field.text().strip():
                self.run_search()
        self.statusBar().showMessage(_("Preferences saved."), 5000)

    def _message(self, icon: QMessageBox.Icon, title: str, text: str, details: str = "") -> QMessageBox:
        """A message box opened without blocking, deleted when closed."""
        box = QMessageBox(icon, title, text, parent=self)
        accessibility.name_message_icon(box)
        if details:
            box.setDetailedText(details)
        box.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def show_problem(self, title: str, message: str) -> None:
        self.problem_box = self._message(QMessageBox.Icon.Warning, f"{title} – {APP_NAME}", message)

    # Packs ---------------------------------------------------------------------

    def staff_only(self, what: str) -> bool:
        """In shared mode, say that *what* is for staff; True if it was refused."""
        if not self.shared:
            return False
        self.show_problem(_("{what}: ask a member of staff").format(what=what),
                          _("{what} cannot be changed on this shared computer. Ask a member of staff.").format(
                              what=what))
        return True

    def show_packs(self, path=None):
        from .packs_dialog import PacksDialog

        if self.staff_only(_("Content packs")):
            return None
        if self.packs_dialog is None:
            self.packs_dialog = PacksDialog(self.current, self)
        self.packs_dialog.show()
        self.packs_dialog.raise_()
        self.packs_dialog.activateWindow()
        if path is not None:
            self.packs_dialog.check_file(Path(path))
        return self.packs_dialog

    def dragEnterEvent(self, event) -> None:
        if self._dropped_pack(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        path = self._dropped_pack(event)
        if path is not None:
            event.acceptProposedAction()
            self.show_packs(path)

    @staticmethod
    def _dropped_pack(event):
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if len(urls) == 1 and urls[0].isLocalFile() and urls[0].toLocalFile().endswith(SUFFIX):
            return urls[0].toLocalFile()
        return None

    def _library_changed(self, _library) -> None:
        """A pack was installed or removed: the search thread lists the new library meanwhile."""
        self.progress.setRange(0, 0)
        self.progress.show()

    def _feed_notice(self) -> None:
        """When the guides were last updated from the organisation's feed (a file staff's updates write),
        for the home page; a warning in the status bar too once that is too long ago."""
        from ..updates.state import describe_last_update

        try:
            notice = describe_last_update(self.settings)
        except CaseGuideError:
            notice = None
        self.reader.updated = (notice.text, notice.stale) if notice is not None else None
        if notice is not None and notice.stale:
            self.statusBar().showMessage(notice.text, 30000)

    def _library_loaded(self, library) -> None:
        """The library's list is ready (read on the search thread): the window's own parts follow it."""
        self._feed_notice()
        self.search_flow.library_listed()
        listed = len(library.listed(self.shared))
        self.count_label.setText(ngettext("{n} guide", "{n} guides", listed).format(n=listed))
        self._show_load_problems(library)
        self.reader.notice_changes()  # added and updated guides join "Changed since you last looked"
        place = self.history.current
        if place is not None and place.target != HOME and place.target not in library.guides:
            self.go_home()
        else:
            self.reader.refresh()
        self.libraryShown.emit()

    # Sessions --------------------------------------------------------------------

    def reset_session(self) -> None:
        """Start afresh for the next person: home page, no search, no history, normal zoom, no dialogs."""
        for widget in QApplication.topLevelWidgets():
            if widget is not self and isinstance(widget, QDialog):
                widget.close()
        self.link_dialog = None
        self.search_flow.reset()
        self.clipboard_guard.forget()  # nothing copied from a guide is left to paste
        self.left.setCurrentWidget(self.tree)
        self.tree.clearSelection()
        self.tree.collapseAll()
        for n in range(self.tree.topLevelItemCount()):
            self.tree.topLevelItem(n).setExpanded(True)
        self.view.reset_zoom()
        self.statusBar().clearMessage()
        self.reader.clear()
        for name in ("large_print", "client_version"):
            self.actions_by_name[name].setChecked(False)
        if i18n.current_language() != self.start_language:  # the next person starts in the usual one
            self.set_language(self.start_language)
        self.search_field.setFocus()

    # Languages ---------------------------------------------------------------------

    def set_language(self, code: str) -> None:
        """Speak *code* from now on, in the whole window, right to left where it is written so; only
        for this session (Preferences chooses the language CaseGuide starts in)."""
        if code == i18n.current_language():
            return
        for widget in QApplication.topLevelWidgets():  # dialogs open again in the new language
            if widget is not self and isinstance(widget, QDialog):
                widget.close()
        self.completer.popup().hide()
        language.apply(code)
        self.retranslate()
        if self.search_field.text().strip():
            self.run_search()  # the results' own words ("3 guides found") in the new language
        self.statusBar().showMessage(_("CaseGuide now speaks {name}.").format(name=i18n.native_name(code)), 5000)

    def retranslate(self) -> None:
        """Every word the window shows, in the interface's language now."""
        self.left.setAccessibleName(_("Library and search results"))
        self.splitter.handle(1).setAccessibleName(_("Divider between the list and the guide"))
        self.search_flow.retranslate()
        translate_menus(self)
        if self.shared:
            for name in ("packs", "preferences", "export_pdf"):
                self.actions_by_name[name].setToolTip(_("Ask a member of staff: not available on a shared PC"))
        self.toolbar.retranslate()
        self.language_button.retranslate()
        self.statusBar().setAccessibleName(_("Status bar"))
        self.progress.setAccessibleName(_("Preparing search"))
        self.progress.setFormat(_("Preparing search… %p%"))
        self.results.retranslate()
        self.tree.retranslate()
        self.view.retranslate()
        if self.library.loaded:
            listed = len(self.library.listed(self.shared))
            self.count_label.setText(ngettext("{n} guide", "{n} guides", listed).format(n=listed))
            self._show_load_problems(self.library)
        self.reader.refresh()

    # What a screen reader is told of a session's end (issue 27): said while the window is still there to
    # say it from; short, and naming what was done and what to do next.

    def end_session(self) -> None:
        self.reset_session()
        accessibility.announce(self, _("Session ended. Everything from this visit is cleared: "
                                       "CaseGuide is ready for the next person."))

    def idle_reset(self) -> None:
        self.reset_session()
        accessibility.announce(self, _("CaseGuide started afresh after a time without use. Nothing from "
                                       "before is kept."))

    def quick_exit(self) -> None:
        """Hide every window at once, wipe the session, then quit or stay hidden (the setting)."""
        action = self.settings.get("quick_exit.action") or ("quit" if self.shared else "hide")
        accessibility.announce(self, _("Quick exit: CaseGuide has closed.") if action == "quit" else
                               _("Quick exit: CaseGuide is hidden. Start CaseGuide again to come back."))
        for widget in QApplication.topLevelWidgets():
            widget.hide()
        QApplication.processEvents()
        self.reset_session()
        if action == "quit":
            QTimer.singleShot(0, QApplication.instance().quit)

    def bring_back(self) -> None:
        """Show the window again (after Quick exit hid it), on the home page."""
        self.showNormal()
        self.raise_()
        self.activateWindow()

    # Dialogs ------------------------------------------------------------------

    def show_problems(self) -> None:
        self._message(QMessageBox.Icon.Warning, _("Library problems") + f" – {APP_NAME}",
                      _("These files were skipped. The rest of the library works. "
                        "Whoever looks after the guides can fix them; the details say what is wrong."),
                      details="\n\n".join(self.library.warnings))

    def show_shortcuts(self) -> None:
        """Help > Keyboard shortcuts: a table beside the window, listing every key (never blocks)."""
        from .shortcuts_dialog import ShortcutsDialog, shortcut_rows

        dialog = self.shortcuts_dialog
        if dialog is None:
            dialog = self.shortcuts_dialog = ShortcutsDialog(shortcut_rows(self.actions_by_name), self)
            dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.destroyed.connect(lambda: setattr(self, "shortcuts_dialog", None))
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def show_about(self) -> None:
        about = _("Offline guides on data rights, privacy and immigration data sharing in the UK.")
        promise = _("CaseGuide never goes online and stores nothing about the people you help. Guides give "
                    "information, not legal advice.")
        self._message(QMessageBox.Icon.Information, _("About {app}").format(app=APP_NAME),
                      f"<b>{APP_NAME} {__version__}</b><p>{html.escape(about)}</p><p>{html.escape(promise)}</p>")

    def closeEvent(self, event) -> None:
        self.reader.wait()  # a page being made: let its thread finish first
        self.guard.remove()
        self.search.shutdown()
        super().closeEvent(event)
