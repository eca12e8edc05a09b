"""A pack source folder: ``pack.toml`` and the guides beneath it.

The bundled library (``content/core``) and every installed pack are read the
same way, in place; packs are the one way content enters CaseGuide.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..display import clean_text
from ..errors import PackError
from ..fsutil import read_small_file
from ..guides.model import GUIDE_SUFFIX, ID_RE, LANGUAGE_RE, TOPIC_RE
from ..limits import check_depth

MAX_PACK_TOML_BYTES = 64 * 1024
VERSION_RE = re.compile(r"^\d{1,9}(?:\.\d{1,9}){0,5}$")


def parse_version(text: str) -> tuple[int, ...]:
    """'2026.11.1' -> (2026, 11, 1); compared numerically, trailing zeros ignored."""
    if not isinstance(text, str) or not VERSION_RE.match(text):
        raise ValueError(f"{text!r} is not a version such as 1.2.0")
    parts = [int(p) for p in text.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


@dataclass(frozen=True)
class PackSource:
    id: str
    version: str
    title: str
    publisher: str
    description: str
    languages: tuple[str, ...]
    root: Path
    scope: str = "bundled"  # bundled | system | user | local
    topics: dict = field(default_factory=dict, compare=False)
    # Other packs (by id) whose guides may be linked as translations of this pack's guides: a
    # translation by another publisher is linked only if the original's own pack says so.
    translation_packs: tuple[str, ...] = ()

    def guide_files(self) -> list[Path]:
        """Every guide file beneath the root, in a stable order, skipping hidden files and folders."""
        found = []
        for path in self.root.rglob(f"*{GUIDE_SUFFIX}"):
            rel = path.relative_to(self.root)
            if any(part.startswith(".") for part in rel.parts):
                continue
            if path.is_symlink() or not path.is_file():
                continue
            found.append(path)
        return sorted(found)


def _field(where, data, key, *, required=True):
    value = data.get(key)
    if value is None:
        if required:
            raise PackError(f"{where}: 'pack.toml' is missing '{key}'")
        return ""
    value = " ".join(clean_text(value).split()) if isinstance(value, str) else ""
    if not value:
        raise PackError(f"{where}: '{key}' in pack.toml must be non-empty text")
    return value


def read_pack_source(root: Path, scope: str = "local") -> PackSource:
    """Read and check ``root/pack.toml``. Raises PackError with a message staff can act on."""
    toml_path = root / "pack.toml"
    where = str(toml_path)
    raw = read_small_file(toml_path, MAX_PACK_TOML_BYTES, "a pack.toml", PackError,
                          missing=f"{root} is not a pack source folder: it has no pack.toml")
    try:
        text = raw.decode("utf-8")
        check_depth(text, where, PackError)
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise PackError(f"{where} is not valid UTF-8 text") from None
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise PackError(f"{where} is not valid TOML: {exc}") from None

    pack_id = _field(where, data, "id")
    if not ID_RE.match(pack_id):
        raise PackError(f"{where}: id {pack_id!r} must be lowercase letters, digits and hyphens")
    version = _field(where, data, "version")
    try:
        parse_version(version)
    except ValueError:
        raise PackError(f"{where}: version {version!r} must be dotted numbers such as 1.2.0") from None
    languages = data.get("languages", [])
    if not isinstance(languages, list) or not all(
        isinstance(tag, str) and LANGUAGE_RE.match(tag) for tag in languages
    ):
        raise PackError(f"{where}: 'languages' must be a list of language tags such as [\"en\", \"ar\"]")
    translation_packs = data.get("translation_packs", [])
    if not isinstance(translation_packs, list) or len(translation_packs) > 100 or not all(
        isinstance(p, str) and ID_RE.match(p) for p in translation_packs
    ):
        raise PackError(f"{where}: 'translation_packs' must be a list of pack ids such as [\"core-ar\"]")
    topics = data.get("topics", {})
    if not isinstance(topics, dict) or not all(
        isinstance(k, str) and TOPIC_RE.match(k) and isinstance(v, str) and v.strip()
        for k, v in topics.items()
    ):
        raise PackError(f"{where}: [topics] must map topic slugs to their labels")
    return PackSource(
        id=pack_id,
        version=version,
        title=_field(where, data, "title"),
        publisher=_field(where, data, "publisher"),
        description=_field(where, data, "description", required=False),
        languages=tuple(languages),
        root=root,
        scope=scope,
        topics={k: " ".join(clean_text(v).split()) or k for k, v in topics.items()},
        translation_packs=tuple(dict.fromkeys(translation_packs)),
    )
