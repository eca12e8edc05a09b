"""The publisher's commands refuse what would make a broken or misleading feed, and say so."""

from __future__ import annotations

import datetime as _dt

import pytest
from tuf.api.metadata import Targets

from caseguide.packs.minisign import SecretKey
from caseguide.updates import FeedError, keys, publisher
from caseguide.updates.feed import FeedFolder


def test_init_refuses_a_folder_that_has_a_feed_and_impossible_thresholds(feed, tmp_path):
    with pytest.raises(FeedError, match="already holds a feed"):
        publisher.init(feed.dir, [tmp_path / "x.key"], tmp_path / "y.key")
    with pytest.raises(FeedError, match="threshold must be from 1 to"):
        publisher.init(tmp_path / "new", [tmp_path / "x.key"], tmp_path / "y.key", threshold=2)
    with pytest.raises(FeedError, match="same key was given twice"):
        publisher.init(tmp_path / "new2", [feed.root_key], feed.root_key)


def test_the_online_keys_are_private_and_the_offline_keys_are_not_in_the_feed(feed):
    from ..conftest import private_to_owner
    assert private_to_owner(feed.dir / "online-keys" / "timestamp.key")
    published = {p.name for p in feed.publish_dir.rglob("*")}
    assert not {n for n in published if n.endswith(".key")}


def test_add_refuses_a_pack_this_machine_cannot_verify(feed):
    stranger = feed.build("other", "1.0.0", key=SecretKey.generate())
    with pytest.raises(Exception, match="not a trusted publisher"):
        publisher.add(feed.dir, stranger, feed.targets_key)
    with pytest.raises(Exception, match="does not exist"):
        publisher.add(feed.dir, feed.tmp / "missing.cgpack", feed.targets_key)


def test_a_feed_only_moves_forward(feed):
    with pytest.raises(FeedError, match="already has extra 1.0.0"):
        publisher.add(feed.dir, feed.packs["extra"], feed.targets_key)


def test_add_and_remove_need_the_feeds_targets_key(feed, tmp_path):
    wrong = keys.make_key_file(tmp_path / "wrong.key")
    with pytest.raises(FeedError, match="not this feed's targets key"):
        publisher.add(feed.dir, feed.build("extra", "1.1.0"), wrong.path)
    with pytest.raises(FeedError, match="not this feed's targets key"):
        publisher.remove(feed.dir, "extra", wrong.path)
    with pytest.raises(FeedError, match="has no pack 'nope'"):
        publisher.remove(feed.dir, "nope", feed.targets_key)


def test_changes_are_live_only_once_published(feed):
    folder = FeedFolder(feed.dir)
    feed.add("extra", "1.1.0", publish=False)
    assert publisher.status(feed.dir).unpublished
    assert folder.published_targets_version() < folder.versions(Targets.type)[-1]
    publisher.publish(feed.dir)
    assert not publisher.status(feed.dir).unpublished


def test_status_warns_before_and_after_expiry(feed):
    publisher.publish(feed.dir, 3)
    notes = publisher.status(feed.dir).notes
    assert any("timestamp metadata expires in 3 days" in n for n in notes), notes
    later = _dt.datetime.now(_dt.timezone.utc) + _dt.timedelta(days=10)
    assert any("timestamp metadata EXPIRED" in n for n in publisher.status(feed.dir, today=later).notes)


def test_old_versions_and_unused_pack_files_are_pruned(feed):
    for version in ("1.1.0", "1.2.0", "1.3.0"):
        feed.add("extra", version)
    folder = FeedFolder(feed.dir)
    assert len(folder.versions("targets")) == 2 and len(folder.versions("snapshot")) == 2
    assert len(list(folder.targets.glob("*.cgpack"))) == 2  # 1.3.0, and 1.2.0 for a PC reading mid-publish
    assert folder.versions("root") == [1]
