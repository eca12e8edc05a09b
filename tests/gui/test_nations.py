"""The nation model in the window (issue 23): a centre's nation comes first in the library, the home
page and search, a guide about another nation's law opens with a note that links the right guide,
the results can be filtered by nation, and Preferences sets the nation; in English and in Arabic."""

import pytest
from PySide6.QtCore import Qt, QUrl

from caseguide import settings
from caseguide.library import Library

from ..conftest import guide_file

pytestmark = pytest.mark.gui


@pytest.fixture
def nations_library(make_pack):
    return Library.discover(make_pack({
        "england.md": guide_file("Hospitals may charge overseas visitors for hospital care.", id="charges-england",
                                 title='"Hospital charges in England"', nations="[england]",
                                 related="[charges-scotland]"),
        "scotland.md": guide_file("Hospitals in Scotland may charge overseas visitors for hospital care.",
                                  id="charges-scotland", title='"Hospital charges in Scotland"',
                                  nations="[scotland]", related="[charges-england]"),
        "uk.md": guide_file("Your data and hospital records.", id="data-rights", title="Data rights", nations="[uk]"),
    }))


def tree_titles(window) -> list[str]:
    found, stack = [], [window.tree.topLevelItem(i) for i in range(window.tree.topLevelItemCount())]
    while stack:
        item = stack.pop(0)
        if item.data(0, Qt.ItemDataRole.UserRole):
            found.append(item.text(0))
        stack = [item.child(i) for i in range(item.childCount())] + stack
    return found


def test_a_centre_in_scotland_sees_its_guides_first_and_is_told_when_a_guide_is_englands(
        qtbot, open_window, nations_library):
    settings.set_value("organisation.nation", "scotland", system=True)
    window = open_window(nations_library)
    titles = tree_titles(window)
    assert titles.index("Hospital charges in Scotland") < titles.index("Hospital charges in England (England)")
    home = window.view.toPlainText()
    assert home.index("Hospital charges in Scotland") < home.index("Hospital charges in England")
    with qtbot.waitSignal(window.resultsShown, timeout=10000):
        window.search_field.setText("hospital charges")
    assert window.results.first_guide() == "charges-scotland"
    window.open_guide("charges-england")
    page = window.view.toPlainText()
    assert "This guide is about the law in England. The rules in Scotland are different: see Hospital charges " \
           "in Scotland." in page
    window.follow_link(QUrl("guide:charges-scotland"))  # the note's link opens the right guide
    assert window.windowTitle().startswith("Hospital charges in Scotland")
    assert "are different" not in window.view.toPlainText()


def test_the_results_can_be_filtered_by_nation(qtbot, open_window, nations_library):
    window = open_window(nations_library)
    box = window.results.nation
    assert box.accessibleName() == "Filter by nation"
    box.setCurrentIndex(box.findData("scotland"))
    with qtbot.waitSignal(window.resultsShown, timeout=10000):
        window.search_field.setText("hospital")
    shown = {window.results.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.results.list.count())}
    assert shown == {"charges-scotland", "data-rights"}


def test_preferences_set_the_nation_and_the_window_follows_at_once(qtbot, open_window, nations_library):
    window = open_window(nations_library)
    window.open_guide("charges-england")
    assert "are different" not in window.view.toPlainText()
    window.show_preferences()
    dialog = window.preferences_dialog
    assert dialog.nation.accessibleName()
    dialog.nation.setCurrentIndex(dialog.nation.findData("scotland"))
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()
    assert settings.Settings().get("organisation.nation") == "scotland"
    assert "The rules in Scotland are different" in window.view.toPlainText()


def test_in_arabic_the_note_and_the_nations_are_arabic_and_right_to_left(qtbot, open_window, make_pack):
    settings.set_value("organisation.nation", "wales", system=True)
    library = Library.discover(make_pack({"ar.md": guide_file(
        "يمكن للمستشفيات أن تطلب المال.", id="ar-england", title="رسوم المستشفى", language="ar", nations="[england]")}))
    window = open_window(library)
    window.set_language("ar")
    window.open_guide("ar-england")
    page = window.view.toPlainText()
    assert "England" not in page and "Wales" not in page and "law" not in page
    block = window.view.document().find("يمكن للمستشفيات").block()
    assert block.textDirection() == Qt.LayoutDirection.RightToLeft
    window.set_language("en")
