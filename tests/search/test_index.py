"""The search index as a self-healing cache: reused, rebuilt when content changes or it is damaged,
never read from a folder others can write to, and safe with two windows at once."""

import os
import threading
from pathlib import Path

import pytest

from caseguide import paths
from caseguide.library import Library
from caseguide.search.cache import is_private_dir
from caseguide.search.index import INDEX_FORMAT, IndexCache
from caseguide.search.query import SearchIndex

from ..conftest import guide_file, let_everyone_write, others_can_write, read_only_folder


@pytest.fixture
def pack(make_pack):
    return make_pack({
        "charges.md": guide_file(
            "Hospitals in England may ask for payment before non-urgent treatment. "
            "This is called upfront charging. Some care is always free.",
            id="hospital-charging", title="Hospital charging", kind="rights"),
        "mention.md": guide_file(
            "This guide is about registering with a doctor. Hospital charges are covered elsewhere. "
            + "Registration needs no papers. " * 20,
            id="gp", title="Registering with a GP", kind="rights"),
        "phone.md": guide_file("Turn off location for apps you do not trust.",
                               id="android", title="Android permissions", kind="walkthrough",
                               topics="[phones]"),
        "ar.md": guide_file("يمكنك طلب نسخة من معلوماتك الشخصية من وزارة الداخلية.",
                            id="arabic-sar", title="طلب الوصول إلى البيانات", language="ar"),
    })


@pytest.fixture
def index(pack):
    return SearchIndex(Library.discover(pack)).open()


def ids(hits):
    return [h.id for h in hits]


def _index_dirs(pack_id="test"):
    return sorted(p.name for p in (paths.index_cache_dir() / f"v{INDEX_FORMAT}" / pack_id).iterdir())


def test_the_index_is_stored_in_the_cache_dir_and_reused(pack):
    library = Library.discover(pack)
    SearchIndex(library).open()
    first = _index_dirs()
    assert len(first) == 1
    SearchIndex(Library.discover(pack)).open()
    assert _index_dirs() == first


def test_the_index_is_rebuilt_when_content_changes(pack):
    SearchIndex(Library.discover(pack)).open()
    before = _index_dirs()
    (pack / "new.md").write_text(guide_file("Brand new zebra text.", id="zebra", title="Zebras"))
    index = SearchIndex(Library.discover(pack)).open()
    assert ids(index.exact_search("zebra")) == ["zebra"]
    assert _index_dirs() != before and len(_index_dirs()) == 1  # the old one is pruned


def test_a_corrupt_index_is_rebuilt(pack):
    SearchIndex(Library.discover(pack)).open()
    folder = paths.index_cache_dir() / f"v{INDEX_FORMAT}" / "test" / _index_dirs()[0]
    for file in folder.iterdir():
        file.write_bytes(b"\x80garbage")
    index = SearchIndex(Library.discover(pack)).open()
    assert ids(index.exact_search("charges"))[0] == "hospital-charging"


def test_an_index_folder_others_can_write_to_is_never_read(pack):
    SearchIndex(Library.discover(pack)).open()
    folder = paths.index_cache_dir() / f"v{INDEX_FORMAT}" / "test" / _index_dirs()[0]
    let_everyone_write(folder)
    assert others_can_write(folder)
    index = SearchIndex(Library.discover(pack)).open()
    assert ids(index.exact_search("charges"))[0] == "hospital-charging"
    assert folder.exists() and not others_can_write(folder)  # rebuilt, private again


def test_unwritable_cache_falls_back_to_memory_and_says_so_once(pack):
    with read_only_folder(paths.index_cache_dir().parent):
        index = SearchIndex(Library.discover(pack)).open()
    assert index.in_memory
    assert len(index.notices) == 1 and "in memory" in index.notices[0]
    assert ids(index.exact_search("charges"))[0] == "hospital-charging"


def test_a_cache_path_that_is_a_file_falls_back_to_memory(pack):
    cache = paths.index_cache_dir()
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("not a folder")
    index = SearchIndex(Library.discover(pack)).open()
    assert index.in_memory and len(index.notices) == 1
    assert ids(index.exact_search("charges"))[0] == "hospital-charging"


def test_two_instances_building_at_once_both_work(pack):
    """Two people opening CaseGuide at the same moment on one PC."""
    results, errors = [], []

    def open_and_search():
        try:
            index = SearchIndex(Library.discover(pack)).open()
            results.append(ids(index.exact_search("charges"))[0])
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=open_and_search) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert results == ["hospital-charging"] * 4
    assert len(_index_dirs()) == 1
    again = SearchIndex(Library.discover(pack)).open()
    assert ids(again.exact_search("charges"))[0] == "hospital-charging"


def test_rebuild_makes_a_fresh_index(pack):
    SearchIndex(Library.discover(pack)).open()
    index = SearchIndex(Library.discover(pack)).open(rebuild=True)
    assert ids(index.exact_search("charges"))[0] == "hospital-charging"
    assert len(_index_dirs()) == 1


def test_two_processes_indexing_at_once_leave_one_good_index(pack, private_dirs):
    """Two CaseGuide processes of one user starting together must not corrupt the cache."""
    import subprocess
    import sys

    from ..conftest import REPO

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "caseguide", "--library", str(pack), "search", "charges", "--json"]
    procs = [subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
             for _ in range(3)]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err
        assert '"id": "hospital-charging"' in out
    assert len(_index_dirs()) == 1
    leftovers = [p for p in (paths.index_cache_dir() / f"v{INDEX_FORMAT}" / "test").iterdir() if p.name.startswith(".")]
    assert leftovers == []


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX modes")
def test_under_umask_002_the_cache_is_kept_and_reused(tmp_path, make_pack):
    library = Library.discover(make_pack({"a.md": guide_file(id="guide-a")}))
    old = os.umask(0o002)
    try:
        first = IndexCache(tmp_path / "cache" / "caseguide" / "index")
        first.open(library)
        second = IndexCache(tmp_path / "cache" / "caseguide" / "index")
        built = sorted(p.name for p in (tmp_path / "cache" / "caseguide" / "index").rglob("*") if p.is_dir())
        second.open(library)
    finally:
        os.umask(old)
    assert not first.in_memory and not second.in_memory, first.notices
    assert sorted(p.name for p in (tmp_path / "cache" / "caseguide" / "index").rglob("*") if p.is_dir()) == built


# Issue 22: Whoosh's in-memory index (a shared PC's) spilled its writer's files to a folder named
# "MAIN.tmp" in the system's temporary folder, and read them back, some by unpickling.
@pytest.fixture
def shared_temp(tmp_path, monkeypatch):
    """A temporary folder as /tmp is: everyone's, sticky."""
    import tempfile

    folder = tmp_path / "shared-tmp"
    folder.mkdir()
    folder.chmod(0o1777)
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_a_file_left_in_the_shared_temporary_folder_does_not_stop_an_in_memory_index(pack, shared_temp):
    (shared_temp / "MAIN.tmp").write_text("left by the last visitor")
    cache = IndexCache(paths.index_cache_dir(), memory_only=True)
    indexes = cache.open(Library.discover(pack))
    with indexes["test"].searcher() as searcher:
        assert searcher.doc_count() == 4
    assert cache.notices == []
    assert (shared_temp / "MAIN.tmp").read_text() == "left by the last visitor"  # not used, not removed
    others = [p for p in shared_temp.iterdir() if p.name != "MAIN.tmp"]
    assert all(p.name.startswith("caseguide-") and is_private_dir(p) for p in others)


def test_the_in_memory_index_never_writes_a_fixed_name_in_a_shared_folder(pack, shared_temp, monkeypatch):
    from whoosh.filedb.filestore import FileStorage

    made = []
    original = FileStorage.create

    def watched(storage):
        made.append(storage.folder)
        return original(storage)

    monkeypatch.setattr(FileStorage, "create", watched)
    IndexCache(paths.index_cache_dir(), memory_only=True).open(Library.discover(pack))
    assert made, "the writer made no temporary folder (so this test would prove nothing)"
    for folder in map(os.path.realpath, made):
        inside = os.path.relpath(folder, os.path.realpath(shared_temp)).split(os.sep)
        assert inside[0].startswith("caseguide-") and len(inside) == 2, folder  # its own, then a fresh one
        assert is_private_dir(Path(shared_temp, inside[0]))  # 0700, or on Windows an owner-only list


def test_several_in_memory_builds_at_once_each_work(pack, shared_temp):
    found, errors = [], []

    def build():
        try:
            index = SearchIndex(Library.discover(pack), memory_only=True).open()
            found.append(ids(index.exact_search("charges"))[0])
        except Exception as exc:  # noqa: BLE001 - handed to the assertion
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and found == ["hospital-charging"] * 6
