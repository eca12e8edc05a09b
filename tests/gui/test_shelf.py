"""A caseworker's shelf in the window: pinned guides and "Changed since you last looked"."""

import pytest
from PySide6.QtCore import Qt, QUrl

from caseguide import paths, settings
from caseguide.library import Library
from caseguide.library.shelf import Shelf

from ..conftest import guide_file

pytestmark = pytest.mark.gui


def home_text(window):
    window.go_home()
    return window.view.toPlainText()


def test_pin_a_guide_to_the_home_page_and_unpin_it(qtbot, open_window, gui_library):
    window = open_window(gui_library)
    assert "Pinned guides" not in home_text(window)
    assert not window.actions_by_name["pin"].isEnabled()  # on the home page there is nothing to pin
    window.open_guide("guide-b")
    assert window.actions_by_name["pin"].isEnabled() and not window.actions_by_name["unpin"].isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert not window.actions_by_name["pin"].isEnabled() and window.actions_by_name["unpin"].isEnabled()
    home = home_text(window)
    assert "Pinned guides" in home and home.index("Registering with a GP") < home.index("Know your rights")
    window.close()

    again = open_window(gui_library)  # kept for the next time CaseGuide opens
    assert "Pinned guides" in home_text(again)
    again.follow_link(QUrl("shelf:unpin/guide-b"))
    assert "Pinned guides" not in again.view.toPlainText()
    assert Shelf.load().pinned == []


def updated_library(make_pack):
    return Library.discover(make_pack({
        "a.md": guide_file("Hospitals in England may charge for some care.", id="guide-a",
                           title="Hospital charges", reviewed="2026-12-02"),  # reviewed again
        "b.md": guide_file("You can register with a GP without papers.", id="guide-b",
                           title="Registering with a GP"),
        "c.md": guide_file("Lock down your settings.", id="guide-c", title="WhatsApp settings",
                           kind="walkthrough", topics="[phones]"),
        "d.md": guide_file("A new guide about eVisas.", id="guide-d", title="eVisa problems"),
    }, version="2.0"))


def changed_section(window):
    text = home_text(window)
    if "Changed since you last looked" not in text:
        return None
    return text.split("Changed since you last looked", 1)[1].split("Clear this list", 1)[0]


def test_after_a_pack_update_the_home_page_lists_what_changed_until_it_is_opened(qtbot, open_window,
                                                                                   gui_library, make_pack):
    window = open_window(gui_library)
    assert changed_section(window) is None  # the first time, nothing is new
    with qtbot.waitSignal(window.libraryShown, timeout=20000):  # the new library is listed on the search thread
        window.current.replace(updated_library(make_pack))  # as after installing a pack
    changed = changed_section(window)
    assert "Hospital charges (updated, reviewed 2 December 2026)" in changed
    assert "eVisa problems (new)" in changed
    assert "Registering with a GP" not in changed
    window.open_guide("guide-a")
    assert "Hospital charges" not in changed_section(window)
    window.follow_link(QUrl("shelf:dismiss"))
    assert changed_section(window) is None


def test_the_update_shows_the_next_time_caseguide_opens(qtbot, open_window, gui_library, make_pack):
    open_window(gui_library).close()
    window = open_window(updated_library(make_pack))
    assert "eVisa problems (new)" in changed_section(window)


def test_a_damaged_shelf_file_says_so_and_the_window_works(qtbot, open_window, gui_library):
    paths.shelf_file().parent.mkdir(parents=True, exist_ok=True)
    paths.shelf_file().write_text("{ damaged")
    window = open_window(gui_library)
    assert "could not be read" in window.statusBar().currentMessage()
    window.open_guide("guide-a")
    window.pin_current()
    assert Shelf.load().pinned == ["guide-a"]


def test_a_shared_pc_has_no_shelf_and_never_reads_or_writes_one(qtbot, open_window, gui_library, monkeypatch):
    shelf = Shelf.load()
    shelf.pin("guide-a")  # a caseworker's file from before the PC became shared
    before = paths.shelf_file().read_bytes()
    settings.set_value("shared.enabled", "true", system=True)
    monkeypatch.setattr(Shelf, "load", classmethod(lambda cls, path=None: pytest.fail("the shelf was read")))
    window = open_window(gui_library)
    assert window.shelf is None
    assert "Pinned guides" not in home_text(window)
    window.open_guide("guide-a")
    assert not window.actions_by_name["pin"].isVisible() and not window.actions_by_name["pin"].isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    window.follow_link(QUrl("shelf:unpin/guide-a"))
    guide_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "G&uide")
    assert [a.text() for a in guide_menu.actions()] == ["&Headings…", "&Links in this guide…"]  # no shelf
    assert paths.shelf_file().read_bytes() == before
