"""Markdown nobody here wrote: Security First's Umbrella lessons (English and Arabic).

Test data only (../shared/realworld), never shipped. It has its own front
matter (index, title), odd lists, several top-level headings, images that are
missing, custom umbrella:// links and right-to-left text.
"""

import re
import time

import pytest

from caseguide.guides.library import Library
from caseguide.guides.render import html_to_text, markdown_to_html, sanitize
from caseguide.search.query import SearchIndex

from .conftest import REALWORLD

pytestmark = pytest.mark.skipif(not REALWORLD.is_dir(), reason="../shared/realworld is not here")

FILES = sorted(REALWORLD.rglob("*.md")) if REALWORLD.is_dir() else []


def body_and_title(path):
    text = path.read_text(encoding="utf-8")
    title = re.search(r"^title:\s*['\"]?(.*?)['\"]?\s*$", text, re.MULTILINE)
    parts = text.split("---", 2)
    body = parts[2] if text.startswith("---") and len(parts) == 3 else text
    return body, (title.group(1) if title else path.stem)


def test_every_lesson_renders_to_safe_html():
    assert len(FILES) > 1000
    for path in FILES:
        body, _ = body_and_title(path)
        html = sanitize(markdown_to_html(body))
        lowered = html.lower()
        assert "<script" not in lowered, path
        assert not re.search(r"\son\w+\s*=", lowered), path
        assert not re.search(r'src="(https?:|//|file:)', lowered), path
        assert "href=\"umbrella:" not in lowered, path  # a link scheme we do not know is dropped
        if body.strip():
            assert html_to_text(html).strip(), path


def test_lessons_without_our_front_matter_are_skipped_one_warning_each(tmp_path):
    pack = tmp_path / "umbrella"
    pack.mkdir()
    (pack / "pack.toml").write_text('id = "umbrella"\nversion = "1"\ntitle = "U"\npublisher = "SF"\n')
    sample = [p for p in FILES if "/en/" in p.as_posix()][:60]
    for number, path in enumerate(sample):
        (pack / f"{number}.md").write_bytes(path.read_bytes())
    library = Library.discover(pack)
    assert len(library) == 0
    assert len(library.warnings) == len(sample)
    assert all("missing 'id'" in w or "front matter" in w for w in library.warnings)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """The lessons given CaseGuide front matter, as one pack: English and Arabic."""
    root = tmp_path_factory.mktemp("umbrella-pack")
    (root / "pack.toml").write_text('id = "umbrella"\nversion = "1"\ntitle = "Umbrella"\n'
                                    'publisher = "Security First"\nlanguages = ["en", "ar"]\n')
    count = 0
    for path in FILES:
        body, title = body_and_title(path)
        if not body.strip():
            continue
        lang = "ar" if "/ar/" in path.as_posix() else "en"
        rel = path.relative_to(REALWORLD)
        guide_id = re.sub(r"[^a-z0-9]+", "-", rel.with_suffix("").as_posix().lower()).strip("-")[:80]
        guide_id = guide_id.strip("-")
        title_yaml = title.replace('"', "'")
        (root / f"{guide_id}.md").write_text(
            f'---\nid: {guide_id}\ntitle: "{title_yaml}"\nsummary: "A lesson from Umbrella."\n'
            f"kind: walkthrough\ntopics: [security]\nlanguage: {lang}\nreviewed: 2024-05-27\n"
            f"review_due: 2025-05-27\nsources: []\n---\n{body}", encoding="utf-8")
        count += 1
    return root, count


@pytest.mark.slow
def test_the_converted_lessons_load_index_and_search(converted):
    root, count = converted
    library = Library.discover(root)
    assert library.warnings == [] and len(library) == count
    started = time.perf_counter()
    index = SearchIndex(library).open()
    build_seconds = time.perf_counter() - started
    hits = index.exact_search("password manager", limit=5, lang="en")
    assert len(hits) == 5
    assert any("password" in h.title.lower() for h in hits[:3])
    assert any("<b>" in h.snippet_html for h in hits)
    arabic = index.exact_search("كلمة المرور", limit=5, lang="ar")
    assert arabic and all(h.language == "ar" for h in arabic)
    assert build_seconds < 120  # a sanity bound, not a speed target (see benchmarks/)
