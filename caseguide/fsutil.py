"""Small file-system helpers: capped reads, atomic writes, a lock, and saying what rights are missing."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import CaseGuideError


def read_small_file(path: Path, limit: int, what: str, error: type[CaseGuideError] = CaseGuideError,
                    missing: str | None = None, optional: bool = False) -> bytes | None:
    """The bytes of a small file that came from outside, read no further than *limit* bytes, so that
    a huge file named by mistake (or on purpose) is refused without being read into memory.

    Every failure is *error* with a message naming the file: *missing* if it does not exist (or
    None, if it is *optional*), otherwise "cannot be read (why)" or "is too large to be *what*".
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        if optional:
            return None
        raise error(missing or f"{path} does not exist") from None
    except IsADirectoryError:
        raise error(f"{path} is a folder, not {what}") from None
    except OSError as exc:
        raise error(f"{path} cannot be read ({exc.strerror})") from None
    if len(data) > limit:
        raise error(f"{path} is too large to be {what}")
    return data


def no_rights(path: Path, system: bool) -> CaseGuideError:
    where = "machine-wide" if system else "your"
    hint = ("Machine-wide packs, keys and settings are for the PC's administrator: run this as "
            "administrator (root), or leave out --system to change only your own."
            if system else "Check that you can write to that folder.")
    return CaseGuideError(f"you do not have the rights to change {where} files in {path}. {hint}")


@contextlib.contextmanager
def replacing(path: Path, mode: int | None = 0o644, suffix: str = ""):
    """Yield a new temporary file's path beside *path*; when the block ends without an error, the
    file replaces *path* in one rename, so readers see the old file or the new one, never a part.
    On an error the temporary file is removed and *path* is untouched. *suffix* keeps the file's
    type for writers that go by the name (Qt's PDF and PNG writers)."""
    path = Path(path)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(handle)
    try:
        yield Path(tmp)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
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
def locked(folder: Path, wait: bool = True):
    """Hold an exclusive lock on *folder*: one installer or remover at a time.

    Yields True once held. With *wait* False it yields False at once if
    another process holds the lock, instead of waiting.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+b") as handle:
        held = _lock(handle, wait)
        try:
            yield held
        finally:
            if held:
                _unlock(handle)


if os.name == "nt":  # pragma: no cover - Windows
    import msvcrt

    def _lock(handle, wait: bool) -> bool:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK if wait else msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(handle, wait: bool) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            return False
        return True

    def _unlock(handle) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
