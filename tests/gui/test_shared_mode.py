"""Shared-PC mode and Quick exit: the next visitor sees nothing of the last."""

import os
import tempfile
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication

from caseguide import paths, settings

pytestmark = pytest.mark.gui

SECRET_QUERY = "zanzibarvisitorword"


@pytest.fixture
def shared_window(open_window, gui_library, monkeypatch):
    settings.set_value("shared.enabled", "true", system=True)
    quits = []
    monkeypatch.setattr(QApplication.instance(), "quit", lambda: quits.append(True))
    win = open_window(gui_library)
    win.quits = quits
    return win


def use_the_app(qtbot, window):
    """What a visitor does: search, open a guide, zoom, open a print preview."""
    window.search_field.setFocus()
    qtbot.keyClicks(window.search_field, "charges")
    qtbot.waitUntil(lambda: window.results.list.count() > 0, timeout=5000)
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Hospital charges"), timeout=5000)
    window.open_guide("guide-b")
    window.view.zoom_by(3)
    window.print_handout()
    assert window.handouts.preview.isVisible()


def assert_fresh(window):
    assert window.search_field.text() == ""
    assert window.left.currentWidget() is window.tree
    assert window.results.list.count() == 0
    assert window.windowTitle() == "CaseGuide"
    assert not window.actions_by_name["back"].isEnabled()
    assert not window.actions_by_name["forward"].isEnabled()
    assert window.view.zoom_steps == 0
    assert window.tree.selectedItems() == []
    assert window.handouts.preview is None or not window.handouts.preview.isVisible()
    assert [w for w in QApplication.topLevelWidgets() if w is not window and w.isVisible()] == []
    assert window.focusWidget() is window.search_field  # the next visitor can just start typing


def test_the_home_page_explains_shared_mode_and_quick_exit(shared_window):
    text = shared_window.view.toPlainText()
    assert "This is a shared computer" in text and "Shift three times" in text
    assert "cannot erase what the computer" in text


def test_end_session_returns_to_a_fresh_start(qtbot, shared_window):
    use_the_app(qtbot, shared_window)
    shared_window.actions_by_name["end_session"].trigger()
    assert_fresh(shared_window)


def test_idle_reset(qtbot, shared_window):
    assert shared_window.guard.idle_timer.interval() == 300 * 1000  # the default
    use_the_app(qtbot, shared_window)
    shared_window.guard.idle_timer.start(200)  # a short timeout for the test
    with qtbot.waitSignal(shared_window.guard.idle, timeout=5000):
        pass
    assert_fresh(shared_window)


def keyboard(window):
    """Where a real keyboard's presses arrive first: the active window (a dialog, if one is open),
    which passes them on to its focus widget."""
    active = QApplication.activeModalWidget() or QApplication.activeWindow() or window
    return active.windowHandle()


def test_input_postpones_the_idle_reset(qtbot, shared_window):
    timer = shared_window.guard.idle_timer
    timer.start(400)
    shared_window.search_field.setFocus()
    started = time.monotonic()
    for _ in range(4):
        qtbot.waitUntil(lambda: timer.remainingTime() < 250, timeout=2000)  # the reset is getting close...
        qtbot.keyClick(keyboard(shared_window), Qt.Key.Key_A)
        assert timer.remainingTime() > 300  # ...and a key press puts it back
    assert time.monotonic() - started > 0.4  # longer than the idle time, in all
    assert shared_window.search_field.text() == "aaaa"  # not reset while typing


def test_three_shift_presses_hide_everything_at_once_and_quit(qtbot, shared_window):
    use_the_app(qtbot, shared_window)
    started = time.perf_counter()
    for _ in range(3):
        qtbot.keyClick(keyboard(shared_window), Qt.Key.Key_Shift)
    hidden_after = time.perf_counter() - started
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == []
    assert hidden_after < 0.2
    qtbot.waitUntil(lambda: shared_window.quits == [True], timeout=2000)  # quit is the shared-mode default
    shared_window.show()
    assert_fresh(shared_window)


def test_shift_typed_with_letters_never_triggers(qtbot, shared_window):
    shared_window.search_field.setFocus()
    for letter in (Qt.Key.Key_H, Qt.Key.Key_E, Qt.Key.Key_L, Qt.Key.Key_P):
        qtbot.keyPress(keyboard(shared_window), Qt.Key.Key_Shift)
        qtbot.keyClick(keyboard(shared_window), letter, Qt.KeyboardModifier.ShiftModifier)
        qtbot.keyRelease(keyboard(shared_window), Qt.Key.Key_Shift, Qt.KeyboardModifier.ShiftModifier)
    assert shared_window.isVisible()
    assert shared_window.quits == []


def test_packs_and_preferences_are_for_staff(shared_window):
    shared_window.actions_by_name["packs"].trigger()
    assert shared_window.packs_dialog is None
    assert "ask a member of staff" in shared_window.problem_box.windowTitle()
    shared_window.problem_box.close()
    shared_window.actions_by_name["preferences"].trigger()
    assert shared_window.preferences_dialog is None  # never opened
    assert not shared_window.actions_by_name["export_pdf"].isVisible()


@pytest.mark.parametrize("what", ["packs", "preferences"])
def test_visitors_are_told_to_ask_staff_and_nothing_about_the_command_line(shared_window, what):
    shared_window.actions_by_name[what].trigger()
    box = shared_window.problem_box
    words = f"{box.windowTitle()} {box.text()} {box.informativeText()} {box.detailedText()}"
    assert "Ask a member of staff" in box.text()
    for staff_talk in ("--system", "command line", "administrator"):
        assert staff_talk not in words
    box.close()


@pytest.fixture
def library_with_a_caseworker_guide(make_pack):
    from caseguide.library import Library

    from ..conftest import guide_file

    return Library.discover(make_pack({
        "client.md": guide_file("You can see a GP for free.", id="gp-free", title="Seeing a GP"),
        "staff.md": guide_file("The immigration exemption lets a controller refuse access to data.",
                               id="exemption", title="The immigration exemption", audience="caseworker"),
    }))


def listed_to(qtbot, window):
    """Every place a guide is listed or found: home page, library tree, title suggestions, search."""
    home = window.view.toPlainText()
    tree = [window.tree.topLevelItem(i) for i in range(window.tree.topLevelItemCount())]
    titles = []
    while tree:
        item = tree.pop()
        titles.append(item.text(0))
        tree += [item.child(i) for i in range(item.childCount())]
    window.search_field.setText("exemption")
    with qtbot.waitSignal(window.resultsShown, timeout=5000):
        window.run_search(exact=True)
    found = [window.results.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.results.list.count())]
    return {"home": "immigration exemption" in home, "tree": "The immigration exemption" in titles,
            "completer": "The immigration exemption" in window.completer_model.stringList(),
            "search": "exemption" in found}


def test_guides_for_caseworkers_are_not_listed_to_visitors(qtbot, open_window, library_with_a_caseworker_guide):
    settings.set_value("shared.enabled", "true", system=True)
    window = open_window(library_with_a_caseworker_guide)
    assert listed_to(qtbot, window) == {"home": False, "tree": False, "completer": False, "search": False}
    window.search_field.clear()
    assert "Seeing a GP" in window.view.toPlainText()  # guides for clients are listed as ever


def test_caseworkers_see_their_guides_outside_shared_mode(qtbot, open_window, library_with_a_caseworker_guide):
    window = open_window(library_with_a_caseworker_guide)
    assert listed_to(qtbot, window) == {"home": True, "tree": True, "completer": True, "search": True}


@pytest.fixture
def linked_caseworker_guide(make_pack):
    """A client guide that links to a caseworker guide, and has a caseworker guide as its translation."""
    from caseguide.library import Library

    from ..conftest import guide_file

    return Library.discover(make_pack({
        "client.md": guide_file("See [the background](guide:exemption).", id="gp-free", title="Seeing a GP",
                                related="[exemption]"),
        "staff.md": guide_file("The immigration exemption.", id="exemption", title="The immigration exemption",
                               audience="caseworker"),
        "staff-ar.md": guide_file("نص.", id="gp-free-ar", title="زيارة الطبيب", language="ar",
                                  translation_of="gp-free", audience="caseworker"),
    }))


def test_no_way_opens_a_caseworkers_guide_for_a_visitor(qtbot, open_window, linked_caseworker_guide):
    """Issue 22: hidden from lists, a caseworker's guide was still reached through a link in a client
    guide, an "Also in" version, and Back and Forward; its handout printed."""
    settings.set_value("shared.enabled", "true", system=True)
    window = open_window(linked_caseworker_guide)
    assert window.open_guide("gp-free")
    page = window.view.toPlainText()
    assert "Also in" not in page and "The immigration exemption" not in page  # no version, no related link
    window.follow_link(QUrl("guide:exemption"))  # the link in the text
    assert window.windowTitle().startswith("Seeing a GP")
    assert "for staff" in window.statusBar().currentMessage()
    window.follow_link(QUrl("guide:gp-free-ar"))  # the translation, by its address
    assert window.windowTitle().startswith("Seeing a GP")
    window.history.visit("exemption")  # as if it had got into the history some other way
    window.go_back()
    window.go_forward()
    assert "The immigration exemption" not in window.view.toPlainText()
    window.history.visit("exemption")
    assert window.handout_guides() == []


def test_the_command_line_shows_and_prints_no_caseworkers_guide_on_a_shared_pc(capsys, linked_caseworker_guide,
                                                                               tmp_path):
    from caseguide.cli import main

    settings.set_value("shared.enabled", "true", system=True)
    root = str(linked_caseworker_guide.folder)
    assert main(["--library", root, "show", "exemption"]) == 1
    assert "for staff only" in capsys.readouterr().err
    assert main(["--library", root, "handout", "exemption", "-o", str(tmp_path / "h.pdf")]) == 1
    assert "for staff only" in capsys.readouterr().err and not (tmp_path / "h.pdf").exists()
    assert main(["--library", root, "show", "gp-free", "--format", "html"]) == 0
    shown = capsys.readouterr().out
    assert "guide:exemption" in shown and "The immigration exemption" not in shown  # not offered as related


def test_the_reading_views_menu_offers_no_copy_of_a_link_on_a_shared_pc(qtbot, open_window, linked_caseworker_guide):
    window = open_window(linked_caseworker_guide)
    window.open_guide("gp-free")
    view = window.view
    link = view.document().find("the background")
    position = view.cursorRect(link).center()

    def names(menu):
        return [a.objectName() for a in menu.actions()]

    assert "link-copy" in names(view.context_menu(position))  # a caseworker may copy an address
    view._shared = True
    assert "link-copy" not in names(view.context_menu(position))
    window.close()


def test_external_links_are_shown_never_opened(qtbot, shared_window, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url)))
    shared_window.follow_link(QUrl("https://www.nhs.uk/"))
    box = shared_window.link_dialog
    assert "https://www.nhs.uk/" in box.informativeText()
    assert [b.text() for b in box.buttons()] in (["OK"], ["&OK"])
    assert all(b.text() not in ("Open in browser", "Copy address") for b in box.buttons())
    box.buttons()[0].click()
    assert opened == []
    assert QApplication.clipboard().text() != "https://www.nhs.uk/"


def test_quick_exit_in_normal_mode_hides_and_the_window_can_come_back(qtbot, window, monkeypatch):
    quits = []
    monkeypatch.setattr(QApplication.instance(), "quit", lambda: quits.append(True))
    window.open_guide("guide-a")
    window.actions_by_name["quick_exit"].trigger()
    assert not window.isVisible()
    later = []
    QTimer.singleShot(0, lambda: later.append(True))  # runs after anything Quick exit left queued
    qtbot.waitUntil(lambda: bool(later), timeout=2000)
    assert quits == []  # normal mode: stay hidden
    window.bring_back()
    assert window.isVisible() and window.windowTitle() == "CaseGuide"


@pytest.fixture
def private_temp(tmp_path, monkeypatch):
    """The temporary folder, for this test alone: other programs on the machine write to /tmp too."""
    folder = tmp_path / "temp"
    folder.mkdir()
    for var in ("TMPDIR", "TEMP", "TMP"):
        monkeypatch.setenv(var, str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)  # so tempfile asks again
    return folder


def test_a_visitor_session_leaves_no_trace_on_disk(qtbot, private_temp, shared_window, gui_library, tmp_path,
                                                  tmp_path_factory):
    started = time.time()
    assert Path(tempfile.gettempdir()) == private_temp
    shared_window.search_field.setFocus()
    qtbot.keyClicks(shared_window.search_field, SECRET_QUERY)
    qtbot.waitUntil(lambda: "No guides match" in shared_window.results.heading.text(), timeout=5000)
    shared_window.search_field.clear()
    use_the_app(qtbot, shared_window)
    shared_window.reset_session()
    for _ in range(3):
        qtbot.keyClick(keyboard(shared_window), Qt.Key.Key_Shift)

    pack_root = Path(gui_library.packs[0].root)
    roots = {paths.user_config_dir(), paths.user_data_dir(), paths.user_cache_dir(), paths.site_config_dir(),
             paths.site_data_dir(), paths.runtime_dir(), Path(os.environ["XDG_STATE_HOME"]),
             Path(tempfile.gettempdir()), Path.home() / ".config" / "QtProject.conf"}
    visited_ids = ["guide-a", "guide-b"]
    leaks = []
    other_tests = tmp_path_factory.getbasetemp().parent  # other tests' folders, this run's and other runs'
    for root in roots:
        files = [root] if root.is_file() else (root.rglob("*") if root.is_dir() else [])
        for path in files:
            try:
                if (not path.is_file() or path.is_symlink() or path.stat().st_mtime < started
                        or (other_tests in path.parents and tmp_path not in path.parents)
                        or pack_root in path.parents or paths.index_cache_dir() in path.parents
                        or path.stat().st_size > 20_000_000):
                    continue
                data = path.read_bytes()
            except OSError:
                continue
            typed = [SECRET_QUERY, "charges"]  # everything the visitor searched for
            leaks += [f"{path}: {word}" for word in typed + visited_ids if word.encode() in data]
    assert leaks == []


def ending_buttons_at_640(qtbot, window) -> list:
    """End session and Quick exit, once *window* is 640 pixels wide, each asserted on the bar."""
    window.resize(640, 500)
    qtbot.waitUntil(lambda: window.width() == 640)
    QApplication.processEvents()
    bar = window.toolbar
    buttons = [bar.widgetForAction(window.actions_by_name[name]) for name in ("end_session", "quick_exit")]
    for button in buttons:
        assert button.isVisible() and button.geometry().right() <= bar.width(), button.text()
    return buttons


def test_end_session_and_quick_exit_stay_on_screen_in_a_narrow_window(qtbot, shared_window):
    for button in ending_buttons_at_640(qtbot, shared_window):
        assert button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon


def print_action(preview):
    """The preview's own Print button (Qt names it only in English; the tests run in English)."""
    from PySide6.QtGui import QAction

    [action] = [a for a in preview.findChildren(QAction) if a.text() == "Print"]
    return action


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, when a print dialog opens
@pytest.mark.skipif(os.name == "nt", reason="on Windows the print dialog is the system's own, not Qt widgets to "
                                         "look into, and Wine has no print spooler behind it")
def test_the_print_dialog_offers_printers_only(qtbot, shared_window, monkeypatch, tmp_path):
    from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog
    from PySide6.QtWidgets import QComboBox

    from caseguide.gui import handouts

    # This machine has no printers (no CUPS); a drop-in centre's PC has one.
    monkeypatch.setattr(handouts, "paper_printers", lambda: ["Office LaserJet"])
    shared_window.open_guide("guide-a")
    shared_window.print_handout()
    print_action(shared_window.handouts.preview).trigger()
    dialog = shared_window.handouts.print_dialog
    assert isinstance(dialog, QPrintDialog) and dialog.isVisible()
    assert not dialog.testOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile)
    offered = [combo.itemText(n) for combo in dialog.findChildren(QComboBox) for n in range(combo.count())]
    assert not any("File" in item or "PDF" in item for item in offered), offered
    # Whatever the dialog was talked into, a print that would make a file makes none.
    out = tmp_path / "handout.pdf"
    shared_window.handouts.printer.setOutputFileName(str(out))
    with qtbot.waitSignal(shared_window.handouts.failed, timeout=5000) as failed:
        dialog.accept()
    assert "can be printed on paper, but not saved as a file" in failed.args[0]
    assert not out.exists()


def test_a_print_to_file_by_qts_own_path_writes_nothing(qtbot, shared_window, tmp_path):
    from PySide6.QtPrintSupport import QPrintPreviewWidget

    shared_window.open_guide("guide-a")
    shared_window.print_handout()
    preview = shared_window.handouts.preview
    out = tmp_path / "handout.pdf"
    shared_window.handouts.printer.setOutputFileName(str(out))
    with qtbot.waitSignal(shared_window.handouts.failed, timeout=5000):
        preview.findChild(QPrintPreviewWidget).print_()
    assert not out.exists()


def test_with_no_printer_the_visitor_is_told_to_ask_staff(qtbot, shared_window, monkeypatch):
    from caseguide.gui import handouts

    monkeypatch.setattr(handouts, "paper_printers", lambda: [])
    shared_window.open_guide("guide-a")
    shared_window.print_handout()
    with qtbot.waitSignal(shared_window.handouts.failed, timeout=5000) as failed:
        print_action(shared_window.handouts.preview).trigger()
    assert "No printer is set up on this PC" in failed.args[0]
    assert shared_window.handouts.print_dialog is None


def test_outside_shared_mode_the_preview_keeps_qts_own_print_button(qtbot, window):
    from PySide6.QtCore import SIGNAL, SLOT, QObject

    window.open_guide("guide-a")
    window.print_handout()
    preview = window.handouts.preview
    assert QObject.disconnect(print_action(preview), SIGNAL("triggered(bool)"), preview, SLOT("_q_print()"))
    preview.close()


def copy_from_the_guide(window):
    window.view.selectAll()
    window.view.copy()
    return QApplication.clipboard().text()


def test_end_session_clears_what_was_copied_from_a_guide(qtbot, shared_window):
    shared_window.open_guide("guide-b")
    copied = copy_from_the_guide(shared_window)
    assert "register with a GP" in copied
    shared_window.actions_by_name["end_session"].trigger()
    assert QApplication.clipboard().text() == ""
    assert not shared_window.view.textCursor().hasSelection()


def test_the_idle_reset_and_quick_exit_clear_it_too(qtbot, shared_window):
    shared_window.open_guide("guide-b")
    copy_from_the_guide(shared_window)
    shared_window.guard.idle_timer.start(50)
    with qtbot.waitSignal(shared_window.guard.idle, timeout=5000):
        pass
    assert QApplication.clipboard().text() == ""
    shared_window.open_guide("guide-b")
    copy_from_the_guide(shared_window)
    shared_window.actions_by_name["quick_exit"].trigger()
    assert QApplication.clipboard().text() == ""


def test_what_another_program_put_on_the_clipboard_is_left_alone(qtbot, shared_window):
    shared_window.open_guide("guide-b")
    copy_from_the_guide(shared_window)
    from PySide6.QtGui import QGuiApplication

    shared_window.hide()  # CaseGuide has no window with the keyboard: the copy is another program's
    qtbot.waitUntil(lambda: not QGuiApplication.focusWindow().isVisible(), timeout=5000)
    QApplication.clipboard().setText("a note from another program")
    shared_window.show()
    shared_window.actions_by_name["end_session"].trigger()
    assert QApplication.clipboard().text() == "a note from another program"


def test_undo_in_the_search_field_after_end_session_brings_nothing_back(qtbot, shared_window):
    shared_window.search_field.setFocus()
    qtbot.keyClicks(shared_window.search_field, SECRET_QUERY)
    shared_window.actions_by_name["end_session"].trigger()
    qtbot.keyClick(shared_window.search_field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shared_window.search_field.text() == ""
    assert not shared_window.search_field.isUndoAvailable()


@pytest.mark.parametrize("points", [10, 11, 12])
def test_quick_exit_stays_on_screen_with_wider_text(qtbot, shared_window, points):
    """Windows' fonts set 'End session' wider than Linux's do; bigger text does the same. However
    wide the words, the buttons that end a visit stay on the bar, never in its overflow menu."""
    font = shared_window.font()
    font.setPointSize(points)
    shared_window.setFont(font)
    ending_buttons_at_640(qtbot, shared_window)
