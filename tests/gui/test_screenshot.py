"""`caseguide screenshot` starts as the window does (issue 26: it read every guide file first, 1.7 s
with 2,000 guides installed, and pictured a library the window would not have shown that way)."""

import pytest
from PySide6.QtGui import QImage

import caseguide.library.library as library_module
import caseguide.packs.loading as loading
from caseguide.errors import UnknownGuideError
from caseguide.gui.screenshot import screenshot
from caseguide.library import Library
from caseguide.search.query import SearchIndex


@pytest.fixture
def reads(monkeypatch):
    read = []
    for module in (library_module, loading):
        real = module.load_guide
        monkeypatch.setattr(module, "load_guide", lambda path, pack="", real=real: read.append(path.name)
                            or real(path, pack))
    return read


def test_with_the_catalogues_cached_it_reads_no_guide_file(qapp, tmp_path, reads):
    SearchIndex(Library.discover()).open()  # as after the first start
    reads.clear()
    out = tmp_path / "window.png"
    screenshot(None, out, size=(900, 600), search="settled status")
    assert reads == []
    image = QImage(str(out))
    assert (image.width(), image.height()) == (900, 600)


def test_it_opens_a_guide_and_refuses_an_unknown_one(qapp, tmp_path, reads):
    SearchIndex(Library.discover()).open()
    reads.clear()
    screenshot(None, tmp_path / "guide.png", open_id="gp-registration")
    assert reads == ["gp-registration.md"]  # the one guide shown, and only that
    with pytest.raises(UnknownGuideError):
        screenshot(None, tmp_path / "nothing.png", open_id="no-such-guide")
    assert not (tmp_path / "nothing.png").exists()
