"""A private virtual X screen for the real-window tests, the soak benchmark and the installer's smoke test.

Xvfb picks a free display number itself (-displayfd) and says which, so several test runs, builds or
helpers on one machine never end up sharing (and killing) each other's screen.
"""

from __future__ import annotations

import contextlib
import os
import select
import subprocess


@contextlib.contextmanager
def virtual_screen(size: str = "1366x768x24", timeout: float = 20.0):
    """Yield the DISPLAY (":N") of a new Xvfb server, stopped afterwards."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", size, "-nolisten", "tcp"],
                              pass_fds=(write_end,), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    os.close(write_end)
    try:
        ready, _, _ = select.select([read_end], [], [], timeout)
        number = os.read(read_end, 32).decode().strip() if ready else ""
        if not number.isdigit():
            raise RuntimeError("Xvfb did not start")
        yield f":{number}"
    finally:
        os.close(read_end)
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
