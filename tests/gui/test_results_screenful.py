"""A search's results: the first screenful at once, the rest of the snippets when the window is idle,
and only what is visible laid out (issue 26: 50 rich-text results were laid out before any was shown)."""

from PySide6 import QtCore

from caseguide.gui.search_results import GUIDE_ROLE, HTML_ROLE, SCREENFUL
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


def test_only_a_screenful_is_laid_out_before_the_results_are_shown(qtbot, open_window, make_pack, monkeypatch):
    window = open_window(_many(make_pack))
    delegate = window.results.delegate
    laid_out = []
    original = delegate._document
    monkeypatch.setattr(delegate, "_document", lambda option, index: (
        laid_out.append(index.row()), original(option, index))[1])
    at_shown = []
    window.resultsShown.connect(lambda: at_shown.append(list(laid_out)))
    with qtbot.waitSignal(window.resultsShown, timeout=10000):
        window.search_field.setText("hospital charges")
    assert at_shown[0] and max(at_shown[0]) < SCREENFUL  # before issue 26 all 50 were, first
    qtbot.waitUntil(lambda: max(laid_out) == 39, timeout=10000)  # the rest, once the window is idle


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
