"""The library: every pack CaseGuide can read, and the guides in them.

Packs are found in three places, in this order: the bundled ``content/``
folder, the machine-wide packs folder (installed by an organisation for every
account) and the person's own packs folder. The bundled packs' ids are
reserved: an installed pack with one is skipped. Where the machine-wide and the
person's folder hold the same pack id the higher version wins, if the same
publisher's key signed both (see packs/owners.py); so an update installed for
one person replaces the machine-wide copy for them. On a shared PC
(*machine_only*) the person's own folder is not read at all: it is every
visitor's to write.

Finding packs is cheap (a ``pack.toml`` each); the guides are listed on first
use, so commands such as ``search`` that only need the pack list stay fast, and
each guide's file is parsed when the guide itself is needed.
"""

from __future__ import annotations

import logging
import os
import posixpath
import threading
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from .. import resources
from ..errors import CaseGuideError, GuideError, PackError, StaffOnlyGuideError, UnknownGuideError
from ..guides.model import Guide, GuideInfo, is_listed, load_guide
from ..packs.loading import load_guides, parse_pack
from ..suggest import nearest

if TYPE_CHECKING:
    from ..packs.source import PackSource

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})
MAX_IMAGE_BYTES = 5 * 1024 * 1024
PACK_URL_SCHEME = "pack"


def _pack_dirs(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if (p / "pack.toml").is_file())
    except FileNotFoundError:
        return []
    except OSError as exc:
        log.warning("cannot read the packs folder %s: %s", folder, exc.strerror)
        return []


BUNDLED_OWNER = "bundled"  # the publisher of the packs that come with CaseGuide


def _owner(entry) -> str:
    """Who published an installed pack, as its store records it: the signing key whole, or (for a
    pack installed before owners were kept whole) its key id."""
    return entry.signer_key or (f"key-id:{entry.signer}" if entry.signer else "")


def default_pack_roots(machine_only: bool = False) -> list[tuple[Path, str, str]]:
    """(folder, scope, owner) for every pack folder in the standard places; with *machine_only*,
    only the bundled and machine-wide ones. The owner is the publisher's key, as installed.

    Installed packs are found through each scope's pointer file, never by
    listing folders, so a half-finished install is never read.
    """
    # Here, not at the top: the window paints before any pack.toml is read (or tomllib imported).
    from ..packs.owners import describe_owner, shadowing_allowed
    from ..packs.store import PackStore

    roots = [(p, "bundled", BUNDLED_OWNER) for p in _pack_dirs(resources.bundled_content_dir())]
    machine_wide = PackStore.for_scope(True).installed()
    roots += [(entry.folder, entry.scope, _owner(entry)) for entry in machine_wide.values()]
    if not machine_only:
        for entry in PackStore.for_scope(False).installed().values():
            owner = machine_wide.get(entry.id)
            if owner is not None and not shadowing_allowed(owner, entry):
                log.warning("your own copy of pack %s is not used: it is signed by key %s, and the pack "
                            "belongs to %s", entry.id, entry.signer or "(unknown)",
                            describe_owner(owner, fingerprint=False))
                continue
            roots.append((entry.folder, entry.scope, _owner(entry)))
    return roots


def local_pack_roots(folder: Path) -> list[tuple[Path, str, str]]:
    """A pack source folder, or a folder of them, given on the command line (no publisher known)."""
    if not folder.is_dir():
        raise CaseGuideError(f"{folder} is not a folder")
    if (folder / "pack.toml").is_file():
        return [(folder, "local", "")]
    found = [(p, "local", "") for p in _pack_dirs(folder)]
    if not found:
        raise CaseGuideError(f"{folder} holds no pack: a pack source folder has a pack.toml")
    return found


class Library:
    """The packs CaseGuide reads and their guides: made once by whoever starts (the window, a
    command) and passed to what needs it. After a pack is installed or removed a new Library is
    discovered with the old one as *previous*, so only packs that are new are parsed again.

    :attr:`guides` lists every guide as a :class:`GuideInfo` (its front matter without sources);
    :meth:`get` gives the whole :class:`Guide`, parsing its file when it is first asked for. With
    *catalogues* (a :class:`caseguide.search.cache.CatalogueCache`) a pack's list comes from the
    catalogue cached with its search index where there is a good one, so a big library is listed
    without reading every guide file; otherwise every file is parsed, once.

    Loading is safe from any thread (the window loads on its search thread), and happens once.
    """

    def __init__(self, packs: list[PackSource], warnings: list[str] | None = None, folder: Path | None = None,
                 parsed: dict | None = None, catalogues=None, owners: dict[str, str] | None = None):
        self._packs = packs
        self._owners = dict(owners or {})  # pack id -> its publisher's key, where known
        self._warnings: list[str] = list(warnings or [])
        self._found_later = None  # Library.later(): how to find the packs, when they are first needed
        self.folder = folder  # the pack source folder given with --library; None for the installed library
        self.catalogues = catalogues
        self.catalogues_refused: set[str] = set()  # packs whose cached catalogue was there but damaged
        self._parsed: dict = dict(parsed or {})  # pack folder -> parse_pack() or catalogue results
        self._guides: dict[str, GuideInfo] | None = None
        self._full: dict[str, Guide] = {}
        self._groups: dict[str, list[GuideInfo]] | None = None  # translations, by the id they translate
        self._by_path: dict[str, str] = {}
        self._lock = threading.RLock()
        self.machine_only = False  # only what staff installed (a shared PC)

    @classmethod
    def discover(cls, folder: Path | None = None, previous=(), machine_only: bool = False,
                 catalogues=None) -> Library:
        """The library from the standard places, or from *folder* alone. *machine_only* (a shared
        PC) leaves out the person's own packs.

        Guides already parsed by the *previous* libraries, for pack folders still in use, are
        reused rather than read again; so is their *catalogues* cache, unless one is given.
        """
        from ..packs.source import parse_version, read_pack_source  # not for Library.later() at start-up

        roots = local_pack_roots(folder) if folder is not None else default_pack_roots(machine_only)
        chosen: dict[str, PackSource] = {}
        owners: dict[str, str] = {}
        warnings = []
        for root, scope, owner in roots:
            try:
                pack = read_pack_source(root, scope)
            except PackError as exc:
                warnings.append(f"skipped a pack: {exc}")
                continue
            current = chosen.get(pack.id)
            if current is not None and current.scope == "bundled" and scope != "bundled":
                warnings.append(f"skipped the pack in {root}: its id {pack.id!r} is reserved for the guides "
                                f"that come with CaseGuide. Remove it: caseguide pack remove {pack.id}"
                                f"{' --system' if scope == 'system' else ''}")
                continue
            if current is None or parse_version(pack.version) > parse_version(current.version):
                if current is not None:
                    log.info("pack %s %s (%s) replaces %s", pack.id, pack.version, scope, current.version)
                chosen[pack.id] = pack
                owners[pack.id] = owner
        in_use = {pack.root for pack in chosen.values()}
        parsed = {root: results for old in previous for root, results in old._parsed.items() if root in in_use}
        if catalogues is None:
            catalogues = next((old.catalogues for old in previous if old.catalogues is not None), None)
        library = cls(list(chosen.values()), warnings, folder, parsed, catalogues, owners)
        library.machine_only = machine_only and folder is None
        return library

    @classmethod
    def later(cls, catalogues=None, machine_only: bool = False, before=None) -> Library:
        """The installed library, as :meth:`discover` finds it, but found when it is first needed
        (:attr:`packs`, :attr:`guides`), after *before()* (the window tidies interrupted installs).

        The window starts with this and lists it on its search thread: reading the packs' TOML
        files, and importing what that needs, is then no part of its first paint."""
        library = cls([], catalogues=catalogues)
        library._found_later = before or (lambda: None)
        library.machine_only = machine_only
        return library

    def _find_packs(self) -> None:
        with self._lock:
            if self._found_later is not None:
                self._found_later()
                found = Library.discover(machine_only=self.machine_only, catalogues=self.catalogues)
                self._packs, self._warnings = found.packs, found.warnings + self._warnings
                self._owners = found._owners
                self._found_later = None

    @property
    def packs(self) -> list[PackSource]:
        if self._found_later is not None:
            self._find_packs()
        return self._packs

    @property
    def warnings(self) -> list[str]:
        """Packs that were skipped and, once the guides are listed, files that were."""
        if self._found_later is not None:
            self._find_packs()
        return self._warnings

    @property
    def is_installed_library(self) -> bool:
        """True for the bundled and installed packs; False for a --library preview folder."""
        return self.folder is None

    # Guides -----------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        """True once the guides are listed (asking for :attr:`guides` then costs nothing)."""
        return self._guides is not None

    @property
    def guides(self) -> dict[str, GuideInfo]:
        """Every guide, by id, in pack order, as its catalogue entry."""
        if self._guides is None:
            self._load()
        return self._guides

    def _read_pack(self, pack: PackSource) -> list:
        if self.catalogues is not None:
            try:
                results = self.catalogues.read(pack)
            except CaseGuideError as exc:  # there, but damaged: its index is rebuilt with a new one
                log.warning("the cached list of the guides in pack %s cannot be used (%s); reading them instead",
                            pack.id, exc)
                self.catalogues_refused.add(pack.id)
                results = None
            if results is not None:
                return results
        return parse_pack(pack)

    def _load(self) -> None:
        with self._lock:
            if self._guides is not None:
                return
            found, problems = load_guides(self.packs, self._parsed, self._read_pack)
            for problem in problems:
                if problem.duplicate_of is not None:
                    self.warnings.append(f"skipped {problem.path}: its id {problem.guide_id!r} is already used by "
                                         f"{problem.duplicate_of}")
                else:
                    self.warnings.append(f"skipped {GuideError(problem.path, problem.reason, problem.line)}")
            self._full.update((i, g) for i, g in found.items() if isinstance(g, Guide))
            self._by_path = {os.path.normpath(g.path): g.id for g in found.values()}
            for warning in self.warnings:
                log.warning("%s", warning)
            self._guides = {i: g.info if isinstance(g, Guide) else g for i, g in found.items()}

    def listed(self, shared: bool = False) -> list[GuideInfo]:
        """The guides to list: on a shared PC, not those written for caseworkers (see is_listed)."""
        return [g for g in self.guides.values() if is_listed(g, shared)]

    def get(self, guide_id: str) -> Guide:
        """The whole guide *guide_id*, its file parsed now if it was listed from a catalogue.

        Raises UnknownGuideError for an id the library does not have, and GuideError if the
        file can no longer be read or no longer holds that guide."""
        info = self.guides.get(guide_id)
        if info is None:
            raise UnknownGuideError(guide_id, nearest(guide_id, list(self.guides)))
        with self._lock:
            guide = self._full.get(guide_id)
            if guide is None:
                guide = load_guide(info.path, info.pack)
                if guide.id != guide_id:
                    raise GuideError(info.path, f"now holds the guide {guide.id!r}, not {guide_id!r}: "
                                                "the library changed while CaseGuide was open; start it again")
                self._full[guide_id] = guide
            return guide

    def open(self, guide_id: str, shared: bool) -> Guide:
        """The guide *guide_id* as a person asks to read or print it: as :meth:`get`, but on a shared
        PC (*shared*) a guide written for caseworkers is refused (StaffOnlyGuideError) however it was
        reached: a link, an "Also in" version, Back and Forward, or the command line."""
        info = self.guides.get(guide_id)
        if info is not None and not is_listed(info, shared):
            raise StaffOnlyGuideError(guide_id)
        return self.get(guide_id)

    def pack_guides(self, pack_id: str) -> list[Guide]:
        """The whole guides the library takes from the pack *pack_id*, in order."""
        return [self.get(g.id) for g in self.guides.values() if g.pack == pack_id]

    def pack_results(self, pack_id: str) -> list:
        """What reading the pack *pack_id* gave, file by file (guides and problems): its catalogue."""
        pack = self.pack(pack_id)
        self.guides  # noqa: B018 - load
        return list(self._parsed.get(pack.root, [])) if pack is not None else []

    def __iter__(self):
        return iter(self.guides.values())

    def __len__(self):
        return len(self.guides)

    def pack(self, pack_id: str) -> PackSource | None:
        return next((p for p in self.packs if p.id == pack_id), None)

    def translations(self, guide, shared: bool = False) -> list[GuideInfo]:
        """The other versions of *guide* in the library: the guide it translates (``translation_of``)
        and every guide that translates that one, in order of language. Only versions the original's
        publisher stands behind are linked (see :meth:`translation_problem`), and on a shared PC
        (*shared*) only those a visitor may open."""
        root = guide.translation_of if guide.translation_of in self._translation_groups() else guide.id
        group = self._translation_groups().get(root, [])
        if not any(g.id == guide.id for g in group):
            return []
        return [g for g in group if g.id != guide.id and is_listed(g, shared)]

    def translation_problem(self, original, pack_id: str, owner: str | None = None) -> str | None:
        """Why a guide of the pack *pack_id* (published by *owner*, if not the library's own record)
        is not linked as a translation of *original*, or None if it is.

        A publisher is trusted for its own packs only: a translation is linked when the same pack or
        the same publisher's key holds both, or when the original's own pack lists the translating
        pack in its ``translation_packs``. Otherwise anyone could make an organisation's guide, and
        its handout, point to their own page as "Also in: ..."."""
        if original.pack == pack_id:
            return None
        original_owner = self._owners.get(original.pack, "")
        owner = self._owners.get(pack_id, "") if owner is None else owner
        if original_owner and original_owner == owner:
            return None
        pack = self.pack(original.pack)
        if pack is not None and pack_id in pack.translation_packs:
            return None
        return (f"it is not linked as a translation of {original.id!r}: that guide is in the pack "
                f"{original.pack!r}, which another publisher signs, and that pack's pack.toml does not list "
                f"{pack_id!r} in its translation_packs")

    def _translation_groups(self) -> dict[str, list[GuideInfo]]:
        if self._groups is None:
            groups: dict[str, list[GuideInfo]] = {}
            for g in self:
                original = self.guides.get(g.translation_of) if g.translation_of else None
                linked = original is not None and self.translation_problem(original, g.pack) is None
                groups.setdefault(g.translation_of if linked else g.id, []).append(g)
            self._groups = {root: sorted(group, key=lambda g: (g.translation_of != "", g.language))
                            for root, group in groups.items() if len(group) > 1}
        return self._groups

    def nation_version(self, guide, nation: str, shared: bool = False):
        """The guide a reader in *nation* should read instead of *guide* (which is not about it): one
        of its related guides that covers *nation* and shares a topic, in its language if there is one,
        and that a visitor may open on a shared PC; None if the library has none."""
        candidates = [self.guides[r] for r in guide.related if r in self.guides]
        fits = [g for g in candidates if g.covers(nation) and set(g.topics) & set(guide.topics) and is_listed(g, shared)]
        fits.sort(key=lambda g: (g.primary_language != guide.primary_language, g.nations != (nation,)))
        return fits[0] if fits else None

    def topic_label(self, slug: str) -> str:
        for pack in self.packs:
            if slug in pack.topics:
                return pack.topics[slug]
        return slug.replace("-", " ").capitalize()

    # Links and images -------------------------------------------------------

    def resolve_link(self, guide: Guide, href: str) -> str | None:
        """A relative link in *guide* to another guide's file, as ``guide:ID[#anchor]``."""
        target, _, anchor = href.partition("#")
        target = unquote(target)
        if not target.endswith(".md") or target.startswith("/") or "\\" in target:
            return None
        path = os.path.normpath(guide.path.parent / target)
        guide_id = self._by_path.get(path) if self._guides is not None else None
        if guide_id is None:
            self.guides  # noqa: B018 - load, which fills the path map
            guide_id = self._by_path.get(path)
        if guide_id is None:
            return None
        return f"guide:{guide_id}" + (f"#{anchor}" if anchor else "")

    def resolve_image(self, guide: Guide, src: str) -> str | None:
        """A relative image path in *guide*, as a ``pack:`` URL, if it stays inside the guide's pack."""
        pack = self.pack(guide.pack)
        target = unquote(src.partition("#")[0].partition("?")[0])
        if pack is None or not target or target.startswith("/") or "\\" in target or ":" in target:
            return None
        if Path(target).suffix.lower() not in IMAGE_SUFFIXES:
            return None
        rel_dir = guide.path.parent.relative_to(pack.root).as_posix()
        rel = posixpath.normpath(posixpath.join(rel_dir, target))
        if rel.startswith("../") or rel == ".." or rel.startswith("/"):
            return None
        return f"{PACK_URL_SCHEME}:{pack.id}/{rel}"

    def read_image(self, url: str, pack_id: str) -> bytes | None:
        """The bytes of a ``pack:`` image of pack *pack_id*, or None if it may not be loaded.

        Only image files inside that pack's folder (after following links),
        of at most MAX_IMAGE_BYTES, are ever read.
        """
        scheme, _, rest = url.partition(":")
        owner, _, rel = rest.partition("/")
        if scheme != PACK_URL_SCHEME or owner != pack_id or not rel:
            return None
        pack = self.pack(pack_id)
        if pack is None or Path(rel).suffix.lower() not in IMAGE_SUFFIXES:
            return None
        root = os.path.realpath(pack.root)
        target = os.path.realpath(os.path.join(root, rel))
        if os.path.commonpath([root, target]) != root:
            return None
        try:
            if not os.path.isfile(target) or os.path.getsize(target) > MAX_IMAGE_BYTES:
                return None
            with open(target, "rb") as handle:
                data = handle.read(MAX_IMAGE_BYTES + 1)
        except OSError:
            return None
        return data if len(data) <= MAX_IMAGE_BYTES else None
