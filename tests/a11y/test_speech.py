"""What a blind caseworker hears: the real window driven by a robot keyboard while the Orca screen
reader listens, and the exact phrases Orca speaks.

tests/a11y/orca_speech.py starts a private X server and accessibility bus, Orca with a silent speech
module, and CaseGuide; each step presses keys and waits (with a deadline, never a fixed sleep) for
the phrase it expects, keeping everything Orca said on the way. Debian's orca and speech-dispatcher
are needed (scripts/dev.sh test installs them); without them the test is skipped.
"""

import json
import os
import subprocess
import sys

import pytest

from ..conftest import REPO, guide_file
from .orca_speech import missing

MISSING = missing()
pytestmark = [pytest.mark.slow, pytest.mark.gui,
              pytest.mark.skipif(bool(MISSING), reason=f"needs {MISSING}: Debian's orca, speech-dispatcher, "
                                                       "xvfb, xdotool, dbus and at-spi2-core (scripts/dev.sh "
                                                       "test installs them)")]

MAIN = "Hospital charges – CaseGuide"
BACK_IN_GUIDE = "Hospital charges read only document frame Read the GP guide next, or the NHS website."
QUICK_EXIT = "notification Quick exit: CaseGuide is hidden. Start CaseGuide again to come back."


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    root = tmp_path_factory.mktemp("speech") / "pack"
    (root / "guides").mkdir(parents=True)
    (root / "pack.toml").write_text('id = "test"\nversion = "1.0"\ntitle = "Test pack"\npublisher = "Tests"\n'
                                    'languages = ["en"]\n', encoding="utf-8")
    (root / "guides" / "a.md").write_text(guide_file(
        "Hospitals in England may charge for some care.\n\n## Who pays\n\n"
        "Read [the GP guide](b.md) next, or the [NHS website](https://www.nhs.uk/).\n",
        id="guide-a", title="Hospital charges"), encoding="utf-8")
    (root / "guides" / "b.md").write_text(guide_file("You can register with a GP without papers.\n", id="guide-b",
                                                     title="Registering with a GP"), encoding="utf-8")
    return root


# Each step: the keys pressed, and the phrase that ends it (what Orca says last for those keys).
STEPS = [
    {"label": "search box", "until": "Search guides text.", "timeout": 40},
    {"label": "results", "type": "hospital", "until": "notification 1 guide found."},
    {"label": "open", "keys": "Return", "until": MAIN},
    {"label": "results list", "keys": "F6", "until": "Hospital charges. Know your rights. What a sample guide is for."},
    {"label": "guide", "keys": "F6", "until": "Hospital charges read only document frame Hospital charges."},
    {"label": "first heading", "keys": "h", "until": "Who pays heading level 2."},
    {"label": "line above", "keys": "Up", "until": "Hospitals in England may charge for some care."},
    {"label": "arrow onto heading", "keys": "Down", "until": "Who pays heading level 2."},
    {"label": "link", "keys": "k", "until": "Guide: Registering with a GP."},
    {"label": "next link", "keys": "k", "until": "Website: https://www.nhs.uk/"},
    {"label": "website box", "keys": "Return",
     "until": "Open in browser opens it, Copy address copies it, Cancel goes back to the guide."},
    {"label": "website box focus", "until": "Cancel push button."},
    {"label": "close the box", "keys": "Escape"},
    {"label": "back", "gone": "Open a web page? – CaseGuide", "window": MAIN,
     "until": "Hospital charges – CaseGuide frame."},
    {"label": "F6 toolbar", "keys": "F6", "until": "Back push button."},
    {"label": "F6 search", "keys": "F6", "until": "Search guides text."},
    {"label": "F6 list", "keys": "F6", "until": "Hospital charges. Know your rights. What a sample guide is for."},
    {"label": "F6 guide", "keys": "F6", "until": BACK_IN_GUIDE},
    {"label": "quick exit", "keys": "ctrl+shift+x", "until": QUICK_EXIT},
]


def listen(steps, command, tmp_path):
    steps_file, out_file = tmp_path / "steps.json", tmp_path / "heard.json"
    steps_file.write_text(json.dumps(steps), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.run([sys.executable, "-m", "tests.a11y.orca_speech", str(steps_file), str(out_file), "--",
                          *command], cwd=REPO, env=env, capture_output=True, text=True, timeout=240)
    report = json.loads(out_file.read_text(encoding="utf-8")) if out_file.exists() else {}
    assert run.returncode != 2, f"Orca could not be started: {report.get('error') or run.stderr[-2000:]}\n" \
                                f"Orca: {report.get('orca_log', '')}"
    assert "Traceback" not in report.get("app_log", ""), report["app_log"]
    return report


def test_what_orca_says_from_the_search_box_to_quick_exit(library, tmp_path):
    report = listen(STEPS, [sys.executable, "-m", "caseguide", "--library", str(library)], tmp_path)
    heard = {step["label"]: step["heard"] for step in report["steps"]}
    said = "\n".join(f"[{step['label']}] " + " | ".join(step["heard"]) for step in report["steps"])
    assert not report["error"], f"{report['error']}; Orca said:\n{said}"

    def spoken(label, *phrases):
        """*phrases* were said in this order (each one whole) for the step *label*."""
        rest = heard[label]
        for phrase in phrases:
            assert phrase in rest, f"{label}: Orca never said {phrase!r} here; it said {heard[label]}"
            rest = rest[rest.index(phrase) + 1:]

    spoken("search box", "CaseGuide frame.", "Search guides text.")
    spoken("results", "notification 1 guide found.")  # the focus stays in the search box
    spoken("results list", "Search results.", "List with 1 item.",
           "Hospital charges. Know your rights. What a sample guide is for.")
    # the guide is a document named by its title, read from the caret (its first line, the title)
    spoken("guide", "Hospital charges read only document frame Hospital charges.",
           "H and Shift+H move by heading, K by link, Tab from link to link.")
    spoken("first heading", "Who pays heading level 2.")
    spoken("line above", "Hospitals in England may charge for some care.")  # the arrows read line by line
    spoken("arrow onto heading", "Who pays heading level 2.")  # and a heading with its level, once
    assert heard["arrow onto heading"].count("Who pays") == 0
    spoken("link", "the GP guide link.", "Guide: Registering with a GP.")
    spoken("next link", "NHS website link.", "Website: https://www.nhs.uk/")
    spoken("website box", "alert Open a web page? – CaseGuide.",
           "This link goes to the website \u2066www.nhs.uk\u2069. It will open in your web browser, which needs an "
           "internet connection. The address is https://www.nhs.uk/.",
           "Open in browser opens it, Copy address copies it, Cancel goes back to the guide.")
    spoken("website box focus", "Cancel push button.")
    spoken("back", "Hospital charges – CaseGuide frame.")
    spoken("F6 toolbar", "Navigation tool bar", "Back push button.")
    spoken("F6 search", "Search guides text.")
    spoken("F6 list", "Search results.", "Hospital charges. Know your rights. What a sample guide is for.")
    spoken("F6 guide", BACK_IN_GUIDE)  # read from the caret, still on the line it left
    spoken("quick exit", QUICK_EXIT)
    everything = [phrase for step in report["steps"] for phrase in step["heard"]]
    assert "Guide label." not in everything and not any(p.endswith(" label.") and "Guide" in p for p in everything)
