"""Shipped files are found through importlib.resources, from a checkout as from an install."""

import sys
import types

import pytest

from caseguide import resources
from caseguide.errors import CaseGuideError

from .conftest import REPO


def test_from_a_checkout_it_finds_the_repositorys_content_and_icons():
    assert resources.bundled_content_dir() == REPO / "content"
    assert (resources.bundled_content_dir() / "core" / "pack.toml").is_file()
    assert resources.icon_path("caseguide") == REPO / "resources" / "icons" / "caseguide.svg"


def test_a_missing_data_package_says_to_reinstall(monkeypatch):
    monkeypatch.setitem(sys.modules, resources.CONTENT_PACKAGE, None)  # as if it was never installed
    with pytest.raises(CaseGuideError, match="reinstall CaseGuide"):
        resources.bundled_content_dir()


def test_a_missing_icon_says_to_reinstall():
    with pytest.raises(CaseGuideError, match="icon no-such-icon.svg is missing"):
        resources.icon_path("no-such-icon")


def test_data_in_a_zip_is_refused_with_a_message(tmp_path, monkeypatch):
    import zipfile
    archive = tmp_path / "zipped.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("zipped_data/__init__.py", "")
        z.writestr("zipped_data/core/pack.toml", "")
    monkeypatch.syspath_prepend(str(archive))
    with pytest.raises(CaseGuideError, match="reinstall CaseGuide"):
        resources.package_dir("zipped_data", "bundled library")
    assert isinstance(sys.modules["zipped_data"], types.ModuleType)


def test_every_icon_the_window_uses_exists():
    from caseguide.gui.actions import ACTIONS
    names = {icon for _text, _keys, icon, _tip in ACTIONS.values() if icon}
    assert {"go-back", "quick-exit", "print"} <= names
    missing = {n for n in names | {"caseguide"} if not resources.icon_path(n).is_file()}
    assert not missing, missing
