"""Installing, checking, listing and removing content packs: what the CLI and the window call."""

from __future__ import annotations

import dataclasses
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import CaseGuideError
from ..fsutil import no_rights
from ..guides.library import Library
from ..i18n import N_
from . import SUFFIX, archive, owners, trust
from .archive import PackRefused, VerifiedPack
from .source import read_pack_source
from .store import Change, PackStore, compare_versions
from .trust import refuse_on_shared_pc


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


def _installed(library: Library | None, machine_only: bool) -> Library:
    """The installed library (what a pack is compared with), reusing *library*'s parsed guides; a
    --library preview is never what an install is compared with. A machine-wide install is
    compared with the machine-wide library (*machine_only*), never with one person's own packs."""
    previous = [library] if library is not None and library.is_installed_library else []
    return Library.discover(previous=previous, machine_only=machine_only)  # nothing parsed twice


def verify_file(path: Path, system: bool = False, library: Library | None = None,
                progress=_noop, shared: bool = False) -> tuple[VerifiedPack, Change]:
    """Everything an install checks, changing nothing. *library* is the caller's current library;
    *shared*: this is a shared PC, where only machine-wide installs are allowed."""
    refuse_on_shared_pc(system, shared)
    check_pack_file(path)
    keys = _keys(system)
    with tempfile.TemporaryDirectory(prefix="caseguide-verify-") as tmp:
        progress(N_("Checking the signature and unpacking"), 0.1)
        verified = archive.verify(Path(path), keys, extract_to=Path(tmp) / "pack")
        progress(N_("Comparing with the library"), 0.8)
        change = plan(verified, _installed(library, machine_only=system or shared), system=system)
        verified.root = None
    progress(N_("Checked"), 1.0)
    return verified, change


def install_file(path: Path, system: bool = False, allow_downgrade: bool = False,
                 progress=_noop, library: Library | None = None, shared: bool = False) -> Change:
    """Check and install a pack file, atomically. Raises PackRefused or CaseGuideError.

    The returned Change carries the installed library as it is afterwards (``change.library``):
    the new pack's guides are parsed once, while it is checked, and reused for its search index and
    for that library. *shared*: this is a shared PC (only machine-wide installs, no index on disk).
    """
    refuse_on_shared_pc(system, shared)
    check_pack_file(path)
    keys = _keys(system)
    store = PackStore.for_scope(system)
    installed: list[Library] = []
    try:
        with store.lock():
            store.remove_orphans()
            staged = store.new_staging_dir()
            try:
                progress(N_("Checking the signature and unpacking"), 0.1)
                verified = archive.verify(Path(path), keys, extract_to=staged / "pack")
                progress(N_("Comparing with the library"), 0.5)
                current = _installed(library, machine_only=system or shared)
                change = plan(verified, current, allow_downgrade, system=system)
                progress(N_("Preparing search"), 0.6)

                def prepare(folder: Path) -> None:
                    installed.append(_moved(verified, staged / "pack", folder, store.scope))
                    if not shared:  # a shared PC's index is only ever in memory
                        _prepare_search(installed[0])

                store.commit(staged / "pack", verified.manifest.id, verified.manifest.version, verified.key_id,
                             before_switch=prepare, owner=owners.owner_record(verified))
                change.library = Library.discover(previous=[current, *installed], machine_only=shared)
            finally:
                shutil.rmtree(staged, ignore_errors=True)
    except PermissionError:
        raise no_rights(store.root, system) from None
    except OSError as exc:
        raise CaseGuideError(f"the pack could not be installed in {store.root} ({exc.strerror}); "
                             "nothing was changed") from None
    progress(N_("Installed"), 1.0)
    return change


def _moved(verified: VerifiedPack, staged: Path, folder: Path, scope: str) -> Library:
    """The pack just moved from *staged* into the store's *folder*, as a one-pack library holding the
    guides parsed while it was checked (their paths moved with it), so nothing is parsed again."""
    source = read_pack_source(folder, scope)
    guides = [dataclasses.replace(g, path=folder / g.path.relative_to(staged)) for g in verified.guides]
    return Library([source], parsed={source.root: guides})


def _prepare_search(library: Library) -> None:
    from ..search.query import SearchIndex  # only when installing

    SearchIndex(library).open()


def remove(pack_id: str, system: bool = False, shared: bool = False):
    refuse_on_shared_pc(system, shared)
    store = PackStore.for_scope(system)
    try:
        with store.lock():
            return store.remove(pack_id)
    except PermissionError:
        raise no_rights(store.root, system) from None
    except KeyError:
        elsewhere = pack_id in PackStore.for_scope(not system).installed()
        if elsewhere:
            hint = " It is installed machine-wide: add --system." if not system else \
                " It is installed for you: leave out --system."
        else:
            hint = " Run 'caseguide pack list' to see what is installed."
        where = "machine-wide" if system else "for you"
        raise CaseGuideError(f"no pack {pack_id!r} is installed {where}.{hint}") from None


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
