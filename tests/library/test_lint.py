"""caseguide lint: each check, its file and line, and its exit code."""

import datetime as dt
import json

import pytest

from caseguide.cli import main
from caseguide.library.lint import lint

from ..conftest import guide_file

GOOD_BODY = (
    "Intro.\n\n## What this means for you\n\n- You can ask.\n\n## The steps\n\n"
    + "You can ask for your file. It is free. The reply comes in a month. " * 30
    + "\n\n## When to get advice\n\nTalk to a regulated adviser.\n"
)
TODAY = dt.date(2026, 11, 23)


def findings(root, level=None):
    report = lint([root], today=TODAY)
    return [f for f in report.findings if level is None or f.level == level]


def test_a_good_guide_has_no_findings(make_pack):
    root = make_pack({"a.md": guide_file(GOOD_BODY)}, extra_toml='[topics]\nhealth = "Health"\n')
    assert findings(root) == []
    [stats] = lint([root], today=TODAY).guides
    assert stats.words > 300 and stats.reading_ease > 60


@pytest.mark.parametrize("body,fields,expected,marker", [
    (GOOD_BODY + "\nSee [B](guide:missing-guide).\n", {}, "link to guide 'missing-guide'", "missing-guide"),
    (GOOD_BODY + "\nSee [B](other.md).\n", {}, "does not lead to a guide", "other.md"),
    (GOOD_BODY + "\n![Map](../../outside.png)\n", {}, "outside the pack", "outside.png"),
    (GOOD_BODY + "\n![Map](img/none.png)\n", {}, "does not exist", "none.png"),
    (GOOD_BODY + "\n![Map](https://x.example/a.png)\n", {}, "not inside the pack", "x.example"),
    (GOOD_BODY + "\n<script>x()</script>\n", {}, "raw HTML <script>", "<script>"),
    (GOOD_BODY + '\n<p onclick="x()">hi</p>\n', {}, "'onclick' attribute", "onclick"),
    (GOOD_BODY, {"sources": "[]"}, "has no sources", "sources:"),
    (GOOD_BODY, {"related": "[nowhere]"}, "related guide 'nowhere' does not exist", "related:"),
    ("---\nid: x\n", {}, "not closed", "---"),
])
def test_errors_name_the_file_and_line(make_pack, capsys, body, fields, expected, marker):
    text = guide_file(body, **fields) if body.startswith("Intro") else body
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if marker in t)
    root = make_pack({"g/a.md": text})
    errors = findings(root, "error")
    assert any(expected in f.message for f in errors), errors
    [finding] = [f for f in errors if expected in f.message]
    assert finding.path.endswith("a.md") and finding.line == line
    assert main(["lint", str(root)]) == 1
    assert f"a.md:{line}: error:" in capsys.readouterr().out


def test_duplicate_ids_are_an_error(make_pack):
    root = make_pack({"a.md": guide_file(GOOD_BODY), "b.md": guide_file(GOOD_BODY)})
    assert any("already used" in f.message for f in findings(root, "error"))


@pytest.mark.parametrize("body,fields,expected", [
    ("Too short.", {}, "needs at least 300"),
    (GOOD_BODY.replace("## What this means for you", "## Summary"), {}, "What this means for you"),
    (GOOD_BODY.replace("## When to get advice", "## Help"), {}, "When to get advice"),
    (GOOD_BODY, {"review_due": "2026-11-01", "reviewed": "2026-01-01"}, "was due for review"),
    (GOOD_BODY, {"kind": "walkthrough"}, "without numbered steps"),
    (GOOD_BODY + "\n" + "Notwithstanding institutional considerations, administrative determinations "
     "necessitate comprehensive evaluation. " * 60, {}, "reading ease"),
])
def test_warnings_do_not_fail_the_lint(make_pack, body, fields, expected):
    root = make_pack({"a.md": guide_file(body, **fields)})
    assert any(expected in f.message for f in findings(root, "warning"))
    assert findings(root, "error") == []
    assert main(["lint", str(root)]) == 0


def test_json_report(make_pack, capsys):
    root = make_pack({"a.md": guide_file("Short.")})
    assert main(["lint", str(root), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["errors"] == 0 and report["warnings"] >= 1
    assert report["guides"][0]["id"] == "sample-guide"
    assert {"level", "path", "line", "message"} <= report["findings"][0].keys()


def test_a_path_that_is_not_a_pack_is_an_error(tmp_path, capsys):
    assert main(["lint", str(tmp_path)]) == 1
    assert "holds no pack" in capsys.readouterr().out


def test_the_bundled_library_passes_lint():
    """A broken guide never lands: the whole content/ folder is linted on every test run."""
    report = lint([__import__("caseguide.resources", fromlist=["x"]).bundled_content_dir()])
    assert [str(f) for f in report.findings if f.level == "error"] == []
