"""What the fuzz tests (tests/test_fuzz.py) and benchmarks/bench_fuzz.py feed hostile input to.

Each target takes one generated input and may raise only CaseGuide's own error classes."""

from __future__ import annotations

import io
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
