"""Where each pack's search index and catalogue are cached, and how a stale one is told apart.

Whoosh-free, so the window can read the catalogues (the list of guides it shows at start-up)
before the search engine is even imported. The index itself is :mod:`caseguide.search.index`.

Layout: ``<cache>/v<INDEX_FORMAT>/<pack id>/<fingerprint>/`` holds one pack's Whoosh index and
its ``catalogue.json``, written together and published with one rename.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from ..guides.schema import SCHEMA_VERSION

INDEX_FORMAT = 8  # bump when the index's schema, the text given to it or the catalogue's layout changes
CATALOGUE_NAME = "catalogue.json"
# An installed pack's folder is written once, by its install, and never again: an update is
# installed into a new folder (packs/store.py). Its identity is enough to tell it apart.
WRITE_ONCE_SCOPES = frozenset({"user", "system"})


def fingerprint(pack) -> str:
    """A digest of everything in *pack* that the index depends on.

    For a pack folder that can change (the bundled library, a --library folder), every guide
    file's size and time; for an installed pack, whose folder is written once, its folder, version
    and pack.toml: a library of 2,000 installed guides is not looked at file by file at every start.
    """
    # The guides' front-matter schema too: a new field means a new catalogue (guides.schema).
    digest = hashlib.sha256(f"{INDEX_FORMAT}\0{SCHEMA_VERSION}\0{pack.id}\0{pack.version}\0"
                            f"{os.path.realpath(pack.root)}".encode())
    files = [pack.root / "pack.toml"]
    if getattr(pack, "scope", "") not in WRITE_ONCE_SCOPES:
        files += pack.guide_files()
    for path in files:
        try:
            info = path.stat()
        except OSError:
            continue
        rel = path.relative_to(pack.root).as_posix()
        digest.update(f"\0{rel}\0{info.st_size}\0{info.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


def is_private_dir(path: Path) -> bool:
    """True if *path* is a real folder owned by this user that no one else can write to."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    if hasattr(os, "getuid"):
        if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return False
    elif os.name == "nt":  # modes mean nothing there: the access list says who may write
        from .. import winsec
        return not winsec.others_can_write(path)
    return True


def pack_folder(cache_dir: Path, pack) -> Path:
    """The folder that holds (or will hold) *pack*'s index and catalogue, as the pack is now."""
    return Path(cache_dir) / f"v{INDEX_FORMAT}" / pack.id / fingerprint(pack)


def read_catalogue(folder: Path, pack) -> list | None:
    """The catalogue in an index *folder*, checked; None if there is none. Raises CatalogueError
    for one that is there but cannot be used (damaged, too large, in a folder others can write to)."""
    from ..guides.catalogue import MAX_BYTES, CatalogueError, decode  # on the search thread, not at start-up

    path = folder / CATALOGUE_NAME
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CatalogueError(exc.strerror or str(exc)) from None
    if not all(is_private_dir(f) for f in (folder.parents[2], folder.parents[1], folder.parent, folder)):
        raise CatalogueError("it is in a folder others can write to")
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
        raise CatalogueError("it is not a file of a catalogue's size")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise CatalogueError(exc.strerror or str(exc)) from None
    return decode(pack, data)


class CatalogueCache:
    """Reads each pack's catalogue from the search cache in *cache_dir*, for a Library."""

    def __init__(self, cache_dir: Path):
        self.cache_dir = Path(cache_dir)

    def read(self, pack) -> list | None:
        return read_catalogue(pack_folder(self.cache_dir, pack), pack)
