"""A guide: one Markdown file with YAML front matter, parsed and validated.

Guide files come from packs, and packs come from outside, so every field is
checked here and every problem is a :class:`GuideError` naming the file and,
where known, the line.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass, field, make_dataclass
from pathlib import Path

from ..errors import CaseGuideError, GuideError
from ..fsutil import read_small_file
from ..i18n import N_
from ..limits import MAX_DEPTH, nesting_depth
from . import schema
from .markup import check_body
from .schema import AUDIENCES, ID_RE, KINDS, LANGUAGE_RE, NATIONS, TOPIC_RE, Source  # noqa: F401 - the model's names

KIND_LABELS = {  # English, marked for translation where they are shown: _(KIND_LABELS[kind])
    "rights": N_("Know your rights"),
    "walkthrough": N_("Privacy walkthroughs"),
    "explainer": N_("Data-sharing explainers"),
}


def is_listed(guide, shared: bool) -> bool:
    """Whether *guide* is listed and found. On a shared PC the people at the keyboard are visitors,
    so guides written for caseworkers are left out of the home page, the library tree, the title
    suggestions and search results: the one rule every one of them uses."""
    return not shared or guide.audience != "caseworker"


# Scripts written right to left, by primary language subtag.
RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "he", "ps", "ckb", "yi", "dv", "sd", "ug", "ku"})

GUIDE_SUFFIX = ".md"  # a guide's file name ends so, wherever it is
MAX_GUIDE_BYTES = 2 * 1024 * 1024
MAX_FRONT_MATTER_BYTES = 64 * 1024
_FENCE_RE = re.compile(r"^(---|\.\.\.)[ \t]*$")


def primary_subtag(tag: str) -> str:
    """A language tag's language alone, in lower case: 'ar' for 'ar-SY', 'en' for 'EN-gb'."""
    return tag.split("-", 1)[0].lower()


class _Facts:
    """What a guide's front matter says that both a Guide and its catalogue entry can answer."""

    language: str
    kind: str
    review_due: _dt.date
    nations: tuple[str, ...]

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

    def covers(self, nation: str) -> bool:
        """True if the guide's content applies in *nation* (an empty nation: none chosen, so yes)."""
        return not nation or nation in self.nations


def _attributes(fields) -> list:
    """Dataclass attributes for *fields* of the schema: those without a default first, as Python wants."""
    return [(f.name, f.python) for f in fields if f.required], \
        [(f.name, f.python, field(default=f.default)) for f in fields if not f.required]


_listed_required, _listed_optional = _attributes(schema.LISTED)
_all_required, _all_optional = _attributes(schema.FIELDS)

GuideInfo = make_dataclass(
    "GuideInfo", [*_listed_required, ("path", Path), ("pack", str, field(default="")), *_listed_optional],
    bases=(_Facts,), frozen=True)
GuideInfo.__module__ = __name__
GuideInfo.__doc__ = """A guide as the library lists it: its front matter's listed fields (schema.LISTED: all
but sources), and where its file is. What the window needs to show the library without reading
every guide file; :meth:`Library.get` parses the file itself when the guide is opened."""


def _info(self) -> GuideInfo:
    return GuideInfo(path=self.path, pack=self.pack, **{f.name: getattr(self, f.name) for f in schema.LISTED})


Guide = make_dataclass(
    "Guide",
    [*_all_required, ("body", str), ("path", Path), ("pack", str, field(default="")), *_all_optional,
     ("body_line", int, field(default=1)),  # the line of the file where the Markdown body starts
     ("extra", dict, field(default_factory=dict, compare=False, repr=False)),  # front matter keys not in the schema
     # The body's Markdown as HTML, made once when the guide is parsed (to check what Qt would lay out)
     # and reused when it is shown; not yet sanitized (markup.safe_body does that every time).
     ("html", str, field(default="", compare=False, repr=False))],
    bases=(_Facts,), frozen=True, namespace={"info": property(_info)})
Guide.__module__ = __name__
Guide.__doc__ = """A whole guide: every front-matter field of the schema, its Markdown body and where it is."""


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

    values = schema.read_all(path, meta)
    if values["review_due"] < values["reviewed"]:
        raise GuideError(path, "'review_due' is before 'reviewed'")
    if values["translation_of"] == values["id"]:
        raise GuideError(path, "translation_of names the guide itself; give the id of the guide it translates")
    problem, raw_html = check_body(body)
    if problem:
        raise GuideError(path, f"{problem}; CaseGuide does not show it", body_line)
    return Guide(**values, body=body, path=path, pack=pack, body_line=body_line, html=raw_html,
                 extra={k: v for k, v in meta.items() if k not in schema.BY_NAME})


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
