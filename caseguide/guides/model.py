"""A guide: one Markdown file with YAML front matter, parsed and validated.

Guide files come from packs, and packs come from outside, so every field is
checked here and every problem is a :class:`GuideError` naming the file and,
where known, the line.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..display import clean_text, safe_url
from ..errors import CaseGuideError, GuideError
from ..fsutil import read_small_file
from ..i18n import N_
from ..limits import MAX_DEPTH, nesting_depth
from .markup import check_body

KINDS = ("rights", "walkthrough", "explainer")
KIND_LABELS = {  # English, marked for translation where they are shown: _(KIND_LABELS[kind])
    "rights": N_("Know your rights"),
    "walkthrough": N_("Privacy walkthroughs"),
    "explainer": N_("Data-sharing explainers"),
}
AUDIENCES = ("client", "caseworker")


def is_listed(guide, shared: bool) -> bool:
    """Whether *guide* is listed and found. On a shared PC the people at the keyboard are visitors,
    so guides written for caseworkers are left out of the home page, the library tree, the title
    suggestions and search results: the one rule every one of them uses."""
    return not shared or guide.audience != "caseworker"
REQUIRED = ("id", "title", "summary", "kind", "topics", "language", "reviewed", "review_due", "sources")

# Scripts written right to left, by primary language subtag.
RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "he", "ps", "ckb", "yi", "dv", "sd", "ug", "ku"})

GUIDE_SUFFIX = ".md"  # a guide's file name ends so, wherever it is
MAX_GUIDE_BYTES = 2 * 1024 * 1024
MAX_FRONT_MATTER_BYTES = 64 * 1024

ID_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
TOPIC_RE = ID_RE
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
URL_RE = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
_FENCE_RE = re.compile(r"^(---|\.\.\.)[ \t]*$")


def primary_subtag(tag: str) -> str:
    """A language tag's language alone, in lower case: 'ar' for 'ar-SY', 'en' for 'EN-gb'."""
    return tag.split("-", 1)[0].lower()


@dataclass(frozen=True)
class Source:
    title: str
    url: str


class _Facts:
    """What a guide's front matter says that both a Guide and its catalogue entry can answer."""

    language: str
    kind: str
    review_due: _dt.date

    @property
    def primary_language(self) -> str:
        return primary_subtag(self.language)

    @property
    def is_rtl(self) -> bool:
        return self.primary_language in RTL_LANGUAGES

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def is_overdue(self, today: _dt.date | None = None) -> bool:
        return (today or _dt.date.today()) > self.review_due


@dataclass(frozen=True)
class GuideInfo(_Facts):
    """A guide as the library lists it: its front matter without sources, and where its file is.

    What the window needs to show the library (titles, kinds, topics, dates, summaries) without
    reading every guide file; :meth:`Library.get` parses the file itself when the guide is opened.
    """

    id: str
    title: str
    summary: str
    kind: str
    topics: tuple[str, ...]
    language: str
    reviewed: _dt.date
    review_due: _dt.date
    path: Path
    pack: str = ""
    audience: str = "client"
    related: tuple[str, ...] = ()
    translation_of: str = ""


@dataclass(frozen=True)
class Guide(_Facts):
    id: str
    title: str
    summary: str
    kind: str
    topics: tuple[str, ...]
    language: str
    reviewed: _dt.date
    review_due: _dt.date
    sources: tuple[Source, ...]
    body: str
    path: Path
    pack: str = ""
    audience: str = "client"
    related: tuple[str, ...] = ()
    body_line: int = 1  # the line of the file where the Markdown body starts
    translation_of: str = ""  # the id of the guide this one translates (front matter translation_of)
    extra: dict = field(default_factory=dict, compare=False, repr=False)
    # The body's Markdown as HTML, made once when the guide is parsed (to check what Qt would lay out)
    # and reused when it is shown; not yet sanitized (markup.safe_body does that every time).
    html: str = field(default="", compare=False, repr=False)

    @property
    def info(self) -> GuideInfo:
        return GuideInfo(id=self.id, title=self.title, summary=self.summary, kind=self.kind, topics=self.topics,
                         language=self.language, reviewed=self.reviewed, review_due=self.review_due,
                         path=self.path, pack=self.pack, audience=self.audience, related=self.related,
                         translation_of=self.translation_of)


def _decode(path: Path, data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise GuideError(path, "is not valid UTF-8 text; save it as UTF-8", line) from None
    if "\x00" in text:
        raise GuideError(path, "contains a NUL character: it is not a text file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(path: Path, text: str) -> tuple[str, str, int]:
    """Return (front matter YAML, Markdown body, line where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise GuideError(path, "has no front matter: the first line must be '---'", 1)
    for number, line in enumerate(lines[1:], start=2):
        if _FENCE_RE.match(line):
            front = "\n".join(lines[1 : number - 1])
            body = "\n".join(lines[number:])
            return front, body, number + 1
    raise GuideError(path, "front matter is not closed: add a line '---' after it", 1)


def _text(path, meta, key, *, required=True, max_len=500) -> str | None:
    value = meta.get(key)
    if value is None:
        if required:
            raise GuideError(path, f"front matter is missing '{key}'")
        return None
    if not isinstance(value, str) or not value.strip():
        raise GuideError(path, f"'{key}' must be non-empty text")
    value = " ".join(clean_text(value).split())
    if not value:
        raise GuideError(path, f"'{key}' must be non-empty text")
    if len(value) > max_len:
        raise GuideError(path, f"'{key}' is longer than {max_len} characters")
    return value


def _date(path, meta, key) -> _dt.date:
    value = meta.get(key)
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    if value is None:
        raise GuideError(path, f"front matter is missing '{key}'")
    raise GuideError(path, f"'{key}' must be a date written as YYYY-MM-DD, not {value!r}")


def _slug_list(path, meta, key, pattern, what) -> tuple[str, ...]:
    value = meta.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GuideError(path, f"'{key}' must be a list of {what}")
    for item in value:
        if not pattern.match(item):
            raise GuideError(
                path, f"'{key}' has {item!r}, which is not a valid {what[:-1]} "
                "(lowercase letters, digits and hyphens)"
            )
    return tuple(dict.fromkeys(value))


def _sources(path, meta) -> tuple[Source, ...]:
    value = meta.get("sources")
    if value is None:
        raise GuideError(path, "front matter is missing 'sources'")
    if not isinstance(value, list):
        raise GuideError(path, "'sources' must be a list of entries with a title and a url")
    sources = []
    for number, entry in enumerate(value, start=1):
        if not isinstance(entry, dict):
            raise GuideError(path, f"source {number} must have a 'title' and a 'url'")
        title, url = entry.get("title"), entry.get("url")
        if not isinstance(title, str) or not title.strip():
            raise GuideError(path, f"source {number} has no 'title'")
        if not isinstance(url, str) or not URL_RE.match(url.strip()):
            raise GuideError(path, f"source {number} needs a 'url' starting with https:// or http://")
        title = " ".join(clean_text(title).split())
        if not title:
            raise GuideError(path, f"source {number} has no 'title'")
        sources.append(Source(title, safe_url(url.strip())))
    return tuple(sources)


@functools.lru_cache(maxsize=1)
def _yaml():
    """PyYAML and the loader guides are read with: libyaml's safe loader where PyYAML was built
    with it (the wheels are), the same safe subset of YAML, several times faster than the
    pure-Python one, which was most of the library's loading time. Dates stay text, checked by
    _date: YAML's own dates turn 2027-02-30 into a ValueError, not a message. Made on first use:
    the window lists a library from its cached catalogue, and PyYAML's import (13 ms) would
    otherwise come before its first paint."""
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in Loader.yaml_implicit_resolvers.items()
    }
    return yaml, Loader


def parse_guide(path: Path, data: bytes, pack: str = "") -> Guide:
    """Parse and validate one guide file's bytes. Raises GuideError."""
    if len(data) > MAX_GUIDE_BYTES:
        raise GuideError(path, f"is larger than {MAX_GUIDE_BYTES // (1024 * 1024)} MB; split it into smaller guides")
    text = _decode(path, data)
    front, body, body_line = split_front_matter(path, text)
    if len(front.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise GuideError(path, "front matter is too large", 2)
    if nesting_depth(front) > MAX_DEPTH:
        raise GuideError(path, f"front matter nests more than {MAX_DEPTH} levels deep", 2)
    yaml, loader = _yaml()
    try:
        meta = yaml.load(front, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None  # +1 for 1-based, +1 for the opening '---'
        problem = getattr(exc, "problem", None) or "it is not valid YAML"
        raise GuideError(path, f"front matter is not valid YAML ({problem})", line) from None
    except (ValueError, TypeError, AttributeError, OverflowError, RecursionError) as exc:  # a value YAML cannot build
        raise GuideError(path, f"front matter holds a value that cannot be read ({exc})", 2) from None
    if not isinstance(meta, dict):
        raise GuideError(path, "front matter must be a set of 'key: value' lines", 2)

    guide_id = _text(path, meta, "id", max_len=80)
    if not ID_RE.match(guide_id):
        raise GuideError(path, f"id {guide_id!r} must be lowercase letters, digits and hyphens")
    kind = _text(path, meta, "kind")
    if kind not in KINDS:
        raise GuideError(path, f"kind {kind!r} must be one of: {', '.join(KINDS)}")
    language = _text(path, meta, "language", max_len=35)
    if not LANGUAGE_RE.match(language):
        raise GuideError(path, f"language {language!r} is not a language tag such as 'en' or 'ar'")
    audience = _text(path, meta, "audience", required=False) or "client"
    if audience not in AUDIENCES:
        raise GuideError(path, f"audience {audience!r} must be one of: {', '.join(AUDIENCES)}")
    if "topics" not in meta:
        raise GuideError(path, "front matter is missing 'topics'")
    topics = _slug_list(path, meta, "topics", TOPIC_RE, "topic slugs")
    reviewed = _date(path, meta, "reviewed")
    review_due = _date(path, meta, "review_due")
    if review_due < reviewed:
        raise GuideError(path, "'review_due' is before 'reviewed'")

    problem, raw_html = check_body(body)
    if problem:
        raise GuideError(path, f"{problem}; CaseGuide does not show it", body_line)

    translation_of = _text(path, meta, "translation_of", required=False, max_len=80) or ""
    if translation_of and not ID_RE.match(translation_of):
        raise GuideError(path, f"translation_of {translation_of!r} must be a guide id (lowercase letters, digits "
                               "and hyphens)")
    if translation_of == guide_id:
        raise GuideError(path, "translation_of names the guide itself; give the id of the guide it translates")
    known = set(REQUIRED) | {"audience", "related", "translation_of"}
    return Guide(
        id=guide_id,
        title=_text(path, meta, "title", max_len=200),
        summary=_text(path, meta, "summary", max_len=1000),
        kind=kind,
        topics=topics,
        language=language,
        reviewed=reviewed,
        review_due=review_due,
        sources=_sources(path, meta),
        body=body,
        path=path,
        pack=pack,
        audience=audience,
        related=_slug_list(path, meta, "related", ID_RE, "guide ids"),
        translation_of=translation_of,
        body_line=body_line,
        extra={k: v for k, v in meta.items() if k not in known},
        html=raw_html,
    )


@dataclass(frozen=True)
class LoadProblem:
    """A guide file that could not join the library: invalid (*reason*, maybe a *line*), or a
    duplicate of the guide id already loaded from *duplicate_of*."""
    path: Path
    reason: str = ""
    line: int | None = None
    guide_id: str = ""
    duplicate_of: Path | None = None


def load_guide(path: Path, pack: str = "") -> Guide:
    try:
        data = read_small_file(path, MAX_GUIDE_BYTES, "a guide")
    except CaseGuideError as exc:
        reason = str(exc).removeprefix(f"{path} ")
        if "too large" in reason:
            reason = f"is larger than {MAX_GUIDE_BYTES // (1024 * 1024)} MB; split it into smaller guides"
        raise GuideError(path, reason) from None
    return parse_guide(path, data, pack)
