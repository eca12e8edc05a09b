"""Changing a feed's keys as TUF defines it: a new root version, signed by a threshold of the
current root keys *and* of the new root's own, which every PC checks before trusting it.

``caseguide feed rotate`` makes root version N+1 from version N, with new root keys or threshold
(``--root-key``), a new targets key (``--targets-key``: the packs are re-signed with it) or new
online keys (``--new-online-keys``: snapshot and timestamp), and a new expiry date; with none of
those it only renews the root's expiry. A PC that trusts version N fetches N+1, N+2, ... in turn,
and accepts each only if the version before it vouches for it, so a stolen online key, targets key
or (below the threshold) root key can be replaced without visiting any PC.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from tuf.api.exceptions import UnsignedMetadataError
from tuf.api.metadata import Metadata, Root, Targets

from . import FeedError, keys
from .feed import FeedFolder, now, sign
from .publisher import PUBLISH_DAYS, ROOT_DAYS, TARGETS_DAYS, _days, _publish, root_fingerprint


@dataclass
class Rotated:
    version: int
    new_keys: list[Path]
    fingerprint: str
    changed: list[str]


def rotate(directory: Path, sign_with: list[Path], root_keys: list[Path] | None = None,
           threshold: int | None = None, targets_key: Path | None = None, new_online_keys: bool = False,
           root_days: int = ROOT_DAYS, publish_days: int = PUBLISH_DAYS, password=None,
           new_password: str | None = None) -> Rotated:
    """Make and publish the next root version. *sign_with*: current root key files (at least the
    current threshold); *root_keys*: the new root's keys (default: the current ones, which must
    then be among *sign_with* up to the threshold)."""
    folder = FeedFolder(Path(directory)).require()
    current: Metadata[Root] = folder.root_md()
    old = current.signed
    made: list[Path] = []
    old_signers = [keys.read_signer(p, password) for p in sign_with]
    unknown = [s.path for s in old_signers if s.keyid not in old.roles["root"].keyids]
    if unknown:
        raise FeedError(f"{', '.join(map(str, unknown))}: not a key of the feed's current root. Give the current "
                        "root keys with --old-root-key")
    new_root = copy.deepcopy(old)
    new_root.version = old.version + 1
    new_root.expires = now() + _days(root_days, 5 * 366)
    changed = ["expiry"]
    new_root_signers = old_signers
    if root_keys:
        new_root_signers = []
        for path in root_keys:
            signer, new = keys.read_or_make(path, password, new_password)
            new_root_signers.append(signer)
            made += [Path(path)] if new else []
        for keyid in list(new_root.roles["root"].keyids):
            new_root.revoke_key(keyid, "root")
        for signer in new_root_signers:
            new_root.add_key(signer.public_key, "root")
        changed.append("root keys")
    if threshold is not None:
        changed.append("threshold")
    wanted = threshold if threshold is not None else min(old.roles["root"].threshold, len(new_root.roles["root"].keyids))
    if not 1 <= wanted <= len(new_root.roles["root"].keyids):
        raise FeedError(f"the threshold must be from 1 to the number of root keys ({len(new_root.roles['root'].keyids)})")
    new_root.roles["root"].threshold = wanted
    targets_signer = None
    if targets_key is not None:
        targets_signer, new = keys.read_or_make(targets_key, password, new_password)
        made += [Path(targets_key)] if new else []
        _replace(new_root, "targets", [targets_signer])
        changed.append("targets key")
    online = {}
    if new_online_keys:
        for role in ("snapshot", "timestamp"):
            (folder.online_keys / f".{role}.key.new").unlink(missing_ok=True)  # left by a run that failed
            online[role] = keys.make_key_file(folder.online_keys / f".{role}.key.new")
            _replace(new_root, role, [online[role]])
        changed.append("online keys")
    md = sign(Metadata(new_root), _unique([*old_signers, *new_root_signers]))
    try:  # TUF's rule: the old root vouches for the new one, and the new one for itself
        old.verify_delegate(Root.type, md.signed_bytes, md.signatures)
    except UnsignedMetadataError:
        raise FeedError(f"the current root needs {old.roles['root'].threshold} of its keys to sign the new one; "
                        f"only {len(old_signers)} were given (--old-root-key)") from None
    try:
        new_root.verify_delegate(Root.type, md.signed_bytes, md.signatures)
    except UnsignedMetadataError:
        raise FeedError(f"the new root needs {wanted} of its own keys to sign it: give their key files "
                        "with --root-key") from None
    data = folder.write(md)
    for role, signer in online.items():  # the new online keys take their places once root names them
        final = folder.online_keys / f"{role}.key"
        signer.path.replace(final)
    targets_md = folder.read(Targets.type)
    if targets_signer is not None:
        targets = copy.deepcopy(targets_md.signed)
        targets.version += 1
        targets.expires = now() + _days(TARGETS_DAYS, 5 * 366)
        targets_md = sign(Metadata(targets), [targets_signer])
        folder.write(targets_md)
    targets_data = (folder.metadata / f"{targets_md.signed.version}.targets.json").read_bytes()
    _publish(folder, targets_data, targets_md.signed.version, publish_days, now())
    return Rotated(new_root.version, made, root_fingerprint(data), changed)


def _replace(root: Root, role: str, signers) -> None:
    for keyid in list(root.roles[role].keyids):
        root.revoke_key(keyid, role)
    for signer in signers:
        root.add_key(signer.public_key, role)
    root.roles[role].threshold = 1


def _unique(signers):
    seen, result = set(), []
    for signer in signers:
        if signer.keyid not in seen:
            seen.add(signer.keyid)
            result.append(signer)
    return result
