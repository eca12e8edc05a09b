"""Two updates at once (a scheduled task and a member of staff): the second waits for the first."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from caseguide.library import Library
from caseguide.updates.state import read_state

from ..conftest import REPO


def _caseguide(*args):
    return subprocess.Popen([sys.executable, "-m", "caseguide", *map(str, args)], cwd=REPO, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(condition, what: str, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def _waiting_on_a_lock(pid: int) -> bool:
    """True once *pid* waits for a lock another process holds (Linux: a '->' line in /proc/locks)."""
    try:
        return any("->" in line and f" {pid} " in line for line in Path("/proc/locks").read_text().splitlines())
    except OSError:
        return True


@pytest.mark.slow
def test_two_updates_at_once(feed, http_server):
    release = threading.Event()

    def held(handler):  # the first update's pack download waits here, holding the update lock
        release.wait(60)
        handler.server.tricks.pop(".extra.cgpack", None)
        return http_server.httpd.RequestHandlerClass.func.do_GET(handler)

    http_server.tricks[".extra.cgpack"] = held
    first = _caseguide("update", "--from", http_server.url, "--root", feed.root_file)
    _wait_for(lambda: any(p.endswith(".extra.cgpack") for p in http_server.requests), "the first download")
    second = _caseguide("update", "--from", http_server.url, "--root", feed.root_file)
    if sys.platform.startswith("linux"):
        _wait_for(lambda: _waiting_on_a_lock(second.pid), "the second update to wait for the lock")
    release.set()
    out1, err1 = first.communicate(timeout=120)
    out2, err2 = second.communicate(timeout=120)
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    assert "Installed for you: extra 1.0.0" in out1
    assert "up to date" in out2 and "Installed" not in out2  # it ran after the first, and found it done
    assert Library.discover().pack("extra").version == "1.0.0"
    assert read_state(False).packs == {"extra": "1.0.0"}
