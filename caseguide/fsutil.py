"""Small file-system helpers: capped reads, atomic writes, a lock, folders made safely, and saying
what rights are missing.

CaseGuide's own folders (the pack stores, the trusted keys, the settings, the search index) are
written by whoever runs a command, an administrator with ``--system`` included. So before writing
beneath one of them, :func:`make_safe_dirs` and :func:`refuse_unsafe` check every part of the path
from the scope's top folder down: none may be a symbolic link, belong to another account, or be
writable by every account. A planted link can then never make an administrator's command create or
delete files elsewhere. Folders and files get their modes set explicitly, whatever the umask.

They behave the same on Windows, where a file another program has open cannot be replaced or
deleted for a moment, POSIX modes mean nothing (permissions are access lists: see winsec.py),
opening a folder is "access denied", and msvcrt's blocking lock gives up after about 10 seconds.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import secrets
import shutil
import stat
import tempfile
import time
from pathlib import Path

from .errors import CaseGuideError

log = logging.getLogger(__name__)

# Windows: how long to keep retrying a replace or rename that another program's open file blocks
# (an antivirus scan, or another CaseGuide reading the old file). Readers hold files for moments.
RETRY_SECONDS = 5.0


def read_small_file(path: Path, limit: int, what: str, error: type[CaseGuideError] = CaseGuideError,
                    missing: str | None = None, optional: bool = False) -> bytes | None:
    """The bytes of a small file that came from outside, read no further than *limit* bytes, so that
    a huge file named by mistake (or on purpose) is refused without being read into memory.

    The one capped reader. Only an ordinary file is read: it is opened without waiting (a FIFO
    would otherwise block for ever) and its type and size are checked from the open handle before
    any byte is read, so a FIFO, a device such as /dev/zero or a folder is refused at once.

    Every failure is *error* with a message naming the file: *missing* if it does not exist (or
    None, if it is *optional*), otherwise "cannot be read (why)", "is not an ordinary file" or "is
    too large to be *what*".
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        if optional:
            return None
        raise error(missing or f"{path} does not exist") from None
    except IsADirectoryError:
        raise error(f"{path} is a folder, not {what}") from None
    except PermissionError as exc:  # what Windows says for a folder
        if os.path.isdir(path):
            raise error(f"{path} is a folder, not {what}") from None
        raise error(f"{path} cannot be read ({exc.strerror})") from None
    except OSError as exc:
        raise error(f"{path} cannot be read ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise error(f"{path} is a folder, not {what}")
        if not stat.S_ISREG(info.st_mode):
            raise error(f"{path} is not an ordinary file (it is a device, a pipe or a socket), so it "
                        f"cannot be {what}")
        if info.st_size > limit:
            raise error(f"{path} is too large to be {what}")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise error(f"{path} cannot be read ({exc.strerror})") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise error(f"{path} is too large to be {what}")
    return data


def qt_path(path: Path) -> str:
    """*path* as text Qt can take. A name that is not valid text (bytes that are not UTF-8, kept by
    Python as "surrogates") would reach Qt as a different name, so it is refused here."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise CaseGuideError(f"the file name {text.encode('utf-8', 'backslashreplace').decode()} is not valid "
                             "text (it is not UTF-8); choose a name made of ordinary letters") from None
    return text


def no_rights(path: Path, system: bool) -> CaseGuideError:
    where = "machine-wide" if system else "your"
    hint = ("Machine-wide packs, keys and settings are for the PC's administrator: run this as "
            "administrator (root), or leave out --system to change only your own."
            if system else "Check that you can write to that folder.")
    return CaseGuideError(f"you do not have the rights to change {where} files in {path}. {hint}")


class UnsafePathError(CaseGuideError):
    """A folder or file CaseGuide would write through that is a link, or not safely its own."""


DIR_MODE, FILE_MODE, PRIVATE_DIR_MODE = 0o755, 0o644, 0o700
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # not on Windows: there links are checked with lstat only


def _is_link(info: os.stat_result) -> bool:
    if stat.S_ISLNK(info.st_mode):
        return True
    # Windows: a junction or other reparse point redirects a folder just as a link does.
    return bool(getattr(info, "st_file_attributes", 0) & getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0))


def _unsafe_because(path: Path, info: os.stat_result) -> str | None:
    if _is_link(info):
        return (f"{path} is a symbolic link. CaseGuide does not follow links inside its own folders: a "
                "link planted there could make this command change or delete files somewhere else. "
                f"Remove the link (it is not CaseGuide's), then try again")
    if os.name != "posix":  # Windows access lists are checked where the folders are made
        return None
    if info.st_uid not in (os.geteuid(), 0):
        return (f"{path} belongs to another account (user id {info.st_uid}), not to you or the "
                "administrator, so CaseGuide will not write there. Check who made it; remove it, or "
                "give it back with chown, then try again")
    if info.st_mode & stat.S_IWOTH:
        return (f"{path} can be changed by every account on this PC (mode {stat.filemode(info.st_mode)}), "
                f"so anyone could have put something there. Make it yours alone to change (chmod go-w "
                f"'{path}'), check what is in it, then try again")
    return None


def _parts(path: Path, top: Path) -> list[Path]:
    """*top*, then each folder below it down to *path*."""
    path, top = Path(path), Path(top)
    rel = path.relative_to(top)  # a ValueError here is a bug: every caller passes a path under top
    parts, current = [top], top
    for name in rel.parts:
        current = current / name
        parts.append(current)
    return parts


def refuse_unsafe(path: Path, top: Path) -> None:
    """Raise UnsafePathError if any existing part of *path* below *top* is a link, or if any part
    from *top* down belongs to another account or can be written by every account. *top* itself may
    be a link that this account or the administrator made (a dotfiles folder, a data disk). Parts
    that do not exist yet are fine."""
    for part in _parts(path, top):
        try:
            info = os.lstat(part)
            if part == Path(top) and _is_link(info):
                if os.name == "posix" and info.st_uid not in (os.geteuid(), 0):
                    raise UnsafePathError(
                        f"{part} is a symbolic link made by another account (user id {info.st_uid}), "
                        "so CaseGuide will not follow it: it could make this command change files "
                        "somewhere else. Remove the link, then try again")
                info = os.stat(part)
        except FileNotFoundError:
            return
        except OSError:
            return  # cannot be looked at: the write that follows fails and says why
        problem = _unsafe_because(part, info)
        if problem:
            raise UnsafePathError(problem)


def make_safe_dirs(folder: Path, top: Path, mode: int = DIR_MODE) -> Path:
    """Create *folder* (and what is missing above it) with exactly *mode*, whatever the umask, after
    checking every existing part from *top* down (:func:`refuse_unsafe`). Returns *folder*.

    On Windows, where modes mean nothing, a machine-wide top folder (C:\\ProgramData\\CaseGuide) is
    made only by an administrator and limited to administrators first (:func:`_windows_site_root`).

    Raises UnsafePathError, or PermissionError / OSError from the file system."""
    folder, top = Path(folder), Path(top)
    if os.name == "nt":
        _windows_site_root(top)
    refuse_unsafe(folder, top)
    missing = []
    current = folder
    while not os.path.lexists(current) and current.parent != current:
        missing.append(current)
        current = current.parent
    for part in reversed(missing):
        try:
            os.mkdir(part, mode)
        except FileExistsError:
            continue  # made a moment ago by another process: checked below
        if os.name == "posix":
            os.chmod(part, mode)  # just made by us, in a folder checked above: not a link
    refuse_unsafe(folder, top)
    return folder


def _windows_site_root(top: Path) -> None:
    """A folder made under C:\\ProgramData inherits "Users may create files": a machine-wide top
    folder this makes is limited to SYSTEM and the Administrators (users may read), only an
    administrator may make one, and one that others may change gets a warning saying how to fix it."""
    from . import paths, winsec
    if top not in paths.site_roots():
        return
    if not top.exists():
        if not winsec.is_admin():
            raise PermissionError(errno.EACCES, "not an administrator", str(top))
        top.mkdir(parents=True, exist_ok=True)
        try:
            winsec.limit_to_administrators(top)
        except OSError as exc:
            log.warning("%s could not be limited to administrators (%s)", top, exc.strerror)
    elif winsec.others_can_write(top):
        log.warning("%s can be changed by people who are not administrators: limit it with "
                    "icacls \"%s\" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F "
                    "*S-1-5-32-545:(OI)(CI)RX (the CaseGuide installer does this)", top, top)


@contextlib.contextmanager
def replacing(path: Path, mode: int | None = 0o644, suffix: str = ""):
    """Yield a new temporary file's path beside *path*; when the block ends without an error, the
    file replaces *path* in one rename, so readers see the old file or the new one, never a part.
    On an error the temporary file is removed and *path* is untouched. *suffix* keeps the file's
    type for writers that go by the name (Qt's PDF and PNG writers).

    A *mode* that gives others nothing (0o600) makes a private file: on Windows, where modes mean
    nothing, its access list is limited to this user before anything is written to it, or a warning
    says it could not be. On Windows a replace that another program's open file blocks (another
    CaseGuide reading the old file, an antivirus scan) is retried for a moment."""
    path = Path(path)
    try:
        existing = os.stat(path)
    except OSError:
        existing = None
    if existing is not None and not stat.S_ISREG(existing.st_mode):  # /dev/zero, a FIFO, a folder
        what = "a folder" if stat.S_ISDIR(existing.st_mode) else "not an ordinary file (a device or a pipe)"
        raise CaseGuideError(f"{path} is {what}; give the name of a file to write")
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(handle)
    try:
        if os.name == "nt" and mode is not None and not mode & 0o077:
            _limit_to_owner(Path(tmp), path)
        yield Path(tmp)
        if mode is not None:
            os.chmod(tmp, mode)
        retry_while_busy(os.replace, tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def atomic_write(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write *data* to *path* so that readers see the old file or the new one, never a part."""
    with replacing(path, mode) as tmp, open(tmp, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def _limit_to_owner(tmp: Path, path: Path) -> None:
    from . import winsec
    try:
        winsec.limit_to_owner(tmp)
    except OSError as exc:
        log.warning("%s could not be limited to your account (%s): other people who use this PC may be "
                    "able to read it; keep it on a drive only you can use", path, exc.strerror)


def retry_while_busy(operation, *args, seconds: float = RETRY_SECONDS):
    """Run *operation(*args)*; on Windows, retry it with a short backoff while another program's open
    file blocks it (PermissionError), for up to *seconds*. Then the last error is raised."""
    if os.name != "nt":
        return operation(*args)
    deadline, pause = time.monotonic() + seconds, 0.01
    while True:
        try:
            return operation(*args)
        except PermissionError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.25)


def remove_tree(folder: Path) -> bool:
    """Delete *folder* and what is in it, whole or not at all; False if that must wait for later.

    It is first renamed to a ``.trash-`` name beside it, which Windows refuses while another
    program has a file in it open: then it stays as it was, complete, and a later clean-up tries
    again. What cannot be deleted at once stays under the trash name, for the next clean-up of
    the folder it is in.
    """
    trash = folder.with_name(f".trash-{secrets.token_hex(6)}")
    try:
        os.rename(folder, trash)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    if trash.is_dir() and not trash.is_symlink():
        shutil.rmtree(trash, ignore_errors=True)  # what is still open stays, under the trash name
    else:
        with contextlib.suppress(OSError):
            trash.unlink()
    return True


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def locked(folder: Path, wait: bool | float = True, top: Path | None = None):
    """Hold an exclusive lock on *folder*: one installer or remover at a time.

    Yields True once held. *wait* True waits as long as it takes; False yields False at once if
    another process holds the lock; a number of seconds waits up to that long, then yields False.
    With *top*, the folder is made and checked with :func:`make_safe_dirs` first. The lock file is
    never opened through a link.
    """
    if top is not None:
        make_safe_dirs(folder, top)
        refuse_unsafe(folder / ".lock", top)
    else:
        folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT | NOFOLLOW | getattr(os, "O_BINARY", 0), FILE_MODE)
    if os.name == "posix" and os.fstat(fd).st_uid == os.geteuid():
        os.fchmod(fd, FILE_MODE)
    with os.fdopen(fd, "r+b") as handle:
        held = _take(handle, wait)
        try:
            yield held
        finally:
            if held:
                _unlock(handle)


def _take(handle, wait: bool | float) -> bool:
    if wait is True and _lock_blocking is not None:
        _lock_blocking(handle)
        return True
    deadline = None if wait is True else time.monotonic() + (0 if wait is False else float(wait))
    pause = 0.01
    while not _try_lock(handle):
        if deadline is not None and time.monotonic() >= deadline:
            return False
        time.sleep(pause)
        pause = min(pause * 2, 0.1)
    return True


if os.name == "nt":  # pragma: no cover - Windows
    import msvcrt

    # msvcrt's blocking LK_LOCK gives up after about 10 seconds: poll the non-blocking one instead.
    _lock_blocking = None

    def _try_lock(handle) -> bool:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in (errno.EBADF, errno.EINVAL):
                raise
            return False  # held by another: EACCES on Windows (Wine leaves errno 0)
        return True

    def _unlock(handle) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock_blocking(handle) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)

    def _try_lock(handle) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
