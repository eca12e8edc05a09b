"""What the Orca screen reader says while a robot keyboard drives a program, as JSON.

usage: python -m tests.a11y.orca_speech STEPS.json OUT.json -- COMMAND [ARG...]
       python -m tests.a11y.orca_speech --say "KEY ..." -- COMMAND [ARG...]    (prints each phrase)

It starts a private X server, D-Bus session and AT-SPI bus (atspi_probe.Session), then Orca
(orca_launch.py: alone, whatever other Orcas run, and writing its debug log line by line) with a silent
speech module (speech-dispatcher's "dummy": nothing is heard). The debug log holds every phrase Orca
speaks ("SPEECH OUTPUT: '...'"). Then COMMAND, with Qt's accessibility bridge on, gets the keyboard,
and each step runs in turn. A step waits for what it expects to be said, never for a fixed time:

  {"label": "results", "keys": "ctrl+f", "type": "some words", "until": "3 guides found.", "timeout": 15}

"gone" first waits until the app's window of that title has closed, and "window" gives the keyboard
to the app's window of that title (there is no window manager to give it back when a dialog closes);
"keys" are xdotool key names pressed in turn, "type" is typed; "until" is a phrase Orca must say (the
whole phrase, exactly), which ends the step. What Orca said from the step's first key to that phrase
is the step's "heard". A step whose phrase never comes ends the run, with what was heard meanwhile
(unless it says "keep_going": the next step then starts when its "timeout" is up, for listening to an
old build).

Exit status 0 when every step heard its phrase, 1 when one did not, 2 when something could not start
(the reason is in OUT.json's "error"). Needs Debian's orca, speech-dispatcher, xvfb, xdotool, dbus and
at-spi2-core. Every process it started is stopped by its process id.
"""

from __future__ import annotations

import json
import re
import os
import shlex
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atspi_probe import Session, SetupError, wait_until  # noqa: E402 - beside this file, any Python

SPOKEN = re.compile(r"SPEECH OUTPUT: '(.*?)'\s*(?:\{[^{}]*\})?\s*$")
ORCA_READY = "Screen reader on."
POLL = 0.05
SYSTEM_PYTHON = "/usr/bin/python3"  # Orca's own  # seconds between looks at Orca's log


def spoken(line: str) -> str | None:
    """The phrase in one line of Orca's debug log, or None. Orca 43 writes
    ``12:00:01.417028 - SPEECH OUTPUT: 'Screen reader on.'{'established': False}``."""
    found = SPOKEN.search(line)
    return found.group(1).strip() or None if found else None


class Orca:
    """Orca in a Session, and the phrases it has spoken so far."""

    def __init__(self, session: Session):
        self.session = session
        self.log = os.path.join(session.root, "orca-debug.out")
        self._offset = 0
        self._partial = ""
        self.phrases: list[str] = []

    def start(self) -> None:
        config = os.path.join(self.session.env["XDG_CONFIG_HOME"], "speech-dispatcher")
        os.makedirs(config, exist_ok=True)
        with open(os.path.join(config, "speechd.conf"), "w") as conf:
            conf.write('DefaultModule dummy\nAddModule "dummy" "sd_dummy" ""\n')
        env = self.session.env
        # Orca and its GTK need the system's data folders (its settings schema, speech-dispatcher's modules).
        env["XDG_DATA_DIRS"] = "/usr/local/share:/usr/share"
        launcher = os.path.join(os.path.dirname(os.path.abspath(__file__)), "orca_launch.py")
        self.session._spawn("orca", [SYSTEM_PYTHON, launcher, self.log])
        self.wait_for(ORCA_READY, 30, "Orca to start")

    def read(self) -> list[str]:
        """Phrases spoken since the last read."""
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                f.seek(self._offset)
                chunk = f.read()
                self._offset = f.tell()
        except FileNotFoundError:
            return []
        lines = (self._partial + chunk).split("\n")
        self._partial = lines.pop()
        new = [p for p in map(spoken, lines) if p]
        self.phrases += new
        return new

    def wait_for(self, phrase: str, seconds: float, what: str = "") -> list[str]:
        """Read until *phrase* is spoken (SetupError after *seconds*); what was said meanwhile."""
        heard: list[str] = []
        deadline = time.monotonic() + seconds
        while True:
            heard += self.read()
            if phrase in heard:
                return heard
            if time.monotonic() > deadline:
                raise Unheard(phrase, heard, what)
            time.sleep(POLL)


    def settle(self, quiet: float = 0.8, seconds: float = 8) -> list[str]:
        """Read until Orca has said nothing new for *quiet* seconds (for exploring by hand: --say)."""
        heard: list[str] = []
        deadline = time.monotonic() + seconds
        last = time.monotonic()
        while time.monotonic() - last < quiet and time.monotonic() < deadline:
            new = self.read()
            if new:
                heard += new
                last = time.monotonic()
            time.sleep(POLL)
        return heard


class Unheard(Exception):
    def __init__(self, phrase, heard, what=""):
        super().__init__(f"Orca never said {phrase!r}" + (f" ({what})" if what else ""))
        self.phrase, self.heard = phrase, heard


def missing() -> str:
    """What is not installed for a run, or ''."""
    for tool in ("Xvfb", "xdotool", "dbus-daemon", "dbus-send"):
        if not shutil.which(tool):
            return tool
    if not (os.path.exists("/usr/bin/orca") and os.path.exists(SYSTEM_PYTHON)):
        return "orca"
    if not os.path.exists("/usr/libexec/at-spi-bus-launcher"):
        return "at-spi2-core"
    if not os.path.exists("/usr/lib/speech-dispatcher-modules/sd_dummy") and not shutil.which("speech-dispatcher"):
        return "speech-dispatcher"
    return ""


def run(steps: list[dict], command: list[str], extra_env: dict | None = None) -> dict:
    """Carry out *steps* with Orca listening to *command*; what it said (see the module's docstring)."""
    session = Session(size="1366x768")
    orca = None
    report: dict = {"steps": [], "error": ""}
    try:
        session.start()
        session.env.update(extra_env or {})
        orca = Orca(session)
        orca.start()
        session.run_app(command)
        # The app's window on screen, then given the keyboard (no window manager here to do it)
        wait_until(lambda: session.window_names() or session.app.poll() is not None, 60, "the app's window")
        if session.app.poll() is not None:
            raise SetupError(f"the app exited ({session.app.returncode})")
        for wid in session.window_names():
            session.xdotool("windowfocus", "--sync", wid)
        for step in steps:
            heard = []
            if step.get("gone"):  # a window that must have closed first (the keys before closed it)
                wait_until(lambda: step["gone"] not in session.window_names().values(), 20,
                           f"the window {step['gone']!r} to close")
            if step.get("window"):  # no window manager here: give the keyboard back to this window
                wait_until(lambda: session.focus_window_called(step["window"]), 20, f"the window {step['window']!r}")
            if step.get("keys"):
                session.xdotool("key", "--delay", "60", *step["keys"].split())
            if step.get("type"):
                session.xdotool("type", "--delay", "40", step["type"])
            if step.get("settle"):
                heard += orca.settle()
            record = {"label": step.get("label", ""), "until": step.get("until", ""), "heard": heard}
            report["steps"].append(record)
            if step.get("until"):
                try:
                    heard += orca.wait_for(step["until"], step.get("timeout", 15))
                except Unheard as exc:
                    heard += exc.heard
                    record["missing"] = True
                    report["error"] = report["error"] or str(exc)
                    if not step.get("keep_going"):
                        break
            else:
                heard += orca.read()
    except (SetupError, Unheard, subprocess.SubprocessError, OSError) as exc:
        report["error"] = report["error"] or f"{type(exc).__name__}: {exc}"
        report["setup_failed"] = True
    finally:
        if orca is not None:
            orca.read()
            report["all"] = orca.phrases
        report["app_log"] = session.app_log()
        report["orca_log"] = _tail(os.path.join(session.root, "orca.log"))
        if os.environ.get("ORCA_SPEECH_DEBUG"):  # a copy of Orca's whole debug log, to see why it said what it did
            shutil.copy(os.path.join(session.root, "orca-debug.out"), os.environ["ORCA_SPEECH_DEBUG"])
        session.stop()
    return report


def _tail(path: str, chars: int = 3000) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()[-chars:]
    except OSError:
        return ""


def main(argv: list[str]) -> int:
    if "--" not in argv:
        print(__doc__, file=sys.stderr)
        return 2
    split = argv.index("--")
    options, command = argv[:split], argv[split + 1:]
    if options[:1] == ["--say"]:
        steps = [{"window": key[7:].replace("_", " ")} if key.startswith("window:") else
                 {"type": key[5:].replace("_", " ")} if key.startswith("type:") else {"keys": key}
                 for key in shlex.split(" ".join(options[1:]))]
        report = run([{"label": "(start)", "settle": True}] +
                     [dict(step, settle=True, label=step.get("keys") or step.get("type")) for step in steps],
                     command)
        for step in report["steps"]:
            print(f"[{step['label']}]")
            print("\n".join(f"  {phrase}" for phrase in step["heard"]))
        if report["error"]:
            print(report["error"], report["orca_log"], file=sys.stderr)
        return 2 if report.get("setup_failed") else 0
    steps_file, out_file = options
    with open(steps_file, encoding="utf-8") as f:
        steps = json.load(f)
    report = run(steps, command)
    with open(out_file, "w", encoding="utf-8") as f:
        json.dump(report, f, ensure_ascii=False, indent=1)
    return 2 if report.get("setup_failed") else (1 if report["error"] else 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
