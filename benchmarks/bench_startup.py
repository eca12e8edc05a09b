"""Start-up against library size: a bare PySide6 window, CaseGuide with the bundled library, and
CaseGuide with 500 and 2,000 more guides installed as a signed pack. Not a test: figures for the README.

    .venv/bin/python -m benchmarks.bench_startup [--runs 9] [--extra 500 2000] [--kiwix]

Each run is a new process, timed from just before it is started (so Python's own start counts, the
same for every row) to:
- *painted*: the main window's first paint, offscreen (what the 1.5x target is about);
- *listed*: the library's tree, counts and home page lists on screen (CaseGuide only);
- *search ready*: the index open, searches answered (CaseGuide only);
and the process's CPU time at the first paint (nothing else runs before it), which a busy
machine disturbs less than the wall-clock times.
Runs of the bare window and of CaseGuide alternate, so a busy machine slows both alike; medians.

With --kiwix (and Kiwix Desktop, Debian's `kiwix`, and Xvfb and xdotool installed), the same bare
window, CaseGuide and Kiwix Desktop are also started on a virtual X screen and timed from start to
their window being mapped (xdotool search, asked every 10 ms), the one measure that works for all three.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import vocabulary, write_library

REPO = Path(__file__).resolve().parent.parent

CHILD = r'''
import json, os, sys, time
started = float(sys.argv[1])
marks = {}
def mark(name):
    if name not in marks:
        marks[name] = time.time() - started
        marks[name + "_cpu"] = time.process_time()
from PySide6.QtCore import QEvent, QObject
class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and type(obj).__name__ in ("QMainWindow", "MainWindow"):
            mark("painted")
            if sys.argv[2] == "bare":
                done()
        return False
def done():
    print(json.dumps(marks), flush=True)
    os._exit(0)
if sys.argv[2] == "bare":
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
    app = QApplication([])
    painted = Painted(); app.installEventFilter(painted)
    window = QMainWindow(); window.setWindowTitle("Bare PySide6"); window.setCentralWidget(QLabel("Hello"))
    window.resize(1200, 800); window.show()
else:
    from caseguide.gui.app import application, open_window
    app = application()
    painted = Painted(); app.installEventFilter(painted)
    app, window, instance = open_window()
    window.libraryShown.connect(lambda: mark("listed"))
    def ready():
        mark("search_ready")
        if "listed" in marks:
            done()
    window.searchReady.connect(ready)
    window.libraryShown.connect(lambda: "search_ready" in marks and done())
app.exec()
'''


def run_child(kind: str, env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, repr(time.time()), kind], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=300)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"{kind} printed nothing: {out.stderr[-2000:]}")
    return json.loads(lines[-1])


def caseguide(env: dict, *args: str, stdin: str | None = None) -> None:
    subprocess.run([sys.executable, "-m", "caseguide", *args], cwd=REPO, env=env, check=True,
                   capture_output=True, text=True, input=stdin)


def scenario(base: Path, extra: int, vocab) -> dict:
    """A private CaseGuide home with *extra* synthetic guides installed as one signed pack, its
    indexes (and catalogues) built, as they are after the first start (kept from an earlier run
    with --reuse)."""
    env = {**os.environ, "CASEGUIDE_BASEDIR": str(base), "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO),
           # Compiled once and kept, as an installed copy's are: with PYTHONDONTWRITEBYTECODE set (it
           # is on some machines) every start would compile CaseGuide's 60 modules again, 40 ms or so.
           "PYTHONPYCACHEPREFIX": str(base.parent / "pycache")}
    env.pop("CASEGUIDE_KEY_PASSWORD", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not base.exists():
        base.mkdir(parents=True)
        install_synthetic(base, extra, vocab, env)
    caseguide(env, "index")
    run_child("caseguide", env)  # a first start, as a person's would be after installing
    return env


def install_synthetic(base: Path, extra: int, vocab, env: dict) -> None:
    if extra:
        source = write_library(base / "src", extra, vocab, pack_id="synthetic")
        caseguide(env, "pack", "keygen", str(base / "bench"))
        caseguide(env, "pack", "build", str(source), "--key", str(base / "bench.key"), "-o", str(base / "x.cgpack"))
        caseguide(env, "trust", "add", str(base / "bench.pub"))
        caseguide(env, "pack", "install", str(base / "x.cgpack"))
        shutil.rmtree(base / "src")


def measure(envs: dict, runs: int) -> dict:
    samples: dict = {name: [] for name in envs}
    bare_env = next(iter(envs.values()))
    samples["bare"] = []
    for _ in range(runs):
        samples["bare"].append(run_child("bare", bare_env))
        for name, env in envs.items():
            samples[name].append(run_child("caseguide", env))
    result = {}
    for name, marks in samples.items():
        result[name] = {key: statistics.median(m[key] for m in marks) for key in marks[0]}
        result[name].update({f"{key}_best": min(m[key] for m in marks) for key in marks[0]})
    return result


def xvfb_times(envs: dict, runs: int) -> dict | None:
    """Start to window mapped on a virtual X screen, for bare PySide6, CaseGuide and Kiwix Desktop."""
    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        return None
    number = next(n for n in range(150, 250) if not os.path.exists(f"/tmp/.X11-unix/X{n}"))
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while not os.path.exists(f"/tmp/.X11-unix/X{number}") and time.monotonic() < deadline:
            time.sleep(0.05)
        display = {"DISPLAY": f":{number}"}
        programs = {"bare": ([sys.executable, "-c", CHILD.replace("os._exit(0)", "pass"), "0", "bare"],
                             "Bare PySide6", next(iter(envs.values())))}
        for name, env in envs.items():
            programs[name] = ([sys.executable, "-m", "caseguide"], "CaseGuide", env)
        kiwix = shutil.which("kiwix-desktop")
        if kiwix:
            home = Path(tempfile.mkdtemp(prefix="kiwix-home-"))
            programs["kiwix"] = ([kiwix], "Kiwix", {**os.environ, "HOME": str(home),
                                                     "QTWEBENGINE_DISABLE_SANDBOX": "1"})
        times: dict = {name: [] for name in programs}
        for _ in range(runs):
            for name, (command, title, env) in programs.items():
                env = {**env, **display}
                env.pop("QT_QPA_PLATFORM", None)
                started = time.perf_counter()
                process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL)
                # Asked every 10 ms: xdotool's own --sync looks only every half second.
                found = None
                while time.perf_counter() - started < 120 and process.poll() is None:
                    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", title],
                                           env={**os.environ, **display}, capture_output=True, timeout=30)
                    if found.returncode == 0:
                        break
                    time.sleep(0.01)
                elapsed = time.perf_counter() - started
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
                if found is not None and found.returncode == 0:
                    times[name].append(elapsed)
        return {name: {"median": statistics.median(t), "best": min(t)} for name, t in times.items() if t}
    finally:
        server.terminate()
        server.wait(10)


def table(figures: dict, envs: dict, best: str, runs: int, where: str = "offscreen") -> None:
    """Print one table: medians (*best* "") or the fastest of the runs ("_best"), the fairest
    figure on a machine that other work shares."""
    bare, bare_cpu = figures["bare"]["painted" + best], figures["bare"]["painted_cpu" + best]
    what = "fastest" if best else "median"
    print(f"start to first paint, {where}, {what} of {runs}: bare PySide6 window {bare * 1000:.0f} ms, "
          f"{bare_cpu * 1000:.0f} ms of CPU")
    print(f"{'library':>10} {'painted':>9} {'ratio':>6} {'CPU':>7} {'ratio':>6} {'listed':>8} {'search ready':>13}")
    for name in envs:
        f = {key[:-len(best)] if best else key: v for key, v in figures[name].items() if key.endswith(best)}
        print(f"{name:>10} {f['painted'] * 1000:>7.0f}ms {f['painted'] / bare:>6.2f} "
              f"{f['painted_cpu'] * 1000:>5.0f}ms {f['painted_cpu'] / bare_cpu:>6.2f} "
              f"{f['listed'] * 1000:>6.0f}ms {f['search_ready'] * 1000:>11.0f}ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--extra", type=int, nargs="*", default=[500, 2000])
    parser.add_argument("--kiwix", action="store_true", help="also time windows on a virtual X screen")
    parser.add_argument("--xvfb-only", action="store_true", help="only the virtual X screen's times")
    parser.add_argument("--reuse", type=Path, help="the folder of an earlier run: its libraries, not new ones")
    parser.add_argument("--xcb", action="store_true",
                        help="also the same times on a virtual X screen (Qt's xcb platform, as a person's "
                             "window is, where the Quick exit watchdog starts after the first paint)")
    args = parser.parse_args()
    tmp = args.reuse or Path(tempfile.mkdtemp(prefix="caseguide-startup-"))
    vocab = vocabulary(REPO / "content")
    envs = {"bundled": scenario(tmp / "bundled", 0, vocab)}
    for extra in args.extra:
        envs[f"+{extra}"] = scenario(tmp / f"extra{extra}", extra, vocab)
    report = {}
    if not args.xvfb_only:
        figures = report["offscreen"] = measure(envs, args.runs)
        for best in ("", "_best"):
            table(figures, envs, best, args.runs)
    if args.xcb and not args.xvfb_only:
        from tests.xvfb import virtual_screen

        with virtual_screen() as display:
            xcb = {name: {**{k: v for k, v in env.items() if k != "QT_QPA_PLATFORM"}, "DISPLAY": display}
                   for name, env in envs.items()}
            figures = report["xcb"] = measure(xcb, args.runs)
        for best in ("", "_best"):
            table(figures, xcb, best, args.runs, where="on a virtual X screen (xcb)")
    if args.kiwix or args.xvfb_only:
        mapped = xvfb_times(envs, max(3, args.runs // 2))
        report["xvfb_mapped"] = mapped
        if mapped:
            print("start to window mapped on Xvfb (xdotool search, every 10 ms): median, fastest")
            for name, seconds in mapped.items():
                print(f"{name:>10} {seconds['median'] * 1000:>7.0f}ms {seconds['best'] * 1000:>7.0f}ms")
    (tmp / "report.json").write_text(json.dumps(report, indent=2))
    print(f"(report: {tmp / 'report.json'})")


if __name__ == "__main__":
    main()
