"""The publisher's side of a feed: ``caseguide feed init | add | remove | publish | status``.

Four TUF roles, each with its own keys. Root (a threshold of one or more keys) says which keys
may sign each role; targets lists the packs with their lengths and hashes. Both are kept offline,
as files the publisher chooses, and are needed only to make the feed, change its packs or rotate
keys. Snapshot and timestamp are re-signed at every publish with the feed's online keys (in
DIR/online-keys), so a machine that publishes every night holds no key that can add a pack.

``add`` and ``remove`` sign a new targets version; ``publish`` makes it (and a fresh expiry date)
live by signing a new snapshot and timestamp. A pack is checked as ``caseguide pack verify`` would
(structure, signature by a key this machine trusts, manifest, every file, every guide) before it
goes into the feed, and a feed only moves forward: a pack's version must be newer than the one the
feed has, because every PC would refuse it anyway.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tuf.api.metadata import Metadata, Role, Root, Snapshot, TargetFile, Targets, Timestamp

from ..errors import CaseGuideError
from ..packs import archive, trust
from ..library.install import check_pack_file
from ..packs.store import compare_versions
from . import FeedError, keys
from .feed import PUBLISHER_FIELD, FeedFolder, check_signer, new_snapshot, new_targets, new_timestamp, now, sign

ROOT_DAYS, TARGETS_DAYS, PUBLISH_DAYS = 365, 365, 30
MAX_PUBLISH_DAYS = 400
ROLES = ("root", "targets", "snapshot", "timestamp")


@dataclass
class Made:
    """What ``feed init`` made, for the message that says what to keep safe."""
    folder: FeedFolder
    new_keys: list[Path]
    root_file: Path
    fingerprint: str


def root_fingerprint(data: bytes) -> str:
    """The root file's SHA-256 in groups of four, for staff to compare by phone."""
    digest = hashlib.sha256(data).hexdigest().upper()[:32]
    return " ".join(digest[n:n + 4] for n in range(0, len(digest), 4))


def _days(days: int, most: int = MAX_PUBLISH_DAYS) -> _dt.timedelta:
    if not 1 <= days <= most:
        raise FeedError(f"the expiry must be from 1 to {most} days")
    return _dt.timedelta(days=days)


def init(directory: Path, root_keys: list[Path], targets_key: Path, threshold: int = 1, publisher: str = "",
         password=None, new_password: str | None = None, root_days: int = ROOT_DAYS,
         publish_days: int = PUBLISH_DAYS) -> Made:
    """Make a new, empty feed in *directory*. Key files that do not exist are made (with
    *new_password* if given); existing ones are read (*password*, if protected)."""
    folder = FeedFolder(Path(directory))
    if folder.exists() or (folder.metadata.exists() and any(folder.metadata.iterdir())):
        raise FeedError(f"{directory} already holds a feed; nothing was changed")
    if not root_keys:
        raise FeedError("give at least one --root-key file")
    if not 1 <= threshold <= len(root_keys):
        raise FeedError(f"the threshold must be from 1 to the number of root keys ({len(root_keys)})")
    if not Path(directory).parent.is_dir():
        raise FeedError(f"the folder {Path(directory).parent} does not exist")
    made: list[Path] = []
    signers = []
    for path in [*root_keys, targets_key]:
        signer, new = keys.read_or_make(path, password, new_password)
        signers.append(signer)
        if new:
            made.append(Path(path))
    root_signers, targets_signer = signers[:-1], signers[-1]
    if len({s.keyid for s in signers}) != len(signers):
        raise FeedError("the same key was given twice: each root key, and the targets key, must be its own")
    try:
        folder.make_folders()
        online = {}
        for role in ("snapshot", "timestamp"):
            online[role] = keys.make_key_file(folder.online_keys / f"{role}.key")
    except OSError as exc:
        raise CaseGuideError(f"cannot make the feed in {directory} ({exc.strerror})") from None
    when = now()
    root = Root(expires=when + _days(root_days, 5 * 366), consistent_snapshot=True)
    if publisher:
        root.unrecognized_fields[PUBLISHER_FIELD] = publisher.strip()[:200]
    for signer in root_signers:
        root.add_key(signer.public_key, "root")
    root.roles["root"].threshold = threshold
    root.add_key(targets_signer.public_key, "targets")
    for role, signer in online.items():
        root.add_key(signer.public_key, role)
    root_data = folder.write(sign(Metadata(root), root_signers))
    targets_data = folder.write(sign(Metadata(new_targets(when + _days(TARGETS_DAYS, 5 * 366))), [targets_signer]))
    _publish(folder, targets_data, 1, publish_days, when, first=True)
    return Made(folder, made, folder.metadata / "root.json", root_fingerprint(root_data))


def _signed_targets(folder: FeedFolder, targets_key: Path, password) -> tuple[Metadata, keys.NaClSigner]:
    signer = keys.read_signer(targets_key, password)
    check_signer(folder.root_md().signed, "targets", signer)
    return folder.read(Targets.type), signer


def _commit_targets(folder: FeedFolder, targets: Targets, signer: keys.NaClSigner) -> int:
    folder.write(sign(Metadata(targets), [signer]))
    return targets.version


def target_path(pack_id: str) -> str:
    return f"{pack_id}.cgpack"


def add(directory: Path, pack: Path, targets_key: Path, password=None) -> tuple[archive.Manifest, str | None]:
    """Put *pack* into the feed (a new pack, or a newer version of one); returns its manifest and
    the version it replaces. Live at the next publish."""
    folder = FeedFolder(Path(directory)).require()
    check_pack_file(pack)
    keys_here = trust.trusted_keys()
    if not keys_here:
        raise FeedError("no publisher keys are trusted on this machine, so the pack cannot be checked before it "
                        "goes into the feed. Trust your own pack key first: caseguide trust add YOURS.pub")
    with tempfile.TemporaryDirectory(prefix="caseguide-feed-") as tmp:
        verified = archive.verify(Path(pack), keys_here, extract_to=Path(tmp) / "pack")
    manifest = verified.manifest
    md, signer = _signed_targets(folder, targets_key, password)
    targets: Targets = md.signed
    path = target_path(manifest.id)
    previous = targets.targets.get(path)
    old_version = _custom(previous).get("version") if previous else None
    if old_version and compare_versions(manifest.version, old_version) <= 0:
        raise FeedError(f"the feed already has {manifest.id} {old_version}; this pack is {manifest.version}. "
                        "Every PC refuses a pack that is not newer than the one it has, so build the pack "
                        "again with a higher version in its pack.toml")
    data_hash = _sha256(pack)
    info = TargetFile.from_file(path, str(pack))
    if info.hashes["sha256"] != data_hash:  # the file changed while it was read
        raise FeedError(f"{pack} changed while it was being added; try again")
    info.unrecognized_fields["custom"] = {"caseguide": {
        "id": manifest.id, "version": manifest.version, "title": manifest.title,
        "publisher": manifest.publisher, "guides": len(verified.guides), "key_id": verified.key_id}}
    stored = folder.targets / f"{data_hash}.{path}"
    try:
        if not stored.exists():
            tmp_copy = stored.with_name(f".{stored.name}.part")
            shutil.copyfile(pack, tmp_copy)
            tmp_copy.replace(stored)
    except OSError as exc:
        raise CaseGuideError(f"cannot copy the pack into {folder.targets} ({exc.strerror})") from None
    new = new_targets(now() + _days(TARGETS_DAYS, 5 * 366), targets)
    new.targets[path] = info
    _commit_targets(folder, new, signer)
    return manifest, old_version


def remove(directory: Path, pack_id: str, targets_key: Path, password=None) -> str:
    """Take *pack_id* out of the feed (PCs remove what they installed from it); returns its version."""
    folder = FeedFolder(Path(directory)).require()
    md, signer = _signed_targets(folder, targets_key, password)
    path = target_path(pack_id)
    if path not in md.signed.targets:
        listed = ", ".join(sorted(p.removesuffix(".cgpack") for p in md.signed.targets)) or "none"
        raise FeedError(f"the feed has no pack {pack_id!r} (it has: {listed})")
    version = _custom(md.signed.targets[path]).get("version", "")
    new = new_targets(now() + _days(TARGETS_DAYS, 5 * 366), md.signed)
    del new.targets[path]
    _commit_targets(folder, new, signer)
    return version


def publish(directory: Path, expires_in_days: int = PUBLISH_DAYS, when: _dt.datetime | None = None) -> Timestamp:
    """Sign a new snapshot and timestamp for the newest targets, valid for *expires_in_days*."""
    folder = FeedFolder(Path(directory)).require()
    targets_version = folder.versions(Targets.type)[-1]
    data = (folder.metadata / f"{targets_version}.targets.json").read_bytes()
    return _publish(folder, data, targets_version, expires_in_days, when or now())


def _publish(folder: FeedFolder, targets_data: bytes, targets_version: int, days: int, when: _dt.datetime,
             first: bool = False) -> Timestamp:
    expires = when + _days(days)
    root = folder.root_md().signed
    signers = {role: folder.online_signer(role) for role in ("snapshot", "timestamp")}
    for role, signer in signers.items():
        check_signer(root, role, signer)
    snapshot_version = 1 if first else folder.versions(Snapshot.type)[-1] + 1
    snapshot_data = folder.write(sign(Metadata(new_snapshot(targets_data, targets_version, expires,
                                                            snapshot_version)), [signers["snapshot"]]))
    timestamp_version = 1 if first else folder.read(Timestamp.type).signed.version + 1
    timestamp = new_timestamp(snapshot_data, snapshot_version, expires, timestamp_version)
    folder.write(sign(Metadata(timestamp), [signers["timestamp"]]))  # last: this makes it live
    _prune(folder)
    return timestamp


def _prune(folder: FeedFolder, keep: int = 2) -> None:
    """Drop snapshot and targets versions older than the last *keep* (a PC reading the feed while it
    is published still finds the previous ones) and pack files none of those name. Roots stay."""
    kept_targets = folder.versions(Targets.type)[-keep:]
    for role, kept in (("snapshot", folder.versions(Snapshot.type)[-keep:]), ("targets", kept_targets)):
        for version in folder.versions(role):
            if version not in kept:
                (folder.metadata / f"{version}.{role}.json").unlink(missing_ok=True)
    named = set()
    for version in kept_targets:
        for path, info in folder.read(Targets.type, version).signed.targets.items():
            named.add(f"{info.hashes['sha256']}.{path}")
    for path in folder.targets.iterdir():
        if path.name not in named and not path.name.startswith("."):
            path.unlink(missing_ok=True)


def _custom(info: TargetFile | None) -> dict:
    custom = info.custom if info is not None else None
    value = custom.get("caseguide") if isinstance(custom, dict) else None
    return value if isinstance(value, dict) else {}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


# Status ---------------------------------------------------------------------------------

@dataclass
class PackEntry:
    id: str
    version: str
    title: str
    size: int


@dataclass
class Status:
    publisher: str
    packs: list[PackEntry]
    versions: dict[str, int]
    expires: dict[str, _dt.datetime]
    root_threshold: int
    root_keys: int
    unpublished: bool
    fingerprint: str
    notes: list[str] = field(default_factory=list)


def status(directory: Path, today: _dt.datetime | None = None) -> Status:
    folder = FeedFolder(Path(directory)).require()
    today = today or now()
    mds = {role: folder.read(role) for role in ROLES}
    root: Root = mds["root"].signed
    packs = [PackEntry(_custom(info).get("id", path), _custom(info).get("version", ""),
                       _custom(info).get("title", ""), info.length)
             for path, info in sorted(mds["targets"].signed.targets.items())]
    unpublished = folder.published_targets_version() != mds["targets"].signed.version
    notes = []
    if unpublished:
        notes.append("The feed has changes that are not live yet: run 'caseguide feed publish'.")
    for role, md in mds.items():
        left = md.signed.expires - today
        if left.total_seconds() <= 0:
            notes.append(f"The {role} metadata EXPIRED on {md.signed.expires:%Y-%m-%d}: PCs refuse the feed "
                         f"until you {_renew(role)}.")
        elif left.days < (60 if role in ("root", "targets") else 7):
            notes.append(f"The {role} metadata expires in {left.days} days ({md.signed.expires:%Y-%m-%d}): "
                         f"{_renew(role)} before then.")
    root_data = (folder.metadata / f"{root.version}.root.json").read_bytes()
    role: Role = root.roles["root"]
    return Status(_name(root), packs, {r: md.signed.version for r, md in mds.items()},
                  {r: md.signed.expires for r, md in mds.items()}, role.threshold, len(role.keyids),
                  unpublished, root_fingerprint(root_data), notes)


def _renew(role: str) -> str:
    return {"root": "renew it with 'caseguide feed rotate' (the current root keys)",
            "targets": "re-sign it: add or remove a pack, or 'caseguide feed rotate --targets-key'",
            }.get(role, "run 'caseguide feed publish'")


def _name(root: Root) -> str:
    from .feed import publisher_name
    return publisher_name(root)
