"""The window with hostile content: nothing spoofs, nothing freezes, a bug's dialog stays."""

import gc
import sys

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtWidgets import QApplication, QMessageBox

from caseguide.guides.library import Library

from ..conftest import guide_file

SPOOF = "https://evil.example/\u202ekoo.vog.www//:sptth"


def test_the_website_box_shows_the_address_that_opens_isolated(window, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString(QUrl.FullyEncoded)))
    window.follow_link(QUrl(SPOOF))
    box = window.link_dialog
    shown = box.informativeText()
    assert "\u202e" not in shown
    assert shown == "\u2066https://evil.example/%E2%80%AEkoo.vog.www//:sptth\u2069"
    box.buttons()[0].click()  # Open in browser
    assert opened == ["https://evil.example/%E2%80%AEkoo.vog.www//:sptth"]


def test_a_link_in_a_guide_is_rendered_with_its_real_address(open_window, make_pack):
    library = Library.discover(make_pack({"a.md": guide_file(f"[GOV.UK]({SPOOF})", id="guide-a")}))
    win = open_window(library)
    win.open_guide("guide-a")
    assert "%E2%80%AE" in win.view.toHtml() and "\u202e" not in win.view.toHtml()


def test_library_tooltips_show_summaries_as_text(open_window, make_pack):
    summary = "<img src=x> <a href='https://evil.example/'>Click</a>"
    library = Library.discover(make_pack({"a.md": guide_file(id="guide-a", summary=f'"{summary}"')}))
    win = open_window(library)
    flags = Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive
    item = next(i for i in win.tree.findItems("*", flags) if i.data(0, Qt.ItemDataRole.UserRole) == "guide-a")

    def as_shown(tip: str) -> str:
        document = QTextDocument()
        document.setHtml(tip)
        return document.toPlainText()

    assert as_shown(item.toolTip(0)) == summary


def test_search_result_tooltips_are_text(qtbot, open_window, make_pack):
    library = Library.discover(make_pack({"a.md": guide_file("Hospital care.", id="guide-a",
                                                             title='"<b>Bold</b> hospital"')}))
    win = open_window(library)
    with qtbot.waitSignal(win.resultsShown, timeout=10000):
        win.search_field.setText("hospital")
    document = QTextDocument()
    document.setHtml(win.results.list.item(0).toolTip())
    assert document.toPlainText() == "<b>Bold</b> hospital"


def test_a_big_guide_opens_off_the_ui_thread(qtbot, open_window, make_pack):
    body = "".join(f"Paragraph {n} about hospital charges and what they mean for you.\n\n" for n in range(2000))
    library = Library.discover(make_pack({"big.md": guide_file(body, id="big-guide", title="A long guide")}))
    win = open_window(library)
    with qtbot.waitSignal(win.pageShown, timeout=30000) as shown:
        win.open_guide("big-guide")
        assert "Opening…" in win.view.toPlainText()  # at once: the window is free meanwhile
    assert shown.args == ["big-guide"]
    assert "Paragraph 1999 about hospital" in win.view.toPlainText()


def test_the_crash_dialog_has_a_parent_and_stays(qtbot, window):
    from caseguide.gui import app

    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        app._crash_dialog(*sys.exc_info())
    gc.collect()
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    boxes += [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    assert boxes and boxes[0].parent() is window
    assert "a bug" in boxes[0].detailedText()
    boxes[0].close()


def test_the_except_hook_is_installed_before_anything_starts(monkeypatch, gui_library):
    from caseguide.gui import app

    seen = []

    def discover(*args, **kwargs):
        seen.append(sys.excepthook)
        raise app.CaseGuideError("stop here")

    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    monkeypatch.setattr(app.Library, "discover", discover)
    monkeypatch.setattr(app.Library, "later", discover)  # the installed library is found later, on a thread
    with pytest.raises(app.CaseGuideError):
        app.open_window()
    assert seen == [app._crash_dialog]
