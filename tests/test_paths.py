"""Every folder comes from one module: per-user and machine-wide ones apart, one base for a portable install."""

import os
import sys
from pathlib import Path

from caseguide import paths


def all_dirs():
    return {"user data": paths.user_data_dir(), "user config": paths.user_config_dir(),
            "user cache": paths.user_cache_dir(), "site data": paths.site_data_dir(),
            "site config": paths.site_config_dir(), "runtime": paths.runtime_dir()}


def test_a_portable_base_holds_every_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEGUIDE_BASEDIR", str(tmp_path / "stick"))
    dirs = all_dirs()
    assert all(folder.is_relative_to(tmp_path / "stick") for folder in dirs.values()), dirs
    assert len(set(dirs.values())) == len(dirs)  # and none is shared by two purposes


def test_set_basedir_wins_over_the_environment_and_can_be_undone(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEGUIDE_BASEDIR", str(tmp_path / "env"))
    paths.set_basedir(tmp_path / "chosen")
    try:
        assert paths.user_config_dir().is_relative_to(tmp_path / "chosen")
    finally:
        paths.set_basedir(None)
    assert paths.user_config_dir().is_relative_to(tmp_path / "env")


def test_user_and_machine_wide_folders_are_apart_and_named_for_their_use():
    assert paths.user_packs_dir() == paths.user_data_dir() / "packs"
    assert paths.site_packs_dir() == paths.site_data_dir() / "packs"
    assert paths.user_trust_dir() == paths.user_config_dir() / "trusted-keys"
    assert paths.site_trust_dir() == paths.site_config_dir() / "trusted-keys"
    assert paths.index_cache_dir() == paths.user_cache_dir() / "index"
    assert paths.scope_dirs(True) == (paths.site_packs_dir(), paths.site_trust_dir())
    assert paths.scope_dirs(False) == (paths.user_packs_dir(), paths.user_trust_dir())
    assert not paths.site_data_dir().is_relative_to(paths.user_data_dir())


def test_each_folder_is_the_apps_own():
    for what, folder in all_dirs().items():
        assert any(part.lower() == "caseguide" for part in folder.parts), (what, folder)


def test_without_a_base_the_platforms_own_folders_are_used(monkeypatch, tmp_path):
    monkeypatch.delenv("CASEGUIDE_BASEDIR")
    if os.name == "nt":
        # Known folders (which no environment variable moves), compared with what Windows says they are.
        local, machine = Path(os.environ["LOCALAPPDATA"]), Path(os.environ["PROGRAMDATA"])
        assert paths.user_data_dir() == local / "CaseGuide"
        assert paths.user_config_dir() == local / "CaseGuide"
        assert paths.user_cache_dir().parent == local / "CaseGuide"
        assert paths.site_data_dir() == machine / "CaseGuide"
        assert paths.site_config_dir() == machine / "CaseGuide"
    elif sys.platform.startswith("linux"):
        # The XDG variables (conftest points them into tmp_path), first entry of the *_DIRS lists.
        monkeypatch.setenv("XDG_DATA_DIRS", f"{tmp_path}/site-a{os.pathsep}{tmp_path}/site-b")
        xdg = tmp_path / "xdg"
        assert paths.user_data_dir() == xdg / "data" / "caseguide"
        assert paths.user_config_dir() == xdg / "config" / "caseguide"
        assert paths.index_cache_dir() == xdg / "cache" / "caseguide" / "index"
        assert paths.site_packs_dir() == tmp_path / "site-a" / "caseguide" / "packs"
        assert paths.site_trust_dir() == xdg / "site-config" / "caseguide" / "trusted-keys"
        assert paths.runtime_dir() == xdg / "runtime" / "caseguide"


def test_all_dirs_names_every_folder(private_dirs):
    assert set(paths.all_dirs()) == set(all_dirs().values())
    assert all(folder.is_relative_to(private_dirs) for folder in paths.all_dirs())
