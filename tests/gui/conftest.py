import contextlib
import time

import pytest
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QColor, QImage

from caseguide.library import Library

from ..conftest import guide_file


def png_bytes(width=40, height=20) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("steelblue"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


@pytest.fixture
def gui_library(make_pack):
    root = make_pack({
        "guides/a.md": guide_file(
            "Hospitals in England may charge for some care.\n\n"
            "Read [the GP guide](b.md) next, or the [NHS website](https://www.nhs.uk/).\n\n"
            "![A chart](../img/chart.png)\n",
            id="guide-a", title="Hospital charges", related="[guide-b]"),
        "guides/b.md": guide_file("You can register with a GP without papers.\n\n## Steps\n\n1. Ask.\n",
                                  id="guide-b", title="Registering with a GP"),
        "guides/c.md": guide_file("Lock down your settings.", id="guide-c", title="WhatsApp settings",
                                  kind="walkthrough", topics="[phones]"),
        "img/chart.png": png_bytes(),
    })
    return Library.discover(root)


@pytest.fixture
def open_window(qtbot):
    """show(library, size=None) -> a main window on screen with its search ready and its library
    listed (the search answers first: issue 26); closed afterwards."""
    from caseguide.gui.main_window import MainWindow
    from caseguide.settings import Settings

    opened = []

    def show(library, size=None):
        win = MainWindow(library, Settings())
        qtbot.addWidget(win)
        if size:
            win.resize(*size)
        with qtbot.waitSignals([win.searchReady, win.libraryShown], timeout=20000):
            win.show()
        win.activateWindow()
        qtbot.waitExposed(win)
        opened.append(win)
        return win

    yield show
    for win in opened:
        win.close()


@pytest.fixture
def window(open_window, gui_library):
    return open_window(gui_library)


def wait_for(predicate, seconds=20.0):
    """Poll *predicate* (for things outside this process: another program, an X server) until it
    returns something true or *seconds* pass; returns its last value."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return predicate()


@pytest.fixture
def display():
    """A private virtual screen, on a display number Xvfb chose as free."""
    from ..xvfb import virtual_screen

    stack = contextlib.ExitStack()
    try:
        name = stack.enter_context(virtual_screen("1280x800x24"))
    except RuntimeError as exc:
        pytest.fail(str(exc))
    with stack:
        yield name
