"""A guide's Markdown to HTML that is safe to show: the one recipe, used when a guide is parsed (to
check what Qt will lay out) and whenever it is shown or printed.

Every guide is untrusted. Its Markdown becomes HTML with python-markdown, which passes raw HTML
through, and that HTML is cleaned with nh3 to an allowlist that fits Qt's rich-text subset. What
is left is then checked as the document Qt will lay out (:func:`caseguide.limits.layout_problem`),
and cleaned of the characters that could reorder or hide what a person reads
(:func:`caseguide.display.clean_text`): entities such as ``&#x202E;`` are characters by then.
Knows nothing of guides or packs; :mod:`caseguide.guides.render` builds pages from it.
"""

from __future__ import annotations

import base64
import binascii
import html
import re

from ..display import LRI, PDI, clean_text, has_rtl, safe_url
from ..limits import MAX_SPAN, layout_problem, markdown_problem

MAX_DATA_URI_BYTES = 256 * 1024
MAX_IMAGE_DIMENSION = 2000

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "small", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    *HEADINGS,
}
ALLOWED_ATTRIBUTES = {
    "*": {"dir", "lang"},
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    **{h: {"id"} for h in HEADINGS},
}
ALLOWED_CLASSES = {h: {"caseworker"} for h in HEADINGS}
URL_SCHEMES = {"http", "https", "mailto", "tel", "guide", "pack", "data"}
_DATA_IMAGE_RE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,([A-Za-z0-9+/=\s]*)$", re.IGNORECASE)
_GUIDE_HREF_RE = re.compile(r"^guide:[a-z0-9-]{1,80}(#[\w.-]*)?$")
_DEAD_LINK_RE = re.compile(r"<a(?![^>]*\bhref=)[^>]*>(.*?)</a>", re.DOTALL)
_DEAD_IMAGE_RE = re.compile(r"<img(?![^>]*\bsrc=)([^>]*)>")
_ALT_RE = re.compile(r'\balt="([^"]*)"')
_H1_LINE_RE = re.compile(r"^(#\s|.+\n=+\s*$)", re.MULTILINE)
_BLOCKS_RE = re.compile(r"\n[ \t]*\n")


def esc(text: str) -> str:
    return html.escape(text, quote=True)


_PLAIN_CHUNK = 10_000  # characters of a paragraph in plain_paragraphs: escaped, well inside MAX_BLOCK_CHARS


def plain_paragraphs(text: str) -> str:
    """*text* as escaped paragraphs, in time linear in its length: what is shown instead of
    Markdown or HTML past CaseGuide's limits (a long one in pieces, so Qt lays out each in a moment)."""
    return "".join(f"<p>{esc(block[at:at + _PLAIN_CHUNK])}</p>" for block in _BLOCKS_RE.split(text)
                   if block.strip() for at in range(0, len(block), _PLAIN_CHUNK))


def markdown_to_html(text: str) -> str:
    """Unsanitized HTML from Markdown. Never show this without :func:`sanitize`.

    Markdown past CaseGuide's limits (:func:`caseguide.limits.markdown_problem`: guides like that are
    refused when loaded) is shown as plain paragraphs instead."""
    return plain_paragraphs(text) if markdown_problem(text) else _convert(text)


def _convert(text: str) -> str:
    # The title is the page's <h1>; a body that uses '#' headings is shifted down one level.
    import markdown  # here, not at the top: the window's start-up shows no guide body

    base = 2 if _H1_LINE_RE.search(text) else 1
    md = markdown.Markdown(
        extensions=["tables", "sane_lists", "fenced_code", "attr_list", "toc"],
        extension_configs={"toc": {"baselevel": base, "permalink": False}},
        output_format="html",
    )
    return md.convert(text)


def data_image_bytes(value: str) -> bytes | None:
    """The image in a ``data:image/...;base64,`` address, or None unless it is one of the allowed
    image types and at most MAX_DATA_URI_BYTES: the one check for inline images, when a guide is
    cleaned and again when the reading view or a handout loads one."""
    match = _DATA_IMAGE_RE.match(value)
    if not match or len(value) > MAX_DATA_URI_BYTES * 4 // 3 + 64:
        return None
    try:
        data = base64.b64decode(match.group(2), validate=False)
    except (binascii.Error, ValueError):
        return None
    return data if len(data) <= MAX_DATA_URI_BYTES else None


def sanitize(raw_html: str, link=None, image=None) -> str:
    """Clean *raw_html* to CaseGuide's allowlist, with no character left that could reorder or
    hide text (direction embeddings, overrides and isolates, zero-width spaces; see display.py).

    *link(href)* and *image(src)* are asked about relative links and images and
    return the URL to use, or None to drop it.
    """

    def attribute_filter(tag, attr, value):
        value = value.strip()
        if attr == "href":
            scheme = value.split(":", 1)[0].lower() if ":" in value.split("/", 1)[0] else ""
            if value.startswith("#"):
                return value
            if scheme in ("http", "https", "mailto", "tel"):
                return safe_url(value)  # what the link box shows is what opens
            if scheme == "guide":
                return value if _GUIDE_HREF_RE.match(value) else None
            if scheme == "" and link is not None:
                return link(value)
            return None
        if attr == "src":
            if value.lower().startswith("data:"):
                return value if data_image_bytes(value) is not None else None
            if ":" in value.split("/", 1)[0] or value.startswith("//"):
                return None  # remote or other schemes: never loaded
            return image(value) if image is not None else None
        if attr in ("width", "height"):
            return value if value.isdigit() and 0 < int(value) <= MAX_IMAGE_DIMENSION else None
        if attr in ("colspan", "rowspan"):  # Qt makes the grid this span asks for: 50,000 takes 0.4 s
            return value if value.isdigit() and 0 < int(value) <= MAX_SPAN else None
        if attr == "dir":
            return value if value in ("rtl", "ltr", "auto") else None
        return value

    import nh3

    cleaned = nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        attribute_filter=attribute_filter,
        link_rel=None,
        strip_comments=True,
    )
    # nh3 writes character references out as the characters themselves, so this also catches a
    # direction override written as &#x202E;.
    cleaned = clean_text(cleaned)
    # A link whose address was dropped is plain text, not something that looks clickable;
    # an image whose source was dropped is its description, in brackets.
    cleaned = _DEAD_LINK_RE.sub(r"\1", cleaned)
    cleaned = _DEAD_IMAGE_RE.sub(_image_words, cleaned)
    # Qt draws table borders only from the table's own attributes.
    return cleaned.replace("<table>", '<table border="1" cellspacing="0" cellpadding="6" width="100%">')


def _image_words(match: re.Match) -> str:
    alt = _ALT_RE.search(match.group(1))
    return f"[image: {alt.group(1)}]" if alt and alt.group(1).strip() else ""


def check_body(markdown_text: str) -> tuple[str | None, str]:
    """(why the body cannot be shown, or None; its Markdown as HTML): the Markdown itself, and the
    document Qt would lay out from it, against CaseGuide's limits. The HTML is what
    :func:`safe_body` takes, so a guide's Markdown is converted once."""
    problem = markdown_problem(markdown_text)
    if problem:
        return problem, ""
    raw_html = _convert(markdown_text)
    return layout_problem(sanitize(raw_html)), raw_html


def safe_body(markdown_text: str, raw_html: str | None = None, link=None, image=None) -> str:
    """The body as HTML to show: sanitized and checked as Qt will lay it out (plain paragraphs if
    it is past the limits, which a guide that loaded never is). A page made of it then goes through
    :func:`keep_ltr_runs`."""
    html_text = markdown_to_html(markdown_text) if raw_html is None else raw_html
    cleaned = sanitize(html_text, link, image)
    if layout_problem(cleaned):
        return plain_paragraphs(clean_text(markdown_text))
    return cleaned


# Numbers and addresses in right-to-left text ---------------------------------------------------
# In a paragraph with Arabic-script letters, Unicode's bidi rules set the groups of a phone number
# "0808 2000 247" right to left ("247 2000 0808") and move an address's last slash to its front.
# Each such run becomes a left-to-right island (LRI ... PDI), so it prints as it reads in
# `caseguide show`. These are the only isolates on a page: a guide's own were taken out (sanitize,
# clean_text), and its direction marks inside such a run go too.
_LTR_RUN_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'\u0600-\u06ff]+[^\s<>\"'.,;:!?)\u0600-\u06ff]"  # a web address
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # an email address
    r"|(?P<number>\+?\(?\d+(?:[ \t\u00a0().\-/:]+\d+)+\)?)"  # a number in groups: a phone number, a date
)
_MARK_IN_RUN_RE = re.compile(r"(?<=\d)[\u200e\u200f\u061c]+|[\u200e\u200f\u061c]+(?=\d)")  # LRM, RLM, ALM by a digit
_TEXT_RE = re.compile(r"(<[^>]*>)|([^<]+)")


def _island(match: re.Match) -> str:
    run = match.group()
    if match.group("number"):  # kept on one line, as it is one thing to dial
        run = run.replace(" ", "\u00a0")
    return f"{LRI}{run}{PDI}"


def keep_ltr_runs(html_text: str) -> str:
    """*html_text* with every number of several groups, web address and email address in its text
    (not its tags) made a left-to-right island, where the text has right-to-left letters; a number's
    spaces become no-break spaces, so no line breaks inside it."""
    if not has_rtl(html_text):
        return html_text

    def text_part(match: re.Match) -> str:
        if match.group(1):
            return match.group(1)
        return _LTR_RUN_RE.sub(_island, _MARK_IN_RUN_RE.sub("", match.group(2)))

    return _TEXT_RE.sub(text_part, html_text)
