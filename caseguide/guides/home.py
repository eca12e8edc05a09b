"""The start page: what CaseGuide is, how to leave quickly, a caseworker's shelf, and the guides of
each kind. In the interface's language (a guide's page and handout speak the guide's: see render)."""

from __future__ import annotations

import datetime as _dt

from .. import i18n
from ..i18n import N_, _, ngettext
from .model import KIND_LABELS, KINDS
from .markup import esc
from .render import box, format_date

HOME_INTRO = {
    "rights": N_("What the law says you can do: see a GP, get urgent care, see your Home Office file, and "
                 "find advice you can trust."),
    "walkthrough": N_("Step by step: lock down the apps and phones clients use, and stay safe on a shared "
                      "computer."),
    "explainer": N_("How data about migrants moves between the NHS, the Home Office, landlords, employers and "
                    "banks, and what has changed."),
}


def quick_exit_note() -> str:
    return _("<b>Quick exit:</b> press <b>Shift three times</b>, or the Quick exit button, and CaseGuide "
             "disappears at once and forgets what was on screen. It cannot erase what the computer or other "
             "programs may record, such as a list of recently used programs.")


def shared_note() -> str:
    return _("<b>This is a shared computer.</b> Nothing you search or read here is kept. When you finish, "
             "press <b>End session</b>; CaseGuide also starts afresh by itself after a few minutes without use. "
             "The guides and settings here are managed by the organisation that runs this computer: ask a "
             "member of staff about them.")


def shelf_sections(pinned=(), changed=()) -> list[str]:
    """A caseworker's own part of the home page: *pinned* guides (each with an unpin link) and the
    guides *changed* since they last looked, as (guide, "added" or "updated") pairs."""
    parts = []
    if pinned:
        heading, unpin = esc(_("Pinned guides")), esc(_("unpin"))
        parts.append(f"<h2>{heading}</h2><ul>")
        parts += [f'<li><a href="guide:{g.id}">{esc(g.title)}</a> '
                  f'<small>(<a href="shelf:unpin/{g.id}">{unpin}</a>)</small></li>' for g in pinned]
        parts.append("</ul>")
    if changed:
        heading = esc(_("Changed since you last looked"))
        parts.append(f"<h2>{heading}</h2><ul>")
        lang = i18n.current_language()
        for guide, how in changed:
            what = _("new") if how == "added" else _("updated, reviewed {date}").format(
                date=format_date(guide.reviewed, lang))
            parts.append(f'<li><a href="guide:{guide.id}">{esc(guide.title)}</a> <i>({esc(what)})</i></li>')
        clear, note = esc(_("Clear this list")), esc(_("(opening a guide takes it off)."))
        parts.append(f'</ul><p><a href="shelf:dismiss">{clear}</a> {note}</p>')
    return parts


# The home page lists this many guides of each kind: a page of 2,000 links took a fifth of a second
# to lay out, on the window's own thread, and helps nobody find one.
HOME_LIST_MAX = 30


def home_page(library, today: _dt.date | None = None, shared: bool = False, pinned=(), changed=(),
              nation: str = "", updated: tuple[str, bool] | None = None) -> str:
    """The start page, in the interface's language: what CaseGuide is, how to leave quickly, a
    caseworker's pinned and changed guides (see shelf_sections; never on a shared PC), and the three
    sections with their guides (HOME_LIST_MAX of each at most); with *library* None, the guides are
    still being listed (the window's first paint)."""
    code = i18n.current_language()
    direction = ' dir="rtl"' if i18n.is_rtl(code) else ""
    about = _("Guides on data rights, privacy and immigration data sharing in the UK, for people supporting "
              "migrants. Everything works offline.")
    how = _("Use the search box (Ctrl+F) or choose a guide below. Guides give information, not legal advice.")
    language = _("Language: {name}").format(name=i18n.native_name(code))
    parts = [
        f'<div{direction} lang="{esc(code)}">',
        "<h1>CaseGuide</h1>",
        f'<p class="summary">{esc(about)}</p>',
        f'<p class="meta">{esc(how)}</p>',
        f'<p><a href="app:language">{esc(language)}</a></p>',
    ]
    if updated is not None:  # (when the guides were last updated from the organisation's feed, whether to warn)
        text, stale = updated
        parts.append(box("warning", f"<b>&#9888;</b> {esc(text)}") if stale else f'<p class="meta">{esc(text)}</p>')
    if shared:
        parts.append(box("notice", shared_note()))
    parts.append(f"<p>{quick_exit_note()}</p>")
    if library is None:
        parts.append("<p><i>" + esc(_("Listing the guides…")) + "</i></p></div>")
        return "\n".join(parts)
    if not shared:
        parts += shelf_sections(pinned, changed)
    by_kind = {kind: [] for kind in KINDS}
    for guide in library.listed(shared):
        by_kind[guide.kind].append(guide)
    for kind in KINDS:
        # The centre's nation's guides (and UK-wide ones) first: a guide about another nation's law
        # is still listed, as clients move and caseworkers advise across borders.
        guides = sorted(by_kind[kind], key=lambda g: (not g.covers(nation), g.title.lower()))
        # The heading says how many guides the section holds (as the library list does): a screen reader
        # moving by heading hears "Know your rights (18 guides)".
        count = ngettext("({n} guide)", "({n} guides)", len(guides)).format(n=f"{len(guides):,}")
        parts.append(f"<h2>{esc(_(KIND_LABELS[kind]))} <small>{esc(count)}</small></h2>"
                     f"<p>{esc(_(HOME_INTRO[kind]))}</p>")
        if not guides:
            parts.append("<p><i>" + esc(_("No guides of this kind are installed.")) + "</i></p>")
            continue
        parts.append("<ul>")
        for guide in guides[:HOME_LIST_MAX]:
            flag = " &#9888; <i>" + esc(_("review overdue")) + "</i>" if guide.is_overdue(today) else ""
            direction = ' dir="rtl"' if guide.is_rtl else ""
            parts.append(f'<li><a href="guide:{guide.id}"><span lang="{esc(guide.language)}"{direction}>'
                         f"{esc(guide.title)}</span></a>{flag}</li>")
        parts.append("</ul>")
        if len(guides) > HOME_LIST_MAX:
            more = len(guides) - HOME_LIST_MAX
            parts.append("<p><i>" + esc(ngettext(
                "And {n} more: the library list beside this page holds them all, and search finds them.",
                "And {n} more: the library list beside this page holds them all, and search finds them.",
                more).format(n=f"{more:,}")) + "</i></p>")
    parts.append("</div>")
    return "\n".join(parts)
