"""File-system helpers: capped reads of outside files (every failure a message naming the file),
the lock, atomic writes and removals, on POSIX and on Windows."""

import threading
import time

import pytest

from caseguide import paths
from caseguide.errors import CaseGuideError, PackError
from caseguide.fsutil import atomic_write, locked, make_safe_dirs, read_small_file, remove_tree

from .conftest import let_everyone_write, others_can_write, private_to_owner


def test_reads_a_small_file(tmp_path):
    (tmp_path / "k.pub").write_bytes(b"untrusted comment: x\nRWQ\n")
    assert read_small_file(tmp_path / "k.pub", 100, "a key") == b"untrusted comment: x\nRWQ\n"


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b"x" * 101), "is too large to be a key"),
    (lambda p: p.mkdir(), "is a folder, not a key"),
    (lambda p: None, "does not exist"),
])
def test_refusals_name_the_file_and_the_reason(tmp_path, make, message):
    path = tmp_path / "k.pub"
    make(path)
    with pytest.raises(CaseGuideError, match=message) as caught:
        read_small_file(path, 100, "a key")
    assert str(path) in str(caught.value)


def test_the_caller_chooses_the_error_and_the_missing_message(tmp_path):
    with pytest.raises(PackError, match="has no pack.toml"):
        read_small_file(tmp_path / "pack.toml", 100, "a pack.toml", PackError, missing="it has no pack.toml")


def test_a_file_exactly_at_the_limit_is_accepted(tmp_path):
    (tmp_path / "f").write_bytes(b"y" * 100)
    assert len(read_small_file(tmp_path / "f", 100, "a key")) == 100


# The lock ------------------------------------------------------------------------------

def hold_lock_in_a_thread(folder):
    """Take the lock from another handle (as another process would), until release() is called."""
    holding, release = threading.Event(), threading.Event()

    def hold():
        with locked(folder, wait=False) as held:
            assert held
            holding.set()
            release.wait(60)

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(10)
    return thread, release


def test_a_held_lock_is_refused_at_once_without_waiting_and_after_a_deadline(tmp_path):
    thread, release = hold_lock_in_a_thread(tmp_path)
    try:
        with locked(tmp_path, wait=False) as held:
            assert held is False
        started = time.monotonic()
        with locked(tmp_path, wait=0.5) as held:
            assert held is False and time.monotonic() - started >= 0.5
    finally:
        release.set()
        thread.join()
    with locked(tmp_path, wait=False) as held:
        assert held is True


@pytest.mark.slow
def test_waiting_for_the_lock_outlasts_ten_seconds(tmp_path):
    """msvcrt's blocking lock gives up after about 10 s; another installer may hold it longer."""
    thread, release = hold_lock_in_a_thread(tmp_path)
    letting_go = threading.Timer(11, release.set)  # the other installer takes 11 s
    letting_go.start()
    started = time.monotonic()
    try:
        with locked(tmp_path) as held:
            waited = time.monotonic() - started
            assert held is True and release.is_set()  # held only once the other let go
    finally:
        release.set()
        thread.join()
    assert waited >= 10.5


# Writing and removing while another program has the file open -----------------------------

def test_atomic_write_replaces_a_file_another_program_is_reading(tmp_path):
    """Windows cannot replace an open file: the write waits a moment for the reader to finish."""
    (tmp_path / "packs").mkdir()
    target = tmp_path / "packs" / "installed.json"
    target.write_bytes(b"old")
    reader = open(target, "rb")
    closing = threading.Timer(0.3, reader.close)
    closing.start()
    try:
        atomic_write(target, b"new")
    finally:
        closing.join()
        reader.close()
    assert target.read_bytes() == b"new"
    assert [p.name for p in target.parent.iterdir()] == ["installed.json"]


def test_a_private_file_is_for_its_owner_only(tmp_path):
    atomic_write(tmp_path / "org.key", b"secret", mode=0o600)
    assert private_to_owner(tmp_path / "org.key")
    assert (tmp_path / "org.key").read_bytes() == b"secret"


def test_remove_tree_takes_a_folder_away_whole(tmp_path):
    folder = tmp_path / "index" / "old"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "segment").write_bytes(b"x")
    assert remove_tree(folder) is True
    assert list(folder.parent.iterdir()) == []
    assert remove_tree(folder) is True  # already gone


def test_remove_tree_of_a_folder_in_use_leaves_it_whole_or_moves_it_aside(tmp_path):
    """Windows refuses to rename a folder with an open file in it (Wine allows it): either way
    nothing is left half-deleted under the folder's own name."""
    folder = tmp_path / "old-index"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / name).write_bytes(name.encode())
    with open(folder / "b", "rb"):
        done = remove_tree(folder)
    if done:
        assert not folder.exists()
    else:
        assert sorted(p.name for p in folder.iterdir()) == ["a", "b", "c"]


def test_a_machine_wide_folder_is_made_for_administrators_only(tmp_path, private_dirs):
    """On Windows a folder under C:\\ProgramData inherits "Users may create files"."""
    let_everyone_write(private_dirs)  # the parent, as permissive as ProgramData
    make_safe_dirs(paths.site_trust_dir(), paths.site_config_dir())
    for root in paths.site_roots():
        if paths.site_trust_dir().is_relative_to(root):
            assert not others_can_write(root)
    assert paths.site_trust_dir().is_dir()
