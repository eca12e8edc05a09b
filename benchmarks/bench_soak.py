"""A day at a busy advice desk in one window: does CaseGuide stay up, and does its memory stay flat?

    .venv/bin/python -m benchmarks.bench_soak [--searches 5000] [--opens 1000] [--previews 50] [--resets 20]

Runs tests/gui/soak_driver.py (the real window, opened as `caseguide` opens it, driven by key
presses) in private folders, in a real X window when Xvfb is installed (offscreen otherwise), and
prints the resident memory at the start and the end. Not a test: the suite's tests/gui/test_soak.py
runs a shorter soak that must pass; this one gives the figures for the README.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from tests.xvfb import virtual_screen  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--searches", type=int, default=5000)
    parser.add_argument("--opens", type=int, default=1000)
    parser.add_argument("--previews", type=int, default=50)
    parser.add_argument("--resets", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="caseguide-soak-") as tmp:
        env = {**os.environ, "CASEGUIDE_BASEDIR": tmp, "PYTHONPATH": str(REPO)}
        with contextlib.ExitStack() as stack:
            if shutil.which("Xvfb"):
                env.update(DISPLAY=stack.enter_context(virtual_screen()), QT_QPA_PLATFORM="xcb")
            else:
                env["QT_QPA_PLATFORM"] = "offscreen"
            result = subprocess.run(
                [sys.executable, str(REPO / "tests" / "gui" / "soak_driver.py"), "--json",
                 "--searches", str(args.searches), "--open-every", str(max(args.searches // max(args.opens, 1), 1)),
                 "--previews", str(args.previews), "--resets", str(args.resets), "--timeout", "60"],
                capture_output=True, text=True, env=env, stdin=subprocess.PIPE)
    if result.returncode != 0:
        print(f"the window died (exit {result.returncode}):\n{result.stderr[-3000:]}", file=sys.stderr)
        return 1
    report = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"{report['searches']} searches, {report['opened']} guides opened, {report['previews']} print "
          f"previews, {report['resets']} session resets in {report['seconds']} s "
          f"({'X window' if env['QT_QPA_PLATFORM'] == 'xcb' else 'offscreen'}; PySide6 {report['qt']}, Python {report['python']})")
    print(f"resident memory: {report['rss_start_mb']} MB at the start, {report['rss_end_mb']} MB at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
