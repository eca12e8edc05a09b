"""``caseguide lint``: keep pack sources honest before they are built or shipped.

Errors are things that would break or mislead (a guide that does not load, a
link to nowhere, no sources); warnings are things a reviewer should look at
(hard reading, short guides, missing house-style sections, overdue review).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from ..errors import CaseGuideError, PackError
from ..fsutil import read_small_file
from ..suggest import nearest
from ..guides.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, markdown_to_html
from ..guides import schema
from ..guides.model import MAX_GUIDE_BYTES, Guide
from ..nations import LABELS as NATION_LABELS
from ..guides.readability import reading_ease, word_count
from ..guides.render import plain_body
from ..packs.loading import load_guides
from ..packs.source import read_pack_source
from .library import IMAGE_SUFFIXES, local_pack_roots

MIN_EASE, MIN_WORDS = 50, 300
REQUIRED_SECTIONS = ("What this means for you", "When to get advice")

_LINK_RE = re.compile(r"(!?)\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^>]*)>")
_ATTR_RE = re.compile(r"([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=")
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_HEADING_RE = re.compile(r"^#{1,6}\s+(.*?)\s*(\{[^}]*\})?\s*#*\s*$")
_ORDERED_RE = re.compile(r"^\s*\d+[.)]\s+\S")


@dataclass
class Finding:
    level: str  # error | warning
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.level}: {self.message}"


@dataclass
class GuideStats:
    id: str
    path: str
    language: str
    words: int
    reading_ease: float | None


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    guides: list[GuideStats] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(f.level == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.level == "warning" for f in self.findings)

    def add(self, level, path, message, line=None) -> None:
        self.findings.append(Finding(level, str(path), line, message))

    def as_dict(self) -> dict:
        return {
            "errors": self.errors,
            "warnings": self.warnings,
            "guides": [asdict(g) for g in self.guides],
            "findings": [asdict(f) for f in self.findings],
        }


def _body_lines(guide: Guide):
    """(line number in the file, text) for each body line outside fenced code."""
    fenced = False
    for offset, text in enumerate(guide.body.split("\n")):
        if _FENCE_RE.match(text):
            fenced = not fenced
            continue
        if not fenced:
            yield guide.body_line + offset, re.sub(r"`[^`]*`", "", text)


class _TagCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: dict[str, set[str]] = {}

    def handle_starttag(self, tag, attrs):
        self.tags.setdefault(tag, set()).update(name for name, _value in attrs)


def _html_tags(guide: Guide) -> dict[str, set[str]]:
    """Each tag in the guide's HTML as Markdown makes it (before cleaning), with its attributes.

    What Markdown itself turns into something else is not raw HTML: an autolink (<https://...>,
    <name@example.org>) becomes a link, and a tag inside a code span or block becomes text. Only a
    tag that is still a tag here was written as HTML."""
    collector = _TagCollector()
    collector.feed(markdown_to_html(guide.body))
    collector.close()
    return collector.tags


def _front_matter_line(guide: Guide, key: str) -> int | None:
    try:
        data = read_small_file(guide.path, MAX_GUIDE_BYTES, "a guide")
        lines = data.decode("utf-8-sig").splitlines()
    except (CaseGuideError, UnicodeDecodeError):
        return None
    for number, text in enumerate(lines[: guide.body_line], start=1):
        if re.match(rf"^{re.escape(key)}\s*:", text):
            return number
    return None


NATION_NAMES = {nation: str(label) for nation, label in NATION_LABELS.items()}  # as a title says them, in English


class _Linter:
    def __init__(self, today: _dt.date):
        self.today = today
        self.report = Report()
        self.guides: dict[str, Guide] = {}
        self.files: dict[str, Guide] = {}  # normalised path -> guide
        self.packs = {}

    def read_packs(self, roots) -> None:
        for root, _scope, _owner in roots:
            try:
                pack = read_pack_source(root, "local")
            except PackError as exc:
                self.report.add("error", root / "pack.toml", str(exc).split(": ", 1)[-1])
                continue
            if pack.id in self.packs:
                self.report.add("error", root / "pack.toml",
                                f"pack id {pack.id!r} is also used by {self.packs[pack.id].root}")
                continue
            self.packs[pack.id] = pack

    def load_guides(self) -> None:
        guides, problems = load_guides(self.packs.values())
        for problem in problems:
            if problem.duplicate_of is not None:
                self.report.add("error", problem.path, f"id {problem.guide_id!r} is already used by "
                                                       f"{problem.duplicate_of}", 2)
            else:
                self.report.add("error", problem.path, problem.reason, problem.line)
        self.guides.update(guides)
        self.files.update({os.path.normpath(g.path): g for g in guides.values()})

    def check(self, guide: Guide) -> None:
        add = self.report.add
        pack = self.packs[guide.pack]
        if not guide.sources:
            add("error", guide.path, "has no sources: list each source relied on, with its URL",
                _front_matter_line(guide, "sources"))
        for related in guide.related:
            if related not in self.guides:
                add("error", guide.path, f"related guide {related!r} does not exist",
                    _front_matter_line(guide, "related"))
        if guide.translation_of:
            self._check_translation(guide)
        self._check_nations(guide)
        for key in guide.extra:  # a misspelt key is otherwise silently ignored (nation: for nations:)
            guess = nearest(str(key), list(schema.BY_NAME))
            add("warning", guide.path, f"front matter key {key!r} is not one CaseGuide knows, so it is ignored"
                                       + (f": did you mean {guess[0]!r}?" if guess else ""),
                _front_matter_line(guide, str(key)))
        for topic in guide.topics:
            if pack.topics and topic not in pack.topics:
                add("warning", guide.path, f"topic {topic!r} has no label in pack.toml [topics]",
                    _front_matter_line(guide, "topics"))
        if guide.review_due < self.today:
            add("warning", guide.path, f"was due for review on {guide.review_due.isoformat()}",
                _front_matter_line(guide, "review_due"))

        headings, ordered = [], False
        tags = _html_tags(guide) if "<" in guide.body else {}
        for number, text in _body_lines(guide):
            self._check_links(guide, pack, number, text)
            if tags:
                self._check_html(guide, number, text, tags)
            heading = _HEADING_RE.match(text)
            if heading:
                headings.append(heading.group(1).strip().lower())
            ordered = ordered or bool(_ORDERED_RE.match(text))

        for section in REQUIRED_SECTIONS:
            if section.lower() not in headings:
                add("warning", guide.path, f"has no '## {section}' section")
        if guide.kind == "walkthrough" and not ordered:
            add("warning", guide.path, "is a walkthrough without numbered steps")

        text = plain_body(guide)
        words = word_count(text)
        ease = reading_ease(text) if guide.primary_language == "en" else None
        self.report.guides.append(GuideStats(guide.id, str(guide.path), guide.language, words, ease))
        if words < MIN_WORDS:
            add("warning", guide.path, f"has {words} words; a guide needs at least {MIN_WORDS}")
        if ease is not None and ease < MIN_EASE:
            add("warning", guide.path, f"reading ease is {ease}; aim for 60 or more "
                                       "(shorter sentences, everyday words)")

    def _check_nations(self, guide: Guide) -> None:
        """A title that names a nation the guide does not cover, or a guide for one nation whose
        title does not say which: a caseworker in another nation would take it for theirs."""
        line = _front_matter_line(guide, "title")
        for nation, name in NATION_NAMES.items():
            named = re.search(rf"\b{name}\b", guide.title, re.IGNORECASE) is not None
            if named and nation not in guide.nations:
                self.report.add("warning", guide.path, f"its title says {name!r} but its nations are "
                                                       f"{', '.join(guide.nations)}", line)
            elif guide.nations == (nation,) and not named:
                self.report.add("warning", guide.path, f"it is only about {name} (nations: [{nation}]), "
                                                       f"but its title does not say so", line)

    def _check_translation(self, guide: Guide) -> None:
        line = _front_matter_line(guide, "translation_of")
        original = self.guides.get(guide.translation_of)
        if original is None:
            self.report.add("error", guide.path, f"translation_of names {guide.translation_of!r}, which is not a "
                                                 "guide in the library", line)
            return
        if original.translation_of:
            self.report.add("error", guide.path, f"translation_of names {original.id!r}, which is itself a "
                                                 f"translation (of {original.translation_of!r}): name the original",
                            line)
        if original.kind != guide.kind:
            self.report.add("error", guide.path, f"is a {guide.kind} guide but translates {original.id!r}, a "
                                                 f"{original.kind} guide: a translation keeps its kind", line)
        if set(original.topics) != set(guide.topics):
            self.report.add("error", guide.path, f"has topics {sorted(guide.topics)} but translates {original.id!r}, "
                                                 f"whose topics are {sorted(original.topics)}: keep them the same",
                            _front_matter_line(guide, "topics"))
        if original.pack != guide.pack and guide.pack not in self.packs[original.pack].translation_packs:
            self.report.add("warning", guide.path, f"translates {original.id!r} of the pack {original.pack!r}: CaseGuide "
                                                   "links it as a translation only if the same publisher signs both "
                                                   f"packs, or if {original.pack!r}'s pack.toml lists {guide.pack!r} in "
                                                   "its translation_packs", line)
        if original.primary_language == guide.primary_language:
            self.report.add("warning", guide.path, f"translates {original.id!r} but is in the same language "
                                                   f"({guide.language})", line)

    def _check_links(self, guide, pack, number, text) -> None:
        add = self.report.add
        for bang, target in (m.groups() for m in _LINK_RE.finditer(text)):
            scheme = target.split(":", 1)[0].lower() if ":" in target.split("/", 1)[0] else ""
            if bang:
                if scheme or target.startswith("//"):
                    add("error", guide.path, f"image {target!r} is not inside the pack; "
                                             "put the image file in the pack folder", number)
                    continue
                path = Path(os.path.normpath(guide.path.parent / target.split("#")[0]))
                inside = os.path.commonpath([os.path.realpath(pack.root), os.path.realpath(path)]) \
                    == os.path.realpath(pack.root)
                if not inside:
                    add("error", guide.path, f"image {target!r} is outside the pack", number)
                elif path.suffix.lower() not in IMAGE_SUFFIXES:
                    add("error", guide.path, f"image {target!r} is not a PNG, JPEG, GIF or WebP file",
                        number)
                elif not path.is_file():
                    add("error", guide.path, f"image {target!r} does not exist", number)
                continue
            if scheme == "guide":
                guide_id = target[len("guide:"):].split("#")[0]
                if guide_id not in self.guides:
                    add("error", guide.path, f"link to guide {guide_id!r}, which does not exist", number)
            elif scheme in ("http", "https", "mailto", "tel"):
                continue
            elif scheme:
                add("error", guide.path, f"link {target!r} uses {scheme}:, which CaseGuide does not follow",
                    number)
            elif target.startswith("#"):
                continue
            else:
                rel = target.split("#")[0]
                path = os.path.normpath(guide.path.parent / rel)
                if not rel.endswith(".md") or path not in self.files:
                    add("error", guide.path, f"link {target!r} does not lead to a guide in the library",
                        number)

    def _check_html(self, guide, number, text, tags) -> None:
        for closing, tag, attrs in (m.groups() for m in _TAG_RE.finditer(text)):
            name = tag.lower()
            if closing or name not in tags:
                continue  # Markdown made it a link or text: not raw HTML
            if name not in ALLOWED_TAGS:
                self.report.add("error", guide.path,
                                f"raw HTML <{name}> is removed when the guide is shown; use Markdown",
                                number)
                continue
            allowed = ALLOWED_ATTRIBUTES.get(name, set()) | ALLOWED_ATTRIBUTES["*"]
            for attr in _ATTR_RE.findall(attrs):
                if attr.lower() not in tags[name]:
                    continue
                if attr.lower() not in allowed:
                    self.report.add("error", guide.path, f"the {attr!r} attribute of raw HTML <{name}> "
                                                         "is removed when the guide is shown", number)
                elif attr.lower() == "src":
                    self.report.add("error", guide.path, f"write the image in <{name}> as Markdown, "
                                                         "![description](file.png), so it can be checked",
                                    number)


def lint(paths: list[Path], today: _dt.date | None = None) -> Report:
    """Lint the pack source folders (or folders of them) at *paths*."""
    linter = _Linter(today or _dt.date.today())
    for path in paths:
        try:
            linter.read_packs(local_pack_roots(Path(path)))
        except CaseGuideError as exc:
            linter.report.add("error", path, str(exc))
    linter.load_guides()
    for guide in linter.guides.values():
        linter.check(guide)
    linter.report.findings.sort(key=lambda f: (f.path, f.line or 0))
    return linter.report
