"""What a person reads when TUF refuses a feed: what happened, that nothing was changed, what to do.

TUF's own exceptions say which rule was broken in its terms ("timestamp was signed by 0/1 keys");
these say it as staff can act on it, with TUF's words kept at the end for whoever debugs the feed.
"""

from __future__ import annotations

import datetime as _dt
import json
import re

from tuf.api import exceptions

from . import FeedError
from .fetch import Source

KEPT = "Nothing was installed or changed; the library is kept as it is."


def explain(exc: Exception, source: Source, last_checked: _dt.datetime | None, bodies: dict[str, bytes]) -> FeedError:
    detail = f" (TUF: {exc})" if str(exc) else ""
    where = source.text
    if isinstance(exc, exceptions.ExpiredMetadataError):
        role = _role(str(exc)) or "timestamp"
        expired = _expiry(bodies.get(f"{role}.json"))
        when = ""
        if expired:
            days = (_dt.datetime.now(_dt.timezone.utc) - expired).days
            when = f" on {expired:%Y-%m-%d} ({_ago(days)})"
        return FeedError(
            f"the feed at {where} is out of date: its signed {role} information expired{when}. Either the "
            "publisher has not re-signed it in time (they run 'caseguide feed publish'), or someone is showing "
            f"this PC an old copy to keep updates from it (a freeze attack). {KEPT} {_last(last_checked)}"
            f"Ask the publisher for a current feed (on a USB stick: a fresh copy).{detail}")
    if isinstance(exc, exceptions.BadVersionNumberError):
        return FeedError(
            f"the feed at {where} offered older update information than this PC already trusts: an old copy "
            "of the feed, or a replay meant to roll the guides back (a rollback attack). "
            f"{KEPT} If the publisher really started the feed again from scratch, staff set it up again with "
            f"--root and the new root.json.{detail}")
    if isinstance(exc, exceptions.UnsignedMetadataError):
        return FeedError(
            f"the feed at {where} is not signed by the keys this PC trusts for it (wrong keys): it may have been "
            "tampered with, or it is another publisher's feed, or the publisher changed keys without rotating "
            f"them ('caseguide feed rotate'). {KEPT}{detail}")
    if isinstance(exc, exceptions.LengthOrHashMismatchError):
        return FeedError(
            f"a file from the feed at {where} is not the one its signed metadata describes (its length or hash "
            f"differs): it was changed or damaged on the way. {KEPT} Try again; if it keeps happening, tell the "
            f"publisher.{detail}")
    if isinstance(exc, exceptions.DownloadLengthMismatchError):
        return FeedError(
            f"the feed at {where} sent more than its signed metadata allows for one file, so CaseGuide stopped "
            f"reading: the file was changed after it was signed, or the server sends without end. {KEPT}{detail}")
    if isinstance(exc, exceptions.SlowRetrievalError):
        return FeedError(
            f"the feed at {where} stopped sending, or sent too slowly, so CaseGuide gave up. {KEPT} Try again "
            f"later, or from another copy of the feed (a USB stick).{detail}")
    if isinstance(exc, exceptions.DownloadHTTPError) and exc.status_code in (403, 404, 410):
        return FeedError(
            f"{where} is not a CaseGuide feed, or not all of one: it has no {_missing(str(exc))}. Check the "
            f"address or folder: it is the folder that holds metadata/ and targets/ (the publisher's "
            f"'publish' folder). {KEPT}")
    if isinstance(exc, exceptions.DownloadError):
        cause = exc.__cause__ if isinstance(exc.__cause__, exceptions.DownloadError) else exc
        return FeedError(f"the feed at {where} cannot be read: {cause}. Check the connection (or that the USB "
                         f"stick or share is there) and try again. {KEPT}")
    if isinstance(exc, exceptions.RepositoryError):
        return FeedError(f"what {where} sent is not a valid CaseGuide feed{detail}. Check the address or folder; "
                         f"if it is right, tell the publisher. {KEPT}")
    raise exc


def _role(text: str) -> str | None:
    match = re.search(r"\b(root|timestamp|snapshot|targets)\b", text)
    return match.group(1) if match else None


def _expiry(body: bytes | None) -> _dt.datetime | None:
    try:
        value = json.loads(body)["signed"]["expires"]
        return _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (TypeError, ValueError, KeyError, AttributeError):
        return None


def _ago(days: int) -> str:
    return "today" if days <= 0 else f"{days} day{'s' if days != 1 else ''} ago"


def _last(checked: _dt.datetime | None) -> str:
    if checked is None:
        return "It has never been updated from this feed. "
    days = (_dt.datetime.now(_dt.timezone.utc) - checked).days
    return f"It was last updated from this feed on {checked:%Y-%m-%d} ({_ago(days)}). "


def _missing(text: str) -> str:
    match = re.search(r"(metadata/[^ ]+|targets/[^ ]+)", text.replace("\\", "/"))
    return match.group(1).rsplit(" ", 1)[0] if match else "metadata/timestamp.json"
