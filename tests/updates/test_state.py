"""What the window can say about updates: when, by whom, and a warning once it is too long ago."""

from __future__ import annotations

import datetime as _dt
import os

import pytest

from caseguide import settings
from caseguide.settings import Settings
from caseguide.updates.state import LastUpdate, describe_last_update, read_state, write_state
from caseguide.updates.store import UpdateStore

from .conftest import run_update

NOW = _dt.datetime(2026, 12, 7, 12, 0, tzinfo=_dt.timezone.utc)


def _record(system=False, days_ago=0, publisher="Hope Network", problem=""):
    checked = NOW - _dt.timedelta(days=days_ago) if days_ago is not None else None
    write_state(UpdateStore(system), LastUpdate("system" if system else "user", "https://feed.example/",
                                                publisher, checked, checked, {"extra": "1.0.0"}, problem,
                                                NOW if problem else None))


def test_nothing_to_say_without_a_feed():
    assert describe_last_update(Settings(), NOW) is None


def test_a_recent_update_names_the_publisher_and_the_day():
    _record(days_ago=2)
    notice = describe_last_update(Settings(), NOW)
    assert notice.text == "Guides last updated from Hope Network's feed on 5 December 2026."
    assert not notice.stale


def test_an_old_update_warns_after_the_set_number_of_days():
    _record(days_ago=31)
    notice = describe_last_update(Settings(), NOW)
    assert notice.stale and "That was 31 days ago: ask a member of staff" in notice.text
    settings.set_value("updates.warn_after_days", 45)
    assert not describe_last_update(Settings(), NOW).stale


def test_a_feed_that_never_worked_warns():
    _record(days_ago=None, problem="the feed cannot be read")
    notice = describe_last_update(Settings(), NOW)
    assert notice.stale and "have not been updated" in notice.text


def test_a_shared_pc_reads_only_the_machine_wide_record():
    _record(days_ago=1)  # a visitor's (or anyone's) own record
    settings.set_value("shared.enabled", True, system=True)
    assert describe_last_update(Settings(), NOW) is None
    _record(system=True, days_ago=40, publisher="Network")
    notice = describe_last_update(Settings(), NOW)
    assert notice.last.scope == "system" and notice.stale


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes; Windows access lists are checked by winsec")
def test_a_record_in_a_folder_others_can_write_is_not_trusted():
    _record(days_ago=1)
    os.chmod(UpdateStore(False).root, 0o777)
    assert read_state(False) is None
    assert describe_last_update(Settings(), NOW) is None


def test_the_window_can_describe_a_real_update(feed, source):
    run_update(source, feed.root_file)
    notice = describe_last_update(Settings())
    assert "Hope Network" in notice.text and not notice.stale


def test_describing_imports_neither_tuf_nor_the_network():
    import subprocess
    import sys
    code = ("import sys, caseguide.updates.state as s; from caseguide.settings import Settings; "
            "s.describe_last_update(Settings()); "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('tuf', 'urllib3', 'securesystemslib', 'socket', "
            "'http', 'PySide6')]; print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, stdin=subprocess.PIPE)
    assert done.returncode == 0, done.stdout + done.stderr
