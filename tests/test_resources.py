"""The one resource resolver works from a checkout and from a PyInstaller bundle."""

import sys

import pytest

from caseguide import resources
from caseguide.errors import CaseGuideError

from .conftest import REPO


def test_from_a_checkout_it_finds_content_and_icons():
    assert resources.root() == REPO
    assert (resources.bundled_content_dir() / "core" / "pack.toml").is_file()
    assert resources.icon_path("caseguide").name == "caseguide.svg"


def test_in_a_bundle_it_reads_from_meipass(tmp_path, monkeypatch):
    (tmp_path / "content" / "core").mkdir(parents=True)
    (tmp_path / "resources" / "icons").mkdir(parents=True)
    (tmp_path / "resources" / "icons" / "go-back.svg").write_text("<svg/>")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.root() == tmp_path
    assert resources.bundled_content_dir() == tmp_path / "content"
    assert resources.icon_path("go-back") == tmp_path / "resources" / "icons" / "go-back.svg"


def test_a_missing_shipped_file_says_to_reinstall(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    with pytest.raises(CaseGuideError, match="reinstall CaseGuide"):
        resources.bundled_content_dir()


def test_every_icon_the_window_uses_exists():
    import re
    names = {name for module in (REPO / "caseguide" / "gui").glob("*.py")
             for name in re.findall(r'icon_name="([a-z-]+)"', module.read_text(encoding="utf-8"))}
    assert {"go-back", "quick-exit", "print"} <= names
    missing = {n for n in names | {"caseguide"} if not resources.icon_path(n).is_file()}
    assert not missing, missing
