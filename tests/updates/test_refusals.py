"""Every refusal of issue 25, each leaving the installed library and the trusted metadata as they were."""

from __future__ import annotations

import datetime as _dt
import shutil
from pathlib import Path

import pytest

from caseguide.packs.minisign import SecretKey
from caseguide.updates import FeedError, keys, publisher
from caseguide.updates.state import read_state
from caseguide.updates.store import UpdateStore

from ..packs.helpers import library_state
from .conftest import run_update


@pytest.fixture
def updated(feed, source):
    """A PC that has updated once from *source*; yields what must not change after a refusal."""
    run_update(source, feed.root_file)
    feed.add("extra", "1.1.0")
    return source


def _unchanged():
    before = library_state(), UpdateStore(False).trusted_metadata()

    def check():
        assert (library_state(), UpdateStore(False).trusted_metadata()) == before
    return check


def _refused(match: str, **kwargs) -> str:
    with pytest.raises(FeedError, match=match) as caught:
        run_update(**kwargs)
    assert "Nothing was installed or changed" in str(caught.value) or "nothing was" in str(caught.value).lower()
    return str(caught.value)


def _serve(feed, folder: Path) -> None:
    """Make *folder* what the feed's address serves (for the folder source and the HTTP server alike)."""
    shutil.rmtree(feed.publish_dir)
    shutil.copytree(folder, feed.publish_dir)


def test_a_rolled_back_feed_is_refused(feed, updated):
    old = feed.copy("old")  # the feed with extra 1.1.0
    feed.add("extra", "1.2.0")
    run_update()  # the PC now trusts the feed with 1.2.0
    _serve(feed, old)  # a mirror or stick replays an older, still valid, copy of the feed
    check = _unchanged()
    message = _refused("older update information|rollback")
    assert "rollback attack" in message
    check()


def test_a_replayed_expired_timestamp_is_refused_as_a_freeze(feed, updated):
    run_update()
    # What the feed serves is what this PC already trusts, but it has expired: a freeze attack
    # (or a publisher who stopped publishing). The PC keeps its library and says since when.
    publisher.publish(feed.dir, 1, when=_dt.datetime.now(_dt.timezone.utc) - _dt.timedelta(days=3))
    timestamp = (feed.publish_dir / "metadata" / "timestamp.json").read_bytes()
    UpdateStore(False).write("metadata/timestamp.json", timestamp)
    check = _unchanged()
    message = _refused("out of date: its signed timestamp information expired on")
    assert "2 days ago" in message and "freeze attack" in message
    assert "last updated from this feed on" in message
    check()


def test_expired_metadata_is_refused_and_the_record_keeps_the_last_update(feed, updated):
    checked = read_state(False).checked
    publisher.publish(feed.dir, 5, when=_dt.datetime.now(_dt.timezone.utc) - _dt.timedelta(days=10))
    check = _unchanged()
    _refused("expired on")
    check()
    state = read_state(False)
    assert state.checked == checked and "expired" in state.problem


def test_a_timestamp_signed_by_the_wrong_key_is_refused(feed, updated):
    online = feed.dir / "online-keys" / "timestamp.key"
    online.unlink()
    keys.make_key_file(online)  # an attacker's key, where the feed's timestamp key was
    original = publisher.check_signer
    publisher.check_signer = lambda *a: None  # the publisher's own guard would refuse to sign with it
    try:
        publisher.publish(feed.dir)
    finally:
        publisher.check_signer = original
    check = _unchanged()
    _refused("not signed by the keys this PC trusts")
    check()


def test_another_feed_at_the_same_address_is_refused(feed, updated, tmp_path):
    other = publisher.init(tmp_path / "other", [tmp_path / "o-root.key"], tmp_path / "o-targets.key")
    _serve(feed, other.folder.publish)
    check = _unchanged()
    _refused("not signed by the keys this PC trusts|older update information")
    check()


def _target(feed, pack_id="extra") -> Path:
    from tuf.api.metadata import Targets
    from caseguide.updates.feed import FeedFolder
    info = FeedFolder(feed.dir).read(Targets.type).signed.targets[f"{pack_id}.cgpack"]
    return feed.publish_dir / "targets" / f"{info.hashes['sha256']}.{pack_id}.cgpack"


def test_a_pack_whose_hash_differs_from_targets_is_refused(feed, updated):
    path = _target(feed)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same length, one byte changed
    path.write_bytes(bytes(data))
    check = _unchanged()
    _refused("length or hash")
    check()


def test_a_pack_whose_length_differs_from_targets_is_refused(feed, updated):
    path = _target(feed)
    path.write_bytes(path.read_bytes()[:-100])  # a copy cut short: a stick pulled out half-way
    check = _unchanged()
    _refused("length or hash|cut off")
    check()


def test_a_valid_pack_swapped_for_another_is_refused(feed, updated):
    other = feed.build("extra", "1.1.0", words="different words")  # properly signed, but not what targets lists
    _target(feed).write_bytes(other.read_bytes())
    check = _unchanged()
    _refused("length or hash|sent more than its signed metadata allows")
    check()


def test_a_source_that_is_not_a_feed_is_refused(feed, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    check = _unchanged()
    message = _refused("is not a CaseGuide feed", source=str(empty), root=feed.root_file)
    assert "metadata/timestamp.json" in message
    with pytest.raises(FeedError, match="is not there"):
        run_update(source=str(tmp_path / "missing"), root=feed.root_file)
    with pytest.raises(FeedError, match="not root metadata|not a feed's root"):
        run_update(source=str(feed.publish_dir), root=feed.publish_dir / "metadata" / "timestamp.json")
    check()
    assert not UpdateStore(False).root.exists() or not UpdateStore(False).trusted_metadata()


def test_a_web_page_that_answers_everything_is_not_a_feed(feed, http_server):
    def page(handler):
        body = b"<html><body>Welcome</body></html>"
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    http_server.tricks[".json"] = page
    check = _unchanged()
    _refused("not a valid CaseGuide feed|not a CaseGuide feed", source=http_server.url, root=feed.root_file)
    check()


def test_a_pack_refused_by_the_publisher_signature_layer_installs_nothing(feed, source):
    from caseguide.packs import trust
    run_update(source, feed.root_file)
    stranger = SecretKey.generate()  # TUF is happy with the feed; minisign is not: the PC does not trust the key
    (feed.tmp / "stranger.pub").write_text(stranger.public.dump())
    trust.add_key(feed.tmp / "stranger.pub", system=True)  # the publisher's machine trusts it (to add it) ...
    feed.add("more", "1.0.0", key=stranger)
    trust.remove_key(stranger.public.id, system=True)  # ... this PC does not
    feed.add("extra", "1.1.0")
    check = _unchanged()
    message = _refused("pack more 1.0.0 is refused: .*not a trusted publisher")
    assert "Nothing was installed" in message
    check()


def test_a_feed_entry_that_lies_about_its_pack_is_refused(feed, updated, tmp_path):
    from tuf.api.metadata import Metadata, Targets
    from caseguide.updates.feed import FeedFolder, sign
    folder = FeedFolder(feed.dir)
    md = folder.read(Targets.type)
    targets = md.signed
    targets.targets["extra.cgpack"].unrecognized_fields["custom"]["caseguide"]["version"] = "9.0.0"
    targets.version += 1
    folder.write(sign(Metadata(targets), [keys.read_signer(feed.targets_key)]))
    publisher.publish(feed.dir)
    check = _unchanged()
    _refused("the pack inside is extra 1.1.0")
    check()


def test_a_shared_pc_updates_only_machine_wide(feed, source):
    from caseguide import settings
    settings.set_value("shared.enabled", True, system=True)
    with pytest.raises(FeedError, match="shared PC"):
        run_update(source, feed.root_file)
    with pytest.raises(Exception, match="shared PC"):
        settings.set_value("updates.source", source)  # a visitor cannot point CaseGuide at a feed
    assert not UpdateStore(False).root.exists()
    run_update(source, feed.root_file, system=True)
    assert read_state(True).packs == {"extra": "1.0.0"}


def test_the_first_update_needs_the_root_from_the_publisher(feed):
    with pytest.raises(FeedError, match="--root"):
        run_update(source=str(feed.publish_dir))
    with pytest.raises(FeedError, match="no feed is set up"):
        run_update()


def test_a_root_file_changed_on_the_way_is_refused(feed, tmp_path):
    forged = tmp_path / "root.json"
    forged.write_bytes(feed.root_file.read_bytes().replace(b"Hope Network", b"Evil Network"))
    with pytest.raises(FeedError, match="not signed by the root keys it names"):
        run_update(source=str(feed.publish_dir), root=forged)
