"""A publisher's feed folder: where each file lives, and reading and writing its TUF metadata.

::

    DIR/
      publish/                 what a web host, a file share or a USB stick serves, as it is
        metadata/
          1.root.json ...      every root version, kept for ever (a PC walks them to the newest)
          root.json            the newest root, to hand to centres by a channel you trust
          N.targets.json       the packs and their lengths and hashes (signed by the targets key)
          N.snapshot.json      which targets version is current (the snapshot key)
          timestamp.json       which snapshot is current, and until when (the timestamp key)
        targets/
          <sha256>.<pack id>.cgpack
      online-keys/             the snapshot and timestamp keys: never publish this folder
        snapshot.key timestamp.key

The feed uses TUF's consistent snapshots: every file but timestamp.json is written once under a
new name, and timestamp.json is replaced last, in one rename, so a PC that reads the feed while it
is being published (or a CDN that caches some files longer than others) sees the old feed or the
new one, never a mix. The root and targets keys are not in the folder at all: they are files the
publisher keeps offline and names on the command line.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from tuf.api.metadata import Metadata, MetaFile, Root, Snapshot, Targets, Timestamp
from tuf.api.serialization import DeserializationError

from ..fsutil import PRIVATE_DIR_MODE, atomic_write, make_safe_dirs, read_small_file
from . import FeedError, keys

PUBLISH, ONLINE_KEYS = "publish", "online-keys"
MAX_METADATA_BYTES = 5 * 1024 * 1024
PUBLISHER_FIELD = "x-caseguide-publisher"  # in root: whose feed this is, signed by the root keys
_VERSIONED = re.compile(r"^(\d{1,9})\.(root|targets|snapshot)\.json$")


def now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)


@dataclass
class FeedFolder:
    root: Path

    @property
    def publish(self) -> Path:
        return self.root / PUBLISH

    @property
    def metadata(self) -> Path:
        return self.publish / "metadata"

    @property
    def targets(self) -> Path:
        return self.publish / "targets"

    @property
    def online_keys(self) -> Path:
        return self.root / ONLINE_KEYS

    def exists(self) -> bool:
        return (self.metadata / "timestamp.json").is_file()

    def require(self) -> FeedFolder:
        if not self.exists():
            raise FeedError(f"{self.root} is not a feed folder (it has no {PUBLISH}/metadata/timestamp.json); "
                            "make one with 'caseguide feed init'")
        return self

    def make_folders(self) -> None:
        make_safe_dirs(self.metadata, self.root.parent)
        make_safe_dirs(self.targets, self.root.parent)
        make_safe_dirs(self.online_keys, self.root.parent, mode=PRIVATE_DIR_MODE)

    # Reading ------------------------------------------------------------------------------

    def versions(self, role: str) -> list[int]:
        found = []
        for path in self.metadata.glob(f"*.{role}.json"):
            match = _VERSIONED.match(path.name)
            if match and match.group(2) == role:
                found.append(int(match.group(1)))
        return sorted(found)

    def read(self, role: str, version: int | None = None) -> Metadata:
        """The newest (or *version*) metadata of *role*; timestamp has no versions."""
        if role == Timestamp.type:
            path = self.metadata / "timestamp.json"
        else:
            versions = self.versions(role)
            if not versions:
                raise FeedError(f"the feed in {self.root} has no {role} metadata; is it a CaseGuide feed?")
            path = self.metadata / f"{version or versions[-1]}.{role}.json"
        raw = read_small_file(path, MAX_METADATA_BYTES, "TUF metadata", FeedError)
        try:
            return Metadata.from_bytes(raw)
        except DeserializationError as exc:
            raise FeedError(f"{path} is damaged ({exc}); restore it from a copy of the feed") from None

    def root_md(self) -> Metadata[Root]:
        return self.read(Root.type)

    def published_targets_version(self) -> int:
        snapshot = self.read(Snapshot.type, self.read(Timestamp.type).signed.snapshot_meta.version)
        return snapshot.signed.meta["targets.json"].version

    # Writing ------------------------------------------------------------------------------

    def write(self, md: Metadata) -> bytes:
        """Write *md* under its versioned name (timestamp.json has none); returns the bytes."""
        data = md.to_bytes()
        role = md.signed.type
        name = "timestamp.json" if role == Timestamp.type else f"{md.signed.version}.{role}.json"
        atomic_write(self.metadata / name, data)
        if role == Root.type:
            atomic_write(self.metadata / "root.json", data)
        return data

    def online_signer(self, role: str) -> keys.NaClSigner:
        return keys.read_signer(self.online_keys / f"{role}.key")


def meta_for(data: bytes, version: int) -> MetaFile:
    return MetaFile(version=version, length=len(data), hashes={"sha256": hashlib.sha256(data).hexdigest()})


def check_signer(root: Root, role: str, signer: keys.NaClSigner) -> None:
    """Refuse a key that is not one of *role*'s keys in *root*, naming what was given."""
    if signer.keyid not in root.roles[role].keyids:
        where = f" ({signer.path})" if signer.path else ""
        raise FeedError(f"the key{where} is not this feed's {role} key (its id is {signer.keyid[:16]}…; the "
                        f"feed's {role} keys are {', '.join(k[:16] + '…' for k in root.roles[role].keyids)}). "
                        "Give the key file you made the feed with, or rotate the keys with 'caseguide feed rotate'")


def sign(md: Metadata, signers) -> Metadata:
    md.signatures.clear()
    for signer in signers:
        md.sign(signer, append=True)
    return md


def publisher_name(root: Root) -> str:
    from ..display import clean_text

    value = root.unrecognized_fields.get(PUBLISHER_FIELD, "")
    return clean_text(value)[:200] if isinstance(value, str) else ""


def new_targets(expires: _dt.datetime, previous: Targets | None = None) -> Targets:
    targets = Targets(version=(previous.version + 1) if previous else 1, expires=expires,
                      targets=dict(previous.targets) if previous else {})
    return targets


def new_snapshot(targets_data: bytes, targets_version: int, expires: _dt.datetime, version: int) -> Snapshot:
    return Snapshot(version=version, expires=expires, meta={"targets.json": meta_for(targets_data, targets_version)})


def new_timestamp(snapshot_data: bytes, snapshot_version: int, expires: _dt.datetime, version: int) -> Timestamp:
    return Timestamp(version=version, expires=expires, snapshot_meta=meta_for(snapshot_data, snapshot_version))
