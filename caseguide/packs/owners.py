"""Who may install a pack id: packs belong to their signer.

Publishers are trusted for their own packs only. The first key to install a pack id owns it; a
later version must be signed by the same key (compared whole, never by id alone), or by a key that
the owner's installed, signed manifest names in ``successor_keys`` (a publisher moving to a new
key). Whoever signs an update becomes the owner, with the successors its own manifest names.
``core`` and the ids of the packs that come with CaseGuide are reserved: no pack file replaces them.

For an install for one person the owner is the machine-wide pack of that id if there is one, else
the person's own; a machine-wide install looks only at machine-wide packs (staff decide there).
Staff who mean to give an id to another publisher remove the pack first, then install.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from .. import resources
from ..errors import PackError
from .source import read_pack_source
from .store import InstalledPack, PackStore

if TYPE_CHECKING:
    from .archive import VerifiedPack
    from .minisign import PublicKey

# The cryptography (minisign, PyNaCl) is imported only when a key is looked at, so the library's
# discovery, which asks shadowing_allowed(), stays as light as 'caseguide list' needs.

log = logging.getLogger(__name__)

RESERVED_IDS = frozenset({"core"})


@functools.cache
def _bundled_ids(folder: Path) -> frozenset[str]:
    ids = set()
    for root in sorted(p for p in folder.iterdir() if (p / "pack.toml").is_file()):
        try:
            ids.add(read_pack_source(root, "bundled").id)
        except PackError:
            continue
    return frozenset(ids)


def reserved_ids() -> frozenset[str]:
    """``core`` and every pack id that comes with CaseGuide."""
    return RESERVED_IDS | _bundled_ids(resources.bundled_content_dir())


def _key(encoded: str) -> PublicKey | None:
    from .minisign import PublicKey, SignatureError

    try:
        return PublicKey.parse(encoded) if encoded else None
    except SignatureError:
        return None


def may_sign(owner: InstalledPack, signer: PublicKey) -> bool:
    """True if *signer* may sign the next version of the pack *owner* records."""
    owner_key = _key(owner.signer_key)
    if owner_key is not None:
        return owner_key.same_key(signer) or any(signer.same_key(_key(k)) for k in owner.successor_keys)
    # Installed before owners were kept whole: only the key id was recorded. The key must claim it,
    # and (since a different key can no longer be trusted under a trusted id) be the one trusted now.
    return bool(owner.signer) and owner.signer == signer.id


def owner_of(pack_id: str, system: bool) -> InstalledPack | None:
    """The installed pack that decides who may sign *pack_id*, for a machine-wide (*system*) or own install."""
    for scope in (True,) if system else (True, False):
        entry = PackStore.for_scope(scope).installed().get(pack_id)
        if entry is not None:
            return entry
    return None


def describe_owner(owner: InstalledPack, fingerprint: bool = True) -> str:
    key = _key(owner.signer_key) if fingerprint else None
    who = f"{owner.publisher} " if owner.publisher else ""
    where = "machine-wide" if owner.scope == "system" else "for you"
    fingerprint = f", fingerprint {key.fingerprint}" if key else ""
    return f"{who}(key {owner.signer}{fingerprint}), installed {where}"


def check_owner(verified: VerifiedPack, system: bool) -> None:
    """Refuse *verified* if its id is reserved or belongs to another publisher's key."""
    from .archive import PackRefused

    pack_id = verified.manifest.id
    if pack_id in reserved_ids():
        raise PackRefused(
            f"the pack id {pack_id!r} is reserved for the guides that come with CaseGuide, so no pack "
            "can replace them (they are updated with CaseGuide itself). The publisher must give their "
            "pack an id of its own")
    owner = owner_of(pack_id, system)
    if owner is None or verified.signer is None or may_sign(owner, verified.signer):
        return
    remove = f"caseguide pack remove {pack_id}{' --system' if owner.scope == 'system' else ''}"
    raise PackRefused(
        f"the pack id {pack_id!r} belongs to {describe_owner(owner)}: the key that installed it first. "
        f"This pack is signed by a different key ({verified.key_id}, fingerprint "
        f"{verified.signer.fingerprint}), and a publisher may only update its own packs. Only the owner's "
        "key, or a new key the owner's pack names as its successor, can update it. If the pack really has "
        f"a new publisher, staff can remove it first ({remove}) and then install this one")


def owner_record(verified: VerifiedPack) -> dict:
    """What the store keeps with an installed pack, so the next install knows who may sign it."""
    return {"signer_key": verified.signer.encoded if verified.signer else "",
            "successor_keys": list(verified.manifest.successor_keys),
            "publisher": verified.manifest.publisher}


def packs_owned(key: PublicKey, system_only: bool = False) -> list[str]:
    """The installed pack ids *key* owns (machine-wide ones first), for ``trust list``."""
    owned = []
    for system in (True,) if system_only else (True, False):
        for entry in PackStore.for_scope(system).installed().values():
            recorded = _key(entry.signer_key)
            if (recorded.same_key(key) if recorded else entry.signer == key.id) and entry.id not in owned:
                owned.append(entry.id)
    return owned


def shadowing_allowed(machine_wide: InstalledPack, own: InstalledPack) -> bool:
    """True if a person's own copy of a machine-wide pack id was signed by a key the machine-wide
    copy's owner allows; otherwise the library leaves the person's copy out."""
    # Keys as recorded (each written as PublicKey.encoded), compared as text: no cryptography needed.
    if not own.signer_key or not machine_wide.signer_key:
        return bool(own.signer) and own.signer == machine_wide.signer
    return own.signer_key == machine_wide.signer_key or own.signer_key in machine_wide.successor_keys
