"""Installing, updating and removing packs, and what a kill at any moment leaves behind."""

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time

import pytest

from caseguide import paths
from caseguide.cli import main
from caseguide.library import Library
from caseguide.library import install
from caseguide.packs import archive, trust
from caseguide.packs.minisign import SecretKey
from caseguide.packs.store import RETIRE_SECONDS, PackStore, clean_up_all
from caseguide.search.query import SearchIndex

from ..conftest import REPO, private_to_owner
from ..packs.helpers import pack_source


def guide_ids(pack_id="extra"):
    return sorted(g.id for g in Library.discover() if g.pack == pack_id)


def search_ids(query, pack_id="extra"):
    hits = SearchIndex(Library.discover()).open().exact_search(query, limit=50)
    return sorted(h.id for h in hits if h.pack == pack_id)


def test_install_update_and_remove(key, tmp_path):
    archive.build(pack_source(tmp_path / "v1", guides=("alpha-guide", "beta-guide"), words="zebra"),
                   key, tmp_path / "v1.cgpack")
    change = install.install_file(tmp_path / "v1.cgpack")
    assert change.added == ["alpha-guide", "beta-guide"] and change.previous is None
    assert guide_ids() == ["alpha-guide", "beta-guide"]
    assert search_ids("zebra") == ["alpha-guide", "beta-guide"]

    # The update drops beta and adds gamma: the old version's guides are replaced entirely.
    archive.build(pack_source(tmp_path / "v2", version="1.1", guides=("alpha-guide", "gamma-guide"),
                               words="zebra"), key, tmp_path / "v2.cgpack")
    change = install.install_file(tmp_path / "v2.cgpack")
    assert (change.added, change.updated, change.removed) == (["gamma-guide"], ["alpha-guide"], ["beta-guide"])
    assert guide_ids() == ["alpha-guide", "gamma-guide"]
    assert search_ids("zebra") == ["alpha-guide", "gamma-guide"]
    store = PackStore.for_scope(False)
    assert len(list((store.root / "store").iterdir())) == 2  # the old version is retired, kept a while
    with store.lock():
        store.remove_orphans(now=time.time() + RETIRE_SECONDS)
    assert len(list((store.root / "store").iterdir())) == 1  # then it goes

    install.remove("extra")
    assert guide_ids() == [] and search_ids("zebra") == []
    with store.lock():
        store.remove_orphans(now=time.time() + RETIRE_SECONDS)
    assert list((store.root / "store").iterdir()) == []


def test_pack_list_json_and_cli_round_trip(key, tmp_path, capsys):
    archive.build(pack_source(tmp_path / "s"), key, tmp_path / "p.cgpack")
    assert main(["pack", "install", str(tmp_path / "p.cgpack")]) == 0
    capsys.readouterr()
    assert main(["pack", "list", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["extra"]["version"] == "1.0.0" and rows["extra"]["guides"] == 1
    assert rows["extra"]["scope"] == "user" and rows["extra"]["installed"]
    assert rows["extra"]["publisher"] == "Test Org" and rows["extra"]["title"] == "Extra guides"
    assert rows["core"]["scope"] == "bundled"
    assert main(["pack", "remove", "extra"]) == 0
    assert main(["pack", "remove", "extra"]) == 1
    assert "no pack 'extra' is installed" in capsys.readouterr().err


def test_keygen_build_verify_install_from_the_cli(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["pack", "keygen", "org"]) == 0
    assert private_to_owner(tmp_path / "org.key")
    assert main(["pack", "keygen", "org"]) == 1  # never overwrites a key
    src = pack_source(tmp_path / "src")
    assert main(["pack", "build", str(src), "--key", "org.key", "-o", "p.cgpack"]) == 0
    assert main(["pack", "verify", "p.cgpack"]) == 1  # not trusted yet
    assert main(["trust", "add", "org.pub"]) == 0
    capsys.readouterr()
    assert main(["pack", "verify", "p.cgpack"]) == 0
    out = capsys.readouterr().out
    assert "extra 1.0.0" in out and "1 guide added" in out
    assert guide_ids() == []  # verify changed nothing
    assert main(["pack", "install", "p.cgpack"]) == 0
    assert guide_ids() == ["extra-one"]
    capsys.readouterr()
    assert main(["trust", "list", "--json"]) == 0
    [trusted] = json.loads(capsys.readouterr().out)
    assert trusted["scope"] == "user" and len(trusted["id"]) == 16
    assert main(["trust", "remove", trusted["id"]]) == 0
    assert main(["pack", "verify", "p.cgpack"]) == 1  # no longer trusted


def test_build_refuses_a_source_with_lint_errors(key, tmp_path, capsys, monkeypatch):
    src = pack_source(tmp_path / "src")
    (src / "guides" / "extra-one.md").write_text(
        (src / "guides" / "extra-one.md").read_text() + "\n[x](guide:nowhere)\n")
    key_file = tmp_path / "k.key"
    key_file.write_text(key.dump())
    assert main(["pack", "build", str(src), "--key", str(key_file), "-o", str(tmp_path / "p.cgpack")]) == 1
    assert "lint error" in capsys.readouterr().err
    assert not (tmp_path / "p.cgpack").exists()


def test_password_protected_keys(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CASEGUIDE_KEY_PASSWORD", "correct horse")
    assert main(["pack", "keygen", "org", "--password"]) == 0
    assert "encrypted" in (tmp_path / "org.key").read_text()
    src = pack_source(tmp_path / "src")
    assert main(["pack", "build", str(src), "--key", "org.key", "-o", "p.cgpack"]) == 0
    monkeypatch.setenv("CASEGUIDE_KEY_PASSWORD", "wrong")
    assert main(["pack", "build", str(src), "--key", "org.key", "-o", "q.cgpack"]) == 1
    assert "wrong password" in capsys.readouterr().err


def test_machine_wide_without_rights_says_what_to_do(key, tmp_path, capsys, monkeypatch):
    """A visitor or caseworker without administrator rights trying a machine-wide change."""
    trust.add_key(tmp_path / "publisher.pub", system=True)
    archive.build(pack_source(tmp_path / "s"), key, tmp_path / "p.cgpack")
    real_mkdir = os.mkdir

    def no_rights_here(path, *args, **kwargs):  # root may write anywhere; this is what others get
        if str(path).startswith(str(paths.site_data_dir())) or str(path).startswith(str(paths.site_config_dir())):
            raise PermissionError(13, "Permission denied")
        return real_mkdir(path, *args, **kwargs)

    real_mkstemp = tempfile.mkstemp

    def no_files_here(*args, dir=None, **kwargs):
        if dir is not None and (str(dir).startswith(str(paths.site_data_dir()))
                                or str(dir).startswith(str(paths.site_config_dir()))):
            raise PermissionError(13, "Permission denied")
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(os, "mkdir", no_rights_here)
    monkeypatch.setattr(tempfile, "mkstemp", no_files_here)
    before = {p for p in paths.site_data_dir().rglob("*")}
    assert main(["pack", "install", str(tmp_path / "p.cgpack"), "--system"]) == 1
    err = capsys.readouterr().err
    assert "administrator" in err and "leave out --system" in err
    assert {p for p in paths.site_data_dir().rglob("*")} == before
    (tmp_path / "other.pub").write_text(SecretKey.generate().public.dump())
    assert main(["trust", "add", str(tmp_path / "other.pub"), "--system"]) == 1
    assert "administrator" in capsys.readouterr().err


# Kills -----------------------------------------------------------------------------

KILL_POINTS = {
    # after extraction, while checking the guides
    "checking": ("caseguide.packs.archive", "_check_content", "before"),
    # moved into the store, before the search index is built
    "indexing": ("caseguide.search.query", "prepare_index", "before"),
    # the new pointer written to its temporary file, not yet renamed over the old
    "pointer": ("os", "chmod", "before"),
    # the pointer switched, the install not yet finished or reported
    "switched": ("caseguide.packs.store.PackStore", "_write_pointer", "after"),
}

DRIVER = textwrap.dedent("""
    import os, sys, importlib
    module_name, attr, when, pack_file = sys.argv[1:5]
    parts = module_name.split(".")
    try:
        target = importlib.import_module(module_name)
    except ModuleNotFoundError:
        target = getattr(importlib.import_module(".".join(parts[:-1])), parts[-1])
    original = getattr(target, attr)
    def die(*args, **kwargs):
        if when == "after":
            original(*args, **kwargs)
        os.kill(os.getpid(), 9)  # SIGKILL; on Windows, TerminateProcess with exit code 9
    setattr(target, attr, die)
    from caseguide.library import install
    from caseguide.search import query
    install.install_file(pack_file, prepare=lambda library: query.prepare_index(library))  # as the CLI does
""")


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_a_kill_at_any_point_leaves_old_or_new_never_a_mix(key, tmp_path, point):
    archive.build(pack_source(tmp_path / "v1", guides=("alpha-guide", "beta-guide")), key, tmp_path / "v1.cgpack")
    install.install_file(tmp_path / "v1.cgpack")
    archive.build(pack_source(tmp_path / "v2", version="2.0", guides=("gamma-guide",)), key, tmp_path / "v2.cgpack")
    result = subprocess.run([sys.executable, "-c", DRIVER, *KILL_POINTS[point], str(tmp_path / "v2.cgpack")],
                            env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
                            stdin=subprocess.PIPE)
    assert result.returncode == (9 if os.name == "nt" else -9), result.stderr

    expected = ["gamma-guide"] if point == "switched" else ["alpha-guide", "beta-guide"]
    assert guide_ids() == expected
    assert search_ids("ask") == expected  # search agrees with the pack list
    clean_up_all()  # what the next start does
    store = PackStore.for_scope(False)
    store.remove_orphans(now=time.time() + RETIRE_SECONDS)  # and one after the grace period
    assert [p.name for p in (store.root / "store").iterdir()] == [store.installed()["extra"].folder.name]
    assert list((store.root / "staging").iterdir()) == []
    assert not [p for p in store.root.iterdir() if p.name.startswith(".installed.json")]
    assert guide_ids() == expected
    # and the library can move on from there
    install.install_file(tmp_path / "v2.cgpack", allow_downgrade=True)
    assert guide_ids() == ["gamma-guide"]


@pytest.mark.slow
def test_readers_see_old_or_new_while_another_process_installs(key, tmp_path):
    v1 = tuple(f"old-{n}" for n in range(60))
    v2 = tuple(f"new-{n}" for n in range(60))
    archive.build(pack_source(tmp_path / "v1", guides=v1), key, tmp_path / "v1.cgpack")
    install.install_file(tmp_path / "v1.cgpack")
    archive.build(pack_source(tmp_path / "v2", version="2.0", guides=v2), key, tmp_path / "v2.cgpack")
    installer = subprocess.Popen(
        [sys.executable, "-m", "caseguide", "pack", "install", str(tmp_path / "v2.cgpack")],
        env={**os.environ, "PYTHONPATH": str(REPO)}, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE)
    seen = set()
    while installer.poll() is None or not seen:
        ids = tuple(guide_ids())
        assert ids in (tuple(sorted(v1)), tuple(sorted(v2))), "a reader saw a mix of two versions"
        seen.add(ids)
    _out, err = installer.communicate()
    assert installer.returncode == 0, err
    assert tuple(guide_ids()) == tuple(sorted(v2))


def test_machine_wide_and_personal_packs_the_higher_version_wins(key, tmp_path):
    trust.add_key(tmp_path / "publisher.pub", system=True)
    archive.build(pack_source(tmp_path / "u", version="1.0", guides=("user-guide",)), key, tmp_path / "u.cgpack")
    archive.build(pack_source(tmp_path / "s", version="1.2", guides=("site-guide",)), key, tmp_path / "s.cgpack")
    install.install_file(tmp_path / "u.cgpack")
    install.install_file(tmp_path / "s.cgpack", system=True)
    library = Library.discover()
    assert library.pack("extra").version == "1.2" and library.pack("extra").scope == "system"
    assert guide_ids() == ["site-guide"]
    assert library.pack("core") is not None


def test_folders_dropped_into_the_packs_folder_are_not_read(make_pack):
    """Only the pointer says what is installed: a half-copied folder is never read."""
    from ..conftest import guide_file
    make_pack({"a.md": guide_file(id="stray")}, pack_id="stray", root=paths.user_packs_dir() / "stray")
    assert "stray" not in Library.discover().guides
