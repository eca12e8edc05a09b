"""A hostile or broken server: sends without end, stalls, drips, cuts a download off. Short limits,
no fixed sleeps: a stalled handler waits on an event that the fixture sets when the test ends."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseguide.library import Library
from caseguide.updates import FeedError
from caseguide.updates.fetch import Limits
from caseguide.updates.store import UpdateStore

from ..packs.helpers import library_state
from .conftest import FAST, run_update

MAX_ENDLESS = 64 * 1024 * 1024  # the endless server gives up by itself after this much


def _headers(handler, length=None):
    handler.send_response(200)
    if length is not None:
        handler.send_header("Content-Length", str(length))
    handler.end_headers()


def endless(handler):
    _headers(handler)
    sent = 0
    try:
        while sent < MAX_ENDLESS and not handler.server.stop.is_set():
            handler.wfile.write(b"x" * 65536)
            sent += 65536
    except OSError:
        pass  # the client hung up: what it should do


def stall(handler):
    _headers(handler, 1000)
    handler.wfile.write(b"{")
    handler.wfile.flush()
    handler.server.stop.wait(60)  # until the test is over


def drip(handler):
    _headers(handler, 100_000)
    try:
        for _ in range(100_000):
            if handler.server.stop.wait(0.02):  # the server's pace, not the test waiting
                return
            handler.wfile.write(b" ")
            handler.wfile.flush()
    except OSError:
        pass


def cut_off(handler):
    """Says how long the file is, sends half of it, and closes the connection."""
    path = handler.translate_path(handler.path)
    data = Path(path).read_bytes()
    _headers(handler, len(data))
    handler.wfile.write(data[: len(data) // 2])
    handler.wfile.flush()
    handler.close_connection = True


@pytest.fixture
def updated(feed, http_server):
    run_update(http_server.url, feed.root_file)
    feed.add("extra", "1.1.0")
    return http_server


def _refused_unchanged(match, limits=FAST):
    before = library_state(), UpdateStore(False).trusted_metadata()
    with pytest.raises(FeedError, match=match):
        run_update(limits=limits)
    assert (library_state(), UpdateStore(False).trusted_metadata()) == before


def test_a_server_that_sends_metadata_without_end_is_stopped(updated):
    updated.tricks["/timestamp.json"] = endless
    _refused_unchanged("sent more than its signed metadata allows")


def test_a_server_that_sends_a_pack_without_end_is_stopped(updated):
    updated.tricks[".extra.cgpack"] = endless
    _refused_unchanged("sent more than its signed metadata allows")


def test_a_server_that_stalls_is_given_up_on(updated):
    updated.tricks["/timestamp.json"] = stall
    _refused_unchanged("stopped sending, or sent too slowly")


def test_a_server_that_drips_a_byte_at_a_time_is_given_up_on(updated):
    updated.tricks[".extra.cgpack"] = drip
    _refused_unchanged("stopped sending, or sent too slowly",
                       Limits(connect_seconds=5, gap_seconds=5, grace_seconds=0.3, min_rate=1000))


def test_an_interrupted_download_changes_nothing_and_the_next_one_completes(updated):
    updated.tricks[".extra.cgpack"] = cut_off
    _refused_unchanged("cut off|cannot be read|length or hash")
    updated.tricks.clear()
    result = run_update()
    assert [c.version for c in result.changes] == ["1.1.0"]
    assert Library.discover().pack("extra").version == "1.1.0"


def test_a_server_that_is_not_there(feed, http_server):
    url = http_server.url
    http_server.httpd.shutdown()
    http_server.httpd.server_close()  # nothing listens on the port any more
    with pytest.raises(FeedError, match="cannot be read"):
        run_update(url, feed.root_file, limits=Limits(connect_seconds=2, gap_seconds=2))


def test_a_proxy_is_used_for_the_feed_but_never_for_this_machine(feed, http_server, monkeypatch):
    from caseguide.updates.fetch import FeedFetcher
    monkeypatch.setenv("https_proxy", "http://proxy.invalid:3128")
    monkeypatch.setenv("http_proxy", "http://proxy.invalid:3128")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    fetcher = FeedFetcher(FAST)
    try:
        assert type(fetcher._manager("https://guides.example.org/feed/")).__name__ == "ProxyManager"
        assert type(fetcher._manager(http_server.url)).__name__ == "PoolManager"
    finally:
        fetcher.close()
    assert run_update(http_server.url, feed.root_file).changes  # straight to 127.0.0.1, proxy or not
