"""caseguide update from a folder and over HTTP: the first update, a second version, a removal."""

from __future__ import annotations

from caseguide.library import Library
from caseguide.settings import Settings
from caseguide.updates.state import read_state
from caseguide.updates.store import UpdateStore

from ..packs.helpers import library_state
from .conftest import run_update


def _version(pack_id: str, system=False):
    pack = Library.discover(machine_only=system).pack(pack_id)
    return pack.version if pack else None


def test_first_update_installs_the_feeds_packs_and_saves_the_source(feed, source):
    result = run_update(source, feed.root_file)
    assert [c.pack_id for c in result.changes] == ["extra"]
    assert _version("extra") == "1.0.0"
    assert "extra-one" in {g.id for g in Library.discover()}
    assert Settings().get("updates.source") == (source if source.startswith("http") else str(feed.publish_dir))
    state = read_state(False)
    assert state.publisher == "Hope Network" and state.packs == {"extra": "1.0.0"} and state.checked
    assert set(UpdateStore(False).trusted_metadata()) == {"root.json", "timestamp.json", "snapshot.json",
                                                          "targets.json"}


def test_a_second_version_then_a_removal_reach_the_pc_with_the_saved_source(feed, source):
    run_update(source, feed.root_file)
    feed.add("extra", "1.1.0", guides=("extra-one", "extra-two"))
    feed.add("more", "1.0.0")
    result = run_update()  # the saved source and the trusted metadata
    assert sorted(c.pack_id for c in result.changes) == ["extra", "more"]
    assert _version("extra") == "1.1.0" and _version("more") == "1.0.0"
    feed.remove("more")
    result = run_update()
    assert result.removed == ["more"] and _version("more") is None
    assert read_state(False).packs == {"extra": "1.1.0"}


def test_an_update_with_nothing_new_fetches_only_the_timestamp(feed, source):
    run_update(source, feed.root_file)
    before = library_state()
    result = run_update()
    assert not result.plan.changes_anything and result.changes == []
    assert result.requests == 2  # the next root version (not there) and timestamp.json
    assert library_state() == before


def test_only_the_pack_that_changed_is_fetched(feed, http_server):
    feed.add("more", "1.0.0")
    run_update(http_server.url, feed.root_file)
    feed.add("more", "1.1.0")
    http_server.requests.clear()
    run_update()
    packs = [p for p in http_server.requests if p.endswith(".cgpack")]
    assert len(packs) == 1 and packs[0].endswith(".more.cgpack")


def test_check_says_what_would_change_and_changes_nothing(feed, source):
    before = library_state()
    result = run_update(source, feed.root_file, check=True)
    assert [p.id for p in result.plan.install] == ["extra"] and result.checked_only
    assert library_state() == before
    assert not UpdateStore(False).root.exists()  # no trusted metadata, no record, no lock
    assert Settings().get("updates.source") == ""


def test_a_pack_installed_by_hand_is_never_removed_by_the_feed(feed, source):
    from caseguide.library import install
    run_update(source, feed.root_file)
    install.install_file(feed.build("mine", "1.0.0"))
    feed.remove("extra")
    result = run_update()
    assert result.removed == ["extra"] and _version("mine") == "1.0.0"


def test_machine_wide_update(feed, source):
    run_update(source, feed.root_file, system=True)
    assert _version("extra", system=True) == "1.0.0"
    assert Settings().machine_wide("updates.source")
    assert read_state(True).packs == {"extra": "1.0.0"} and read_state(False) is None
