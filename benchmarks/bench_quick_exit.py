"""Quick exit while the window is busy: what the watchdog costs and how fast it is.

    .venv/bin/python -m benchmarks.bench_quick_exit [--trials 10]

On a virtual X screen (Xvfb, xdotool): the watchdog's own start (to its "ready", wall and CPU time) and
resident memory; its CPU time over 10 s beside an idle window; and, over --trials, the time from the
last key (the third Shift, or the X of Ctrl+Shift+X, sent with xdotool) to every CaseGuide window off
the screen, while the window's thread runs Python. Not a test (tests/gui/test_quick_exit_busy.py
holds the 200 ms line); figures for the README. Start-up of the window itself: bench_startup --xcb.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from tests.gui.test_quick_exit_busy import HOLD, Window, reset, start_busy, tap, time_to_hidden, xdo  # noqa: E402
from tests.xvfb import virtual_screen  # noqa: E402


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def own_start(display: str, runs: int = 9) -> dict:
    """The watchdog alone, as the window starts it: wall time to "ready", CPU, memory once ready."""
    env = {**os.environ, "DISPLAY": display, "PYTHONPATH": str(REPO)}
    walls, cpus, rss = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-S", "-m", "caseguide.session.watchdog"], env=env,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline().startswith("ready")
        walls.append(time.perf_counter() - started)
        cpus.append(cpu_seconds(child.pid))
        rss.append(rss_mb(child.pid))
        child.stdin.close()
        child.wait(10)
        child.stdout.close()
    return {"start_ms": round(statistics.median(walls) * 1000, 1), "start_cpu_ms": round(statistics.median(cpus) * 1000),
            "rss_mb": round(statistics.median(rss), 1)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="caseguide-quickexit-") as base, virtual_screen() as display:
        os.environ["CASEGUIDE_BASEDIR"] = base
        report = own_start(display)
        window = Window(display)
        try:
            main_id, watchdog = window.answer("ready")
            pid = window.state()["watchdog"]
            report["rss_beside_window_mb"] = round(rss_mb(pid), 1)
            before = cpu_seconds(pid)
            time.sleep(10)  # the window idle, beating every 50 ms
            report["idle_cpu_percent"] = round((cpu_seconds(pid) - before) / 10 * 100, 2)
            window.ask("open", "opened")  # a session to reset
            times = {"shift x3": [], "ctrl+shift+x": []}
            for trial in range(args.trials):
                for gesture in times:
                    dialog = window.ask("dialog", "dialog")[0]
                    xdo(display, "windowfocus", "--sync", dialog)
                    start_busy(window, "block 3")
                    before = cpu_seconds(pid)
                    if gesture == "shift x3":
                        tap(display, "shift")
                        tap(display, "shift")
                        pressed, hidden = time_to_hidden(window, lambda: xdo(display, "keydown", "shift"))
                        xdo(display, "keyup", "shift")
                    else:
                        xdo(display, "keydown", "ctrl", "keydown", "shift")
                        time.sleep(HOLD)
                        pressed, hidden = time_to_hidden(window, lambda: xdo(display, "keydown", "x"))
                        xdo(display, "keyup", "x", "keyup", "shift", "keyup", "ctrl")
                    times[gesture].append(hidden - pressed)
                    window.answer("free")
                    report.setdefault("watching_cpu_s", []).append(cpu_seconds(pid) - before)
                    reset(window)
                    window.ask("show", "shown")
                    window.ask("open", "opened")
            for gesture, seconds in times.items():
                report[f"{gesture} ms (median, worst)"] = (round(statistics.median(seconds) * 1000),
                                                          round(max(seconds) * 1000))
            watching = report.pop("watching_cpu_s")
            report["cpu_while_watching_ms_per_busy_spell"] = round(statistics.median(watching) * 1000)
        finally:
            window.close()
    for key, value in report.items():
        print(f"{key:>40}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
