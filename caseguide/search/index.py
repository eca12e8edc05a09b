"""The search index: one Whoosh index per pack, kept as a cache under the user's cache folder.

The index is a cache, never content: it is built here from the guides, and rebuilt when the content
changes or when it is missing or unreadable. Each index folder also holds the pack's catalogue
(:mod:`caseguide.guides.catalogue`), written with it, which the window reads at start-up instead of
every guide file; folders and fingerprints are :mod:`caseguide.search.cache`. Each pack has its own index, in a folder named by a
fingerprint of the pack's files, so installing a pack never re-indexes the others. An index is built
in a private temporary folder and published with one atomic rename, so two CaseGuide windows on one
PC never see a half-written index, and a published index is never written to again.

Whoosh reads an index's table of contents with pickle, so an index is only ever read from a folder
that this user created and nobody else can write to. On a shared PC that is not enough: every
visitor is the same user, and one could leave a crafted index in the cache for the next. There the
index is built in memory at start-up and never read from or written to disk (the bundled library
takes about 0.2 s, off the UI thread; see docs/security.md).
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import stat
import tempfile
import time
import uuid
import warnings
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import LanguageAnalyzer, StandardAnalyzer, StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.lang import languages as whoosh_languages

from .. import paths
from ..fsutil import PRIVATE_DIR_MODE, UnsafePathError, make_safe_dirs, remove_tree
from ..guides import catalogue
from ..guides.model import Guide, primary_subtag
from ..guides.render import plain_body_and_links
from . import arabic
from .cache import CATALOGUE_NAME, INDEX_FORMAT, fingerprint
from .snippets import encode_units
from .cache import is_private_dir as _is_private_dir

log = logging.getLogger(__name__)

TITLE_BOOST, SUMMARY_BOOST, TOPIC_BOOST = 4.0, 2.0, 1.5
# What other guides of the pack call a guide when they link to it ("read NHS and Home Office data
# sharing"): words about the guide linked to, so they count for it, at half a word of its body.
NAMES_BOOST = 0.5


def _analyzer(lang: str):
    if lang == "en":
        return StemmingAnalyzer()
    if lang in arabic.ARABIC_SCRIPT_LANGUAGES:
        return arabic.analyzer(lang)
    if lang in whoosh_languages:
        return LanguageAnalyzer(lang)
    return StandardAnalyzer()


def make_schema(langs) -> Schema:
    fields = dict(
        id=ID(stored=True, unique=True),
        pack=ID(stored=True),
        kind=ID(stored=True),
        language=ID(stored=True),
        lang=ID,
        # Topic slugs and their labels as words ("data-rights" -> "data rights, Your data...").
        topics=TEXT(analyzer=StemmingAnalyzer(), field_boost=TOPIC_BOOST, stored=True),
        topic_ids=KEYWORD(lowercase=True),  # exact slugs, for the topic filter
        nations=KEYWORD(stored=True, lowercase=True),  # where the guide's content applies, for the nation filter
    )
    for lang in sorted(set(langs)):
        analyzer = _analyzer(lang)
        # spelling=True keeps the unstemmed words too, for correcting misspelt queries.
        fields[f"title_{lang}"] = TEXT(analyzer=analyzer, stored=True, field_boost=TITLE_BOOST, spelling=True)
        fields[f"summary_{lang}"] = TEXT(analyzer=analyzer, stored=True, field_boost=SUMMARY_BOOST)
        fields[f"body_{lang}"] = TEXT(analyzer=analyzer, stored=True, spelling=True)
        fields[f"units_{lang}"] = STORED  # the body's sentences, for snippets (snippets.encode_units)
        fields[f"names_{lang}"] = TEXT(analyzer=analyzer, stored=True, field_boost=NAMES_BOOST)
    return Schema(**fields)


def guide_documents(guides, library):
    """Each guide's index document, with the words the pack's other guides link to it by."""
    texts = [plain_body_and_links(guide, library) for guide in guides]
    names: dict[str, dict[str, str]] = {}
    for guide, (_body, links) in zip(guides, texts):
        for target, words in links:
            if target != guide.id and words:
                names.setdefault(target, {}).setdefault(words.lower(), words)  # each way of naming it once
    for guide, (body, _links) in zip(guides, texts):
        yield guide_document(guide, library, body, list(names.get(guide.id, {}).values()))


def guide_document(guide: Guide, library, body: str, names=()) -> dict:
    lang = primary_subtag(guide.language)
    return {
        "id": guide.id,
        "pack": guide.pack,
        "kind": guide.kind,
        "language": guide.language.lower(),
        "lang": lang,
        "topics": " ".join(f"{t.replace('-', ' ')} {library.topic_label(t)}" for t in guide.topics),
        "topic_ids": " ".join(guide.topics),
        "nations": " ".join(guide.nations),
        f"title_{lang}": guide.title,
        f"summary_{lang}": guide.summary,
        f"body_{lang}": body,
        f"units_{lang}": encode_units(body),
        f"names_{lang}": "\n".join(names),
    }


class PrivateRamStorage(RamStorage):
    """An index in memory whose writer's temporary files go in a new private folder each time.

    Whoosh's own RamStorage spills a writer's posting runs and columns to a folder named after the
    index ("MAIN.tmp") in the system's temporary folder, and reads them back (some by unpickling):
    one file left there turned search off for every later visitor, two builds at once broke each
    other, and another account could swap the files for a pickle that ran inside staff's index."""

    def temp_storage(self, name=None):
        return FileStorage(str(paths.new_temp_dir(".index-"))).create()


def _tighten(folder: Path) -> None:
    """Take group and other write access off *folder* if it is a real folder of this user's."""
    if not hasattr(os, "getuid"):
        return
    info = os.lstat(folder)
    if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        os.chmod(folder, stat.S_IMODE(info.st_mode) & ~(stat.S_IWGRP | stat.S_IWOTH))


class IndexCache:
    """Opens (building where needed) the index of every pack in a library, in *cache_dir*.

    If the folder cannot be used (not private, not writable), indexes are built in memory instead and
    :attr:`notices` says so once.
    """

    def __init__(self, cache_dir: Path, memory_only: bool = False):
        self.cache_dir = Path(cache_dir)
        self.in_memory = memory_only  # a shared PC: by design, so no notice
        self.notices: list[str] = []

    def open(self, library, rebuild: bool = False, progress=None) -> dict:
        """{pack id: whoosh index} for every pack of *library*; *progress(done, total)* as packs are indexed."""
        root = self.cache_dir / f"v{INDEX_FORMAT}"
        if not self.in_memory:
            problem = self._prepare_root(root)
            if problem:
                self._go_in_memory(problem)
        indexes = {}
        total = len(library.packs)
        for done, pack in enumerate(library.packs):
            if progress:
                progress(done, total)
            indexes[pack.id] = self._pack_index(root, library, pack, rebuild)
        if progress:
            progress(total, total)
        return indexes

    def _go_in_memory(self, problem: str) -> None:
        self.in_memory = True
        message = (f"the search index cannot be kept in {self.cache_dir} ({problem}); "
                   "searching with an index in memory instead, rebuilt each time CaseGuide starts")
        self.notices.append(message)
        log.warning("%s", message)

    def _prepare_root(self, root: Path) -> str | None:
        try:
            # A folder this user's own umask left open (002 makes it group-writable, and the cache was
            # then refused and rebuilt in memory at every start) is made private again; then the two
            # are made (private, whatever the umask) and checked for planted links.
            for folder in (self.cache_dir, root):
                if os.path.lexists(folder):
                    _tighten(folder)
            make_safe_dirs(root, self.cache_dir.parent, mode=PRIVATE_DIR_MODE)
            for folder in (self.cache_dir, root):
                if not _is_private_dir(folder):
                    return f"{folder} is not a private folder of this user"
            probe = root / f".write-test-{uuid.uuid4().hex}"
            probe.write_bytes(b"")
            probe.unlink()
        except UnsafePathError as exc:
            return str(exc)
        except OSError as exc:
            return exc.strerror or str(exc)
        return None

    @staticmethod
    def _build(storage, library, pack, folder: Path | None = None):
        """The pack's index in *storage*; with *folder* (the storage's own), its catalogue too."""
        guides = library.pack_guides(pack.id)
        schema = make_schema(primary_subtag(g.language) for g in guides)
        ix = storage.create_index(schema)
        writer = ix.writer()
        for document in guide_documents(guides, library):
            writer.add_document(**document)
        writer.commit()
        if folder is not None:
            (folder / CATALOGUE_NAME).write_bytes(catalogue.encode(pack, library.pack_results(pack.id)))
        return ix

    def _pack_index(self, root: Path, library, pack, rebuild: bool):
        if self.in_memory:
            return self._build(PrivateRamStorage(), library, pack)
        pack_dir = root / pack.id
        final = pack_dir / fingerprint(pack)
        try:
            pack_dir.mkdir(exist_ok=True, mode=PRIVATE_DIR_MODE)
            if not _is_private_dir(pack_dir):
                raise OSError(f"{pack_dir} is not a private folder of this user")
            if ((rebuild or pack.id in library.catalogues_refused) and final.exists()
                    and not remove_tree(final)):
                raise OSError(f"{final} is in use by another CaseGuide")
            if final.exists():
                ix = self._open_existing(final)
                if ix is not None:
                    return ix
                log.warning("the search index of pack %s was unreadable; rebuilding it", pack.id)
                if not remove_tree(final):
                    raise OSError(f"{final} is in use by another CaseGuide")
            tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=pack_dir))
            try:
                self._build(FileStorage(str(tmp)), library, pack, tmp).close()
                os.rename(tmp, final)  # atomic publish; fails if another window won the race
            except OSError:
                if not final.exists():
                    raise
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            self._prune(pack_dir, keep=final.name)
            ix = self._open_existing(final)
            if ix is None:
                raise OSError("the index just built cannot be read back")
            return ix
        except OSError as exc:
            self._go_in_memory(exc.strerror or str(exc))
            return self._build(PrivateRamStorage(), library, pack)

    @staticmethod
    def _open_existing(folder: Path):
        if not _is_private_dir(folder) or not (folder / CATALOGUE_NAME).is_file():
            return None
        with warnings.catch_warnings():
            # Whoosh leaves a damaged file open on some errors; it is closed, quietly,
            # when the failed attempt is collected below.
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                ix = whoosh_index.open_dir(str(folder))
                with ix.searcher() as searcher:
                    searcher.doc_count()
                return ix
            except Exception:  # noqa: BLE001 - any damage to a cache means "rebuild it"
                pass
            gc.collect()
        return None

    @staticmethod
    def _prune(pack_dir: Path, keep: str) -> None:
        """Remove older indexes of a pack, and builds abandoned over an hour ago.

        Best effort: another process may be building right now, so young builds
        are left; and another window may still be reading an old index, which
        on Windows cannot be deleted then, so it is left whole for next time.
        """
        now = time.time()
        for entry in pack_dir.iterdir():
            if entry.name == keep:
                continue
            if entry.name.startswith(".building-"):
                try:
                    if now - entry.stat().st_mtime < 3600:
                        continue
                except OSError:
                    continue
            remove_tree(entry)
