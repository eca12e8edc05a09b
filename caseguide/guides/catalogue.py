"""A pack's catalogue: the list of its guides (front matter without sources) and of the files that
could not be loaded, kept with its search index so the window can show a large library at once.

The catalogue is a cache, made from the guide files whenever the index is built; it is never
content. It is read back as untrusted input, like everything on disk: the file is size-capped,
and every entry is checked with the same rules as a guide's front matter (an id, a kind, a
language tag, ISO dates, lengths) and must name a guide file inside the pack's own folder. Any
problem at all and the whole catalogue is refused, and the pack's guide files are read instead.
"""

from __future__ import annotations

import datetime as _dt
import json
import posixpath
import re
from pathlib import Path

from ..errors import CaseGuideError
from .model import AUDIENCES, GUIDE_SUFFIX, ID_RE, KINDS, LANGUAGE_RE, TOPIC_RE, GuideInfo, LoadProblem

FORMAT = 1
MAX_BYTES = 32 * 1024 * 1024  # about 40,000 guides; a bigger file is refused unread
MAX_ENTRIES = 50_000
MAX_LIST = 100  # topics or related guides of one guide
MAX_TEXT = {"title": 200, "summary": 1000, "reason": 2000}
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
            guides.append({
                "id": result.id, "title": result.title, "summary": result.summary, "kind": result.kind,
                "topics": list(result.topics), "language": result.language,
                "reviewed": result.reviewed.isoformat(), "review_due": result.review_due.isoformat(),
                "audience": result.audience, "related": list(result.related),
                "translation_of": result.translation_of, "path": rel,
            })
        else:
            problems.append({"path": rel, "reason": result.reason, "line": result.line})
    data = {"format": FORMAT, "pack": pack.id, "version": pack.version, "guides": guides, "problems": problems}
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
    if not isinstance(top, dict) or top.get("format") != FORMAT:
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
    if not isinstance(entry, dict):
        raise CatalogueError("an entry is not a record")
    guide_id = _text(entry, "id")
    if not ID_RE.match(guide_id):
        raise CatalogueError("an entry has a bad id")
    kind, language, audience = entry.get("kind"), _text(entry, "language"), entry.get("audience")
    if kind not in KINDS or audience not in AUDIENCES or len(language) > 35 or not LANGUAGE_RE.match(language):
        raise CatalogueError(f"the entry for {guide_id} has a bad kind, audience or language")
    reviewed, review_due = _date(entry, "reviewed"), _date(entry, "review_due")
    if review_due < reviewed:
        raise CatalogueError(f"the entry for {guide_id} has its dates the wrong way round")
    return GuideInfo(
        id=guide_id, title=_text(entry, "title"), summary=_text(entry, "summary"), kind=kind,
        topics=_slugs(entry, "topics", TOPIC_RE), language=language, reviewed=reviewed, review_due=review_due,
        path=_path(pack, entry), pack=pack.id, audience=audience, related=_slugs(entry, "related", ID_RE),
        translation_of=_translation_of(entry, guide_id),
    )


def _translation_of(entry: dict, guide_id: str) -> str:
    value = entry.get("translation_of")
    if value == "":
        return ""
    if not isinstance(value, str) or not ID_RE.match(value) or value == guide_id:
        raise CatalogueError(f"the entry for {guide_id} has a bad translation_of")
    return value


def _text(entry: dict, key: str, allow_empty: bool = False) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or (not allow_empty and not value.strip()) \
            or len(value) > MAX_TEXT.get(key, 80):
        raise CatalogueError(f"an entry has a bad {key}")
    if key != "reason" and _CONTROL_RE.search(value):
        raise CatalogueError(f"an entry has control characters in its {key}")
    return value


def _date(entry: dict, key: str) -> _dt.date:
    value = entry.get(key)
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise CatalogueError(f"an entry has a bad {key}") from None


def _slugs(entry: dict, key: str, pattern) -> tuple[str, ...]:
    value = entry.get(key)
    if not isinstance(value, list) or len(value) > MAX_LIST or \
            not all(isinstance(v, str) and pattern.match(v) for v in value):
        raise CatalogueError(f"an entry has bad {key}")
    return tuple(value)


def _path(pack, entry: dict) -> Path:
    """The entry's guide file, which must be a plain relative path to a guide file in the pack."""
    rel = entry.get("path")
    if not isinstance(rel, str) or not 0 < len(rel) <= MAX_PATH or not rel.endswith(GUIDE_SUFFIX) \
            or "\\" in rel or ":" in rel or "\x00" in rel or rel.startswith("/") \
            or posixpath.normpath(rel) != rel or rel.split("/")[0] == ".." \
            or any(part.startswith(".") for part in rel.split("/")):
        raise CatalogueError("an entry names a file outside its pack")
    return pack.root / rel
