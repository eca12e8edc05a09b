"""Starting the window: the QApplication, Qt's messages into logging, the crash handler."""

from __future__ import annotations

import logging
import sys
import traceback

# The core the window uses, before PySide6: every module imported after it goes through shiboken's
# import hook, which reads the module's source to look for "from __feature__" (15 ms of CPU for
# these, a tenth of a bare window's start: issue 26).
from .. import APP_NAME, __version__, paths
from ..errors import CaseGuideError
from ..guides import home, markup, model, render  # noqa: F401 - imported now for the reason above
from ..i18n import _
from ..library import Library
from ..library import shelf  # noqa: F401
from ..search.cache import CatalogueCache
from ..session import history, quickexit  # noqa: F401
from ..settings import Settings

from PySide6 import QtCore  # noqa: E402, I001 - after the core, on purpose
from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from .accessibility import install as install_accessibility
from .icons import app_icon
from .instance import SingleInstance
from .style import install as install_palette

log = logging.getLogger(__name__)

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(kind, context, message):
    logging.getLogger("qt").log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


def application(argv=None) -> QApplication:
    """The QApplication, made once."""
    app = QApplication.instance()
    if app is None:
        qInstallMessageHandler(_qt_message)
        app = QApplication(argv if argv is not None else [sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("caseguide")
    app.setWindowIcon(app_icon())
    install_accessibility()
    install_palette(app)  # the window adds the focus ring after its first paint (gui/focus_ring)
    return app


# The crash dialogs on screen: a dialog nobody holds on to is collected by Python and vanishes.
_crash_boxes: list[QMessageBox] = []


def _crash_dialog(exc_type, exc, tb):
    """A bug, not a user's mistake: say so, and give the details to pass on."""
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    log.error("unexpected error:\n%s", details)
    if QApplication.instance() is None:  # before the window's application exists: the log says it
        sys.__excepthook__(exc_type, exc, tb)
        return
    parent = QApplication.activeWindow() or next(
        (w for w in QApplication.topLevelWidgets() if w.isVisible() and isinstance(w, QMainWindow)), None)
    box = QMessageBox(QMessageBox.Icon.Critical, f"{APP_NAME} – " + _("unexpected error"),
                      _("Something went wrong inside CaseGuide. This is a bug, not something you did.\n\n"
                        "You can carry on, but if it happens again, copy the details and send them "
                        "to whoever looks after CaseGuide at your organisation."), parent=parent)
    box.setDetailedText(details)
    box.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
    _crash_boxes.append(box)
    box.finished.connect(lambda _result: _crash_boxes.remove(box) if box in _crash_boxes else None)
    box.open()


def _tidy_interrupted_installs(machine_only: bool) -> None:
    from ..packs.store import clean_up_all

    clean_up_all(machine_only=machine_only)  # whatever an interrupted install left behind


class AlreadyOpen(Exception):
    """Another CaseGuide of this person's is running; it was asked to show its window."""


def window_library(current: Settings, library_dir=None) -> Library:
    """The library as the window starts with it (``caseguide screenshot`` too).

    The packs are found and their guides listed by the window's search thread, from the catalogues
    cached with the index (not on a shared PC, where the cache is every visitor's to write and the
    index is kept in memory: there each guide file is read, on that thread all the same). A
    --library folder is read now, so a wrong one is said before any window opens."""
    shared = current.shared_mode
    catalogues = None if shared else CatalogueCache(paths.index_cache_dir())
    if library_dir is None:
        return Library.later(catalogues, machine_only=shared, before=lambda: _tidy_interrupted_installs(shared))
    _tidy_interrupted_installs(shared)
    return Library.discover(library_dir, machine_only=shared, catalogues=catalogues)


def open_window(library_dir=None):
    """Everything ``caseguide`` does before the event loop: the QApplication, the library, the one
    instance, the crash handler and the window on screen. Returns (app, window, instance).

    Raises CaseGuideError for a library that cannot be read, AlreadyOpen if another window is open.
    The soak test opens the window through here, so it tests what a person starts.
    """
    sys.excepthook = _crash_dialog  # first: a bug while starting is shown, not lost
    app = application()
    from .main_window import MainWindow  # after the QApplication exists

    current = Settings()
    library = window_library(current, library_dir)
    instance = SingleInstance(paths.runtime_dir())
    if not instance.acquire():
        instance.wake_other()
        raise AlreadyOpen
    window = MainWindow(library, current)
    instance.woken.connect(window.bring_back)
    window.firstPainted.connect(instance.watch)
    window.show()
    return app, window, instance


def run(library_dir=None) -> int:
    try:
        app, _window, instance = open_window(library_dir)
    except CaseGuideError as exc:
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 1
    except AlreadyOpen:
        print("CaseGuide is already open for you: bringing its window back.", file=sys.stderr)
        return 0
    try:
        return app.exec()
    finally:
        instance.release()
