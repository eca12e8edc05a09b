"""Turn Security First's Umbrella lessons (../shared/realworld) into a CaseGuide pack source folder.

Test data only, never shipped. The lessons have their own front matter (``index``, ``title``); each
becomes a CaseGuide guide with the front matter CaseGuide needs and the lesson's own Markdown as its
body, unchanged except for what no CaseGuide pack can hold, as a publisher converting them would do:
links to the Umbrella app (``umbrella://...``) become their words, images the data set does not
include become their descriptions, and links written without their ``https://`` or ``mailto:`` (which
would be dead links to files) get it.
"""

from __future__ import annotations

import re
from pathlib import Path

_DOUBLE_PAREN_RE = re.compile(r"\]\(\(([^()\s]+)\)\)?")
_LINK_RE = re.compile(r"(?<!!)\[([^\]\n]*)\]\(\s*umbrella:[^)\s]*\s*\)", re.IGNORECASE)
_FILE_LINK_RE = re.compile(r"(?<!!)\[([^\]\n]*)\]\(\s*([^)\s]+)\s*\)")
_BARE_WEB_RE = re.compile(r"\]\(\s*(www\d?\.[^)\s]+)\s*\)")
_BARE_MAIL_RE = re.compile(r"\]\(\s*([^()\s:/@]+@[^()\s:/@]+\.[a-z]+)\s*\)", re.IGNORECASE)
_IMAGE_RE = re.compile(r"!\[([^\]\n]*)\]\(\s*([^)\s]+)\s*\)")


def lesson_parts(path: Path) -> tuple[str, str]:
    """(title, body) of one lesson file."""
    text = path.read_text(encoding="utf-8")
    title = re.search(r"^title:\s*['\"]?(.*?)['\"]?\s*$", text, re.MULTILINE)
    parts = text.split("---", 2)
    body = parts[2] if text.startswith("---") and len(parts) == 3 else text
    return (title.group(1).strip() if title else "") or path.stem, body


def _body(body: str, source_dir: Path) -> str:
    body = _DOUBLE_PAREN_RE.sub(r"](\1)", body)  # [text]((address)): a slip in a few lessons
    body = _LINK_RE.sub(lambda m: m.group(1), body)
    body = _BARE_WEB_RE.sub(r"](https://\1)", body)  # [text](www.example.org): a website, not a file
    body = _BARE_MAIL_RE.sub(r"](mailto:\1)", body)

    def image(match: re.Match) -> str:
        target = match.group(2)
        if ":" not in target and (source_dir / target).is_file():
            return match.group(0)
        return f"(Picture: {match.group(1)})" if match.group(1).strip() else ""

    def file_link(match: re.Match) -> str:  # [words](picture.png) for a picture the data set lacks
        target = match.group(2)
        if ":" in target or target.startswith("#") or target.endswith(".md") or (source_dir / target).is_file():
            return match.group(0)
        return match.group(1)

    return _FILE_LINK_RE.sub(file_link, _IMAGE_RE.sub(image, body))


def guide_id(rel: Path) -> str:
    return re.sub(r"[^a-z0-9]+", "-", rel.with_suffix("").as_posix().lower()).strip("-")[:80].strip("-")


def convert(source: Path, root: Path) -> int:
    """Write a pack source folder at *root* from the lessons under *source*; returns how many guides."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pack.toml").write_text('id = "umbrella"\nversion = "1"\ntitle = "Umbrella"\n'
                                    'publisher = "Security First"\nlanguages = ["en", "ar"]\n', encoding="utf-8")
    count = 0
    for path in sorted(source.rglob("*.md")):
        title, body = lesson_parts(path)
        if not body.strip():
            continue
        rel = path.relative_to(source)
        lang = "ar" if rel.parts[0] == "ar" else "en"
        title_yaml = title.replace("\\", "\\\\").replace('"', '\\"')
        (root / f"{guide_id(rel)}.md").write_text(
            f'---\nid: {guide_id(rel)}\ntitle: "{title_yaml}"\nsummary: "A lesson from Umbrella, by Security First."\n'
            f"kind: walkthrough\ntopics: [security]\nlanguage: {lang}\nnations: [uk]\nreviewed: 2024-05-27\n"
            f"review_due: 2099-05-27\nsources:\n  - title: Umbrella, by Security First\n"
            f"    url: https://secfirst.org/umbrella/\n---\n{_body(body, path.parent)}", encoding="utf-8")
        count += 1
    return count
