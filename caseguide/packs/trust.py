"""Trusted publishers: the public keys whose packs CaseGuide will install.

Keys are minisign public key files, one per key, named by key id, in the
user's folder or the machine-wide one. Installing a pack for yourself trusts
both lists; installing machine-wide trusts only the machine-wide list, which
only the PC's administrator can change.

A key id is chosen by whoever makes the key, so anyone can make a key that
claims a trusted publisher's id. Keys are therefore always compared whole:
adding a different key under an id already trusted is refused, and a
signature is checked against the full public key of every trusted key with
its id.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..errors import CaseGuideError
from ..fsutil import atomic_write, make_safe_dirs, no_rights, read_small_file, refuse_unsafe, retry_while_busy
from .minisign import PublicKey, SignatureError

log = logging.getLogger(__name__)
KEY_ID_RE = re.compile(r"^[0-9A-Fa-f]{16}$")
MAX_KEY_FILE = 4096


@dataclass(frozen=True)
class TrustedKey:
    key: PublicKey
    scope: str  # system | user
    path: Path

    @property
    def id(self) -> str:
        return self.key.id


SHARED_PACKS = ("this is a shared PC: its guides are managed by your organisation, and packs or keys "
                "added for this account are not used. A member of staff can install packs and trust "
                "publishers for everyone as the PC's administrator, with --system")


def refuse_on_shared_pc(system: bool, shared: bool) -> None:
    """On a shared PC only machine-wide changes mean anything: say so, instead of a change with no effect."""
    if shared and not system:
        raise CaseGuideError(SHARED_PACKS)


def read_public_key(path: Path) -> PublicKey:
    data = read_small_file(Path(path), MAX_KEY_FILE, "a public key file")
    try:
        return PublicKey.parse(data.decode("utf-8"))
    except (UnicodeDecodeError, SignatureError) as exc:
        raise CaseGuideError(f"{path} is not a minisign public key file (.pub): {exc}") from None


def _keys_in(folder: Path, scope: str) -> list[TrustedKey]:
    found = []
    try:
        files = sorted(folder.glob("*.pub"))
    except OSError:
        return []
    for path in files:
        try:
            found.append(TrustedKey(read_public_key(path), scope, path))
        except CaseGuideError as exc:
            log.warning("ignored a trusted key file: %s", exc)
    return found


def trusted_keys(system_only: bool = False) -> list[TrustedKey]:
    """The trusted keys, machine-wide first; *system_only* (a machine-wide install, a shared PC)
    leaves out the person's own list, which is then never read."""
    keys = _keys_in(paths.site_trust_dir(), "system")
    if not system_only:
        keys += _keys_in(paths.user_trust_dir(), "user")
    return keys


def add_key(pub_path: Path, system: bool = False, shared: bool = False) -> TrustedKey:
    """Trust the key in *pub_path*. Refused if a different key already trusted here claims its id."""
    refuse_on_shared_pc(system, shared)
    key = read_public_key(pub_path)
    scope = "system" if system else "user"
    folder = paths.scope_dirs(system)[1]
    target = folder / f"{key.id}.pub"
    for known in trusted_keys(system_only=system or shared):
        if known.id != key.id:
            continue
        if not known.key.same_key(key):
            where = "machine-wide" if known.scope == "system" else "for you"
            raise CaseGuideError(
                f"a different key with the id {key.id} is already trusted {where} (fingerprint "
                f"{known.key.fingerprint}); this one's fingerprint is {key.fingerprint}. Key ids are chosen "
                "by whoever makes a key, so this may be someone else's key posing as that publisher. "
                "Compare the fingerprints with the publisher, by phone or in person. If they really made "
                f"a new key, stop trusting the old one first: caseguide trust remove {key.id}"
                f"{' --system' if known.scope == 'system' else ''}")
        if known.scope == scope:
            return known  # already trusted, nothing to write
    try:
        make_safe_dirs(folder, folder.parent)
        atomic_write(target, key.dump().encode())
    except PermissionError:
        raise no_rights(folder, system) from None
    except OSError as exc:
        raise CaseGuideError(f"cannot save the key in {folder} ({exc.strerror})") from None
    return TrustedKey(key, scope, target)



def remove_key(key_id: str, system: bool = False, shared: bool = False) -> None:
    refuse_on_shared_pc(system, shared)
    if not KEY_ID_RE.match(key_id):
        raise CaseGuideError(f"{key_id!r} is not a key id: it has 16 hexadecimal digits, "
                             "as 'caseguide trust list' shows")
    folder = paths.scope_dirs(system)[1]
    target = folder / f"{key_id.upper()}.pub"
    if not target.exists():
        where = "machine-wide" if system else "your"
        other = "" if system else " (for a machine-wide key, add --system)"
        raise CaseGuideError(f"key {key_id.upper()} is not in {where} trusted publishers{other}")
    try:
        refuse_unsafe(target, folder.parent)
        retry_while_busy(target.unlink)
    except PermissionError:
        raise no_rights(folder, system) from None
