"""The reading view as a screen reader gets it (issue 27): a document named by what is open, its headings
with their levels, H and K to move by them, the Headings and Links lists, and what is said without
moving the focus (counts, Quick exit, End session, a pack that would not install).

What Orca itself says of all this is tests/a11y/test_speech.py.
"""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from caseguide import settings
from caseguide.gui.accessibility import announcements
from caseguide.gui.page_index import Heading, Link
from caseguide.library import Library

from ..conftest import guide_file

pytestmark = pytest.mark.gui

Name, Description = QAccessible.Text.Name, QAccessible.Text.Description


def accessible(obj):
    return QAccessible.queryAccessibleInterface(obj)


def page_of(view):
    pane = accessible(view.viewport())
    return [pane.child(n) for n in range(pane.childCount())]


@pytest.fixture
def said(qtbot):
    """Everything announce() gives a screen reader while the test runs."""
    heard = []
    announcements().said.connect(heard.append)
    yield heard
    announcements().said.disconnect(heard.append)


def press(widget, key, modifier=Qt.KeyboardModifier.NoModifier):
    QTest.keyClick(widget, key, modifier)
    QApplication.processEvents()


def test_the_reading_view_is_a_document_named_by_what_is_open(window):
    page = accessible(window.view)
    assert page.role() == QAccessible.Role.Document
    assert page.text(Name) == "Home page, 3 guides"  # the home page says how many it holds
    window.open_guide("guide-a")
    page = accessible(window.view)
    assert page.text(Name) == "Hospital charges"
    text = page.textInterface()  # Qt's own text, read from the caret
    assert text is not None and text.text(0, 16) == "Hospital charges"
    assert text.characterCount() == window.view.document().characterCount() - 1
    window.view.setFocus()
    cursor = window.view.textCursor()
    cursor.setPosition(5)
    window.view.setTextCursor(cursor)
    assert text.cursorPosition() == 5
    window.open_guide("guide-b")
    assert accessible(window.view).text(Name) == "Registering with a GP"


def test_headings_are_objects_that_say_their_level_and_links_follow_them_in_reading_order(window):
    window.open_guide("guide-b")
    items = page_of(window.view)
    assert [(i.role(), i.text(Name)) for i in items] == [
        (QAccessible.Role.Heading, "Registering with a GP"), (QAccessible.Role.Heading, "Steps"),
        (QAccessible.Role.Heading, "Sources"),
        (QAccessible.Role.Link, "https://www.gov.uk/guidance/paying-an-nhs-debt (website)")]
    levels = [i.attributesInterface().attributeValue(QAccessible.Attribute.Level) for i in items[:3]]
    assert levels == [1, 2, 2]
    assert all(i.attributesInterface() is None for i in items[3:])


def test_h_and_k_move_by_heading_and_by_link_and_enter_follows_the_link(qtbot, window, said):
    window.open_guide("guide-a")
    view = window.view
    view.setFocus()
    press(view, Qt.Key.Key_H)
    index = view.page_index
    assert index.current_item() == Heading(212, 219, 2, "Sources")  # the title is where the caret starts
    assert view.textCursor().position() == 212
    press(view, Qt.Key.Key_H, Qt.KeyboardModifier.ShiftModifier)
    assert index.current_item().text == "Hospital charges"
    press(view, Qt.Key.Key_H, Qt.KeyboardModifier.ShiftModifier)
    assert said[-1] == "No more headings."
    press(view, Qt.Key.Key_K)
    link = index.current_item()
    assert isinstance(link, Link) and link.text == "the GP guide"
    gp = next(i for i in page_of(view) if i.text(Name) == "the GP guide")
    assert gp.state().focused and not accessible(view).state().focused  # the link has it, not the page
    assert not view.textCursor().hasSelection() and view.extraSelections()  # shown selected, not selected
    press(view, Qt.Key.Key_K, Qt.KeyboardModifier.ShiftModifier)
    assert said[-1] == "No more links."
    press(view, Qt.Key.Key_Return)
    assert window.windowTitle().startswith("Registering with a GP")


def test_moving_the_caret_off_a_link_leaves_it(window):
    window.open_guide("guide-a")
    view = window.view
    view.setFocus()
    press(view, Qt.Key.Key_K)
    assert view.page_index.current() is not None
    cursor = view.textCursor()
    cursor.setPosition(3)
    view.setTextCursor(cursor)
    assert view.page_index.current() is None and view.extraSelections() == []
    press(view, Qt.Key.Key_Return)
    assert window.windowTitle().startswith("Hospital charges")  # Enter off a link follows nothing


def test_guide_headings_lists_every_heading_by_level_and_goes_to_the_chosen_one(qtbot, window):
    window.open_guide("guide-a")
    press(window.view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.page_lists.dialog
    assert dialog is not None and dialog.isVisible()
    rows = [dialog.list.item(n) for n in range(dialog.list.count())]
    assert accessible(dialog.list).text(Name) == "Headings"
    assert [r.data(Qt.ItemDataRole.AccessibleTextRole) for r in rows] == [
        "Hospital charges, level 1", "Sources, level 2", "Related guides, level 2"]
    dialog.list.setCurrentRow(2)
    press(dialog.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page_lists.dialog is None)
    assert window.focusWidget() is window.view  # (the window is active again once the dialog has gone)
    assert window.view.page_index.current_item().text == "Related guides"


def test_links_in_this_guide_follows_the_chosen_link_or_moves_to_it(qtbot, window):
    window.open_guide("guide-a")
    dialog = window.page_lists.show_links()
    rows = [dialog.list.item(n) for n in range(dialog.list.count())]
    assert [r.data(Qt.ItemDataRole.AccessibleTextRole) for r in rows][:2] == ["the GP guide", "NHS website"]
    assert rows[0].data(Qt.ItemDataRole.AccessibleDescriptionRole) == "Guide: Registering with a GP"
    dialog.list.setCurrentRow(1)
    dialog.go_button.click()  # Move to link
    assert window.view.page_index.current_item().text == "NHS website"
    dialog = window.page_lists.show_links()
    dialog.list.setCurrentRow(0)
    press(dialog.list, Qt.Key.Key_Return)  # follows it
    assert window.windowTitle().startswith("Registering with a GP")


@pytest.mark.parametrize("key, title", [(Qt.Key.Key_H, "Headings"), (Qt.Key.Key_K, "Links in this guide")])
def test_orcas_own_keys_for_its_lists_open_these_lists(window, key, title):
    window.open_guide("guide-a")
    window.view.setFocus()
    press(window.view, key, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.page_lists.dialog is not None and window.page_lists.dialog.windowTitle().startswith(title)
    assert QApplication.activePopupWidget() is None  # no menu opened by its Alt letter instead


def test_a_page_without_links_says_so_instead_of_an_empty_list(make_pack, open_window, said):
    root = make_pack({"guides/a.md": guide_file("No links here.", id="a", title="Plain", sources="[]")})
    win = open_window(Library.discover(root))
    win.open_guide("a")
    assert win.view.page_index.links() == []
    assert win.page_lists.show_links() is None
    assert said[-1] == "This page has no links."


def test_the_home_page_says_how_many_guides_each_section_holds(window):
    names = [h.text for h in window.view.page_index.headings()]
    assert "Know your rights (2 guides)" in names and "Privacy walkthroughs (1 guide)" in names


def test_the_packs_dialog_says_how_many_packs_and_publishers(window):
    packs = window.show_packs()
    assert packs.table.rowCount() == 1  # the test pack
    assert packs.table.accessibleDescription() == "1 pack installed."
    assert packs.keys.accessibleDescription() == "0 publishers trusted."
    packs.close()


def test_quick_exit_says_what_happened_and_how_to_come_back(window, said):
    window.quick_exit()
    assert said[-1] == "Quick exit: CaseGuide is hidden. Start CaseGuide again to come back."


def test_end_session_says_everything_is_cleared(qtbot, window, said):
    window.end_session()
    assert said[-1] == "Session ended. Everything from this visit is cleared: CaseGuide is ready for the next person."
    window.idle_reset()
    assert said[-1].startswith("CaseGuide started afresh")


def test_a_pack_that_will_not_install_says_why(qtbot, window, tmp_path, said):
    bad = tmp_path / "broken.cgpack"
    bad.write_bytes(b"not a pack")
    packs = window.show_packs()
    with qtbot.waitSignal(announcements().said, timeout=10000,
                          check_params_cb=lambda message: message.startswith("Not done.")):
        packs.check_file(bad)
    assert len(said[-1]) > len("Not done. ")
    packs.close()


def test_a_settings_error_says_it_was_not_saved(qtbot, window, said, monkeypatch):
    from caseguide.errors import CaseGuideError

    def refuse(*args, **kwargs):
        raise CaseGuideError("the settings file cannot be written: ask whoever looks after this PC")

    monkeypatch.setattr(settings, "set_value", refuse)
    window.show_preferences()
    dialog = window.preferences_dialog
    dialog.name.setText("Hope Centre")
    dialog.save()
    assert said[-1] == "Not saved. the settings file cannot be written: ask whoever looks after this PC"
    dialog.close()
