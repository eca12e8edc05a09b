"""Guides to pages that QTextBrowser shows well, and to plain text.

The body comes from :mod:`caseguide.guides.markup` (Markdown to sanitized, checked HTML). Links
are rewritten on the way: a relative link to another guide's file becomes ``guide:ID``, an image
inside the guide's pack becomes a ``pack:`` URL, and everything else that could load or run
something is dropped.
"""

from __future__ import annotations

import datetime as _dt
import re
from html.parser import HTMLParser

from .. import i18n
from .markup import HEADINGS, esc, keep_ltr_runs, safe_body
from ..nations import LABELS as NATION_LABELS
from ..nations import NATIONS
from .model import KIND_LABELS, Guide, is_listed

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")


def format_date(day: _dt.date, lang: str = "en") -> str:
    """A date as a person reads it in *lang*: "1 December 2026", "1 ديسمبر 2026"."""
    code = i18n.normalise(lang) or "en"
    if code.split("_")[0] == "en":
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    from babel import UnknownLocaleError
    from babel.dates import format_date as babel_date

    try:
        return babel_date(day, format="long", locale=code)
    except (ValueError, LookupError, OSError, UnknownLocaleError):  # no data for it (the bundle has only
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"  # the interface's languages): English


def page_language(guide: Guide) -> str:
    """The language of the words CaseGuide adds to a guide's page and handout (labels, dates, the
    disclaimer): the guide's own where there is a catalog for it, else English."""
    code = guide.primary_language
    return code if code in i18n.available() else "en"


def _t(lang: str):
    """gettext for *lang*, for words that follow a guide's language rather than the interface's."""
    return i18n.translator(lang).gettext


def _mark_caseworker_headings(body: str) -> str:
    return re.sub(
        r'(<h([2-6]) class="caseworker"[^>]*>)(.*?)(</h\2>)',
        r'\1\3 <span class="cw-label">(for caseworkers)</span>\4',
        body,
        flags=re.DOTALL,
    )


def render_body(guide: Guide, library=None, labels: bool = True) -> str:
    """The guide's body as safe HTML; *labels* marks caseworker-only sections for the reader."""
    link = (lambda href: library.resolve_link(guide, href)) if library is not None else None
    image = (lambda src: library.resolve_image(guide, src)) if library is not None else None
    body = safe_body(guide.body, guide.html or None, link, image)
    return _mark_caseworker_headings(body) if labels else body


def plain_body(guide: Guide, library=None) -> str:
    """The guide's body as plain running text, links' addresses left out: what search indexes and
    lint measures."""
    return html_to_text(render_body(guide, library, labels=False), with_links=False)


def plain_body_and_links(guide: Guide, library=None) -> tuple[str, list[tuple[str, str]]]:
    """:func:`plain_body`, and (guide id, the link's words) for each link to another guide: how the
    guide names the guides it points to, which search counts for them."""
    maker = _TextMaker(False)
    maker.feed(render_body(guide, library, labels=False))
    maker.close()
    return _finish_text(maker), [(target, " ".join(_CONTROL_RE.sub("", text).split()))
                                 for target, text in maker.guide_links]


# Pages ------------------------------------------------------------------------

STYLESHEET = """
body { line-height: 140%; }
h1 { font-size: x-large; margin-bottom: 4px; }
h2 { font-size: large; margin-top: 18px; }
h3 { font-size: medium; margin-top: 14px; }
p.summary { font-size: large; margin-top: 0px; }
p.meta { color: #4a4a4a; }
td.warning { background-color: #fff4d6; }
td.notice { background-color: #eef3f8; }
span.cw-label { font-size: small; font-weight: normal; color: #4a4a4a; }
a { color: #0b57a4; }
code, pre, kbd { font-family: monospace; }
pre { background-color: #f4f4f4; }
th { background-color: #eeeeee; }
"""


def app_text(inner_html: str, rtl: bool, css_class: str = "", tag: str = "p", style: str = "") -> str:
    """A block of the app's own words. *rtl* True means they are left-to-right words (English, as
    there is no catalog for the guide's language) in a right-to-left guide: then they are set left
    to right, against the page's right edge, so that their full stops and colons stay at the end.
    *style* is added to the tag as it is (a handout's page-layout mark)."""
    attrs = (f' class="{css_class}"' if css_class else "") + (' dir="ltr" align="right"' if rtl else "") + style
    return f"<{tag}{attrs}>{inner_html}</{tag}>"


def source_item(title_html: str, url_html: str, rtl: bool, keep: tuple[str, str] = ("", "")) -> str:
    """One entry of a Sources list: the title, and under it the full address. In a right-to-left
    guide the address gets a left-to-right block of its own, or bidi reordering would print
    "https://ico.org.uk/" as "/https://ico.org.uk". *keep* is the handout's page-layout marks: for
    a title kept with the address block after it, and for a block kept whole."""
    if rtl:
        return f'<li{keep[0]}>{title_html}<div dir="ltr" align="right"{keep[1]}>{url_html}</div></li>'
    return f"<li{keep[1]}>{title_html}<br/>{url_html}</li>"


def box(css_class: str, content: str, rtl: bool = False, padding: int = 10) -> str:
    """A framed note across the page (Qt draws borders only from a table's own attributes)."""
    inner = app_text(content, rtl) if rtl else content
    return (f'<table width="100%" border="1" cellspacing="0" cellpadding="{padding}">'
            f'<tr><td class="{css_class}">{inner}</td></tr></table>')


def review_line(guide: Guide, lang: str | None = None) -> str:
    lang = lang or page_language(guide)
    t = _t(lang)
    return t("Last reviewed {date}").format(date=format_date(guide.reviewed, lang))


def overdue_notice(guide: Guide, lang: str | None = None) -> str:
    lang = lang or page_language(guide)
    t = _t(lang)
    return t("This guide was due for review on {date}. The rules may have changed since: check its "
             "sources before you rely on it.").format(date=format_date(guide.review_due, lang))


def english_in_rtl(guide: Guide, lang: str) -> bool:
    """True if the app's words on *guide*'s page are English in a right-to-left guide (no catalog)."""
    return guide.is_rtl and not i18n.is_rtl(lang)


def also_in(guide: Guide, library, links: bool = True, shared: bool = False) -> str:
    """"Also in: العربية · فارسی": the guide's other versions, each named in its own language and,
    with *links* (the reading view; paper has none), a link that opens it in place; empty if there
    are none."""
    versions = library.translations(guide, shared) if library is not None else []
    if not versions:
        return ""
    names = []
    for v in versions:
        name = f'<span lang="{esc(v.language)}">{esc(i18n.native_name(v.primary_language))}</span>'
        names.append(f'<a href="guide:{v.id}" hreflang="{esc(v.language)}">{name}</a>' if links else name)
    lang = page_language(guide)
    t = _t(lang)
    return app_text(esc(t("Also in:")) + " " + " &middot; ".join(names), english_in_rtl(guide, lang), "meta")


def nations_text(nations, lang: str) -> str:
    """Where a guide applies, in words of *lang*: "England", "England and Wales", "all of the UK"."""
    t = _t(lang)
    if set(nations) == set(NATIONS):
        return t("all of the UK")
    names = [t(NATION_LABELS[n]) for n in nations]
    if len(names) == 1:
        return names[0]
    first = names[0]
    for name in names[1:-1]:  # three nations: "England, Wales" first, each language's own comma
        first = t("{earlier}, {next}").format(earlier=first, next=name)
    return t("{first} and {last}").format(first=first, last=names[-1])


def about_line(guide: Guide, lang: str | None = None) -> str:
    """"This guide is about the law in England.": said on every page and handout."""
    lang = lang or page_language(guide)
    t = _t(lang)
    return t("This guide is about the law in {nations}.").format(nations=nations_text(guide.nations, lang))


def other_nation_note(guide: Guide, nation: str, library=None, links: bool = True, shared: bool = False) -> str:
    """For a centre in *nation* reading a guide that is not about it: that the rules there are
    different, and the guide that has them where the library has one (a link, or on paper its
    title); as escaped HTML, or "" when the guide covers *nation* (or no nation is set)."""
    if guide.covers(nation):
        return ""
    lang = page_language(guide)
    t = _t(lang)
    where = t(NATION_LABELS[nation])
    instead = library.nation_version(guide, nation, shared) if library is not None else None
    if instead is None:
        rest = esc(t("The rules in {nation} are different: ask an adviser who knows them.").format(nation=where))
    else:
        title = f'<a href="guide:{instead.id}">{esc(instead.title)}</a>' if links else f"\u201c{esc(instead.title)}\u201d"
        rest = esc(t("The rules in {nation} are different: see {guide}.")).format(nation=esc(where), guide=title)
    return f"<b>{esc(about_line(guide, lang))}</b> {rest}"


def guide_page(guide: Guide, library=None, today: _dt.date | None = None, shared: bool = False,
               nation: str = "") -> str:
    """The whole reading view of a guide, as safe HTML. CaseGuide's own words on it (labels, dates)
    are in the guide's language where there is a catalog for it, as on its handout. On a shared PC
    (*shared*) it offers no version or related guide that a visitor may not open. With the centre's
    *nation* set, a guide about another nation's law opens with a note saying so."""
    rtl = guide.is_rtl
    lang = page_language(guide)
    t = _t(lang)
    english = english_in_rtl(guide, lang)
    direction = ' dir="rtl"' if rtl else ""
    topics = ", ".join(esc(library.topic_label(t_) if library else t_) for t_ in guide.topics)
    meta = [esc(t(KIND_LABELS[guide.kind]))] + ([topics] if topics else []) + \
        [esc(nations_text(guide.nations, lang)), esc(review_line(guide, lang))]
    parts = [
        f'<div{direction} lang="{esc(guide.language)}">',
        f"<h1>{esc(guide.title)}</h1>",
        f'<p class="summary">{esc(guide.summary)}</p>',
        app_text(" &middot; ".join(meta), english, "meta"),
    ]
    other_versions = also_in(guide, library, shared=shared)
    if other_versions:
        parts.append(other_versions)
    note = other_nation_note(guide, nation, library, shared=shared) if nation else ""
    if note:
        parts.append(box("notice", note, english))
    if guide.is_overdue(today):
        label = esc(t("Review overdue."))
        parts.append(box("warning", f"<b>&#9888; {label}</b> {esc(overdue_notice(guide, lang))}", english))
    if guide.audience == "caseworker":
        label, note = esc(t("For caseworkers.")), esc(t("Background for advisers; not written as a client handout."))
        parts.append(box("notice", f"<b>{label}</b> {note}", english))
    parts.append(render_body(guide, library))
    if guide.sources:
        parts.append("<h2>" + esc(t("Sources")) + "</h2><ol>")
        for source in guide.sources:
            url = esc(source.url)
            parts.append(source_item(esc(source.title), f'<a href="{url}">{url}</a>', rtl))
        parts.append("</ol>")
    related = [library.guides[r] for r in guide.related
               if library and r in library.guides and is_listed(library.guides[r], shared)]
    if related:
        parts.append("<h2>" + esc(t("Related guides")) + "</h2><ul>")
        parts += [f'<li><a href="guide:{r.id}">{esc(r.title)}</a></li>' for r in related]
        parts.append("</ul>")
    parts.append("</div>")
    return keep_ltr_runs("\n".join(parts))


# Plain text -------------------------------------------------------------------

class _TextMaker(HTMLParser):
    """Sanitized HTML to readable plain text: paragraphs, bullets, numbered lists."""

    BLOCKS = {"p", "div", "blockquote", "pre", "table", "tr", "dl", "dt", "dd", "hr", *HEADINGS}

    def __init__(self, with_links: bool):
        super().__init__(convert_charrefs=True)
        self.with_links = with_links
        self.out: list[str] = []
        self.lists: list[list] = []  # [tag, counter]
        self.href: str | None = None
        self.guide_links: list[tuple[str, str]] = []  # (guide id, the link's words)
        self._anchor: list[str] | None = None

    # The text so far is never joined up while it is made, so a long page takes linear time.
    def _tail(self, size: int, strip: str = "") -> str:
        """The last *size* characters of the text so far, after taking *strip* off its end."""
        pieces, length = [], 0
        for piece in reversed(self.out):
            if not pieces and strip:
                piece = piece.rstrip(strip)
                if not piece:
                    continue
            pieces.append(piece)
            length += len(piece)
            if length >= size:
                break
        return "".join(reversed(pieces))[-size:]

    def _strip_end(self, chars: str) -> None:
        while self.out:
            last = self.out[-1].rstrip(chars)
            if last:
                self.out[-1] = last
                return
            self.out.pop()

    def _newline(self, blank=False):
        want = "\n\n" if blank else "\n"
        tail = self._tail(len(want), strip=" ")
        if tail and not tail.endswith(want):
            self._strip_end(" ")
            self._strip_end("\n")
            self.out.append(want)

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._newline(blank=not self.lists)
        elif tag in ("ul", "ol"):
            self._newline(blank=not self.lists)
            self.lists.append([tag, 0])
        elif tag == "li":
            self._newline()
            indent = "  " * (len(self.lists) - 1)
            if self.lists and self.lists[-1][0] == "ol":
                self.lists[-1][1] += 1
                self.out.append(f"{indent}{self.lists[-1][1]}. ")
            else:
                self.out.append(f"{indent}- ")
        elif tag == "br":
            self.out.append("\n")
        elif tag in ("td", "th"):
            self.out.append(" | " if not self._tail(1).endswith("\n") else "")
        elif tag == "a":
            self.href = dict(attrs).get("href")
            self._anchor = [] if self.href and self.href.startswith("guide:") else None
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.out.append(f"[{alt}]")

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._newline(blank=not self.lists)
        elif tag in self.BLOCKS:
            self._newline(blank=not self.lists)
        elif tag == "a":
            if self.with_links and self.href and self.href.startswith(("http:", "https:", "mailto:")):
                self.out.append(f" <{self.href}>")
            if self._anchor is not None and self.href:
                target = self.href[len("guide:"):].split("#", 1)[0]
                if target:
                    self.guide_links.append((target, "".join(self._anchor)))
            self.href, self._anchor = None, None

    def handle_data(self, data):
        if self._anchor is not None:
            self._anchor.append(data)
        if not data.strip() and "".join(self.out[-1:]).endswith(("\n", " ")):
            return
        self.out.append(re.sub(r"\s+", " ", data))


# Plain text has no use for direction controls: CaseGuide's own isolates (markup.keep_ltr_runs) go,
# and anything else that could reorder it. The zero-width non-joiner and joiner stay (Farsi needs them).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def html_to_text(body_html: str, with_links: bool = True) -> str:
    maker = _TextMaker(with_links)
    maker.feed(body_html)
    maker.close()
    return _finish_text(maker)


def _finish_text(maker: _TextMaker) -> str:
    text = "".join(maker.out)
    text = _CONTROL_RE.sub("", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def guide_text(guide: Guide, library=None, today: _dt.date | None = None) -> str:
    """The guide as plain text for a terminal or a text file."""
    lines = [guide.title, "=" * min(len(guide.title), 72), "", guide.summary, "",
             f"{guide.kind_label}. {review_line(guide)}. {about_line(guide)}"]
    if guide.is_overdue(today):
        lines += ["", f"REVIEW OVERDUE: {overdue_notice(guide)}"]
    lines += ["", html_to_text(render_body(guide, library))]
    if guide.sources:
        lines += ["", "Sources", "-------"]
        lines += [f"{n}. {s.title}\n   {s.url}" for n, s in enumerate(guide.sources, start=1)]
    return _CONTROL_RE.sub("", "\n".join(lines)) + "\n"
