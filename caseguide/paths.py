"""Every directory CaseGuide reads or writes, in one place.

Per-user directories hold a person's own things (packs they installed, their
settings, the search index cache). Machine-wide ("site") directories hold what
an organisation installs for everyone on a PC (packs, trusted keys, locked
settings). All of them come from platformdirs: on Linux they honour the XDG
variables (XDG_DATA_HOME, XDG_CONFIG_HOME, XDG_CACHE_HOME, XDG_DATA_DIRS,
XDG_CONFIG_DIRS); on Windows they are the known folders (%LOCALAPPDATA%,
%PROGRAMDATA%), which no environment variable moves.

``CASEGUIDE_BASEDIR`` (or :func:`set_basedir`) puts everything under one folder
instead, on every platform: for a portable install on a USB stick, and for the
tests, which give each case its own.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

import platformdirs

# Lower case is the convention for directories on Linux; elsewhere people see
# the folder in Explorer or Finder, so it carries the app's name as written.
_DIR_NAME = "caseguide" if sys.platform.startswith("linux") else "CaseGuide"

_basedir: Path | None = None


def set_basedir(path: str | os.PathLike | None) -> None:
    """Put every directory under *path* (a portable install), or undo that with None."""
    global _basedir
    _basedir = Path(path) if path is not None else None


def _base() -> Path | None:
    if _basedir is not None:
        return _basedir
    env = os.environ.get("CASEGUIDE_BASEDIR")
    return Path(env) if env else None


def _dirs() -> platformdirs.PlatformDirs:
    # Built on each call: platformdirs reads the XDG variables when asked, and
    # tests change them between cases.
    return platformdirs.PlatformDirs(_DIR_NAME, appauthor=False, multipath=False)


def user_data_dir() -> Path:
    base = _base()
    return base / "data" if base else Path(_dirs().user_data_dir)


def user_config_dir() -> Path:
    base = _base()
    return base / "config" if base else Path(_dirs().user_config_dir)


def user_cache_dir() -> Path:
    base = _base()
    return base / "cache" if base else Path(_dirs().user_cache_dir)


def site_data_dir() -> Path:
    base = _base()
    return base / "site-data" if base else Path(_dirs().site_data_dir)


def site_config_dir() -> Path:
    base = _base()
    return base / "site-config" if base else Path(_dirs().site_config_dir)


def site_roots() -> list[Path]:
    """The top machine-wide folders (on Windows both are C:\\ProgramData\\CaseGuide)."""
    return list(dict.fromkeys([site_data_dir(), site_config_dir()]))


def user_packs_dir() -> Path:
    """Packs a person installed for themselves."""
    return user_data_dir() / "packs"


def site_packs_dir() -> Path:
    """Packs an organisation installed for every account on the PC."""
    return site_data_dir() / "packs"


def shelf_file() -> Path:
    """A caseworker's pinned guides and what changed since they last looked (never on a shared PC)."""
    return user_data_dir() / "shelf.json"


def index_cache_dir() -> Path:
    """The search index: a cache, rebuilt from the content whenever needed."""
    return user_cache_dir() / "index"


def user_trust_dir() -> Path:
    """Publisher keys a person trusts for the packs they install."""
    return user_config_dir() / "trusted-keys"


def site_trust_dir() -> Path:
    """Publisher keys an organisation trusts for every account on the PC."""
    return site_config_dir() / "trusted-keys"


def scope_dirs(system: bool) -> tuple[Path, Path]:
    """(packs folder, trusted keys folder) for machine-wide (*system*) or per-user installs."""
    return (site_packs_dir(), site_trust_dir()) if system else (user_packs_dir(), user_trust_dir())


def runtime_dir() -> Path:
    """Where a running CaseGuide leaves its lock (per user; cleared at log-out on Linux)."""
    base = _base()
    if base:
        return base / "run"
    if sys.platform.startswith("linux") and not os.environ.get("XDG_RUNTIME_DIR"):
        return user_cache_dir() / "run"  # no session runtime folder (e.g. under su): a private one
    return Path(_dirs().user_runtime_dir)


_temp: Path | None = None
_temp_lock = threading.Lock()
_system_temp: str | None = None  # the system's temporary folder, while temporary_files() points elsewhere


def process_temp_dir() -> Path:
    """A folder of this process's own for temporary files, made fresh at first use under the
    system's temporary folder: a random name, made atomically, only this account may open it (0700;
    an owner-only access list on Windows), never a link, and removed when the process ends.

    Never a fixed name in a shared folder: a file another account (or the last visitor) left there
    could stop a build, two builds at once would share it, and a library that reads its temporary
    files back (Whoosh unpickles its own) would run what someone else put in their place."""
    global _temp
    with _temp_lock:
        system = Path(_system_temp or tempfile.gettempdir())
        if _temp is None or _temp.parent != system or not _temp.is_dir():
            made = Path(tempfile.mkdtemp(prefix="caseguide-", dir=system))
            if os.name == "nt":
                from . import winsec
                winsec.limit_to_owner(made)
            atexit.register(shutil.rmtree, made, ignore_errors=True)
            _temp = made
        return _temp


def new_temp_dir(prefix: str = "tmp-") -> Path:
    """A new, empty, private folder inside :func:`process_temp_dir` (the caller removes it)."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=process_temp_dir()))


_TEMP_VARIABLES = ("TMPDIR", "TEMP", "TMP")


@contextlib.contextmanager
def temporary_files():
    """While it lasts (a command, the window's whole life), :func:`process_temp_dir` is every
    library's temporary folder: Python's tempfile, and TMPDIR, TEMP and TMP for Qt and for the
    programs CaseGuide starts. Put back as it was afterwards."""
    global _system_temp
    before = tempfile.tempdir, {name: os.environ.get(name) for name in _TEMP_VARIABLES}, _system_temp
    _system_temp = tempfile.gettempdir()
    folder = str(process_temp_dir())
    tempfile.tempdir = folder
    os.environ.update(dict.fromkeys(_TEMP_VARIABLES, folder))
    try:
        yield Path(folder)
    finally:
        tempfile.tempdir, variables, _system_temp = before
        for name, value in variables.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def all_dirs() -> list[Path]:
    """Every top folder CaseGuide may write to: per-user, machine-wide and runtime."""
    return [user_data_dir(), user_config_dir(), user_cache_dir(), site_data_dir(), site_config_dir(),
            runtime_dir()]
