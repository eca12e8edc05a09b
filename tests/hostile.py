"""Helpers for the hostile-input tests: run something that might hang, with a bound."""

from __future__ import annotations

import os
import threading

import pytest

# FIFOs and devices such as /dev/zero are POSIX: Windows has neither in its file system.
no_fifos = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev/zero are POSIX: Windows has "
                                                              "neither in its file system")


def finishes(function, seconds: float = 20.0):
    """*function()*'s result, run on a thread; AssertionError if it is still running after *seconds*
    (the thread is left behind, as a daemon: a hang is what the test is there to catch)."""
    outcome = {}

    def run():
        try:
            outcome["value"] = function()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise AssertionError(f"still running after {seconds} s: it hangs")
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def release_fifo(path) -> None:
    """Open a FIFO's writing end for a moment, so a reader stuck on it (old code) is let go."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
    except OSError:
        pass
