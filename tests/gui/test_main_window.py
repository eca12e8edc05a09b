"""The window as a caseworker uses it."""

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QAccessible, QDesktopServices, QTextDocument
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox, QWidget

from caseguide.settings import Settings

from ..conftest import guide_file

pytestmark = pytest.mark.gui


def accessible_children(widget):
    """What a screen reader finds inside *widget* (Qt's accessibility tree, as the bridge reads it)."""
    iface = QAccessible.queryAccessibleInterface(widget)
    return [iface.child(i) for i in range(iface.childCount())]


def click_link_text(qtbot, view, text):
    """Click the middle of *text* in the reading view, as a person would."""
    cursor = view.document().find(text)
    assert not cursor.isNull(), f"{text!r} is not on the page"
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    rect = view.cursorRect(cursor)
    point = QPoint(rect.left() - 20, rect.center().y())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_starts_on_the_home_page_with_the_three_sections(window):
    text = window.view.toPlainText()
    for section in ("Know your rights", "Privacy walkthroughs", "Data-sharing explainers"):
        assert section in text
    assert window.windowTitle() == "CaseGuide"
    assert "Hospital charges" in text


def test_search_open_follow_a_link_and_go_back(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.search_field

    qtbot.keyClicks(window.search_field, "charges")
    qtbot.waitUntil(lambda: window.results.list.count() > 0, timeout=5000)
    first = window.results.list.item(0)
    assert first.text().startswith("Hospital charges")
    assert "<b>charge</b>" in first.data(Qt.ItemDataRole.UserRole + 1)  # highlighted snippet

    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Hospital charges"), timeout=5000)
    assert "Last reviewed 1 November 2026" in window.view.toPlainText()

    click_link_text(qtbot, window.view, "GP guide")
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Registering with a GP"), timeout=5000)
    assert "register with a GP without papers" in window.view.toPlainText()

    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.windowTitle().startswith("Hospital charges")
    assert window.actions_by_name["forward"].isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.windowTitle().startswith("Registering with a GP")


def test_enter_before_results_arrive_still_opens_the_best_match(qtbot, window):
    window.search_field.setFocus()
    qtbot.keyClicks(window.search_field, "whatsapp")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)  # at once, inside the typing pause
    qtbot.waitUntil(lambda: window.windowTitle().startswith("WhatsApp settings"), timeout=5000)


def test_down_arrow_moves_into_results_and_escape_clears(qtbot, window):
    window.search_field.setFocus()
    qtbot.keyClicks(window.search_field, "register")
    qtbot.waitUntil(lambda: window.results.list.count() > 0, timeout=5000)
    qtbot.keyClick(window.search_field, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is window.results.list
    qtbot.keyClick(window.results.list, Qt.Key.Key_Return)
    assert window.windowTitle().startswith("Registering with a GP")
    window.search_field.setFocus()
    qtbot.keyClick(window.search_field, Qt.Key.Key_Escape)
    assert window.search_field.text() == ""
    assert window.left.currentWidget() is window.tree


def test_no_results_says_so(qtbot, window):
    window.search_field.setText("xylophone")
    qtbot.waitUntil(lambda: "No guides match" in window.results.heading.text(), timeout=5000)


def test_the_library_tree_opens_guides_by_kind_and_topic(qtbot, window):
    tree = window.tree
    kinds = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert kinds == ["Know your rights (2)", "Privacy walkthroughs (1)", "Data-sharing explainers (0)"]
    topic = tree.topLevelItem(0).child(0)
    assert topic.text(0) == "Health"
    guide_item = topic.child(0)
    tree.setFocus()
    tree.setCurrentItem(guide_item)
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert window.windowTitle().startswith(guide_item.text(0))


def test_zoom_changes_the_text_size_and_resets(qtbot, window):
    before = window.view.font().pointSizeF()
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.view.font().pointSizeF() == pytest.approx(before + 2)
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.view.font().pointSizeF() == pytest.approx(before + 1)
    window.actions_by_name["zoom_reset"].trigger()
    assert window.view.font().pointSizeF() == pytest.approx(before)


def test_external_links_ask_first_and_show_the_address(qtbot, window, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url)))
    window.open_guide("guide-a")
    click_link_text(qtbot, window.view, "NHS website")
    qtbot.waitUntil(lambda: window.link_dialog is not None and window.link_dialog.isVisible())
    dialog = window.link_dialog
    assert "https://www.nhs.uk/" in dialog.informativeText()
    assert opened == []  # nothing opened before the person chooses
    [cancel] = [b for b in dialog.buttons() if dialog.buttonRole(b) == QMessageBox.ButtonRole.RejectRole]
    cancel.click()
    assert opened == []
    click_link_text(qtbot, window.view, "NHS website")
    qtbot.waitUntil(lambda: window.link_dialog is not None)
    [open_button] = [b for b in window.link_dialog.buttons() if b.text() == "Open in browser"]
    open_button.click()
    assert opened == [QUrl("https://www.nhs.uk/")]


def test_images_load_only_from_inside_the_guides_pack(window):
    window.open_guide("guide-a")
    kind = QTextDocument.ResourceType.ImageResource
    assert not window.view.loadResource(kind, QUrl("pack:test/img/chart.png")).isNull()
    for url in ["file:///etc/passwd", "pack:test/../../etc/passwd", "https://example.org/a.png",
                "pack:other/img/chart.png", "img/chart.png"]:
        assert window.view.loadResource(kind, QUrl(url)).isNull(), url


def test_unknown_guide_links_say_so(window):
    window.follow_link(QUrl("guide:not-installed"))
    assert "not in this library" in window.statusBar().currentMessage()


def test_every_focusable_control_has_a_name(window):
    unnamed = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        name = widget.accessibleName() or (widget.text() if isinstance(widget, QAbstractButton) else "")
        if not name and not widget.objectName().startswith("qt_"):
            unnamed.append(type(widget).__name__)
    assert unnamed == []


def test_standard_shortcuts(window):
    shortcuts = {name: [s.toString() for s in action.shortcuts()]
                 for name, action in window.actions_by_name.items()}
    assert "Ctrl+F" in shortcuts["find"]
    assert "Ctrl+Q" in shortcuts["quit"]
    assert "Alt+Left" in shortcuts["back"]
    assert "Alt+Right" in shortcuts["forward"]


def test_a_misspelt_search_shows_the_correction_and_can_search_as_typed(qtbot, window):
    window.search_field.setText("hospitl chargs")
    qtbot.waitUntil(lambda: "Showing results for" in window.results.heading.text(), timeout=5000)
    assert window.results.first_guide() == "guide-a"
    heading = window.results.heading.text()
    assert "Showing results for <b>hospital</b> chargs" in heading  # the corrected word in bold ("chargs" is
    # another form of "charges" to the index: searched as typed)
    assert "search instead for hospitl chargs" in heading
    with qtbot.waitSignal(window.resultsShown, timeout=5000):
        window.results.heading.linkActivated.emit("instead:hospitl chargs")
    assert "Showing results for" not in window.results.heading.text()


def test_filters_narrow_the_results(qtbot, window):
    window.search_field.setText("settings register charge")
    qtbot.waitUntil(lambda: window.results.list.count() == 3, timeout=5000)
    kinds = window.results.kind
    with qtbot.waitSignal(window.resultsShown, timeout=5000):
        kinds.setCurrentIndex(kinds.findData("walkthrough"))
    assert [window.results.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(window.results.list.count())] == ["guide-c"]
    topics = window.results.topic
    assert topics.findText("Health") > 0


def test_title_suggestions_open_a_guide(qtbot, window):
    window.completer.activated[str].emit("Registering with a GP")
    assert window.windowTitle().startswith("Registering with a GP")


def test_a_search_overtaken_by_typing_is_skipped_and_the_newest_answered(gui_library):
    from caseguide.gui.search_worker import SearchWorker

    newest = 3
    worker = SearchWorker(gui_library, latest_request=lambda: newest)
    worker.open_index()
    answered = []
    worker.results.connect(lambda request, found: answered.append((request, [h.id for h in found.hits])))
    for request, words in ((1, "hos"), (2, "hospi"), (3, "hospital")):
        worker.search(request, words, {})
    assert answered == [(3, ["guide-a"])]


def test_results_show_title_and_snippet_and_a_new_search_replaces_them(qtbot, window):
    window.search_field.setText("hospital")
    qtbot.waitUntil(lambda: window.results.list.count() == 1)
    item = window.results.list.item(0)
    assert item.text() == "Hospital charges"
    first = window.results.list.visualItemRect(item).height()
    assert first > window.fontMetrics().height() * 2  # title and at least one line of snippet
    window.search_field.setText("register")
    qtbot.waitUntil(lambda: window.results.list.count() == 1
                    and window.results.list.item(0).text().startswith("Registering with a GP"))


def test_a_screen_reader_hears_a_result_as_title_kind_and_summary(qtbot, window):
    window.search_field.setText("hospital")
    qtbot.waitUntil(lambda: window.results.list.count() == 1)
    [result] = [c for c in accessible_children(window.results.list) if c.role() == QAccessible.Role.ListItem]
    assert result.text(QAccessible.Text.Name) == "Hospital charges. Know your rights. What a sample guide is for."
    assert "Hospitals in England may charge" in result.text(QAccessible.Text.Description)


def test_the_count_of_results_is_announced_without_moving_the_focus(qtbot, window):
    window.search_field.setFocus()
    with qtbot.waitSignal(window.results.announced, timeout=5000) as said:
        qtbot.keyClicks(window.search_field, "register")
    assert said.args == ["1 guide found."]
    assert QApplication.focusWidget() is window.search_field
    with qtbot.waitSignal(window.results.announced, timeout=5000) as said:
        window.search_field.setText("xylophone")
    assert said.args == ["No guides match xylophone."]


@pytest.mark.parametrize("width", [1200, 900, 640])
def test_quick_exit_stays_on_the_toolbar_in_a_narrow_window(qtbot, window, width):
    window.resize(width, 600)
    qtbot.waitUntil(lambda: window.width() == width)
    QApplication.processEvents()
    bar = window.toolbar
    for name in ("quick_exit", "back", "print"):
        button = bar.widgetForAction(window.actions_by_name[name])
        assert button.isVisible(), f"{name} fell off the toolbar at {width} px"
        assert button.geometry().right() <= bar.width()
    quick = bar.widgetForAction(window.actions_by_name["quick_exit"])
    assert quick.text() == "Quick exit" and quick.toolButtonStyle() != Qt.ToolButtonStyle.ToolButtonIconOnly


def test_the_reading_pane_gets_most_of_a_small_window(open_window, gui_library):
    win = open_window(gui_library, size=(640, 480))
    left, reading = win.splitter.sizes()
    assert reading > left >= 200


def test_the_search_field_has_the_focus_when_the_window_opens(qtbot, window):
    assert window.focusWidget() is window.search_field
    qtbot.keyClicks(window.focusWidget(), "hospital")  # a person can just start typing
    qtbot.waitUntil(lambda: window.results.list.count() == 1)


def test_a_correction_is_made_though_another_word_finds_guides(qtbot, window):
    window.search_field.setText("registr gp")  # "gp" alone finds a guide; "registr" is no word
    qtbot.waitUntil(lambda: "Showing results for" in window.results.heading.text(), timeout=5000)
    assert "<b>register</b> gp" in window.results.heading.text()
    assert window.results.first_guide() == "guide-b"


def test_when_no_guide_has_every_word_the_heading_and_each_result_say_so(qtbot, window):
    window.search_field.setText("hospitals whatsapp")
    qtbot.waitUntil(lambda: "No guide matches all of" in window.results.heading.text(), timeout=5000)
    heading = window.results.heading.text()
    assert "No guide matches all of: <b>hospitals whatsapp</b>" in heading
    assert "2 guides with some of these words" in heading
    items = [window.results.list.item(n) for n in range(window.results.list.count())]
    said = {item.text(): item.data(Qt.ItemDataRole.AccessibleDescriptionRole) for item in items}
    shown = {item.text(): item.data(Qt.ItemDataRole.UserRole + 1) for item in items}
    assert said["Hospital charges"].endswith("Missing: whatsapp.") and "Missing: whatsapp" in shown["Hospital charges"]
    assert said["WhatsApp settings"].endswith("Missing: hospitals.")


def test_the_window_is_up_before_the_library_is_listed(qtbot, gui_library):
    """Nothing the library's size decides happens before the first paint: the guides are listed on
    the search thread, and the tree, count and home page lists follow."""
    from caseguide.gui.main_window import MainWindow

    win = MainWindow(gui_library, Settings())
    qtbot.addWidget(win)
    assert not gui_library.loaded  # making the window did not list the guides
    assert win.tree.topLevelItemCount() == 0 and "Listing the guides" in win.view.toPlainText()
    with qtbot.waitSignals([win.libraryShown, win.searchReady], timeout=20000):  # search answers first
        win.show()
    assert win.tree.topLevelItemCount() == 3 and win.count_label.text() == "3 guides"
    assert "Hospital charges" in win.view.toPlainText() and "Listing the guides" not in win.view.toPlainText()
    win.close()


def test_the_tree_holds_every_guide_also_one_without_topics(qtbot, make_pack, open_window):
    from caseguide.library import Library

    root = make_pack({"a.md": guide_file(id="with-topic", title="With a topic", topics="[health]"),
                      "b.md": guide_file(id="no-topic", title="Without a topic", topics="[]")})
    win = open_window(Library.discover(root))
    rights = win.tree.topLevelItem(0)
    assert rights.text(0) == "Know your rights (2)"
    assert [rights.child(n).text(0) for n in range(rights.childCount())] == ["Without a topic", "Health"]
    win.open_guide("with-topic")
    assert win.tree.currentItem().text(0) == "With a topic"
