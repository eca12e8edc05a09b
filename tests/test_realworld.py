"""Markdown nobody here wrote: Security First's Umbrella lessons (English and Arabic).

Test data only (../shared/realworld), never shipped. It has its own front
matter (index, title), odd lists, several top-level headings, images that are
missing, custom umbrella:// links and right-to-left text.
"""

import re
import time
from pathlib import Path

import pytest

from caseguide.cli import main
from caseguide.library import Library
from caseguide.library.lint import lint
from caseguide.guides.markup import markdown_to_html, sanitize
from caseguide.guides.render import guide_page, html_to_text
from caseguide.search.query import SearchIndex

from .conftest import REALWORLD
from .umbrella import convert, guide_id, lesson_parts

pytestmark = pytest.mark.skipif(not REALWORLD.is_dir(), reason="../shared/realworld is not here")

FILES = sorted(REALWORLD.rglob("*.md")) if REALWORLD.is_dir() else []


def test_every_lesson_renders_to_safe_html():
    assert len(FILES) > 1000
    for path in FILES:
        _title, body = lesson_parts(path)
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
    """The lessons given CaseGuide front matter, as one pack source folder: English and Arabic."""
    root = tmp_path_factory.mktemp("umbrella") / "pack"
    return root, convert(REALWORLD, root)


def test_lint_takes_autolinks_and_code_for_markdown_not_raw_html(converted):
    root, count = converted
    report = lint([root])
    assert len(report.guides) == count > 1000
    assert [str(f) for f in report.findings if f.level == "error"] == []
    bodies = [p.read_text(encoding="utf-8") for p in root.glob("*.md")]
    assert any(re.search(r"<https?://[^>\s]+>", b) for b in bodies)  # autolinks are there
    assert any(re.search(r"<[a-z]+@[a-z.]+>", b) for b in bodies)  # and so are <name@example.org> ones


def test_right_to_left_overrides_in_arabic_titles_are_taken_out_and_the_words_kept(converted):
    root, _count = converted
    library = Library.discover(root)
    location = library.get(guide_id(Path("ar/communications/mobile-phones/beginner/s_location.md")))
    assert "\u202e" in (REALWORLD / "ar/communications/mobile-phones/beginner/s_location.md").read_text("utf-8")
    assert location.title == "الموقع"
    assert all(not any(c in g.title for c in "\u202a\u202b\u202c\u202d\u202e") for g in library)


@pytest.mark.slow
def test_the_whole_set_builds_into_a_pack_installs_renders_and_searches(converted, tmp_path, capsys):
    root, count = converted
    out = tmp_path / "umbrella.cgpack"
    assert main(["pack", "keygen", str(tmp_path / "sf")]) == 0
    assert main(["pack", "build", str(root), "--key", str(tmp_path / "sf.key"), "-o", str(out)]) == 0
    assert main(["trust", "add", str(tmp_path / "sf.pub")]) == 0
    started = time.perf_counter()
    assert main(["pack", "install", str(out)]) == 0, capsys.readouterr().err
    install_seconds = time.perf_counter() - started
    assert "Installed for you: umbrella 1 (new)" in capsys.readouterr().out

    library = Library.discover()
    umbrella = [g for g in library if g.pack == "umbrella"]
    assert len(umbrella) == count and not library.warnings
    arabic = next(g for g in map(library.get, (g.id for g in umbrella)) if g.language == "ar" and "](http" in g.body)
    page = guide_page(arabic, library)
    assert 'dir="rtl"' in page and "<a href=\"http" in page
    assert "<script" not in page.lower()

    index = SearchIndex(library).open()
    hits = index.exact_search("password manager", limit=5, lang="en")
    assert len(hits) == 5
    assert any("password" in h.title.lower() for h in hits[:3])
    assert any("<b>" in h.snippet_html for h in hits)
    found = index.exact_search("كلمة المرور", limit=5, lang="ar")
    assert found and all(h.language == "ar" for h in found)
    assert install_seconds < 300  # a sanity bound, not a speed target (see benchmarks/)
