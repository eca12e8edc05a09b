"""Shared fixtures. Every test runs with its own empty per-user and machine-wide folders."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from caseguide import paths  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
REALWORLD = REPO.parent / "shared" / "realworld" / "umbrella-content"


@pytest.fixture(autouse=True)
def private_dirs(tmp_path, monkeypatch):
    """Point every platformdirs path at tmp_path, so no test touches a real profile."""
    base = tmp_path / "xdg"
    for var, sub in [("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state"),
                     ("XDG_DATA_DIRS", "site-data"), ("XDG_CONFIG_DIRS", "site-config"),
                     ("XDG_RUNTIME_DIR", "runtime")]:
        (base / sub).mkdir(parents=True, mode=0o700)
        monkeypatch.setenv(var, str(base / sub))
    monkeypatch.delenv("CASEGUIDE_BASEDIR", raising=False)
    paths.set_basedir(None)
    yield base


def front_matter(**fields) -> str:
    """A valid guide's front matter, with *fields* replacing or adding keys (None removes one)."""
    values = {
        "id": "sample-guide",
        "title": "A sample guide",
        "summary": "What a sample guide is for.",
        "kind": "rights",
        "topics": "[health]",
        "language": "en",
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
