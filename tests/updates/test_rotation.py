"""Key rotation as TUF defines it: each new root signed by the old root's keys and its own."""

from __future__ import annotations

import copy

import pytest
from tuf.api.metadata import Metadata, Root

from caseguide.library import Library
from caseguide.updates import FeedError, keys, publisher
from caseguide.updates.feed import FeedFolder, sign
from caseguide.updates.rotation import rotate
from caseguide.updates.store import UpdateStore

from ..packs.helpers import library_state
from .conftest import run_update


def _trusted_root_version() -> int:
    return Metadata.from_bytes(UpdateStore(False).trusted_metadata()["root.json"]).signed.version


def test_a_pc_follows_a_rotation_of_every_key(feed, source):
    run_update(source, feed.root_file)
    new_root, new_targets = feed.tmp / "root2.key", feed.tmp / "targets2.key"
    done = rotate(feed.dir, [feed.root_key], root_keys=[new_root], targets_key=new_targets, new_online_keys=True)
    assert done.version == 2 and set(done.new_keys) == {new_root, new_targets}
    feed.targets_key = new_targets
    feed.add("extra", "1.1.0")  # signed with the new targets key, published with the new online keys
    with pytest.raises(FeedError, match="not this feed's targets key"):
        publisher.add(feed.dir, feed.build("extra", "1.2.0"), feed.tmp / "targets.key")  # the old one
    result = run_update()
    assert [c.version for c in result.changes] == ["1.1.0"]
    assert _trusted_root_version() == 2


def test_a_pc_that_missed_several_rotations_walks_the_chain(feed, source):
    run_update(source, feed.root_file)
    key = feed.root_key
    for n in range(3):
        rotate(feed.dir, [key], root_keys=[feed.tmp / f"r{n}.key"])
        key = feed.tmp / f"r{n}.key"
    feed.add("extra", "1.1.0")
    run_update()
    assert _trusted_root_version() == 4
    assert Library.discover().pack("extra").version == "1.1.0"


def test_a_threshold_of_root_keys(feed, source):
    run_update(source, feed.root_file)
    two = [feed.tmp / "a.key", feed.tmp / "b.key"]
    rotate(feed.dir, [feed.root_key], root_keys=two, threshold=2)
    with pytest.raises(FeedError, match="needs 2 of its keys"):
        rotate(feed.dir, two[:1], root_keys=[feed.tmp / "c.key"])
    rotate(feed.dir, two, root_keys=[feed.tmp / "c.key"])
    run_update()
    assert _trusted_root_version() == 3


def test_a_new_root_not_signed_by_the_old_one_is_refused(feed, source):
    run_update(source, feed.root_file)
    folder = FeedFolder(feed.dir)
    thief = keys.make_key_file(feed.tmp / "thief.key")
    forged = copy.deepcopy(folder.root_md().signed)
    forged.version = 2
    for keyid in list(forged.roles["root"].keyids):
        forged.revoke_key(keyid, "root")
    forged.add_key(thief.public_key, "root")
    folder.write(sign(Metadata(forged), [thief]))  # signed by its own (new) key only
    before = library_state(), UpdateStore(False).trusted_metadata()
    with pytest.raises(FeedError, match="not signed by the keys this PC trusts"):
        run_update()
    assert (library_state(), UpdateStore(False).trusted_metadata()) == before
    assert _trusted_root_version() == 1


def test_the_publisher_refuses_a_key_that_is_not_the_current_roots(feed, tmp_path):
    other = keys.make_key_file(tmp_path / "other.key")
    with pytest.raises(FeedError, match="not a key of the feed's current root"):
        rotate(feed.dir, [other.path])
    assert FeedFolder(feed.dir).root_md().signed.version == 1


def test_renewing_the_root_only_moves_its_expiry(feed):
    before = FeedFolder(feed.dir).root_md().signed
    done = rotate(feed.dir, [feed.root_key], root_days=700)
    after: Root = FeedFolder(feed.dir).root_md().signed
    assert done.version == 2 and after.expires > before.expires
    assert after.roles == before.roles and after.keys == before.keys
