"""What the window does before its first paint, as `caseguide` starts it: nothing that grows with the
library, and none of the costly imports it can do without. (How long it takes is for
benchmarks/bench_startup.py; these are the reasons it is quick, and they can be checked exactly.)"""

import json
import os
import subprocess
import sys

import pytest

from caseguide.library import Library
from caseguide.search.query import SearchIndex

from ..conftest import REPO

pytestmark = pytest.mark.gui

CHILD = r"""
import json, os, sys
import caseguide.library.library as library_module
import caseguide.packs.loading as loading
read = []
real = library_module.load_guide
for module in (library_module, loading):  # a guide opened, and a pack's files read
    module.load_guide = lambda path, pack="": read.append(path.name) or real(path, pack)
import PySide6.QtCore as QtCore
from PySide6.QtCore import QEvent, QObject
from caseguide.gui.app import application, open_window
state = {}
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and type(obj).__name__ == "MainWindow" and not state:
            state.update(qt_enums="Qt" in QtCore.__dict__, yaml="yaml" in sys.modules,
                         whoosh="whoosh" in sys.modules, toml="tomllib" in sys.modules,
                         listed=window.library.loaded, read=list(read))
        return False
app = application()
watcher = FirstPaint(); app.installEventFilter(watcher)
app, window, instance = open_window()
seen = set()
def done(what):
    seen.add(what)
    state.setdefault("first", what)  # search answers before the library is listed (issue 26)
    if seen == {"search", "listed"}:
        state["read_by_search_ready"] = list(read)
        state["tree"] = window.tree.topLevelItemCount()
        print(json.dumps(state), flush=True)
        os._exit(0)
window.searchReady.connect(lambda: done("search"))
window.libraryShown.connect(lambda: done("listed"))
app.exec()
"""


def start_window() -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120,
                         stdin=subprocess.DEVNULL)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    assert lines, out.stderr
    return json.loads(lines[-1])


def test_the_first_paint_comes_before_the_library_is_listed_or_search_loaded():
    state = start_window()
    assert state["listed"] is False  # the guides are listed after the window is up
    assert state["read"] == []
    assert not state["whoosh"] and not state["yaml"]  # the search engine, and the guide file parser
    assert not state["toml"]  # no pack.toml read yet: the packs are found on the search thread
    assert not state["qt_enums"]  # Qt's namespace of enums, built in Python: a third of a bare start
    assert state["tree"] == 3


def test_search_answers_before_the_library_is_listed():
    # Importing the search engine and opening the index first, while the window has nothing else to
    # do, then listing the guides for the tree: the search box answers sooner (issue 26).
    SearchIndex(Library.discover()).open()
    assert start_window()["first"] == "search"


def test_with_a_catalogue_cached_no_guide_file_is_read_to_start():
    SearchIndex(Library.discover()).open()  # as after the first start: indexes and catalogues cached
    state = start_window()
    assert state["read"] == [] and state["read_by_search_ready"] == []
    assert state["tree"] == 3


def test_a_first_start_reads_the_guides_after_the_paint():
    state = start_window()  # nothing cached yet
    assert state["read"] == []
    assert len(state["read_by_search_ready"]) == len(Library.discover())
