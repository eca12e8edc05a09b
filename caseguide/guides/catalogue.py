"""A pack's catalogue: the list of its guides (front matter without sources) and of the files that
could not be loaded, kept with its search index so the window can show a large library at once.

The catalogue is a cache, made from the guide files whenever the index is built; it is never
content. It is read back as untrusted input, like everything on disk: the file is size-capped,
and every entry is checked with the same rules as a guide's front matter (an id, a kind, a
language tag, ISO dates, lengths) and must name a guide file inside the pack's own folder. Any
problem at all and the whole catalogue is refused, and the pack's guide files are read instead.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

from ..errors import CaseGuideError, GuideError
from . import schema
from .model import GUIDE_SUFFIX, GuideInfo, LoadProblem

# The catalogue's layout, and the schema's listed fields (schema.SCHEMA_VERSION) it was made with:
# a catalogue made with other fields is refused and made again, never read with one missing.
FORMAT = 2
MAX_BYTES = 32 * 1024 * 1024  # about 40,000 guides; a bigger file is refused unread
MAX_ENTRIES = 50_000
MAX_TEXT = {"reason": 2000}
MAX_PATH = 1000
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


class CatalogueError(CaseGuideError):
    """A catalogue file that cannot be used (damaged, stale, or not a catalogue at all)."""


def encode(pack, results) -> bytes:
    """The catalogue of *pack* from its parsed files (Guides or GuideInfos, and LoadProblems)."""
    guides, problems = [], []
    for result in results:
        rel = _relative(pack.root, result.path)
        if hasattr(result, "title"):
            guides.append({**schema.to_data(result), "path": rel})
        else:
            problems.append({"path": rel, "reason": result.reason, "line": result.line})
    data = {"format": FORMAT, "schema": schema.SCHEMA_VERSION, "pack": pack.id, "version": pack.version,
            "guides": guides, "problems": problems}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(pack, data: bytes) -> list:
    """The entries of a catalogue file of *pack*, in file order: GuideInfo for each guide and
    LoadProblem for each file that could not be loaded. Raises CatalogueError."""
    if len(data) > MAX_BYTES:
        raise CatalogueError("it is too large")
    try:
        top = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise CatalogueError(f"it is not a catalogue ({exc})") from None
    if not isinstance(top, dict) or top.get("format") != FORMAT or top.get("schema") != schema.SCHEMA_VERSION:
        raise CatalogueError("it is not a catalogue of this format")
    if top.get("pack") != pack.id or top.get("version") != pack.version:
        raise CatalogueError("it belongs to another pack or version")
    guides, problems = top.get("guides"), top.get("problems")
    if not isinstance(guides, list) or not isinstance(problems, list) or len(guides) + len(problems) > MAX_ENTRIES:
        raise CatalogueError("its lists are missing or too long")
    entries = []
    for entry in guides:
        entries.append(_guide(pack, entry))
    for entry in problems:
        if not isinstance(entry, dict):
            raise CatalogueError("an entry is not a record")
        line = entry.get("line")
        if line is not None and (not isinstance(line, int) or isinstance(line, bool) or not 0 < line < 10**7):
            raise CatalogueError("a problem has a bad line number")
        entries.append(LoadProblem(_path(pack, entry), _text(entry, "reason", allow_empty=True), line))
    entries.sort(key=lambda e: e.path)  # the files' own order, as parse_pack gives them
    return entries


def _relative(root: Path, path: Path) -> str:
    return Path(path).relative_to(root).as_posix()


def _guide(pack, entry) -> GuideInfo:
    """One guide's entry, checked field by field with the same readers as its front matter."""
    if not isinstance(entry, dict):
        raise CatalogueError("an entry is not a record")
    path = _path(pack, entry)
    try:
        values = schema.from_data(path, entry)
    except GuideError as exc:
        raise CatalogueError(f"the entry for {path.name} is not valid: {exc.reason}") from None
    if values["review_due"] < values["reviewed"]:
        raise CatalogueError(f"the entry for {path.name} has its dates the wrong way round")
    if values["translation_of"] == values["id"]:
        raise CatalogueError(f"the entry for {path.name} has a bad translation_of")
    return GuideInfo(path=path, pack=pack.id, **values)


def _text(entry: dict, key: str, allow_empty: bool = False) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or (not allow_empty and not value.strip()) \
            or len(value) > MAX_TEXT.get(key, 80):
        raise CatalogueError(f"an entry has a bad {key}")
    if key != "reason" and _CONTROL_RE.search(value):
        raise CatalogueError(f"an entry has control characters in its {key}")
    return value


def _path(pack, entry: dict) -> Path:
    """The entry's guide file, which must be a plain relative path to a guide file in the pack."""
    rel = entry.get("path")
    if not isinstance(rel, str) or not 0 < len(rel) <= MAX_PATH or not rel.endswith(GUIDE_SUFFIX) \
            or "\\" in rel or ":" in rel or "\x00" in rel or rel.startswith("/") \
            or posixpath.normpath(rel) != rel or rel.split("/")[0] == ".." \
            or any(part.startswith(".") for part in rel.split("/")):
        raise CatalogueError("an entry names a file outside its pack")
    return pack.root / rel
