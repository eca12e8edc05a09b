"""Shared fixtures. Every test runs with its own empty per-user and machine-wide folders."""

from __future__ import annotations

import contextlib
import os
import textwrap
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from caseguide import paths  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
REALWORLD = REPO.parent / "shared" / "realworld" / "umbrella-content"


# The real folders of whoever runs the tests (CASEGUIDE_BASEDIR left out), where packs, keys and settings
# live: the suite must never change them. (Not the cache and runtime folders, which any CaseGuide
# started beside the tests, by a person or another checkout, refreshes.)
def _real_dirs() -> list[Path]:
    saved = os.environ.pop("CASEGUIDE_BASEDIR", None)
    try:
        return [paths.user_data_dir(), paths.user_config_dir(), *paths.site_roots()]
    finally:
        if saved is not None:
            os.environ["CASEGUIDE_BASEDIR"] = saved


def _snapshot(folders) -> dict:
    found = {}
    for folder in folders:
        if folder.exists():
            for path in [folder, *folder.rglob("*")]:
                try:
                    info = path.stat()
                except OSError:
                    continue
                found[path] = (info.st_mtime_ns, info.st_size)
    return found


_REAL_DIRS = _real_dirs()
_REAL_KEY = pytest.StashKey[dict]()


def pytest_sessionstart(session):
    session.config.stash[_REAL_KEY] = _snapshot(_REAL_DIRS)


def pytest_sessionfinish(session, exitstatus):
    before = session.config.stash.get(_REAL_KEY, None)
    if before is None:
        return
    after = _snapshot(_REAL_DIRS)
    changed = sorted(str(p) for p in set(before) | set(after) if before.get(p) != after.get(p))
    if changed:
        print(f"\nThe real CaseGuide folders of this account changed while the tests ran (a test that is "
              f"not isolated, or a CaseGuide running beside them): {changed[:10]}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def private_dirs(tmp_path, monkeypatch):
    """Give every test its own empty per-user and machine-wide folders under tmp_path/"caseguide".

    Through the app's own override, CASEGUIDE_BASEDIR, because platformdirs ignores the XDG
    variables on Windows (and macOS). The XDG variables point into tmp_path as well, so on Linux
    anything that went round paths.py would still stay inside the test; tests/test_paths.py checks
    the XDG and Windows locations themselves, and the session fails if the real folders changed.
    """
    base = tmp_path / "caseguide"
    base.mkdir(mode=0o700)
    monkeypatch.setenv("CASEGUIDE_BASEDIR", str(base))
    paths.set_basedir(None)
    xdg = tmp_path / "xdg"
    for var, sub in [("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state"),
                     ("XDG_DATA_DIRS", "site-data"), ("XDG_CONFIG_DIRS", "site-config"),
                     ("XDG_RUNTIME_DIR", "runtime")]:
        (xdg / sub).mkdir(parents=True, mode=0o700)
        monkeypatch.setenv(var, str(xdg / sub))
    yield base


# Permissions, on POSIX (modes) and Windows (access lists, through caseguide.winsec) --------------

def private_to_owner(path: Path) -> bool:
    """True if only this user (and, on Windows, SYSTEM) may read *path*."""
    if os.name == "nt":
        from caseguide import winsec
        return winsec.granted(winsec.get_sddl(path), winsec.READ) <= {winsec.current_user_sid(), winsec.SYSTEM}
    return path.stat().st_mode & 0o077 == 0


def others_can_write(path: Path) -> bool:
    if os.name == "nt":
        from caseguide import winsec
        return winsec.others_can_write(path)
    return bool(path.stat().st_mode & 0o022)


def let_everyone_write(folder: Path) -> None:
    if os.name == "nt":
        from caseguide import winsec
        winsec.set_dacl(folder, "D:(A;OICI;FA;;;WD)")
    else:
        os.chmod(folder, 0o777)


@contextlib.contextmanager
def read_only_folder(folder: Path):
    """*folder* made read-only for this user while the block runs; skips the test if it stays writable."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "nt":
        from caseguide import winsec
        winsec.set_dacl(folder, f"D:P(A;OICI;FRFX;;;{winsec.current_user_sid()})(A;OICI;FA;;;SY)")
    else:
        os.chmod(folder, 0o500)
    try:
        probe = folder / "probe"
        try:
            probe.write_bytes(b"")
            probe.unlink()
        except OSError:
            yield folder
            return
        pytest.skip("root can write anywhere" if os.name != "nt" else
                    "the folder stayed writable: Wine maps Windows permissions to Unix modes, "
                    "which do not bind root")
    finally:
        if os.name == "nt":
            from caseguide import winsec
            winsec.set_dacl(folder, f"D:(A;OICI;FA;;;{winsec.current_user_sid()})")
        else:
            os.chmod(folder, 0o700)


def front_matter(**fields) -> str:
    """A valid guide's front matter, with *fields* replacing or adding keys (None removes one)."""
    values = {
        "id": "sample-guide",
        "title": "A sample guide",
        "summary": "What a sample guide is for.",
        "kind": "rights",
        "topics": "[health]",
        "language": "en",
        "nations": "[uk]",
        "reviewed": "2026-11-01",
        "review_due": "2027-05-01",
        "sources": "\n  - title: GOV.UK\n    url: https://www.gov.uk/guidance/paying-an-nhs-debt",
    }
    values.update(fields)
    lines = [f"{key}: {value}" for key, value in values.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n"


def guide_file(body: str = "Some text.", **fields) -> str:
    return front_matter(**fields) + textwrap.dedent(body)


@pytest.fixture
def make_pack(tmp_path):
    """Write a pack source folder: make_pack({"a.md": text, ...}, id="test") -> its root."""
    counter = {"n": 0}

    def make(files: dict[str, str | bytes], pack_id: str = "test", version: str = "1.0",
             root: Path | None = None, extra_toml: str = "") -> Path:
        counter["n"] += 1
        root = root or tmp_path / f"pack{counter['n']}"
        root.mkdir(parents=True, exist_ok=True)
        (root / "pack.toml").write_text(
            f'id = "{pack_id}"\nversion = "{version}"\ntitle = "Test pack"\n'
            f'publisher = "Tests"\nlanguages = ["en"]\n{extra_toml}', encoding="utf-8")
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return make
