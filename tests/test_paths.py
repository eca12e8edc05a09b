"""Every folder comes from one module: per-user and machine-wide ones apart, one base for a portable install."""

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
