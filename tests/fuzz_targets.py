"""What the fuzz tests (tests/test_fuzz.py) and benchmarks/bench_fuzz.py feed hostile input to.

Each target takes one generated input and may raise only CaseGuide's own error classes."""

from __future__ import annotations

import io
import json
import zipfile

from hypothesis import strategies as st

from caseguide.errors import CaseGuideError
from caseguide.guides.model import parse_guide
from caseguide.guides.markup import markdown_to_html, sanitize
from caseguide.guides.render import html_to_text
from caseguide.packs import archive
from caseguide.packs.minisign import PublicKey, SecretKey, Signature

MARKDOWN_BITS = ["[", "]", "(", ")", "![", "<", ">", "`", "```\n", "*", "_", "#", "> ", "- ", "1. ", "    ",
                 "|", "|---|", "\n", "\n\n", "\\", '"', "'", "&", "<div>", "</div>", "https://x.org", "{: #a}",
                 "\u202e", "\u200c", "ب", "a", " "]
markdown = st.lists(st.sampled_from(MARKDOWN_BITS), max_size=300).map("".join) | st.text(max_size=400)

FRONT_BITS = ["id: a", "title: T", "summary: S", "kind: rights", "topics: [x]", "language: en",
              "reviewed: 2026-01-01", "review_due: 2027-02-30", "sources: []", "- ", "[", "{", "}", "]", ": ",
              "\n", "  ", "!!timestamp ", "&a ", "*a ", "? ", "1e999", ".inf", "'", '"', "\u202e", "\x1b"]
front_matter = st.lists(st.sampled_from(FRONT_BITS), max_size=80).map("".join) | st.text(max_size=300)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=30)


def render_target(text: str) -> None:
    html_to_text(sanitize(markdown_to_html(text)))


def guide_target(front: str) -> None:
    try:
        parse_guide("fuzz.md", f"---\n{front}\n---\nBody.".encode("utf-8", "surrogatepass"))
    except CaseGuideError:
        pass


def manifest_target(raw: bytes) -> None:
    try:
        archive.Manifest.from_json(raw)
    except CaseGuideError:
        pass


_KEY = SecretKey.generate()
_GOOD = [_KEY.public.dump(), _KEY.dump(), _KEY.sign(b"message", "comment")]


def minisign_target(text: str) -> None:
    for parse in (PublicKey.parse, SecretKey.parse, Signature.parse):
        try:
            parse(text)
        except CaseGuideError:
            pass


def zip_target(data: bytes, path) -> None:
    path.write_bytes(data)
    try:
        archive.verify(path, keys=[])
    except CaseGuideError:
        pass


def small_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr(archive.MANIFEST, b'{"format": 1}')
        zipped.writestr(archive.SIGNATURE, _GOOD[2])
        zipped.writestr("pack.toml", b'id = "x"\n')
    return buffer.getvalue()


@st.composite
def mutated_zips(draw):
    """A real small pack file with some bytes changed, cut short, or its end record's counts forged."""
    data = bytearray(small_zip())
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[:draw(st.integers(0, len(data)))]
    return bytes(data)


def minisign_texts():
    return st.sampled_from(_GOOD).flatmap(
        lambda good: st.integers(0, len(good)).flatmap(
            lambda cut: st.text(max_size=20).map(lambda extra: good[:cut] + extra + good[cut + len(extra):])))


# Issue 22: raw HTML structures, direction controls in every text field, and --json output.
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e",
        "\u200f", "\u061c", "\u200b", "\u2028", "\x1b[2J", "\x9b", "&#x202E;", "&#8238;"]
bidi_text = st.lists(st.sampled_from(BIDI + ["a", "ب", "0808 2000 247", " ", "https://ico.org.uk/", "|"]),
                     max_size=30).map("".join)

HTML_OPEN = ["<table><tr><td>", "<ul><li>", "<ol><li>", "<blockquote>", "<dl><dd>", "<td>", "<li>", "<tr>",
             '<td colspan="100">', '<td rowspan="99999">', "<p>", "<div>"]
HTML_CLOSE = ["</td></tr></table>", "</li></ul>", "</li></ol>", "</blockquote>", "</dd></dl>", "</td>", "</li>",
              "</tr>", "</p>", "</div>"]


@st.composite
def html_structures(draw):
    """Raw HTML nested and repeated as an attacker would: deep, wide, unbalanced."""
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        depth = draw(st.integers(0, 40))
        opener = draw(st.sampled_from(HTML_OPEN))
        inner = draw(st.sampled_from(["x", "<td>c</td>" * 50, "<li>i</li>" * 200, "word " * 50]))
        closer = draw(st.sampled_from(HTML_CLOSE))
        repeat = draw(st.integers(1, 30))
        parts.append(((opener + "\n") * depth + inner + ("\n" + closer) * depth + "\n\n") * repeat)
    return "".join(parts)


def html_structure_target(body: str) -> None:
    """A guide of raw HTML either is refused with a message, or lays out within the limits."""
    from caseguide.errors import GuideError
    from caseguide.guides.markup import safe_body
    from caseguide.guides.render import render_body
    from caseguide.limits import layout_problem

    assert layout_problem(safe_body(body)) is None  # shown from anywhere: within the limits
    try:
        guide = parse_guide("fuzz.md", f"---\n{_FRONT}\n---\n{body}".encode())
    except GuideError:
        return
    assert layout_problem(render_body(guide)) is None


_FRONT = ("id: fuzz\ntitle: T\nsummary: S\nkind: rights\ntopics: [x]\nlanguage: ar\nnations: [uk]\n"
          "reviewed: 2026-01-01\nreview_due: 2027-01-01\nsources:\n  - title: S\n    url: https://ico.org.uk/")


def bidi_fields_target(title: str, summary: str, body: str, source: str, link: str, cell: str) -> None:
    """Direction controls in every text field never reach a page: none of a guide's own
    embeddings, overrides or isolates, and CaseGuide's own isolates always closed."""
    from caseguide.errors import GuideError
    from caseguide.guides.handout import HandoutOptions, compose
    from caseguide.guides.render import guide_page, guide_text

    def quoted(text: str) -> str:
        return json.dumps(text)  # a YAML double-quoted scalar

    front = _FRONT.replace("title: T", f"title: {quoted('T' + title)}").replace(
        "summary: S", f"summary: {quoted('S' + summary)}").replace("  - title: S", f"  - title: {quoted('S' + source)}")
    text = f"{body}\n\n[{link}](https://www.gov.uk/)\n\n| a | b |\n|---|---|\n| {cell} | x |\n"
    try:
        guide = parse_guide("fuzz.md", f"---\n{front}\n---\n{text}".encode("utf-8", "surrogatepass"))
    except GuideError:
        return
    for page in (guide_page(guide), compose([guide], None, HandoutOptions())):
        assert not set(page) & set("\u202a\u202b\u202c\u202d\u202e\u2067\u2068\u200b\u2028\x1b\x9b")
        assert page.count("\u2066") == page.count("\u2069")
    assert not set(guide_text(guide)) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\x1b\x9b")


def json_output_target(value) -> None:
    """--json is exactly json.dumps: parsed back it is the data, and it holds only printable ASCII."""
    import contextlib
    import re

    from caseguide import cli

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli.emit_json(value)
    text = out.getvalue()
    assert not re.search(r"[^\x20-\x7e\n]", text)
    assert json.loads(text) == json.loads(json.dumps(value))
