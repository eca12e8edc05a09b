"""Installed packs, per scope, switched atomically.

A scope's packs folder (the user's, or the machine-wide one) looks like::

    packs/
      installed.json          which folder holds each installed pack: the one pointer
      store/<id>-<random>/    an installed pack's files; never changed once there
      staging/<random>/       a pack being checked; never read by the library
      .lock                   one installer or remover at a time

An install holds the lock throughout: it extracts and checks everything in
``staging``, moves it into ``store``, builds its search index, and only then
replaces ``installed.json`` with one atomic rename. A process killed at any
moment leaves the old pointer (the new files are an orphan) or the new one (the
old files are). Orphans are cleared at the next start-up, install or remove:
whoever takes the lock knows no install is half-way, so anything the pointer
does not name is left over. Readers only ever follow the pointer, so they see
the old library or the new one, never a mix; and a replaced or removed
version is only "retired" in the pointer, its files kept for RETIRE_SECONDS,
so a reader that followed the old pointer an instant before still finds them.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import logging
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..errors import CaseGuideError
from ..fsutil import (
    PRIVATE_DIR_MODE,
    UnsafePathError,
    atomic_write,
    locked,
    make_safe_dirs,
    no_rights,
    read_small_file,
    refuse_unsafe,
    remove_tree,
)
from ..guides.model import ID_RE
from ..i18n import _, ngettext
from ..limits import parse_json
from .source import parse_version

log = logging.getLogger(__name__)

POINTER = "installed.json"
# An old version's files stay this long after the switch, for any reader that
# followed the old pointer a moment before; then the next clean-up takes them.
RETIRE_SECONDS = 600
MAX_POINTER_BYTES = 1024 * 1024


@dataclass
class InstalledPack:
    id: str
    version: str
    folder: Path
    installed: str
    signer: str  # the key id that signed it
    scope: str
    signer_key: str = ""  # that key in full (base64); empty if installed before owners were kept
    successor_keys: list[str] = field(default_factory=list)  # keys its manifest lets sign the next version
    publisher: str = ""


@dataclass
class Change:
    """What an install did or would do, in words a person can check."""
    pack_id: str
    version: str
    previous: str | None
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    library: object = field(default=None, compare=False, repr=False)  # the library after an install
    notes: list[str] = field(default_factory=list, compare=False)  # what staff should know, in words
    gone: object = field(default=None, compare=False, repr=False)  # a removal's InstalledPack

    def describe(self) -> str:
        parts = [ngettext("{n} guide added", "{n} guides added", len(self.added)).format(n=len(self.added)),
                 ngettext("{n} updated", "{n} updated", len(self.updated)).format(n=len(self.updated)),
                 ngettext("{n} removed", "{n} removed", len(self.removed)).format(n=len(self.removed))]
        head = (f"{self.pack_id} {self.previous} -> {self.version}" if self.previous
                else _("{pack} {version} (new)").format(pack=self.pack_id, version=self.version))
        return f"{head}: {', '.join(parts)}"


class PackStore:
    """One scope's packs folder. Nothing is written beneath *top* (the scope's data folder; by
    default the folder holding *root*) through a link or a part another account owns."""

    def __init__(self, root: Path, scope: str, top: Path | None = None):
        self.root = Path(root)
        self.scope = scope
        self.top = Path(top) if top is not None else self.root.parent

    @classmethod
    def for_scope(cls, system: bool) -> PackStore:
        return cls(paths.scope_dirs(system)[0], "system" if system else "user")

    # Reading ---------------------------------------------------------------------

    def _read(self) -> tuple[dict, dict]:
        """(packs, retired folders) from the pointer file."""
        try:
            raw = read_small_file(self.root / POINTER, MAX_POINTER_BYTES, "a pack list", optional=True)
        except CaseGuideError as exc:
            log.warning("%s; no packs are read from %s", exc, self.root)
            return {}, {}
        if raw is None:
            return {}, {}
        try:
            data = parse_json(raw, str(self.root / POINTER))
            packs, retired = data["packs"], data.get("retired", {})
            if not isinstance(packs, dict) or not isinstance(retired, dict):
                raise TypeError
            return packs, retired
        except (CaseGuideError, KeyError, TypeError):
            log.warning("%s is damaged; no packs are read from %s", self.root / POINTER, self.root)
            return {}, {}

    def _pointer(self) -> dict:
        return self._read()[0]

    def installed(self) -> dict[str, InstalledPack]:
        found = {}
        for pack_id, entry in self._pointer().items():
            if not (isinstance(entry, dict) and isinstance(pack_id, str) and ID_RE.match(pack_id)):
                continue
            folder = entry.get("folder")
            if not isinstance(folder, str) or "/" in folder or "\\" in folder or folder.startswith("."):
                continue
            successors = entry.get("successor_keys", [])
            found[pack_id] = InstalledPack(
                pack_id, str(entry.get("version", "")), self.root / "store" / folder,
                str(entry.get("installed", "")), str(entry.get("signer", "")), self.scope,
                signer_key=str(entry.get("signer_key", "")),
                successor_keys=[str(k) for k in successors] if isinstance(successors, list) else [],
                publisher=str(entry.get("publisher", "")))
        return found

    # Changing ---------------------------------------------------------------------

    def _write_pointer(self, packs: dict, retired: dict) -> None:
        data = {"format": 1, "packs": packs, "retired": retired}
        refuse_unsafe(self.root / POINTER, self.top)
        atomic_write(self.root / POINTER, (json.dumps(data, indent=2, sort_keys=True) + "\n").encode())

    def new_staging_dir(self) -> Path:
        folder = self.root / "staging" / secrets.token_hex(8)
        try:
            make_safe_dirs(folder.parent, self.top)
            folder.mkdir(mode=PRIVATE_DIR_MODE)
        except PermissionError:
            raise no_rights(self.root, self.scope == "system") from None
        except OSError as exc:
            raise CaseGuideError(f"cannot prepare {self.root} ({exc.strerror})") from None
        return folder

    def lock(self, wait: bool = True):
        """The store's lock, as a context manager; the folder is made and checked when it is entered."""
        return locked(self.root, wait, top=self.top)

    def commit(self, staged: Path, pack_id: str, version: str, signer: str, before_switch=None,
               owner: dict | None = None) -> None:
        """Move a checked pack from staging into the store and point to it, atomically.

        The caller holds :meth:`lock`. *before_switch(folder)* runs after the move
        and before the pointer changes (to build the search index, so search
        agrees with the pack list at once). *owner* is recorded with the pack (signer_key,
        successor_keys, publisher): who may sign its next version.
        """
        folder_name = f"{pack_id}-{secrets.token_hex(6)}"
        target = self.root / "store" / folder_name
        make_safe_dirs(target.parent, self.top)
        os.replace(staged, target)
        if before_switch is not None:
            before_switch(target)
        packs, retired = self._read()
        old = packs.get(pack_id)
        packs[pack_id] = {
            "folder": folder_name, "version": version, "signer": signer,
            "installed": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
            **(owner or {}),
        }
        if isinstance(old, dict) and isinstance(old.get("folder"), str):
            retired[old["folder"]] = time.time()
        self._write_pointer(packs, retired)

    def remove(self, pack_id: str) -> InstalledPack:
        """Take a pack away (the caller holds :meth:`lock`)."""
        installed = self.installed()
        if pack_id not in installed:
            raise KeyError(pack_id)
        packs, retired = self._read()
        packs.pop(pack_id, None)
        retired[installed[pack_id].folder.name] = time.time()
        self._write_pointer(packs, retired)
        return installed[pack_id]

    def clean_up(self) -> list[Path]:
        """Remove what an interrupted install or remove left behind; returns what went.

        Only when the lock is free at once: an install running now holds it.
        """
        if not self.root.is_dir():
            return []
        removed = []
        try:
            with locked(self.root, wait=False, top=self.top) as held:
                if held:
                    removed = self.remove_orphans()
        except UnsafePathError as exc:
            log.warning("%s; left it untidied", exc)
        except OSError:
            pass  # no rights to tidy a machine-wide folder: not this user's job
        return removed

    def remove_orphans(self, now: float | None = None) -> list[Path]:
        """Remove staging leftovers, files no pointer ever named, and versions retired long enough.

        The caller holds the lock, so no install is half-way.
        """
        now = time.time() if now is None else now
        packs, retired = self._read()
        keep = {p.folder.name for p in self.installed().values()}
        still_retired = {name: when for name, when in retired.items()
                         if isinstance(when, (int, float)) and now - when < RETIRE_SECONDS}
        removed = []
        for area in ("staging", "store"):
            folder = self.root / area
            refuse_unsafe(folder, self.top)  # a planted link here would point the deletions elsewhere
            if folder.is_dir():
                for entry in folder.iterdir():
                    if area == "store" and (entry.name in keep or entry.name in still_retired):
                        continue
                    if area == "staging" and _held(entry):
                        continue  # a checked pack waiting for someone to say "install" (InstallPlan)
                    if entry.is_symlink():
                        entry.unlink()  # the link goes, never what it points to
                    elif not remove_tree(entry):
                        continue  # in use (Windows): left whole, and tried again next time
                    removed.append(entry)
        for partial in self.root.glob(f".{POINTER}.*"):  # a pointer write that never finished
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
                removed.append(partial)
        if still_retired != retired:
            self._write_pointer(packs, still_retired)
        return removed


def _held(folder: Path) -> bool:
    """True if a running InstallPlan holds *folder* (its lock is taken)."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    try:
        with locked(folder, wait=False) as free:
            return not free
    except OSError:
        return False


def packs_by_signer() -> dict[str, list[InstalledPack]]:
    """Every installed pack (in either scope), by the id of the key that signed it, as each store's
    pointer file records it."""
    found: dict[str, list[InstalledPack]] = {}
    for system in (True, False):
        for entry in PackStore.for_scope(system).installed().values():
            if entry.signer:
                found.setdefault(entry.signer.upper(), []).append(entry)
    return found


def compare_versions(new: str, old: str) -> int:
    a, b = parse_version(new), parse_version(old)
    return (a > b) - (a < b)


def clean_up_all(machine_only: bool = False) -> None:
    """Clear what an interrupted install left behind, in every scope this user may tidy (on a shared
    PC, *machine_only*, the user's own store is not touched: it is not read either)."""
    for system in (True,) if machine_only else (False, True):
        PackStore.for_scope(system).clean_up()
