"""Where a PC keeps what it trusts about its feed: one folder per scope, ``updates/`` in the
scope's data folder (the person's, or the machine-wide one with --system)::

    updates/
      metadata/   root.json timestamp.json snapshot.json targets.json: the newest TUF metadata
                  this PC has verified (root.json is the trust anchor staff gave with --root)
      state.json  the last update: when, from where, which publisher, which packs it installed
      .lock       one update at a time

These files decide what the next update trusts, so they are read only from a folder no one else
can write to: every part from the scope's data folder down must be a real folder (not a link),
owned by this account or the administrator, and writable by no other account (on Windows: an
access list that lets no one else write). Anything else is refused with a message saying what to
fix, never silently used. Every file is written whole or not at all (``fsutil.atomic_write``).
Qt-free and TUF-free: the window reads ``state.json`` through :mod:`caseguide.updates.state`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .. import paths
from ..fsutil import atomic_write, locked, make_safe_dirs, no_rights, read_small_file
from . import FeedError

METADATA_FILES = ("root.json", "timestamp.json", "snapshot.json", "targets.json")
MAX_FILE_BYTES = 5 * 1024 * 1024


class UpdateStore:
    def __init__(self, system: bool):
        self.system = system
        self.top = paths.site_data_dir() if system else paths.user_data_dir()
        self.root = self.top / "updates"
        self.metadata = self.root / "metadata"
        self.state_file = self.root / "state.json"

    @property
    def where(self) -> str:
        return "machine-wide" if self.system else "for you"

    def lock(self):
        """One update at a time in this scope (a second one waits for the first)."""
        return locked(self.root, wait=True, top=self.top)

    # Reading --------------------------------------------------------------------------------

    def unsafe_because(self, path: Path) -> str | None:
        """Why *path* (a folder or file under the store) may have been changed by someone else, or None."""
        current = self.top
        parts = [self.top, *[self.top.joinpath(*Path(path).relative_to(self.top).parts[:n + 1])
                             for n in range(len(Path(path).relative_to(self.top).parts))]]
        for current in parts:
            try:
                info = os.lstat(current)
            except FileNotFoundError:
                return None
            except OSError as exc:
                return f"{current} cannot be looked at ({exc.strerror})"
            if current == self.top and stat.S_ISLNK(info.st_mode):
                info = os.stat(current)  # the top folder may be a link its owner made
            elif stat.S_ISLNK(info.st_mode) or _is_reparse(info):
                return f"{current} is a link"
            if os.name == "posix":
                if info.st_uid not in (os.geteuid(), 0):
                    return f"{current} belongs to another account (user id {info.st_uid})"
                if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                    return f"{current} can be changed by other accounts (mode {stat.filemode(info.st_mode)})"
            elif os.name == "nt" and current != self.top:
                from .. import winsec
                try:
                    if winsec.others_can_write(current):
                        return f"{current} can be changed by other accounts (its access list)"
                except OSError:
                    return f"{current}'s access list cannot be read"
        return None

    def read(self, name: str, optional: bool = True) -> bytes | None:
        """A file of the store, or None if there is none; raises FeedError if it is not safe to trust."""
        path = self.root / name
        problem = self.unsafe_because(path)
        if problem:
            raise FeedError(f"CaseGuide will not trust its update records in {self.root}: {problem}. "
                            f"Someone else could have changed them. Remove the folder {self.root} (staff then "
                            "set the feed up again with 'caseguide update --from ... --root ROOT.json"
                            f"{' --system' if self.system else ''}')")
        return read_small_file(path, MAX_FILE_BYTES, "an update record", FeedError, optional=optional)

    def trusted_metadata(self) -> dict[str, bytes]:
        found = {}
        for name in METADATA_FILES:
            data = self.read(f"metadata/{name}")
            if data is not None:
                found[name] = data
        return found

    # Writing --------------------------------------------------------------------------------

    def write(self, name: str, data: bytes) -> None:
        path = self.root / name
        try:
            make_safe_dirs(path.parent, self.top)
            atomic_write(path, data)
        except PermissionError:
            raise no_rights(self.root, self.system) from None

    def save_metadata(self, files: dict[str, bytes], replace_all: bool = False) -> None:
        """Keep *files* as the trusted metadata: root first (the order TUF reads them in), so a
        process stopped half-way leaves a set the next update can still start from."""
        for name in METADATA_FILES:
            if name in files:
                self.write(f"metadata/{name}", files[name])
            elif replace_all:
                (self.metadata / name).unlink(missing_ok=True)


def _is_reparse(info: os.stat_result) -> bool:
    return bool(getattr(info, "st_file_attributes", 0) & getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0))
