"""Making pack sources, keys and pack files (honest and hostile) for the tests."""

from __future__ import annotations

import hashlib
import stat
import zipfile
from pathlib import Path

from caseguide import paths
from caseguide.packs import archive
from caseguide.packs.minisign import SecretKey

from ..conftest import guide_file

GOOD_BODY = (
    "Intro.\n\n## What this means for you\n\n- You can ask.\n\n## The steps\n\n"
    + "You can ask for your file. It is free. The reply comes in a month. " * 30
    + "\n\n## When to get advice\n\nTalk to a regulated adviser.\n"
)


def pack_source(root: Path, pack_id="extra", version="1.0.0", guides=("extra-one",), words="") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pack.toml").write_text(
        f'id = "{pack_id}"\nversion = "{version}"\ntitle = "Extra guides"\npublisher = "Test Org"\n'
        'languages = ["en"]\n[topics]\nhealth = "Health"\n', encoding="utf-8")
    for gid in guides:
        path = root / "guides" / f"{gid}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(guide_file(GOOD_BODY + f"\n{words} {gid.replace('-', ' ')}\n", id=gid,
                                   title=f"Guide {gid}"), encoding="utf-8")
    return root


def manifest_for(files: dict[str, bytes], pack_id="extra", version="1.0.0", **overrides) -> archive.Manifest:
    fields = dict(id=pack_id, version=version, title="Extra guides", publisher="Test Org",
                  created="2026-11-23T00:00:00Z", languages=["en"], min_app_version="0.1.0",
                  files={n: (len(d), hashlib.sha256(d).hexdigest()) for n, d in files.items()})
    fields.update(overrides)
    return archive.Manifest(**fields)


def source_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _as_given(name: str, compress_type=zipfile.ZIP_STORED) -> zipfile.ZipInfo:
    """A member named exactly *name*: on Windows zipfile would turn a backslash into a slash."""
    info = zipfile.ZipInfo(name)
    info.filename = name
    info.compress_type = compress_type
    return info


def write_pack(out: Path, key: SecretKey, files: dict[str, bytes], manifest: archive.Manifest | None = None,
               extra_members=(), sign=True, tamper_manifest=False, symlinks=()) -> Path:
    """A pack file with exactly these members; everything about it can be made wrong."""
    manifest = manifest or manifest_for(files)
    raw = manifest.to_json()
    signature = key.sign(raw, "CaseGuide pack test")
    if tamper_manifest:
        raw = raw.replace(b'"Test Org"', b'"Evil Org"')
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr(archive.MANIFEST, raw)
        if sign:
            zipped.writestr(archive.SIGNATURE, signature)
        for name, data in files.items():
            zipped.writestr(_as_given(name, zipfile.ZIP_DEFLATED), data)
        for name, data in extra_members:
            zipped.writestr(_as_given(name), data)
        for name, target in symlinks:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zipped.writestr(info, target)
    return out


def library_state() -> dict:
    """Everything about the installed library a refusal must leave exactly as it was."""
    state = {}
    for root in (paths.user_packs_dir(), paths.site_packs_dir()):
        if root.exists():
            for path in sorted(root.rglob("*")):
                if path.is_file() and path.name != ".lock":
                    state[str(path.relative_to(root.parent))] = path.read_bytes()
    return state
