#!/usr/bin/python3
"""Drive a desktop app as a screen-reader user does and report what AT-SPI says, as JSON.

usage: /usr/bin/python3 atspi_probe.py STEPS.json OUT.json -- COMMAND [ARG...]

Runs with the system Python (Debian's python3-pyatspi, gir1.2-atspi-2.0), never the project's
virtual environment. It starts a private X server (Xvfb), a D-Bus session bus and the AT-SPI bus
(at-spi-bus-launcher), then COMMAND with Qt's accessibility bridge on, finds it on the bus by its
process id, and carries out STEPS (a JSON list) with a robot keyboard (xdotool), writing what it
saw to OUT.json. Every process it started is stopped by its process id.

Steps (one key each):
  {"keys": "ctrl+f Return"}       xdotool key names, pressed in turn
  {"type": "some words"}          typed
  {"window": "Title", "timeout": 20}   wait until the app's active window has this name
  {"snapshot": "label"}           the active window's tree: role, name, description, states...
  {"tab_cycle": "label", "key": "Tab", "max": 80}
                                  press the key until the focus comes back to where the first press
                                  put it; every object focused on the way
  {"listen": "object:announcement"}   start collecting events of this type
  {"heard": "label", "wait": 5, "role": "notification"}
                                  events collected so far (waiting up to "wait" seconds for one, of
                                  an object with that role if "role" is given)

Exit status 0 when every step ran (what it saw is for the caller to judge), 2 when it could not
set up (no Xvfb, no bus, the app never appeared), a step could not be done, or the whole run took
longer than ATSPI_PROBE_SECONDS (default 300); the reason is in OUT.json's "error". SIGTERM stops
it cleanly, with everything it started.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

FOCUS_WAIT = 1.5  # seconds for Tab to move the focus (it takes under 0.1)
KEY_WAIT = 0.6  # seconds for another key to move it, if it does
ITEM_ROLES = {"list item", "table cell", "tree item", "table row", "table column header", "table row header"}


# ------------------------------------------------------------------------- processes

class Session:
    """Xvfb, a session bus, the AT-SPI bus and the app; stop() ends each by its process id."""

    def __init__(self, size="1280x800"):
        self.root = tempfile.mkdtemp(prefix="caseguide-atspi-")
        self.home = os.path.join(self.root, "home")
        self.size = size
        self.pids: list[int] = []
        self.popens: list[subprocess.Popen] = []
        self.app: subprocess.Popen | None = None
        self.display = ""
        self.env: dict = {}

    def _environment(self) -> dict:
        dirs = {"HOME": self.home}
        for var, sub in (("XDG_DATA_HOME", ".local/share"), ("XDG_CONFIG_HOME", ".config"),
                         ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state"),
                         ("XDG_RUNTIME_DIR", "runtime"), ("XDG_DATA_DIRS", "site-data"),
                         ("XDG_CONFIG_DIRS", "site-config")):
            dirs[var] = os.path.join(self.home, sub)
        for path in dirs.values():
            os.makedirs(path, exist_ok=True)
        os.chmod(dirs["XDG_RUNTIME_DIR"], 0o700)
        drop = {"DBUS_SESSION_BUS_ADDRESS", "AT_SPI_BUS_ADDRESS", "WAYLAND_DISPLAY", "SESSION_MANAGER",
                "QT_QPA_PLATFORM", "NO_AT_BRIDGE", "CASEGUIDE_BASEDIR"}
        env = {k: v for k, v in os.environ.items() if k not in drop}
        env.update(dirs)
        env.update(QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", QT_ACCESSIBILITY="1", QT_QPA_PLATFORM="xcb",
                   GSETTINGS_SCHEMA_DIR="/usr/share/glib-2.0/schemas", GSETTINGS_BACKEND="memory")
        return env

    def _spawn(self, name, argv) -> subprocess.Popen:
        log = open(os.path.join(self.root, f"{name}.log"), "w")
        process = subprocess.Popen(argv, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        self.popens.append(process)
        self.pids.append(process.pid)
        return process

    def start(self) -> None:
        self.env = self._environment()
        for _attempt in range(3):
            if self._start_x():
                break
        else:
            raise SetupError("no virtual X screen would start and answer")
        self._start_buses()

    def _start_x(self) -> bool:
        """A new Xvfb that answers; False (and that one stopped) if it does not."""
        # Xvfb takes a free display itself and says which (-displayfd): choosing a number by looking
        # for lock files races with other test runs on the same machine.
        read_end, write_end = os.pipe()
        log = open(os.path.join(self.root, "xvfb.log"), "w")
        server = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", f"{self.size}x24",
                                   "-nolisten", "tcp"], env=self.env, stdin=subprocess.DEVNULL, stdout=log,
                                  stderr=subprocess.STDOUT, pass_fds=(write_end,))
        self.popens.append(server)
        self.pids.append(server.pid)
        os.close(write_end)
        number = _read_line(read_end, 20)  # Xvfb writes the number, then a newline: read both,
        os.close(read_end)                 # or closing the pipe between them kills it
        self.display = f":{number}"
        self.env["DISPLAY"] = self.display
        end = time.monotonic() + 10
        while number.isdigit() and server.poll() is None and time.monotonic() < end:
            answered = subprocess.run(["xdotool", "getdisplaygeometry"], env=self.env, capture_output=True,
                                      timeout=10)
            if answered.returncode == 0:
                return True
            time.sleep(0.2)
        server.terminate()
        try:
            server.wait(5)
        except subprocess.TimeoutExpired:
            server.kill()
        self.popens.remove(server)
        self.pids.remove(server.pid)
        return False

    def _start_buses(self) -> None:
        out = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
                             env=self.env, capture_output=True, text=True, check=True).stdout.split()
        self.env["DBUS_SESSION_BUS_ADDRESS"] = out[0]
        self.pids.append(int(out[1]))
        self._spawn("at-spi-bus", ["/usr/libexec/at-spi-bus-launcher", "--launch-immediately"])
        ask = ["dbus-send", "--session", "--print-reply=literal", "--dest=org.a11y.Bus", "/org/a11y/bus",
               "org.a11y.Bus.GetAddress"]
        wait_until(lambda: subprocess.run(ask, env=self.env, capture_output=True).returncode == 0, 20, "the AT-SPI bus")
        for key in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "HOME") + tuple(k for k in self.env if k.startswith("XDG_")):
            os.environ[key] = self.env[key]  # pyatspi, imported after this, reads them

    def x_state(self) -> str:
        """', and the X server had exited (N)' if it had: for telling a broken screen from a broken app."""
        server = self.popens[0] if self.popens else None
        if server is not None and server.poll() is not None:
            return f", and the X server had exited ({server.returncode})"
        return ""

    def run_app(self, argv) -> None:
        self.app = self._spawn("app", argv)

    def app_log(self) -> str:
        try:
            with open(os.path.join(self.root, "app.log")) as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def window_names(self) -> dict[str, str]:
        """The app's windows on screen: X window id -> title."""
        wids = self.xdotool("search", "--onlyvisible", "--pid", str(self.app.pid)).split()
        return {wid: self.xdotool("getwindowname", wid).strip() for wid in wids}

    def focus_window_called(self, title: str) -> bool:
        """Give the keyboard to the app's visible window with this title; False if there is none."""
        for wid, name in self.window_names().items():
            if name == title:
                self.xdotool("windowfocus", "--sync", wid)
                return True
        return False

    def xdotool(self, *args) -> str:
        return subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=20).stdout

    def stop(self) -> None:
        """End every process this session started, and only those: a process id is signalled only
        while it is alive and runs with this session's private HOME (ids are reused, fast, on a busy
        machine: one that ended long ago may belong to someone else now)."""
        ours = [pid for pid in _descendants(self.pids) if self._ours(pid)]
        for pid in reversed(ours):
            _signal(pid, signal.SIGTERM)
        for process in self.popens:
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in ours) and time.monotonic() < deadline:
            time.sleep(0.05)
        for pid in ours:
            if _alive(pid) and self._ours(pid):
                _signal(pid, signal.SIGKILL)
        shutil.rmtree(self.root, ignore_errors=True)

    def _ours(self, pid: int) -> bool:
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                return _alive(pid) and f"HOME={self.home}".encode() in f.read().split(b"\0")
        except OSError:
            return False


def _read_line(fd: int, seconds: float) -> str:
    """What is written to *fd* up to a newline (or its end), waiting at most *seconds*."""
    data, end = b"", time.monotonic() + seconds
    while not data.endswith(b"\n") and time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], max(0.0, end - time.monotonic()))
        chunk = os.read(fd, 64) if ready else b""
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace").strip()


def _signal(pid: int, sig) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _descendants(pids: list[int]) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    out, todo = [], list(pids)
    while todo:
        pid = todo.pop(0)
        out.append(pid)
        todo += children.get(pid, [])
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class SetupError(Exception):
    pass


def wait_until(condition, seconds, what):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if condition():
                return
        except Exception:  # noqa: BLE001 - not there yet
            pass
        time.sleep(0.1)
    raise SetupError(f"timed out waiting for {what}")


# ------------------------------------------------------------------------- AT-SPI

class Reader:
    def __init__(self, session: Session):
        import pyatspi  # after Session.start(): it reads DISPLAY and the bus from the environment
        from gi.repository import GLib

        self.pyatspi, self.glib = pyatspi, GLib
        self.session = session
        self.app = None
        self.focus_events: list = []
        self.last_focus = None
        self.collected: dict[str, list] = {}
        pyatspi.Registry.registerEventListener(self._focused, "object:state-changed:focused")

    def _focused(self, event) -> None:
        if event.detail1 == 1:
            self.focus_events.append(event.source)
            self.last_focus = event.source

    def _collect(self, event) -> None:
        self.collected.setdefault(event.type, []).append(
            {"type": event.type, "role": event.source.getRoleName(), "name": event.source.name or "",
             "text": str(event.any_data) if event.any_data is not None else ""})

    def listen(self, kind: str) -> None:
        self.collected.setdefault(kind, [])
        self.pyatspi.Registry.registerEventListener(self._collect, kind)

    def pump(self, seconds: float, until=None) -> None:
        context = self.glib.MainContext.default()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            while context.pending():
                context.iteration(False)
            if until is not None and until():
                return
            time.sleep(0.01)

    def find_app(self, pid: int, seconds: float = 60) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            desktop = self.pyatspi.Registry.getDesktop(0)
            for i in range(desktop.childCount):
                try:
                    child = desktop.getChildAtIndex(i)
                    if child is not None and child.get_process_id() == pid and child.childCount > 0:
                        self.app = child
                        return
                except Exception:  # noqa: BLE001 - an app going away while we look
                    continue
            if self.session.app.poll() is not None:
                raise SetupError(f"the app exited ({self.session.app.returncode}){self.session.x_state()}: "
                                 f"{self.session.app_log()}")
            time.sleep(0.3)
        raise SetupError(f"the app never appeared on the AT-SPI bus: {self.session.app_log()}")

    def states(self, acc) -> list[str]:
        try:
            return sorted(self.pyatspi.stateToString(s) for s in acc.getState().getStates())
        except Exception:  # noqa: BLE001
            return []

    def windows(self):
        out = []
        for i in range(self.app.childCount):
            child = self.app.getChildAtIndex(i)
            if child is not None:
                out.append(child)
        return out

    def active_window(self):
        """The window with the keyboard focus: the one whose state says active (Qt says so for
        dialogs and message boxes), else the top of the focused object's ancestors (Qt does not
        report the active state of a main window)."""
        active = [w for w in self.windows() if "active" in self.states(w)]
        if len(active) == 1:
            return active[0]
        acc = self.last_focus
        try:
            if acc is None or "showing" not in self.states(acc):
                acc = self.focused_now(self.app)
            while acc is not None and acc.parent is not None and acc.parent != self.app \
                    and acc.parent.getRoleName() != "application":
                acc = acc.parent
            return acc
        except Exception:  # noqa: BLE001 - the object went away
            return None

    def describe(self, acc, depth, path, showing) -> dict:
        states = self.states(acc)
        node = {"role": acc.getRoleName(), "name": acc.name or "", "description": acc.description or "",
                "states": states, "depth": depth, "path": path, "id": getattr(acc, "path", "") or "",
                "showing": showing and "showing" in states, "children": acc.childCount}
        try:
            node["interfaces"] = sorted(self.pyatspi.listInterfaces(acc))
        except Exception:  # noqa: BLE001
            node["interfaces"] = []
        try:  # object attributes, such as a heading's "level"
            node["attributes"] = dict(a.split(":", 1) for a in acc.getAttributes() if ":" in a)
        except Exception:  # noqa: BLE001
            node["attributes"] = {}
        if "Action" in node["interfaces"]:
            try:
                action = acc.queryAction()
                node["actions"] = [action.getName(i) for i in range(action.nActions)]
            except Exception:  # noqa: BLE001
                node["actions"] = []
        return node

    def walk(self, root, limit=4000) -> list[dict]:
        try:
            root.clear_cache()
        except Exception:  # noqa: BLE001
            pass
        nodes: list[dict] = []

        def visit(acc, depth, path, showing):
            if len(nodes) >= limit:
                return
            try:
                node = self.describe(acc, depth, path, showing)
            except Exception as exc:  # noqa: BLE001
                nodes.append({"role": "?", "name": "", "error": repr(exc), "depth": depth, "path": path,
                              "states": [], "showing": False})
                return
            nodes.append(node)
            label = node["name"] or f"[{node['role']}]"
            for i in range(min(node["children"], 500)):
                try:
                    child = acc.getChildAtIndex(i)
                except Exception:  # noqa: BLE001
                    child = None
                if child is not None:
                    visit(child, depth + 1, path + [label], node["showing"])

        visit(root, 0, [], True)
        return nodes

    def focused_now(self, root):
        """The deepest showing object with the focused state (when no event said so)."""
        best, stack = None, [root]
        while stack:
            acc = stack.pop()
            try:
                states = self.states(acc)
                if acc is not root and "showing" not in states:
                    continue
                if "focused" in states:
                    best = acc
                stack += [acc.getChildAtIndex(i) for i in range(min(acc.childCount, 500))]
            except Exception:  # noqa: BLE001
                continue
        return best

    def ident(self, acc) -> dict:
        if acc is None:
            return {"role": "", "name": "", "id": "", "parent": ""}
        try:
            parent = acc.parent
            return {"role": acc.getRoleName(), "name": acc.name or "", "id": getattr(acc, "path", "") or "",
                    "parent": (parent.name or f"[{parent.getRoleName()}]") if parent is not None else "",
                    "parent_role": parent.getRoleName() if parent is not None else ""}
        except Exception as exc:  # noqa: BLE001
            return {"role": "?", "name": repr(exc), "id": "", "parent": ""}

    def press_and_follow(self, key: str) -> dict:
        started = time.monotonic()
        self.pump(0.05)
        self.focus_events.clear()
        self.session.xdotool("key", "--clearmodifiers", key)
        self.pump(FOCUS_WAIT, until=lambda: bool(self.focus_events))
        waited = time.monotonic() - started
        self.pump(0.08)  # a control and then its item can both report focus: take the last
        told = bool(self.focus_events)  # what a screen reader hears: the events; else look
        acc = self.focus_events[-1] if told else self.focused_now(self.active_window() or self.app)
        found = self.ident(acc)
        found.update(told=told, seconds=round(waited, 2))
        return found


# ------------------------------------------------------------------------- steps

def run_steps(session: Session, reader: Reader, steps: list[dict]) -> tuple[list[dict], list]:
    """Carry out *steps*; what they saw, and how long each took."""
    results, timing = [], []
    for step in steps:
        started = time.monotonic()
        result = run_step(session, reader, step)
        if result is not None:
            results.append(result)
        timing.append((json.dumps(step, ensure_ascii=False)[:60], round(time.monotonic() - started, 2)))
    return results, timing


DEADLINE = time.monotonic() + float(os.environ.get("ATSPI_PROBE_SECONDS", "300"))


def check_deadline() -> None:
    if time.monotonic() > DEADLINE:
        raise SetupError("the probe ran out of time (ATSPI_PROBE_SECONDS)")


def run_step(session: Session, reader: Reader, step: dict) -> dict | None:
    check_deadline()
    if "keys" in step:
        for key in step["keys"].split():
            reader.focus_events.clear()
            session.xdotool("key", "--clearmodifiers", key)
            reader.pump(KEY_WAIT, until=lambda: bool(reader.focus_events))
        reader.pump(0.2)
    elif "type" in step:
        session.xdotool("type", "--delay", "30", step["type"])
        reader.pump(0.2)
    elif "window" in step:
        name = step["window"]
        end = time.monotonic() + step.get("timeout", 20)
        # There is no window manager: give the window the keyboard as one would.
        while not session.focus_window_called(name):
            check_deadline()
            if time.monotonic() > end:
                raise SetupError(f"no window called {name!r} on screen, only {session.window_names()}")
            reader.pump(0.2)
        reader.last_focus = None
        while True:
            reader.pump(0.1)
            window = reader.active_window()
            if window is not None and window.name == name:
                break
            if time.monotonic() > end:
                names = [(w.name, reader.states(w)) for w in reader.windows()]
                raise SetupError(f"the focus is not in a window called {name!r}; windows: {names}")
        reader.pump(0.3)
    elif "snapshot" in step:
        window = reader.active_window()
        if window is None:
            raise SetupError(f"no active window for snapshot {step['snapshot']!r}")
        return {"label": step["snapshot"], "window": window.name, "nodes": reader.walk(window)}
    elif "tab_cycle" in step:
        key, limit = step.get("key", "Tab"), step.get("max", 80)
        seen = [reader.press_and_follow(key)]
        while len(seen) < limit:
            check_deadline()
            seen.append(reader.press_and_follow(key))
            if seen[-1]["id"] and seen[-1]["id"] == seen[0]["id"]:
                break
        return {"label": step["tab_cycle"], "focus": seen, "closed": seen[-1]["id"] == seen[0]["id"]}
    elif "listen" in step:
        reader.listen(step["listen"])
    elif "heard" in step:
        role = step.get("role")
        reader.pump(step.get("wait", 5), until=lambda: any(role is None or e["role"] == role
                                                           for kind in reader.collected.values() for e in kind))
        reader.pump(0.2)
        events = [e for kind in reader.collected.values() for e in kind]
        for kind in reader.collected.values():
            kind.clear()
        return {"label": step["heard"], "events": events}
    else:
        raise SetupError(f"unknown step {step}")
    return None


def main(argv: list[str]) -> int:
    if len(argv) < 4 or argv[2] != "--":
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    steps_file, out_file, command = argv[0], argv[1], argv[3:]
    with open(steps_file) as f:
        steps = json.load(f)
    session = Session()
    report: dict = {"results": [], "error": ""}

    def stopped(_signum, _frame):
        raise SetupError("stopped from outside (SIGTERM)")

    signal.signal(signal.SIGTERM, stopped)
    try:
        session.start()
        session.run_app(command)
        reader = Reader(session)
        reader.find_app(session.app.pid)
        wids = session.xdotool("search", "--sync", "--onlyvisible", "--pid", str(session.app.pid)).split()
        if not wids:
            raise SetupError("the app's window never became visible")
        session.xdotool("windowfocus", "--sync", wids[-1])
        reader.pump(1.0)
        report["results"], report["seconds"] = run_steps(session, reader, steps)
        return 0
    except (SetupError, subprocess.SubprocessError, OSError) as exc:
        report["error"] = str(exc)
        return 2
    finally:
        report["app_log"] = session.app_log()
        session.stop()
        with open(out_file, "w") as f:
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
