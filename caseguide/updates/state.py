"""The record of the last update from a feed (``updates/state.json`` in each scope), and what the
window says about it: when the library was last brought up to date from its feed, by which
publisher, and a warning once that is older than ``updates.warn_after_days``.

Qt-free, TUF-free and network-free: the window calls :func:`describe_last_update` at start-up
and gets words or None. Nothing here says what anyone searched or read.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
from dataclasses import dataclass, field

from ..errors import CaseGuideError
from ..i18n import _, ngettext
from ..limits import parse_json
from .store import UpdateStore

log = logging.getLogger(__name__)
FORMAT = 1


@dataclass
class LastUpdate:
    scope: str  # system | user
    source: str = ""
    publisher: str = ""
    checked: _dt.datetime | None = None  # the last time the library was found current with the feed
    changed: _dt.datetime | None = None  # the last time an update changed the library
    packs: dict[str, str] = field(default_factory=dict)  # pack id -> version, installed from the feed
    problem: str = ""  # why the last try failed, if it did
    problem_at: _dt.datetime | None = None

    def to_json(self) -> bytes:
        data = {"format": FORMAT, "source": self.source, "publisher": self.publisher,
                "checked": _iso(self.checked), "changed": _iso(self.changed), "packs": self.packs,
                "problem": self.problem, "problem_at": _iso(self.problem_at)}
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes, scope: str) -> LastUpdate:
        data = parse_json(raw, "the record of the last update")
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise CaseGuideError("the record of the last update is not one this CaseGuide reads")
        packs = data.get("packs") if isinstance(data.get("packs"), dict) else {}
        return cls(scope, _text(data.get("source")), _text(data.get("publisher")), _when(data.get("checked")),
                   _when(data.get("changed")),
                   {str(k): str(v) for k, v in packs.items() if isinstance(k, str) and isinstance(v, str)},
                   _text(data.get("problem"), 1000), _when(data.get("problem_at")))


def _iso(when: _dt.datetime | None) -> str | None:
    return when.astimezone(_dt.timezone.utc).replace(microsecond=0).isoformat() if when else None


def _when(value) -> _dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = _dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=_dt.timezone.utc)


def _text(value, most: int = 300) -> str:
    from ..display import clean_text
    return clean_text(value)[:most] if isinstance(value, str) else ""


def read_state(system: bool) -> LastUpdate | None:
    """The scope's record, or None if it has none (or one that cannot be trusted: logged)."""
    store = UpdateStore(system)
    scope = "system" if system else "user"
    try:
        raw = store.read("state.json")
        return LastUpdate.from_json(raw, scope) if raw is not None else None
    except CaseGuideError as exc:
        log.warning("the record of the last update is not used: %s", exc)
        return None


def write_state(store: UpdateStore, state: LastUpdate) -> None:
    store.write("state.json", state.to_json())


@dataclass(frozen=True)
class UpdateNotice:
    """What the window shows about updates: one or two sentences, and whether to warn."""
    text: str
    stale: bool
    last: LastUpdate


def describe_last_update(settings, today: _dt.date | _dt.datetime | None = None) -> UpdateNotice | None:
    """When the library was last updated from its feed and by which publisher, with a warning once
    that is more than ``updates.warn_after_days`` days ago (or if it never was, after a try).
    None if no feed was ever used here. On a shared PC only the machine-wide record counts."""
    records = [r for r in (read_state(True), None if settings.shared_mode else read_state(False)) if r]
    if not records:
        return None
    today = today or _dt.datetime.now(_dt.timezone.utc)
    day = today.date() if isinstance(today, _dt.datetime) else today
    checked = [r for r in records if r.checked]
    if not checked:
        last = max(records, key=lambda r: r.problem_at or _dt.datetime.min.replace(tzinfo=_dt.timezone.utc))
        return UpdateNotice(_("The guides have not been updated from the organisation's feed yet. Ask a member "
                              "of staff to check the updates."), True, last)
    last = max(checked, key=lambda r: r.checked)
    from ..guides.render import format_date
    from ..i18n import current_language

    when = format_date(last.checked.date(), current_language() or "en")
    if last.publisher:
        text = _("Guides last updated from {publisher}'s feed on {date}.").format(publisher=last.publisher, date=when)
    else:
        text = _("Guides last updated from the organisation's feed on {date}.").format(date=when)
    days = (day - last.checked.date()).days
    limit = settings.get("updates.warn_after_days")
    stale = days > limit
    if stale:
        text += " " + ngettext("That was {n} day ago: ask a member of staff to check the updates.",
                               "That was {n} days ago: ask a member of staff to check the updates.", days).format(n=days)
    return UpdateNotice(text, stale, last)
