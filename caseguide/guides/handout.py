"""Client handouts: one or several guides composed as HTML for printing (Qt-free).

The window and ``caseguide handout`` render this HTML with QTextDocument and
print it (or write a PDF) with page numbers; everything about what is on the
page is decided here: the organisation's details, the date printed; on a guide's
first page, in plain view, when it was reviewed, the nations it is about, its id
and pack version, and the date after which to ask for a newer copy (with a
warning if its review date has passed); the guide, and its sources with their
full addresses and a QR code of each, so a client can open one later (those two
blocks are ``handout_parts``; the codes themselves ``qr``).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from .. import i18n
from ..errors import CaseGuideError
from ..i18n import _
from . import qr
from .handout_parts import KEEP_STYLE, KEEP_TOGETHER, currency_box, sources_html
from .markup import esc, keep_ltr_runs
from .model import Guide
from .render import (
    also_in,
    app_text,
    box,
    english_in_rtl,
    format_date,
    other_nation_note,
    overdue_notice,
    page_language,
    render_body,
)

NORMAL_PT, LARGE_PT = 11, 17
PAPERS = ("a4", "letter")
_HEADING_RE = re.compile(r"<h([1-6])(\s[^>]*)?>", re.IGNORECASE)

# UK postcodes ("SW1A 1AA") and phone numbers ("020 7946 0000", "+44 20 7946 0000", "0300 123 4567"):
# their spaces become no-break spaces, so a line never breaks inside one.
_POSTCODE_RE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}\b", re.IGNORECASE)
_PHONE_RE = re.compile(r"(?<![\w+])(?:\+44 ?(?:\(0\) ?)?|\(?0)\d[\d ()]{6,14}\d\b")
NBSP = "\u00a0"


@dataclass(frozen=True)
class HandoutOptions:
    paper: str = "a4"
    large_print: bool = False
    client: bool = False  # leave out what is only for caseworkers
    organisation: str = ""
    contact: str = ""
    printed: _dt.date | None = None
    # Where the name and the contact details came from (settings' origins: organisation, own or
    # default), so the page can say whose details they are.
    organisation_from: str = "default"
    contact_from: str = "default"
    shared: bool = False  # a shared PC: no guide, or other version, written for caseworkers
    nation: str = ""  # the organisation's nation: a guide about another's law says so on page 1
    qr: bool = True  # a QR code of each source's address beside it (the handout.qr setting)

    @property
    def base_pt(self) -> int:
        return LARGE_PT if self.large_print else NORMAL_PT


def options_from_settings(current, paper: str | None = None, large_print: bool = False,
                          client: bool = False, qr_codes: bool | None = None) -> HandoutOptions:
    """Handout options: the paper, QR codes or not, the organisation's details and whether this is a
    shared PC from *current* (the Settings), unless given."""
    return HandoutOptions(
        paper=paper or current.get("handout.paper"), large_print=large_print, client=client,
        qr=current.get("handout.qr") if qr_codes is None else qr_codes,
        shared=current.shared_mode, nation=current.get("organisation.nation"),
        organisation=current.get("organisation.name"), contact=current.get("organisation.contact"),
        organisation_from=current.origin("organisation.name"), contact_from=current.origin("organisation.contact"),
    )


def details_note(options: HandoutOptions, lang: str = "en") -> str:
    """One line saying whose name and contact details the handout carries: the organisation's
    machine-wide settings, or the printing person's own (which a client can weigh accordingly)."""
    t = i18n.translator(lang).gettext
    origins = [origin for value, origin in ((options.organisation, options.organisation_from),
                                            (options.contact, options.contact_from))
               if value and origin in ("organisation", "own")]
    if not origins:
        return ""
    if set(origins) == {"organisation"}:
        return t("These details were set by the organisation for this computer.")
    if set(origins) == {"own"}:
        return t("These details were entered by the person who printed this.")
    if options.organisation_from == "organisation":
        return t("Name set by the organisation for this computer; contact details entered by the person who "
                 "printed this.")
    return t("Name entered by the person who printed this; contact details set by the organisation for this "
             "computer.")


def handout_language(guides: list[Guide]) -> str:
    """The language of a handout's own words: its guides' language if they share one with a catalog,
    else the interface's."""
    languages = {page_language(g) for g in guides}
    return languages.pop() if len(languages) == 1 else i18n.current_language()


def document_title(guides: list[Guide]) -> str:
    """The name a printed or saved handout carries: the guide's title, or one for several."""
    if len(guides) == 1:
        return guides[0].title
    return i18n.translator(handout_language(guides)).gettext("Your guides")


def strip_caseworker_sections(body_html: str) -> str:
    """Remove each section whose heading is marked caseworker-only, down to the next heading at its level or above."""
    out, position = [], 0
    skipping_level = None
    for match in _HEADING_RE.finditer(body_html):
        level = int(match.group(1))
        is_cw = 'class="caseworker"' in (match.group(2) or "")
        if skipping_level is not None:
            if level > skipping_level:
                continue
            position = match.start()
            skipping_level = None
        if is_cw:
            out.append(body_html[position:match.start()])
            skipping_level = level
    if skipping_level is None:
        out.append(body_html[position:])
    return "".join(out)


def printable_guides(guides: list[Guide], client: bool, shared: bool = False) -> list[Guide]:
    chosen = [g for g in guides if not ((client or shared) and g.audience == "caseworker")]
    if not chosen:
        raise CaseGuideError(_("nothing to print: the chosen guides are written for caseworkers, and the "
                               "client version leaves those out"))
    return chosen


def unbreakable(text: str) -> str:
    """*text* with the spaces inside UK postcodes and phone numbers made no-break spaces."""
    def glue(match: re.Match) -> str:
        return match.group(0).replace(" ", NBSP)

    return _PHONE_RE.sub(glue, _POSTCODE_RE.sub(glue, text))


def _organisation_block(options: HandoutOptions, printed: _dt.date, lang: str, rtl: bool = False) -> str:
    """The organisation's name and contact details and the date printed: one block, kept on one page,
    no line broken inside a postcode or a phone number."""
    lines = []
    if options.organisation:
        lines.append(f'<span class="org-name">{esc(unbreakable(options.organisation))}</span>')
    if options.contact:
        lines.append("<br/>".join(esc(unbreakable(line)) for line in options.contact.split("\n")))
    note = details_note(options, lang)
    if note:
        lines.append(f'<span class="org-note">{esc(note)}</span>')
    lines.append(esc(i18n.translator(lang).gettext("Printed {date}").format(date=format_date(printed, lang))))
    return app_text("<br/>".join(lines), rtl, "org", style=KEEP_STYLE.format(KEEP_TOGETHER))


def _guide_html(guide: Guide, library, options: HandoutOptions, printed: _dt.date, first: bool) -> str:
    rtl = guide.is_rtl
    lang = page_language(guide)
    t = i18n.translator(lang).gettext
    english = english_in_rtl(guide, lang)  # English words in a right-to-left guide: set left to right
    direction = ' dir="rtl"' if rtl else ""
    brk = "" if first else ' style="page-break-before: always"'
    body = render_body(guide, library, labels=not options.client)
    if options.client:
        body = strip_caseworker_sections(body)
    parts = [
        f'<div{brk}{direction} lang="{esc(guide.language)}">',
        _organisation_block(options, printed, lang, english),
        "<hr/>",
        f"<h1>{esc(guide.title)}</h1>",
        f'<p class="summary">{esc(guide.summary)}</p>',
        currency_box(guide, library, lang, english),
    ]
    note = other_nation_note(guide, options.nation, library, links=False, shared=options.shared) \
        if options.nation else ""
    if note:
        parts.append(box("box", note, english, padding=8))
    other_versions = also_in(guide, library, links=False, shared=options.shared)  # a client can ask for one
    if other_versions:
        parts.append(other_versions)
    if guide.is_overdue(printed):
        label = esc(t("Check for changes:"))
        parts.append(box("box", f"<b>{label}</b> {esc(overdue_notice(guide, lang))}", english, padding=8))
    parts.append(body)
    if guide.sources:
        parts.append(sources_html(guide, options.qr, lang))
    parts.append(app_text(esc(t("This is general information, not legal advice. Rules change: check the date "
                                "above, and get advice from a regulated adviser about your own situation.")),
                          english, "note", style=KEEP_STYLE.format(KEEP_TOGETHER)))
    parts.append("</div>")
    return keep_ltr_runs("\n".join(parts))  # numbers and addresses print as they read in `caseguide show`


def stylesheet(options: HandoutOptions) -> str:
    """The handout's type. Right-to-left text is never set in italics: Arabic script has no italic
    (the system's fonts have none, and the slanted face Qt falls back to, Amiri Slanted, leaves
    its words unreadable in the PDF's text layer), and a reader of it does not expect one."""
    pt = options.base_pt
    return f"""
body {{ font-size: {pt}pt; }}
h1 {{ font-size: {round(pt * 1.7)}pt; margin-top: 6pt; margin-bottom: 4pt; }}
h2 {{ font-size: {round(pt * 1.3)}pt; margin-top: 12pt; }}
h3 {{ font-size: {round(pt * 1.1)}pt; margin-top: 10pt; }}
p.summary {{ font-size: {round(pt * 1.15)}pt; }}
p.meta, p.org, p.note {{ color: #333333; }}
p.org {{ font-size: {max(pt - 1, 9)}pt; }}
span.org-name {{ font-weight: bold; font-size: {round(pt * 1.1)}pt; }}
span.org-note {{ font-style: italic; font-size: {max(pt - 2, 8)}pt; }}
span.url {{ font-family: monospace; font-size: {max(pt - 1, 9)}pt; }}
p.note {{ font-style: italic; margin-top: 12pt; }}
div[dir="rtl"] p.note, div[dir="rtl"] span.org-note {{ font-style: normal; }}
a {{ color: #000000; text-decoration: none; }}
td.cw, th {{ background-color: #eeeeee; }}
td.currency {{ background-color: #f4f4f4; }}
span.ask {{ font-size: {max(pt - 1, 9)}pt; color: #333333; }}
table.source {{ margin-top: {round(pt * 0.5)}pt; }}
td.source-number {{ font-weight: bold; }}
"""


def compose(guides: list[Guide], library, options: HandoutOptions) -> str:
    """The whole handout as HTML for QTextDocument: a contents list when there are several guides."""
    printed = options.printed or _dt.date.today()
    chosen = printable_guides(guides, options.client, options.shared)
    lang = handout_language(chosen)
    # The page footers ("Page 1 of 3") are painted around this HTML; they read its language here.
    parts = [f'<html><head><meta name="caseguide-language" content="{esc(lang)}"/>'
             f'<meta name="caseguide-qr-module-mm" content="{qr.module_mm(options.large_print):.2f}"/>'
             f'<style>{stylesheet(options)}</style></head><body>']
    if len(chosen) > 1:
        t = i18n.translator(lang).gettext
        direction = ' dir="rtl"' if i18n.is_rtl(lang) else ""
        parts.append(f'<div{direction} lang="{esc(lang)}">')
        parts.append(_organisation_block(options, printed, lang))
        parts.append("<hr/><h1>" + esc(t("Your guides")) + "</h1>"
                     "<p>" + esc(t("This pack holds these guides, each starting on a new page:")) + "</p><ol>")
        for g in chosen:  # the contents page is the handout's first: when to ask for a newer copy of each
            ask = t("Ask for a newer copy after {date}.").format(date=format_date(g.review_due, lang))
            parts.append(f'<li><span lang="{esc(g.language)}">{esc(g.title)}</span><br/>'
                         f'<span class="ask">{esc(ask)}</span></li>')
        parts.append("</ol></div>")
        parts += [_guide_html(g, library, options, printed, first=False) for g in chosen]
    else:
        parts.append(_guide_html(chosen[0], library, options, printed, first=True))
    parts.append("</body></html>")
    return "\n".join(parts)


_LANGUAGE_META_RE = re.compile(r'<meta name="caseguide-language" content="([A-Za-z_]{2,12})"')


def handout_html_language(html: str) -> str:
    """The language compose() wrote into a handout's HTML ("en" if none)."""
    match = _LANGUAGE_META_RE.search(html[:2000])
    return match.group(1) if match else "en"


_QR_MODULE_META_RE = re.compile(r'<meta name="caseguide-qr-module-mm" content="([0-9]{1,2}\.[0-9]{2})"')


def handout_qr_module_mm(html: str) -> float:
    """The size of a QR code's module that compose() wrote into a handout's HTML, in millimetres."""
    match = _QR_MODULE_META_RE.search(html[:2000])
    return min(max(float(match.group(1)), 0.3), 3.0) if match else qr.MODULE_MM


def footer_text(page: int, pages: int, lang: str = "en") -> str:
    return i18n.translator(lang).ngettext("Page {page} of {pages}", "Page {page} of {pages}", pages).format(
        page=page, pages=pages)
