"""The window says when the guides were last updated from the organisation's feed, and by which
publisher, and warns once that is longer ago than updates.warn_after_days (issue 25)."""

import datetime as _dt

import pytest

from caseguide import settings
from caseguide.updates.state import LastUpdate, write_state
from caseguide.updates.store import UpdateStore

pytestmark = pytest.mark.gui


def updated_days_ago(days: int) -> None:
    when = _dt.datetime.now(_dt.timezone.utc) - _dt.timedelta(days=days)
    write_state(UpdateStore(True), LastUpdate("system", "https://guides.example.org/feed/", "Hope Network", when, when))


def test_a_recent_update_is_named_on_the_home_page(open_window, gui_library):
    updated_days_ago(2)
    window = open_window(gui_library)
    home = window.view.toPlainText()
    assert "Guides last updated from Hope Network's feed on" in home and "ask a member of staff" not in home


def test_an_old_update_is_warned_about(open_window, gui_library):
    settings.set_value("updates.warn_after_days", "10", system=True)
    updated_days_ago(40)
    window = open_window(gui_library)
    home = window.view.toPlainText()
    assert "That was 40 days ago: ask a member of staff to check the updates." in home
    assert "40 days ago" in window.statusBar().currentMessage()


def test_no_feed_no_word_about_one(open_window, gui_library):
    window = open_window(gui_library)
    assert "feed" not in window.view.toPlainText()
