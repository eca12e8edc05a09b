"""A search's results: every result at once with the first screenful's snippets, the rest of the
snippets when the window is idle (issue 26), and the results drawn where a person looks and clicks."""

from PySide6 import QtCore
from PySide6.QtGui import QColor

from caseguide.gui.search_results import GUIDE_ROLE, HTML_ROLE
from caseguide.gui.search_worker import FIRST_SNIPPETS, RESULTS
from caseguide.library import Library

from ..conftest import guide_file


def _many(make_pack, n=40):
    return Library.discover(make_pack({
        f"g{i}.md": guide_file(f"Intro {i}.\n\nHospital charges can apply to visitors, case {i}.\n",
                               id=f"charges-{i}", title=f"Hospital charges {i}") for i in range(n)}))


def test_the_first_screenful_comes_with_snippets_and_the_rest_follow(qtbot, open_window, make_pack):
    window = open_window(_many(make_pack))
    with qtbot.waitSignal(window.resultsShown, timeout=10000):
        window.search_field.setText("hospital charges")
    items = [window.results.list.item(row) for row in range(window.results.list.count())]
    assert len(items) == 40 < RESULTS  # every result is in the list (and the heading counts them) at once
    assert "40 guides found" in window.results.heading.text()
    with_passage = ["<b>Hospital</b>" in item.data(HTML_ROLE) for item in items]
    assert all(with_passage[:FIRST_SNIPPETS]) and not any(with_passage[FIRST_SNIPPETS:])
    # Each is named for a screen reader from the start, passage or not.
    spoken = QtCore.Qt.ItemDataRole.AccessibleTextRole
    assert all(item.data(spoken).startswith(item.text()) for item in items)
    qtbot.waitUntil(lambda: all("<b>Hospital</b>" in item.data(HTML_ROLE) for item in items), timeout=10000)
    assert window.results.list.count() == 40 and items[0].data(GUIDE_ROLE) == window.results.first_guide()
    assert all("Hospital charges can apply" in item.data(QtCore.Qt.ItemDataRole.AccessibleDescriptionRole)
               for item in items)  # what a screen reader hears as each passage


def test_the_results_are_drawn_where_a_person_clicks(qtbot, open_window, make_pack):
    """Qt's batched layout once left the list blank: "40 guides found" over an empty white list."""
    window = open_window(_many(make_pack))
    with qtbot.waitSignal(window.resultsShown, timeout=10000):
        window.search_field.setText("hospital charges")
    results = window.results.list
    first = results.visualItemRect(results.item(0))
    qtbot.waitUntil(lambda: results.indexAt(first.center()).row() == 0, timeout=5000)
    picture = results.viewport().grab().toImage()
    background = QColor(picture.pixel(picture.width() - 2, picture.height() - 2))
    # The title's text in the second row (the first is drawn in the selection's colours).
    second = results.visualItemRect(results.item(1))
    inked = sum(1 for x in range(second.left() + 4, min(second.right(), picture.width() - 1), 2)
                for y in range(second.top() + 2, min(second.top() + 22, picture.height() - 1), 2)
                if QColor(picture.pixel(x, y)).lightness() < background.lightness() - 100)
    assert inked > 20, "the second result's title is not drawn"


def test_newer_typing_drops_the_older_searchs_snippets(qtbot, open_window, make_pack):
    window = open_window(_many(make_pack))
    with qtbot.waitSignal(window.resultsShown, timeout=10000):
        window.search_field.setText("hospital charges")
    shown = []
    window.search.worker.completed.connect(lambda request, found: shown.append(request))
    with qtbot.waitSignal(window.resultsShown, timeout=10000):
        window.search_field.setText("visitors")
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert shown == [window.search.latest_request]  # only the results on screen were completed
