"""The real window read over AT-SPI, as Orca or any Linux screen reader reads it.

The app runs with Qt's accessibility bridge on, in a private X server and D-Bus session that
tests/a11y/atspi_probe.py starts (system Python: Debian's python3-pyatspi). A robot keyboard
opens every window and dialog, presses Tab until the focus comes round again, and the tree
each one exposes is checked: no control without a name, no keyboard trap, every control
reached, links in a guide exposed with names, combo boxes named by their labels.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import REPO, guide_file

PROBE = Path(__file__).with_name("atspi_probe.py")
SYSTEM_PYTHON = "/usr/bin/python3"
DEBS = "at-spi2-core python3-pyatspi gir1.2-atspi-2.0 xvfb xdotool dbus"


def _missing() -> str:
    if not all(shutil.which(tool) for tool in ("Xvfb", "xdotool", "dbus-daemon", "dbus-send")):
        return "Xvfb, xdotool or D-Bus"
    if not os.path.exists("/usr/libexec/at-spi-bus-launcher"):
        return "at-spi2-core"
    check = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True) \
        if os.path.exists(SYSTEM_PYTHON) else None
    if check is None or check.returncode != 0:
        return "python3-pyatspi"
    return ""


MISSING = _missing()
if MISSING and os.environ.get("CI"):
    pytest.fail(f"the AT-SPI test needs {MISSING} (Debian: {DEBS}; scripts/dev.sh test installs them)",
                pytrace=False)
pytestmark = [pytest.mark.slow, pytest.mark.gui,
              pytest.mark.skipif(bool(MISSING), reason=f"needs {MISSING} (scripts/dev.sh test installs {DEBS})")]

BUTTONISH = {"push button", "toggle button", "check box", "radio button", "menu item", "check menu item",
             "page tab", "link", "combo box"}
ITEMS = {"list item", "table cell", "tree item", "table row", "table column header", "table row header", "page tab"}
NOT_TAB_STOPS = ITEMS | {"label"}  # labels in a message box can be selected with a mouse, not tabbed to


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    root = tmp_path_factory.mktemp("a11y") / "pack"
    (root / "guides").mkdir(parents=True)
    (root / "pack.toml").write_text('id = "test"\nversion = "1.0"\ntitle = "Test pack"\npublisher = "Tests"\n'
                                    'languages = ["en", "ar"]\n', encoding="utf-8")
    guides = {
        "a.md": guide_file("Hospitals in England may charge for some care.\n\n"
                           "Read [the GP guide](b.md) next, or the [NHS website](https://www.nhs.uk/).\n",
                           id="guide-a", title="Hospital charges", related="[guide-b]"),
        "b.md": guide_file("You can register with a GP without papers.\n", id="guide-b",
                           title="Registering with a GP"),
        "c.md": guide_file("Lock down your settings.", id="guide-c", title="WhatsApp settings",
                           kind="walkthrough", topics="[phones]"),
        "ar.md": guide_file("اقرأ [دليل الطبيب](b.md) أو زر [موقع هيئة الخدمات الصحية](https://www.nhs.uk/).\n",
                            id="guide-ar", title="حقوقك في المستشفى", summary="ما يجب أن تعرفه عن المستشفى.",
                            language="ar"),
    }
    for name, text in guides.items():
        (root / "guides" / name).write_text(text, encoding="utf-8")
    return root


def probe(steps, command, tmp_path, extra_env=None):
    steps_file, out_file = tmp_path / "steps.json", tmp_path / "seen.json"
    steps_file.write_text(json.dumps(steps), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "ATSPI_PROBE_SECONDS": "300", **(extra_env or {})}
    probe_run = subprocess.Popen([SYSTEM_PYTHON, str(PROBE), str(steps_file), str(out_file), "--", *command],
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _out, err = probe_run.communicate(timeout=420)
    except subprocess.TimeoutExpired:
        probe_run.terminate()  # it stops what it started, then exits
        _out, err = probe_run.communicate(timeout=60)
    report = json.loads(out_file.read_text(encoding="utf-8")) if out_file.exists() else {}
    assert probe_run.returncode == 0, f"the probe could not run: {report.get('error') or err[-3000:]}\n" \
                                      f"app: {report.get('app_log', '')}"
    assert "Traceback" not in report.get("app_log", ""), report["app_log"]
    return {r["label"]: r for r in report["results"]}


def window_steps(title, label, open_keys, back_to):
    """Open a window, take its tree, Tab round it, close it with Esc."""
    return [{"keys": open_keys}, {"window": title}, {"snapshot": label}, {"tab_cycle": f"{label} tab"},
            {"keys": "Escape"}, {"window": back_to}]


# What each window must satisfy -------------------------------------------------------------

def unnamed(snapshot):
    """Controls a person meets (focusable and on screen) with no name, and nameless buttons anywhere."""
    return [f"{n['role']} in {' > '.join(n['path'][-3:])}" for n in snapshot["nodes"]
            if not n["name"].strip() and (("focusable" in n["states"] and n["showing"])
                                          or n["role"] in BUTTONISH)]


def tab_stops(snapshot):
    """The controls Tab must reach (focusable, on screen, enabled, not an item of a list or table),
    each with the ids of the objects whose focus counts for it: itself, what is inside it (a tab
    widget gives its focus to its tabs) and the controls it is part of (the text field of a combo
    box, a view's viewport)."""
    nodes = snapshot["nodes"]
    stops, ancestors = {}, []
    for i, node in enumerate(nodes):
        ancestors = ancestors[:node["depth"]] + [node["id"]]
        if not ("focusable" in node["states"] and node["showing"] and "sensitive" in node["states"]
                and node["role"] not in NOT_TAB_STOPS and node["depth"] > 0):
            continue
        inside = []
        for later in nodes[i + 1:]:
            if later["depth"] <= node["depth"]:
                break
            inside.append(later["id"])
        stops[f"{node['role']} {node['name']!r}"] = set(ancestors[1:]) | set(inside)
    return stops


def check_window(seen, label):
    """What is wrong with the window snapshot *label* and the Tab walk round it."""
    snapshot, cycle = seen[label], seen[f"{label} tab"]
    problems = [f"no name: {u}" for u in unnamed(snapshot)]
    focus = cycle["focus"]
    if not cycle["closed"]:
        problems.append(f"Tab never came back round in {len(focus)} presses (a trap?): "
                        f"{[(f['role'], f['name']) for f in focus[-6:]]}")
    reached = {f["id"] for f in focus}
    problems += [f"Tab never reaches {what}" for what, counts in tab_stops(snapshot).items() if not counts & reached]
    problems += [f"Tab stops inside a list or table: {f['role']} {f['name']!r} in {f['parent']!r}"
                 for f in focus if f["role"] in ITEMS]
    # A screen reader knows only what it is told: each move of the focus must say so.
    problems += [f"the focus moved to {f['role']} {f['name']!r} without a word to the screen reader"
                 for before, f in zip(focus, focus[1:]) if f["id"] != before["id"] and not f["told"]]
    return problems


WINDOWS = ("main", "website box", "packs", "trusted", "preferences", "shortcuts", "about", "print preview")


def test_every_window_and_dialog_over_atspi(library, tmp_path):
    main = "Hospital charges – CaseGuide"
    steps = [
        {"listen": "object:state-changed:showing"},
        {"keys": "ctrl+f"}, {"type": "hospital"},
        {"heard": "announced", "role": "notification"},
        {"keys": "Return"}, {"window": main},
        {"snapshot": "main"},
        {"tab_cycle": "main tab"},
        {"tab_cycle": "main backwards", "key": "shift+Tab"},
        {"keys": "ctrl+f"}, {"tab_cycle": "regions", "key": "F6"},
        # the website box: F6 to the results, F6 to the guide, Tab to its first link and the next
        {"keys": "ctrl+f F6 F6 Tab Tab Return"}, {"window": "Open a web page? – CaseGuide"},
        {"snapshot": "website box"}, {"tab_cycle": "website box tab"}, {"keys": "Escape"}, {"window": main},
        # Content packs, then its Trusted publishers tab: Shift+Tab back to the tabs, Right arrow
        {"keys": "alt+l c"}, {"window": "Content packs – CaseGuide"},
        {"snapshot": "packs"}, {"tab_cycle": "packs tab"},
        {"keys": "shift+Tab Right"}, {"snapshot": "trusted"}, {"tab_cycle": "trusted tab"},
        {"keys": "Escape"}, {"window": main},
        *window_steps("Preferences – CaseGuide", "preferences", "alt+f f", main),
        *window_steps("Keyboard shortcuts – CaseGuide", "shortcuts", "F1", main),
        *window_steps("About CaseGuide", "about", "alt+h a", main),
        *window_steps("Print preview – CaseGuide", "print preview", "ctrl+p", main),
    ]
    seen = probe(steps, [sys.executable, "-m", "caseguide", "--library", str(library)], tmp_path)
    problems = {f"{label} ({seen[label]['window']})": found for label in WINDOWS
                if (found := check_window(seen, label))}
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)

    nodes = seen["main"]["nodes"]
    # combo boxes by their labels, not their values; the library's column, menu and status bars
    assert {n["name"] for n in nodes if n["role"] == "combo box"} >= {"Filter by kind", "Filter by topic"}
    assert [n["name"] for n in nodes if n["role"] == "table column header" and "Library" in n["path"]] == ["Guides"]
    assert {n["name"] for n in nodes if n["role"] in ("menu bar", "status bar")} == {"Menu bar", "Status bar"}
    prefs = seen["preferences"]["nodes"]
    assert "Paper size" in {n["name"] for n in prefs if n["role"] == "combo box"}
    # links in the guide: named, saying where they go, with an action to follow them
    # the guide is a document named by its title, whose headings say their level
    [page] = [n for n in nodes if n["role"] == "document frame"]
    assert page["name"] == "Hospital charges" and "Text" in page.get("interfaces", [])
    headings = [n for n in nodes if n["role"] == "heading" and "Hospital charges" in n["path"]]
    assert [(n["name"], n.get("attributes", {}).get("level")) for n in headings][:2] == [
        ("Hospital charges", "1"), ("Sources", "2")]
    links = [n for n in nodes if n["role"] == "link" and "Hospital charges" in n["path"]]
    assert [n["name"] for n in links][:2] == ["the GP guide", "NHS website"]
    assert [n["description"] for n in links][:2] == ["Guide: Registering with a GP", "Website: https://www.nhs.uk/"]
    assert all("Press" in n.get("actions", []) for n in links)
    # Tab reaches each link, and a screen reader hears its name
    main_focus = [(f["role"], f["name"]) for f in seen["main tab"]["focus"]]
    for link in links:
        assert ("link", link["name"]) in main_focus
    # a result is its title, kind and summary; the passage is its description
    [result] = [n for n in nodes if n["role"] == "list item" and "Search results" in n["path"]]
    assert result["name"] == "Hospital charges. Know your rights. What a sample guide is for."
    assert "Hospitals in England" in result["description"]
    # "1 guide found" was said (a notification shown: what Orca 43 speaks), and the focus stayed in the search box
    assert [e["name"] for e in seen["announced"]["events"] if e["role"] == "notification"] == ["1 guide found."]
    # F6 goes round the four parts
    assert [f["name"] for f in seen["regions"]["focus"]][:4] == ["Search results", "Hospital charges", "Back",
                                                                 "Search guides"]
    # the website box says the address, and what each button does
    [alert] = [n for n in seen["website box"]["nodes"] if n["depth"] == 0]
    assert alert["description"] == "Open in browser opens it, Copy address copies it, Cancel goes back to the guide."
    assert "The address is https://www.nhs.uk/." in {n["name"] for n in seen["website box"]["nodes"]}
    assert {f["name"] for f in seen["website box tab"]["focus"]} == {"Open in browser", "Copy address", "Cancel"}


def test_right_to_left_at_200_percent_with_an_arabic_guide(library, tmp_path):
    """The same checks with the window laid out right to left and everything twice the size."""
    main = "حقوقك في المستشفى – CaseGuide"
    steps = [
        {"keys": "ctrl+f"}, {"type": "المستشفى"}, {"keys": "Return"}, {"window": main},
        {"snapshot": "main"}, {"tab_cycle": "main tab"},
        {"keys": "ctrl+f F6 F6 Tab Tab Return"}, {"window": "Open a web page? – CaseGuide"},
        {"snapshot": "website box"}, {"tab_cycle": "website box tab"}, {"keys": "Escape"}, {"window": main},
        *window_steps("Content packs – CaseGuide", "packs", "alt+l c", main),
        *window_steps("Keyboard shortcuts – CaseGuide", "shortcuts", "F1", main),
    ]
    seen = probe(steps, [sys.executable, "-m", "tests.a11y.launch", str(library)], tmp_path,
                 extra_env={"QT_SCALE_FACTOR": "2"})
    problems = {label: found for label in ("main", "website box", "packs", "shortcuts")
                if (found := check_window(seen, label))}
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)
    links = [n for n in seen["main"]["nodes"] if n["role"] == "link" and main.split(" – ")[0] in n["path"]]
    assert [n["name"] for n in links][:2] == ["دليل الطبيب (guide)", "موقع هيئة الخدمات الصحية (website)"]
    assert "The address is https://www.nhs.uk/." in {n["name"] for n in seen["website box"]["nodes"]}
