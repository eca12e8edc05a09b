"""Installing, checking, listing and removing content packs: what the CLI and the window call."""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import CaseGuideError
from ..fsutil import locked, no_rights
from ..i18n import N_
from ..packs import SUFFIX, archive, owners, trust
from ..packs.archive import PackRefused, VerifiedPack
from ..packs.source import read_pack_source
from ..packs.store import Change, PackStore, compare_versions
from ..packs.trust import refuse_on_shared_pc
from .library import Library


def _noop(_message: str, _fraction: float) -> None:
    pass


def check_pack_file(path: Path) -> None:
    """Refuse, saying why, a pack file that is not there, is not a file or cannot be read: before
    anything about trust, so a mistyped name is never answered with "no trusted publishers"."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise PackRefused(f"{path} does not exist; check the file's name and folder") from None
    except OSError as exc:
        raise PackRefused(f"{path} cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise PackRefused(f"{path} is a folder, not a pack file ({SUFFIX})")
    if not stat.S_ISREG(info.st_mode):
        raise PackRefused(f"{path} is not a regular file, so it cannot be a pack file ({SUFFIX})")
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        raise PackRefused(f"{path} cannot be read ({exc.strerror}); check that you may open it") from None


def _keys(system: bool):
    keys = trust.trusted_keys(system_only=system)
    if not keys:
        where = "machine-wide trusted publishers" if system else "trusted publishers"
        raise PackRefused(f"there are no {where} yet, so no pack can be installed. Get the publisher's "
                          f".pub file from them directly and run 'caseguide trust add FILE.pub"
                          f"{' --system' if system else ''}'")
    return keys


def plan(verified: VerifiedPack, library: Library, allow_downgrade: bool = False, system: bool = False) -> Change:
    """What installing *verified* (machine-wide if *system*) would change; refuses reserved ids,
    another publisher's pack id, downgrades and guide id collisions."""
    owners.check_owner(verified, system)
    manifest = verified.manifest
    current = library.pack(manifest.id)
    if current is not None and not allow_downgrade and compare_versions(manifest.version, current.version) <= 0:
        same = compare_versions(manifest.version, current.version) == 0
        raise PackRefused(
            f"{manifest.id} {current.version} is already installed ({current.scope}); this pack is "
            f"{'the same version' if same else 'an older version'} ({manifest.version}). Packs only move "
            "forward, so an old pack cannot replace a newer one. If you really mean to go back, use "
            "--allow-downgrade")
    guide_packs = {g.id: g.pack for g in library}
    clashes = sorted(i for i in verified.guide_ids if guide_packs.get(i, manifest.id) != manifest.id)
    if clashes:
        raise PackRefused(f"guide ids in this pack are already used by another pack "
                          f"({', '.join(f'{i} in {guide_packs[i]}' for i in clashes[:5])}); the publisher "
                          "must rename them")
    old = {g.id for g in library if g.pack == manifest.id}
    new = set(verified.guide_ids)
    return Change(manifest.id, manifest.version, current.version if current else None,
                  added=sorted(new - old), updated=sorted(new & old), removed=sorted(old - new),
                  notes=_translation_notes(verified, library))


def _translation_notes(verified: VerifiedPack, library: Library) -> list[str]:
    """The pack's guides that say they translate another publisher's guide, and why each will not be
    linked as its translation."""
    owner = verified.signer.encoded if verified.signer else ""
    notes = []
    for guide in verified.guides:
        original = library.guides.get(guide.translation_of) if guide.translation_of else None
        if original is not None:
            problem = library.translation_problem(original, verified.manifest.id, owner)
            if problem:
                notes.append(f"{guide.id}: {problem}")
    return notes


def _installed(library: Library | None, machine_only: bool, catalogues=None) -> Library:
    """The installed library (what a pack is compared with), reusing *library*'s parsed guides and
    its catalogues (or *catalogues*); a --library preview is never what an install is compared with.
    A machine-wide install is compared with the machine-wide library (*machine_only*), never with
    one person's own packs."""
    previous = [library] if library is not None and library.is_installed_library else []
    return Library.discover(previous=previous, machine_only=machine_only, catalogues=catalogues)


class InstallPlan:
    """A pack checked once and staged, with what installing it would change: the one plan the CLI
    and the window share. Its guides are parsed once, while it is checked; :meth:`commit` installs
    exactly what was checked (no second check, no second parse) and gives the library that results,
    :meth:`discard` throws it away. Use it as a context manager: leaving without commit discards.

    The staged copy is in the store's private staging folder, under a lock of its own that the
    store's clean-up respects, so it survives until committed or discarded however long a person
    takes to decide, and another CaseGuide's install meanwhile cannot remove it."""

    def __init__(self, path: Path, system: bool = False, library: Library | None = None,
                 allow_downgrade: bool = False, shared: bool = False, progress=_noop, catalogues=None):
        refuse_on_shared_pc(system, shared)
        check_pack_file(path)
        keys = _keys(system)
        self.system, self.shared, self.allow_downgrade = system, shared, allow_downgrade
        self._store = store = PackStore.for_scope(system)
        self._hold = contextlib.ExitStack()
        self._staged: Path | None = None
        try:
            with store.lock():
                store.remove_orphans()
                self._staged = store.new_staging_dir()
                self._hold.enter_context(locked(self._staged, wait=False))
            progress(N_("Checking the signature and unpacking"), 0.1)
            self.verified = archive.verify(Path(path), keys, extract_to=self._staged / "pack")
            progress(N_("Comparing with the library"), 0.8)
            self._installed_then = store.installed()
            self._current = _installed(library, machine_only=system or shared, catalogues=catalogues)
            self.change = plan(self.verified, self._current, allow_downgrade, system=system)
        except BaseException as exc:
            self.discard()
            if isinstance(exc, PermissionError):
                raise no_rights(store.root, system) from None
            if isinstance(exc, OSError):
                raise CaseGuideError(f"the pack could not be checked in {store.root} ({exc.strerror}); "
                                     "nothing was changed") from None
            raise
        progress(N_("Checked"), 1.0)

    def __enter__(self) -> InstallPlan:
        return self

    def __exit__(self, *_exc) -> None:
        self.discard()

    def commit(self, prepare=None, progress=_noop) -> Change:
        """Install the checked pack, atomically, and return its Change with ``change.library``: the
        installed library as it is now. *prepare(library)*, given a one-pack library of the new pack
        in its final folder, runs before the switch (the caller's search index is built there, so
        search agrees with the pack list at once). Raises PackRefused or CaseGuideError."""
        if self._staged is None:
            raise CaseGuideError("this pack was already installed or put aside; check it again")
        store, verified, installed = self._store, self.verified, []
        try:
            with store.lock():
                if store.installed() != self._installed_then:  # another install or removal meanwhile
                    self._current = _installed(self._current, machine_only=self.system or self.shared)
                    self.change = plan(verified, self._current, self.allow_downgrade, system=self.system)
                progress(N_("Preparing search"), 0.6)

                def before_switch(folder: Path) -> None:
                    installed.append(_moved(verified, self._staged / "pack", folder, store.scope))
                    if prepare is not None:
                        prepare(installed[0])

                store.commit(self._staged / "pack", verified.manifest.id, verified.manifest.version,
                             verified.key_id, before_switch=before_switch, owner=owners.owner_record(verified))
                self.change.library = Library.discover(previous=[self._current, *installed],
                                                       machine_only=self.shared)
        except PermissionError:
            raise no_rights(store.root, self.system) from None
        except OSError as exc:
            raise CaseGuideError(f"the pack could not be installed in {store.root} ({exc.strerror}); "
                                 "nothing was changed") from None
        finally:
            self.discard()
        progress(N_("Installed"), 1.0)
        return self.change

    def discard(self) -> None:
        """Throw the staged copy away (nothing installed); safe to call more than once."""
        self._hold.close()
        if self._staged is not None:
            shutil.rmtree(self._staged, ignore_errors=True)
            self._staged = None


def verify_file(path: Path, system: bool = False, library: Library | None = None,
                progress=_noop, shared: bool = False, catalogues=None) -> tuple[VerifiedPack, Change]:
    """Everything an install checks, changing nothing (``caseguide pack verify``)."""
    with InstallPlan(path, system, library, shared=shared, progress=progress, catalogues=catalogues) as checked:
        checked.verified.root = None
        return checked.verified, checked.change


def install_file(path: Path, system: bool = False, allow_downgrade: bool = False,
                 progress=_noop, library: Library | None = None, shared: bool = False, prepare=None,
                 catalogues=None) -> Change:
    """Check and install a pack file at once (``caseguide pack install``): an InstallPlan committed.
    *prepare*: see :meth:`InstallPlan.commit`; a shared PC's index is only ever in memory."""
    with InstallPlan(path, system, library, allow_downgrade, shared, progress, catalogues) as checked:
        return checked.commit(None if shared else prepare, progress)


def _moved(verified: VerifiedPack, staged: Path, folder: Path, scope: str) -> Library:
    """The pack just moved from *staged* into the store's *folder*, as a one-pack library holding the
    guides parsed while it was checked (their paths moved with it), so nothing is parsed again."""
    source = read_pack_source(folder, scope)
    guides = [dataclasses.replace(g, path=folder / g.path.relative_to(staged)) for g in verified.guides]
    return Library([source], parsed={source.root: guides})


class RemovalPlan:
    """Taking a pack away, in the shape of an install: what it would change (the guides that go,
    found in the library already listed), then :meth:`commit`, which gives the library after."""

    def __init__(self, pack_id: str, system: bool = False, library: Library | None = None, shared: bool = False):
        refuse_on_shared_pc(system, shared)
        self.pack_id, self.system, self.shared = pack_id, system, shared
        self._store = PackStore.for_scope(system)
        entry = self._store.installed().get(pack_id)
        if entry is None:
            raise _not_installed(pack_id, system)
        self._library = library if library is not None and library.is_installed_library else None
        gone = [g.id for g in self._library if g.pack == pack_id] if self._library is not None else []
        self.change = Change(pack_id, entry.version, entry.version, removed=sorted(gone))

    def commit(self) -> Change:
        store = self._store
        try:
            with store.lock():
                self.change.gone = store.remove(self.pack_id)
        except PermissionError:
            raise no_rights(store.root, self.system) from None
        except KeyError:
            raise _not_installed(self.pack_id, self.system) from None
        previous = [self._library] if self._library is not None else []
        self.change.library = Library.discover(previous=previous, machine_only=self.shared)
        return self.change


def _not_installed(pack_id: str, system: bool) -> CaseGuideError:
    elsewhere = pack_id in PackStore.for_scope(not system).installed()
    if elsewhere:
        hint = " It is installed machine-wide: add --system." if not system else \
            " It is installed for you: leave out --system."
    else:
        hint = " Run 'caseguide pack list' to see what is installed."
    where = "machine-wide" if system else "for you"
    return CaseGuideError(f"no pack {pack_id!r} is installed {where}.{hint}")


def remove(pack_id: str, system: bool = False, shared: bool = False, library: Library | None = None):
    """Take the pack *pack_id* away (``caseguide pack remove``); returns the InstalledPack that went."""
    return RemovalPlan(pack_id, system, library, shared).commit().gone


@dataclass
class PackRow:
    id: str
    version: str
    title: str
    publisher: str
    guides: int
    installed: str
    scope: str

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def list_packs(library: Library | None = None, shared: bool = False) -> list[PackRow]:
    if library is None:
        library = Library.discover(machine_only=shared)
    dates = {}
    for system in (True,) if library.machine_only else (True, False):
        for entry in PackStore.for_scope(system).installed().values():
            dates[(entry.id, entry.scope)] = entry.installed
    counts = {}
    for guide in library:
        counts[guide.pack] = counts.get(guide.pack, 0) + 1
    return [PackRow(p.id, p.version, p.title, p.publisher, counts.get(p.id, 0),
                    dates.get((p.id, p.scope), "bundled" if p.scope == "bundled" else ""), p.scope)
            for p in library.packs]
