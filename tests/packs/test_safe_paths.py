"""Machine-wide files are safe whatever the umask, and a planted link never redirects a command.

An administrator runs ``--system`` commands; if a folder CaseGuide writes beneath were a link to
somewhere else, or another account's, the administrator's rights would be used there. Each case
plants the trap, runs the real command, and checks that it is refused with a message staff can act
on, that nothing outside CaseGuide's folders changed, and that what was installed is still there.
"""

import os
import stat

import pytest

from caseguide import paths
from caseguide.cli import main
from caseguide.fsutil import UnsafePathError, make_safe_dirs
from caseguide.library import Library
from caseguide.packs import archive, trust
from caseguide.packs.store import PackStore
from caseguide.search.query import SearchIndex

from .helpers import library_state, pack_source

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes and owners are POSIX ideas")


@pytest.fixture
def staff_key(key, tmp_path):
    trust.add_key(tmp_path / "publisher.pub", system=True)
    return key


@pytest.fixture
def pack_file(staff_key, tmp_path):
    return archive.build(pack_source(tmp_path / "src"), staff_key, tmp_path / "extra.cgpack") and \
        tmp_path / "extra.cgpack"


@pytest.fixture
def victim(tmp_path):
    """A folder that is not CaseGuide's: what a planted link would aim the administrator's command at."""
    folder = tmp_path / "victim"
    folder.mkdir()
    (folder / "precious.txt").write_text("keep me")
    probe = tmp_path / "probe-link"
    try:
        probe.symlink_to(folder, target_is_directory=True)
    except OSError as exc:  # Windows without administrator rights or Developer Mode
        pytest.skip(f"no symbolic link can be made here to plant ({exc.strerror})")
    if not probe.is_symlink():
        pytest.skip("Wine's CreateSymbolicLink reports success but makes no link, so there is none to plant")
    probe.unlink()
    return folder


def victim_untouched(folder):
    return sorted(p.name for p in folder.iterdir()) == ["precious.txt"] and \
        (folder / "precious.txt").read_text() == "keep me"


@posix_only
def test_machine_wide_folders_and_files_get_their_modes_whatever_the_umask(pack_file, tmp_path, capsys):
    old = os.umask(0)
    try:
        assert main(["settings", "set", "organisation.name", "Hope Centre", "--system"]) == 0
        assert main(["trust", "add", str(tmp_path / "publisher.pub"), "--system"]) == 0
        assert main(["pack", "install", str(pack_file), "--system"]) == 0
    finally:
        os.umask(old)
    wrong = []
    for top in (paths.site_data_dir(), paths.site_config_dir()):
        for path in top.rglob("*"):
            mode = stat.S_IMODE(path.lstat().st_mode)
            wanted = 0o755 if path.is_dir() else 0o644
            if mode != wanted:
                wrong.append(f"{path.relative_to(top.parent)}: {oct(mode)}")
    assert wrong == []
    assert (paths.site_packs_dir() / "store").is_dir()  # the walk above did see the installed pack


@posix_only
def test_a_new_secret_key_is_private_whatever_the_umask(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    old = os.umask(0)
    try:
        assert main(["pack", "keygen", "org"]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "org.key").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "org.pub").stat().st_mode) == 0o644


@pytest.mark.parametrize("planted", ["packs", "packs/store", "packs/staging"])
def test_a_link_planted_in_the_machine_wide_store_is_refused(pack_file, victim, planted, capsys):
    # One install first, so there is something that must survive.
    assert main(["pack", "install", str(pack_file), "--system"]) == 0
    capsys.readouterr()
    before = library_state()
    link = paths.site_data_dir() / planted
    real = link.with_name(link.name + ".real")
    link.rename(real)
    link.symlink_to(victim, target_is_directory=True)
    assert main(["pack", "install", str(pack_file), "--system", "--allow-downgrade"]) == 1
    err = capsys.readouterr().err
    assert f"{link} is a symbolic link" in err and "Remove the link" in err
    assert victim_untouched(victim)
    link.unlink()
    real.rename(link)
    assert library_state() == before


def test_clean_up_never_deletes_through_a_planted_link(pack_file, victim, capsys):
    assert main(["pack", "install", str(pack_file), "--system"]) == 0
    staging = paths.site_packs_dir() / "staging"
    for entry in staging.iterdir():
        entry.rmdir()
    staging.rmdir()
    staging.symlink_to(victim, target_is_directory=True)
    assert PackStore.for_scope(True).clean_up() == []
    assert victim_untouched(victim)
    assert [p.id for p in Library.discover().packs if p.scope == "system"] == ["extra"]


def test_a_link_inside_the_store_is_removed_as_a_link(pack_file, victim, capsys):
    assert main(["pack", "install", str(pack_file), "--system"]) == 0
    planted = paths.site_packs_dir() / "store" / "planted"
    planted.symlink_to(victim, target_is_directory=True)
    store = PackStore.for_scope(True)
    with store.lock():
        removed = store.remove_orphans()
    assert removed == [planted] and not os.path.lexists(planted)
    assert victim_untouched(victim)


def test_a_lock_file_that_is_a_link_is_never_opened(pack_file, victim, capsys):
    root = paths.site_packs_dir()
    root.mkdir(parents=True)
    (root / ".lock").symlink_to(victim / "created-by-root")
    assert main(["pack", "install", str(pack_file), "--system"]) == 1
    assert f"{root / '.lock'} is a symbolic link" in capsys.readouterr().err
    assert victim_untouched(victim)


def test_a_link_in_place_of_the_trusted_keys_or_settings_folder_is_refused(key, tmp_path, victim, capsys):
    paths.site_config_dir().mkdir(parents=True)
    (paths.site_config_dir() / "trusted-keys").symlink_to(victim, target_is_directory=True)
    assert main(["trust", "add", str(tmp_path / "publisher.pub"), "--system"]) == 1
    assert "trusted-keys is a symbolic link" in capsys.readouterr().err
    (paths.site_config_dir() / "settings.json").symlink_to(victim / "precious.txt")
    assert main(["settings", "set", "organisation.name", "Hope Centre", "--system"]) == 0
    assert not (paths.site_config_dir() / "settings.json").is_symlink()  # replaced, not written through
    assert victim_untouched(victim)


@posix_only
def test_a_top_folder_linked_by_another_account_is_refused(tmp_path, victim, capsys):
    """The index cache under a visitor's home, when an administrator runs a command with that
    home's variables (sudo -E): a link the visitor made there must not be followed."""
    cache = paths.index_cache_dir().parent
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.symlink_to(victim, target_is_directory=True)
    os.lchown(cache, 12345, 12345)
    index = SearchIndex(Library.discover()).open()
    assert index.in_memory and "made by another account (user id 12345)" in index.notices[0]
    assert victim_untouched(victim)


def test_the_search_index_is_never_built_through_a_planted_link(victim, tmp_path):
    cache = paths.index_cache_dir()
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.symlink_to(victim, target_is_directory=True)
    index = SearchIndex(Library.discover()).open()
    assert index.in_memory and "is a symbolic link" in index.notices[0]
    assert index.exact_search("GP", limit=5)  # search still works, from memory
    assert victim_untouched(victim)


@posix_only
def test_a_folder_owned_by_another_account_is_refused(pack_file, capsys):
    root = paths.site_packs_dir()
    root.mkdir(parents=True)
    os.chown(root, 12345, 12345)
    assert main(["pack", "install", str(pack_file), "--system"]) == 1
    err = capsys.readouterr().err
    assert "belongs to another account (user id 12345)" in err and "chown" in err
    assert not (root / "store").exists()


@posix_only
def test_a_folder_anyone_can_change_is_refused_until_staff_fix_it(pack_file, capsys):
    root = paths.site_packs_dir()
    root.mkdir(parents=True)
    root.chmod(0o777)
    assert main(["pack", "install", str(pack_file), "--system"]) == 1
    err = capsys.readouterr().err
    assert "can be changed by every account on this PC" in err and "chmod go-w" in err
    root.chmod(0o755)
    assert main(["pack", "install", str(pack_file), "--system"]) == 0


def test_make_safe_dirs_refuses_a_link_anywhere_below_the_top(tmp_path, victim):
    top = tmp_path / "top"
    (top / "a").mkdir(parents=True)
    (top / "a" / "b").symlink_to(victim, target_is_directory=True)
    with pytest.raises(UnsafePathError, match="is a symbolic link"):
        make_safe_dirs(top / "a" / "b" / "c", top)
    assert victim_untouched(victim)
