"""The shelf file: pinned guides and changes since a caseworker last looked, checked on the way in."""

import json

import pytest

from caseguide import paths
from caseguide.library import Library
from caseguide.library.shelf import MAX_FILE_BYTES, Shelf

from ..conftest import guide_file


def library(make_pack, **reviewed):
    return Library.discover(make_pack({f"{gid}.md": guide_file(id=gid, title=gid.title(), reviewed=day)
                                       for gid, day in reviewed.items()}))


def test_pins_are_kept_in_the_per_user_data_folder(tmp_path):
    shelf = Shelf.load()
    assert shelf.path == paths.user_data_dir() / "shelf.json"
    shelf.pin("gp-registration")
    shelf.pin("nhs-charges-and-debt")
    shelf.pin("gp-registration")
    assert Shelf.load().pinned == ["gp-registration", "nhs-charges-and-debt"]
    shelf.unpin("gp-registration")
    assert Shelf.load().pinned == ["nhs-charges-and-debt"]


def test_changes_since_last_looked(make_pack):
    shelf = Shelf.load()
    assert shelf.notice(library(make_pack, **{"a-guide": "2026-11-01", "b-guide": "2026-11-01"}))
    assert shelf.changed == {}  # the first time, nothing counts as new
    after_update = library(make_pack, **{"a-guide": "2026-12-01", "b-guide": "2026-11-01", "c-guide": "2026-12-01"})
    assert Shelf.load().notice(after_update)
    shelf = Shelf.load()
    assert shelf.changed == {"a-guide": "updated", "c-guide": "added"}
    assert not shelf.notice(after_update)  # the same library again: nothing new, nothing written
    shelf.looked_at("a-guide")
    assert Shelf.load().changed == {"c-guide": "added"}
    shelf.dismiss()
    assert Shelf.load().changed == {}


def test_the_file_holds_only_ids_dates_and_changes(make_pack):
    shelf = Shelf.load()
    shelf.notice(library(make_pack, **{"a-guide": "2026-11-01"}))
    shelf.pin("a-guide")
    data = json.loads(shelf.path.read_text())
    assert data == {"format": 1, "pinned": ["a-guide"], "known": {"a-guide": "2026-11-01"}, "changed": {}}


@pytest.mark.parametrize("content", [
    b"{not json", b"\xff\xfe", b'{"format": 2, "pinned": []}', b'{"format": 1, "pinned": "gp"}',
    b'{"format": 1, "pinned": ["../../etc"]}', b'{"format": 1, "known": {"a": 5}}',
    b'{"format": 1, "changed": {"a": "deleted"}}', b"[" * 100_000, b" " * (MAX_FILE_BYTES + 1),
])
def test_a_damaged_file_gives_an_empty_shelf_that_says_so(content):
    path = paths.shelf_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    shelf = Shelf.load()
    assert (shelf.pinned, shelf.known, shelf.changed) == ([], {}, {})
    assert "could not be read" in shelf.problem
    shelf.pin("gp-registration")  # pinning again replaces the damaged file with a good one
    assert Shelf.load().pinned == ["gp-registration"] and not Shelf.load().problem
