"""``caseguide update``: bring the packs that changed in the feed, through TUF and then through
everything ``caseguide pack install`` checks.

1. The metadata this PC trusts (``store``) is copied into a private temporary folder, where
   python-tuf's ``Updater`` refreshes it from the feed: newer roots one by one, each vouched for by
   the one before; then timestamp, snapshot and targets, refusing anything older than what is
   trusted (rollback), past its expiry date (freeze), signed by the wrong keys, or longer than
   allowed. Only our ``FeedFetcher`` is used, with its time limits.
2. The feed's packs are compared with the installed library: only those that are new, or newer
   than what is installed, are fetched, each checked against its signed length and hash.
3. Each is then checked as ``pack install`` checks it (an ``install.InstallPlan``: the publisher's
   minisign signature by a trusted key, ownership, no downgrade, guides), all of them before any is
   installed, so a refusal at any step leaves the library as it was.
4. They are installed one by one (each plan committed, atomic each), packs the feed no longer
   has are removed if this feed installed them, and only then do the new metadata and the record
   of the update (``state``) replace the old ones, under the scope's update lock.

``check=True`` does steps 1 and 2 without fetching a pack and writes nothing at all.
"""

from __future__ import annotations

import datetime as _dt
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tuf.api import exceptions
from tuf.api.metadata import Metadata, Root, TargetFile, Targets
from tuf.api.serialization import DeserializationError
from tuf.ngclient import Updater, UpdaterConfig

from .. import settings as settings_mod
from ..errors import CaseGuideError
from ..fsutil import read_small_file
from ..guides.model import ID_RE
from ..library import Library, install
from ..packs import SUFFIX, archive
from ..packs.source import parse_version
from ..packs.store import Change, PackStore, compare_versions
from . import FeedError, keys  # noqa: F401 - keys registers the PyNaCl Ed25519 key with securesystemslib
from .feed import publisher_name
from .fetch import FeedFetcher, Limits, Source, parse_source
from .messages import explain
from .state import LastUpdate, read_state, write_state
from .store import UpdateStore

CONFIG = UpdaterConfig(max_root_rotations=64, max_delegations=8, root_max_length=512 * 1024,
                       timestamp_max_length=16 * 1024, snapshot_max_length=1024 * 1024,
                       targets_max_length=5 * 1024 * 1024, app_user_agent="CaseGuide")
MAX_PACKS = 2000

SHARED = ("this is a shared PC: its guides are managed by your organisation, and only staff update them, for "
          "everyone, as the PC's administrator: caseguide update --system")


@dataclass
class FeedPack:
    id: str
    version: str
    title: str
    length: int
    info: TargetFile = field(repr=False)


@dataclass
class Plan:
    source: Source
    publisher: str
    expires: _dt.datetime | None
    install: list[FeedPack] = field(default_factory=list)
    remove: list[tuple[str, str]] = field(default_factory=list)
    current: list[FeedPack] = field(default_factory=list)
    newer_here: list[tuple[FeedPack, str]] = field(default_factory=list)
    first_time: bool = False

    @property
    def bytes_to_fetch(self) -> int:
        return sum(p.length for p in self.install)

    @property
    def changes_anything(self) -> bool:
        return bool(self.install or self.remove)


@dataclass
class Result:
    plan: Plan
    changes: list[Change] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    requests: int = 0
    bytes_received: int = 0
    seconds: float = 0.0
    checked_only: bool = False


def saved_source(settings, system: bool) -> str:
    """The feed staff set for this scope (``updates.source``): machine-wide for --system, else the
    person's own (a machine-wide source belongs to the machine-wide update)."""
    if system:
        return settings.machine_wide("updates.source")
    return settings.get("updates.source") if settings.origin("updates.source") == "own" else ""


def read_root_file(path: Path) -> bytes:
    """A feed's root metadata from the publisher, checked to be TUF root metadata signed by its own keys."""
    data = read_small_file(Path(path), CONFIG.root_max_length, "a feed's root metadata (root.json)", FeedError)
    try:
        md = Metadata.from_bytes(data)
    except DeserializationError:
        raise FeedError(f"{path} is not a feed's root metadata (the root.json the publisher gave you)") from None
    if not isinstance(md.signed, Root):
        raise FeedError(f"{path} is TUF {md.signed.type} metadata, not root metadata: give the feed's root.json")
    try:
        md.signed.verify_delegate(Root.type, md.signed_bytes, md.signatures)
    except exceptions.UnsignedMetadataError:
        raise FeedError(f"{path} is not signed by the root keys it names; it was changed or damaged. "
                        "Ask the publisher for it again") from None
    return data


def update(settings, system: bool = False, source: str | None = None, root: Path | None = None,
           check: bool = False, limits: Limits | None = None, library: Library | None = None,
           prepare=None, catalogues=None) -> Result:
    """Update this scope's library from its feed (or say what that would change, with *check*).
    *source* and *root*: the first time, or to move to another copy or another feed. *prepare*: what
    builds a newly installed pack's search index before it is switched in (see InstallPlan.commit)."""
    if settings.shared_mode and not system:
        raise FeedError(SHARED)

    def installed() -> Library | None:  # listed from the catalogues, not file by file; under the lock
        if library is None and catalogues is not None:
            return Library.discover(machine_only=system or settings.shared_mode, catalogues=catalogues)
        return library
    src = parse_source(source if source is not None else saved_source(settings, system) or _no_source(system))
    root_bytes = read_root_file(root) if root is not None else None
    store = UpdateStore(system)
    if check:
        return _run(store, src, root_bytes, settings, True, limits, installed(), prepare=prepare)
    try:
        with store.lock():
            try:
                return _run(store, src, root_bytes, settings, False, limits, installed(), save_source=source is not None,
                            prepare=prepare)
            except CaseGuideError as exc:
                _record_problem(store, src, exc)
                raise
    except PermissionError:
        from ..fsutil import no_rights
        raise no_rights(store.root, system) from None


def _no_source(system: bool) -> str:
    flag = " --system" if system else ""
    raise FeedError(f"no feed is set up{' machine-wide' if system else ' for you'} yet. The first time, give the "
                    f"feed and its root metadata (which the publisher gives you by a channel you trust): "
                    f"caseguide update --from ADDRESS_OR_FOLDER --root root.json{flag}")


def _run(store: UpdateStore, src: Source, root_bytes: bytes | None, settings, check: bool,
         limits: Limits | None, library: Library | None, save_source: bool = False, prepare=None) -> Result:
    started = time.perf_counter()
    trusted = store.trusted_metadata()
    first_time = root_bytes is not None and root_bytes != trusted.get("root.json")
    if root_bytes is None:
        root_bytes = trusted.get("root.json")
        if root_bytes is None:
            raise FeedError(f"this PC does not trust any feed {store.where} yet: the first time, give the feed's "
                            f"root metadata from the publisher with --root root.json")
    carried = {} if first_time else {k: v for k, v in trusted.items() if k != "root.json"}
    last = read_state(store.system) or LastUpdate("system" if store.system else "user")
    fetcher = FeedFetcher(limits)
    try:
        return _refresh_and_apply(store, src, root_bytes, settings, check, library, save_source, first_time,
                                  carried, last, fetcher, started, prepare)
    finally:
        fetcher.close()


def _refresh_and_apply(store, src, root_bytes, settings, check, library, save_source, first_time, carried, last,
                       fetcher, started, prepare=None) -> Result:
    with tempfile.TemporaryDirectory(prefix="caseguide-update-") as tmp:
        work = Path(tmp)
        for name, data in carried.items():
            (work / name).write_bytes(data)
        try:
            updater = Updater(str(work), src.metadata_url, str(work / "targets"), src.targets_url,
                              fetcher=fetcher, config=CONFIG, bootstrap=root_bytes)
            updater.refresh()
            refreshed = _refreshed(work)
            root_md = Metadata.from_bytes(refreshed["root.json"])
            targets_md = Metadata.from_bytes(refreshed["targets.json"])
            packs = _feed_packs(updater, targets_md.signed)
        except (exceptions.RepositoryError, exceptions.DownloadError) as exc:
            raise explain(exc, src, last.checked, fetcher.bodies) from None
        timestamp_md = Metadata.from_bytes(refreshed["timestamp.json"])
        plan = _plan(src, publisher_name(root_md.signed), timestamp_md.signed.expires, packs, last,
                     store.system, settings.shared_mode, library)
        plan.first_time = first_time
        result = Result(plan, checked_only=check)
        if not check:
            def commit() -> None:
                # Before the library changes: keep what TUF verified (rollback protection from now on)
                # and where the feed is. A refused update has changed nothing, these included.
                store.save_metadata(refreshed, replace_all=True)
                if save_source:
                    settings_mod.set_value("updates.source", src.text, system=store.system)
            _apply(plan, updater, work, store, settings, library, result, last, commit, prepare)
    result.requests, result.bytes_received = fetcher.requests, fetcher.bytes_received
    result.seconds = time.perf_counter() - started
    return result


def _refreshed(work: Path) -> dict[str, bytes]:
    history = work / "root_history"
    newest = max(history.glob("*.root.json"), key=lambda p: int(p.name.split(".")[0]))
    return {"root.json": newest.read_bytes(), **{n: (work / n).read_bytes()
                                                 for n in ("timestamp.json", "snapshot.json", "targets.json")}}


def _feed_packs(updater: Updater, targets: Targets) -> list[FeedPack]:
    """The packs the feed lists, each as its verified TargetFile with the id and version it claims."""
    names = [n for n in targets.targets if n.endswith(SUFFIX)]
    if len(names) > MAX_PACKS:
        raise exceptions.RepositoryError(f"the feed lists {len(names)} packs; CaseGuide reads at most {MAX_PACKS}")
    packs = []
    for name in sorted(names):
        info = updater.get_targetinfo(name)  # from the trusted set, verified by refresh()
        custom = info.custom.get("caseguide") if info is not None and isinstance(info.custom, dict) else None
        if not isinstance(custom, dict):
            raise exceptions.RepositoryError(f"the feed's entry {name} does not say which pack it is")
        pack_id, version = custom.get("id"), custom.get("version")
        try:
            ok = isinstance(pack_id, str) and bool(ID_RE.match(pack_id)) and name == f"{pack_id}.cgpack" \
                and isinstance(version, str) and parse_version(version) is not None
        except ValueError:
            ok = False
        if not ok:
            raise exceptions.RepositoryError(f"the feed's entry {name} names no valid pack id and version")
        if info.length > archive.MAX_ARCHIVE_BYTES:
            raise exceptions.RepositoryError(f"the feed's {name} is larger than any pack CaseGuide accepts")
        title = custom.get("title") if isinstance(custom.get("title"), str) else ""
        packs.append(FeedPack(pack_id, version, title[:200], info.length, info))
    return packs


def _plan(src: Source, publisher: str, expires, packs: list[FeedPack], last: LastUpdate, system: bool,
          shared: bool, library: Library | None) -> Plan:
    if library is None or not library.is_installed_library:
        library = Library.discover(machine_only=system or shared)
    plan = Plan(src, publisher, expires)
    for pack in packs:
        installed = library.pack(pack.id)
        if installed is None or compare_versions(pack.version, installed.version) > 0:
            plan.install.append(pack)
        elif compare_versions(pack.version, installed.version) == 0:
            plan.current.append(pack)
        else:
            plan.newer_here.append((pack, installed.version))
    in_feed = {p.id for p in packs}
    here = PackStore.for_scope(system).installed()
    for pack_id, version in sorted(last.packs.items()):
        if pack_id not in in_feed and pack_id in here and here[pack_id].version == version:
            plan.remove.append((pack_id, version))
    return plan


def _apply(plan: Plan, updater: Updater, work: Path, store: UpdateStore, settings, library: Library | None,
           result: Result, last: LastUpdate, commit, prepare=None) -> None:
    system, shared = store.system, settings.shared_mode
    files = {}
    try:
        for pack in plan.install:  # TUF: each file's signed length and hash
            files[pack.id] = Path(updater.download_target(pack.info, str(work / "packs" / f"{pack.id}.cgpack")))
    except (exceptions.RepositoryError, exceptions.DownloadError) as exc:
        raise explain(exc, plan.source, last.checked, {}) from None
    checked = []  # one InstallPlan a pack: checked once here, committed below, as `pack install` does
    installed = {} if plan.first_time else dict(last.packs)  # a new trust root: another feed, perhaps
    try:
        for pack in plan.install:  # minisign, owners, downgrades: every pack before any is installed
            try:
                checked.append(install.InstallPlan(files[pack.id], system=system, library=library, shared=shared))
            except CaseGuideError as exc:
                raise FeedError(f"the feed's pack {pack.id} {pack.version} is refused: {exc}. Nothing was installed "
                                "or changed; the library is kept as it is") from None
            verified = checked[-1].verified
            if (verified.manifest.id, verified.manifest.version) != (pack.id, pack.version):
                raise FeedError(f"the feed says {pack.id}.cgpack is {pack.id} {pack.version}, but the pack inside is "
                                f"{verified.manifest.id} {verified.manifest.version}; it is refused. Nothing was "
                                "installed or changed. Tell the publisher")
        commit()
    except BaseException:
        for each in checked:
            each.discard()
        raise
    try:
        for pack, each in zip(plan.install, checked):
            change = each.commit(None if shared else prepare)
            library = change.library
            result.changes.append(change)
            installed[pack.id] = pack.version
        for pack_id, _version in plan.remove:
            install.remove(pack_id, system=system, shared=shared, library=library)
            installed.pop(pack_id, None)
            result.removed.append(pack_id)
    finally:
        for each in checked:
            each.discard()  # any not committed (an install failed part-way)
        now = _dt.datetime.now(_dt.timezone.utc)
        for pack in plan.current:
            installed.setdefault(pack.id, pack.version)
        complete = len(result.changes) == len(plan.install) and len(result.removed) == len(plan.remove)
        write_state(store, LastUpdate(last.scope, plan.source.text, plan.publisher,
                                      now if complete else last.checked,
                                      now if result.changes or result.removed else last.changed,
                                      installed, "" if complete else "the update stopped half-way",
                                      None if complete else now))


def _record_problem(store: UpdateStore, src: Source, exc: Exception) -> None:
    """Keep why the last try failed, for staff and the window (never anything a person searched)."""
    last = read_state(store.system) or LastUpdate("system" if store.system else "user")
    last.problem = str(exc)[:1000]
    last.problem_at = _dt.datetime.now(_dt.timezone.utc)
    try:
        write_state(store, last)
    except CaseGuideError:
        pass
