"""A guide's front matter, declared once: every field, its type, limits, default and meaning.

The model (:mod:`caseguide.guides.model` makes GuideInfo and Guide from FIELDS), the catalogue
cached with each pack's index (which stores the listed fields and checks them with the same
readers when it is read back; its format carries :data:`SCHEMA_VERSION`), ``caseguide list
--json``, lint (which names a key it does not know) and docs/writing-guides.md (whose front matter
block is :func:`front_matter_example`, checked by a test) all follow from it. Adding a field is one
entry here, plus its tests.

Every value comes from outside (a pack), so each reader checks it and raises GuideError with a
message the guide's author can act on.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..display import clean_text, safe_url
from ..errors import GuideError
from ..nations import ALL as ALL_NATIONS
from ..nations import NATIONS

KINDS = ("rights", "walkthrough", "explainer")
AUDIENCES = ("client", "caseworker")

ID_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
TOPIC_RE = ID_RE
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
URL_RE = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
MAX_LIST = 100  # topics, related guides or sources of one guide
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Source:
    title: str
    url: str


Reader = Callable[[Path, dict, "Field"], object]


@dataclass(frozen=True)
class Field:
    """One front-matter key. *read(path, meta, field)* gives its checked value (or raises GuideError);
    *listed* fields are kept in GuideInfo and the catalogue (so the window can list a library
    without reading guide files); *to_data* gives a value as JSON (the catalogue, list --json)."""
    name: str
    read: Reader
    python: object  # the annotation of the model's attribute
    required: bool = True
    default: object = None
    listed: bool = True
    to_data: Callable[[object], object] = lambda value: value
    doc: str = ""
    example: str = ""
    max_len: int = 500
    pattern: re.Pattern | None = None
    problem: str = ""  # what a value that does not match *pattern* must be, in words
    choices: tuple[str, ...] = ()
    what: str = ""  # a list's items, in the plural ("topic slugs")


def _missing(path, field: Field):
    if field.required:
        raise GuideError(path, f"front matter is missing '{field.name}'")
    return field.default


def read_text(path, meta, field: Field):
    value = meta.get(field.name)
    if value is None or (value == "" and not field.required):
        return _missing(path, field)
    if not isinstance(value, str) or not value.strip():
        raise GuideError(path, f"'{field.name}' must be non-empty text")
    value = " ".join(clean_text(value).split())
    if not value:
        raise GuideError(path, f"'{field.name}' must be non-empty text")
    if len(value) > field.max_len:
        raise GuideError(path, f"'{field.name}' is longer than {field.max_len} characters")
    if field.pattern is not None and not field.pattern.match(value):
        raise GuideError(path, f"{field.name} {value!r} {field.problem}")
    if field.choices and value not in field.choices:
        raise GuideError(path, f"{field.name} {value!r} must be one of: {', '.join(field.choices)}")
    return value


def read_date(path, meta, field: Field):
    value = meta.get(field.name)
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
        return _missing(path, field)
    raise GuideError(path, f"'{field.name}' must be a date written as YYYY-MM-DD, not {value!r}")


def read_slugs(path, meta, field: Field):
    value = meta.get(field.name)
    if value is None:
        return _missing(path, field)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or len(value) > MAX_LIST:
        raise GuideError(path, f"'{field.name}' must be a list of {field.what}")
    for item in value:
        if not field.pattern.match(item):
            raise GuideError(path, f"'{field.name}' has {item!r}, which is not a valid {field.what[:-1]} "
                                   "(lowercase letters, digits and hyphens)")
    return tuple(dict.fromkeys(value))


def read_nations(path, meta, field: Field):
    value = meta.get(field.name)
    if value is None:
        raise GuideError(path, f"front matter is missing '{field.name}': list where the guide's content applies, "
                               f"from {', '.join(NATIONS)}, or [{ALL_NATIONS}] for all four")
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise GuideError(path, f"'{field.name}' must be a list such as [england] or [{ALL_NATIONS}]")
    for item in value:
        if item not in NATIONS and item != ALL_NATIONS:
            raise GuideError(path, f"'{field.name}' has {item!r}; each must be one of {', '.join(NATIONS)}, "
                                   f"or {ALL_NATIONS} for all four")
    return NATIONS if ALL_NATIONS in value else tuple(n for n in NATIONS if n in value)


def read_sources(path, meta, field: Field):
    value = meta.get(field.name)
    if value is None:
        return _missing(path, field)
    if not isinstance(value, list) or len(value) > MAX_LIST:
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


def _iso(day: _dt.date) -> str:
    return day.isoformat()


def _listed(values: tuple) -> list:
    return list(values)


SLUGS = "must be lowercase letters, digits and hyphens"

FIELDS: tuple[Field, ...] = (
    Field("id", read_text, str, max_len=80, pattern=ID_RE, problem=SLUGS, example="gp-registration",
          doc="stable slug: lowercase letters, digits and hyphens; unique across all packs"),
    Field("title", read_text, str, max_len=200, example="Registering with a GP",
          doc="what the library, search results and handouts show"),
    Field("summary", read_text, str, max_len=1000, example="Plain sentences.",
          doc="what the guide helps with, under the title everywhere"),
    Field("kind", read_text, str, choices=KINDS, example="rights", doc=" | ".join(KINDS)),
    Field("topics", read_slugs, tuple, pattern=TOPIC_RE, what="topic slugs", to_data=_listed, example="[health]",
          doc="slugs; the pack.toml [topics] table gives their labels"),
    Field("language", read_text, str, max_len=35, pattern=LANGUAGE_RE, example="en",
          problem="is not a language tag such as 'en' or 'ar'", doc="BCP 47 tag: en, ar, fa, ur, pl, ro ..."),
    Field("nations", read_nations, tuple, to_data=_listed, example="[england]",
          doc=f"where its content applies: {' | '.join(NATIONS)}; [{ALL_NATIONS}] for all four"),
    Field("audience", read_text, str, required=False, default="client", choices=AUDIENCES, example="client",
          doc="optional: client (default) | caseworker"),
    Field("reviewed", read_date, _dt.date, to_data=_iso, example="2026-12-07",
          doc="ISO date this guide was last checked against its sources"),
    Field("review_due", read_date, _dt.date, to_data=_iso, example="2027-06-07",
          doc="ISO date it must be checked again; the app warns after it"),
    Field("sources", read_sources, tuple, listed=False,
          example='\n  - title: "NHS England: patient registration"\n    url: https://example.org/...',
          doc="every source relied on, title and full URL"),
    Field("related", read_slugs, tuple, required=False, default=(), pattern=ID_RE, what="guide ids",
          to_data=_listed, example="[nhs-free-treatment]", doc="optional: ids of other guides"),
    Field("translation_of", read_text, str, required=False, default="", max_len=80, pattern=ID_RE,
          problem="must be a guide id (lowercase letters, digits and hyphens)", example="gp-reg",
          doc="optional: the id of the guide this one translates"),
)
BY_NAME = {f.name: f for f in FIELDS}
LISTED = tuple(f for f in FIELDS if f.listed)
# Changes whenever a listed field is added, removed or changes kind: a catalogue (or search index)
# made before is then refused and made again, so no field is ever silently missing from a list.
SCHEMA_VERSION = hashlib.sha256(
    "\0".join(f"{f.name}:{f.read.__name__}:{f.required}" for f in LISTED).encode()).hexdigest()[:12]


def read_all(path, meta: dict) -> dict:
    """Every field's checked value, by name, from front matter *meta*; raises GuideError."""
    return {f.name: f.read(path, meta, f) for f in FIELDS}


def to_data(values) -> dict:
    """The listed fields of a guide (or GuideInfo) as JSON-able data: for the catalogue and --json."""
    return {f.name: f.to_data(getattr(values, f.name)) for f in LISTED}


def from_data(path, entry: dict) -> dict:
    """The listed fields back from :func:`to_data`'s data, checked as front matter is; raises
    GuideError. Text in the catalogue must already be clean (no control characters)."""
    for f in LISTED:
        value = entry.get(f.name)
        if isinstance(value, str) and _CONTROL_RE.search(value):
            raise GuideError(path, f"'{f.name}' holds control characters")
        if f.to_data is _listed and not isinstance(value, list):  # written as a list, so read as one
            raise GuideError(path, f"'{f.name}' is not a list")
    return {f.name: f.read(path, entry, f) for f in LISTED}


def front_matter_example() -> str:
    """The front matter block docs/writing-guides.md shows, every field with what it is for."""
    lines = ["---"]
    for f in FIELDS:
        nested = f.example.startswith("\n")
        head = f"{f.name}:" + ("" if nested else f" {f.example}")
        lines.append(f"{head:<34} # {f.doc}")
        if nested:
            lines += f.example.strip("\n").split("\n")
    lines.append("---")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m caseguide.guides.schema: the block for docs/writing-guides.md
    print(front_matter_example())
