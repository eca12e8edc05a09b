"""Gather the interface's words and bring every language's catalog up to date (scripts/dev.sh catalogs).

    python scripts/catalogs.py [--new CODE ...]

1. pybabel extract: every _(), N_(), ngettext() ... in caseguide/ into caseguide/locale/caseguide.pot;
2. for each caseguide/locale/<code>/LC_MESSAGES/caseguide.po, pybabel update: new words arrive
   untranslated, changed ones are marked fuzzy (a translator checks them), gone ones are kept as
   obsolete; --new CODE starts a catalog for another language, marked as a draft;
3. a summary of how complete each catalog is (what `caseguide languages` shows).

A new or changed catalog is a draft until a native speaker reviews it: its header comment says
"# Review status: draft", and the reviewer changes it to "reviewed" (see docs/languages.md).

Mark words only outside f-strings: on Python 3.11 the extractor does not look inside them
(tests/test_catalogs.py finds any it missed).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "caseguide" / "locale"
POT = LOCALE / "caseguide.pot"
# The review status lives in the catalog's header comment (which pybabel update and .po editors keep;
# Babel drops header fields it does not know). A reviewer changes "draft" to "reviewed" and adds their
# name and the date.
REVIEW_DRAFT = ("# Review status: draft. Machine-assisted first translation by the CaseGuide developers; "
                "not yet reviewed by a native speaker.")
KEYWORDS = ["_", "N_", "t", "gettext", "ngettext:1,2", "pgettext:1c,2"]


def version() -> str:
    import re

    text = (ROOT / "caseguide" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE).group(1)


def pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--new", nargs="*", default=[], metavar="CODE", help="start catalogs for these languages")
    args = parser.parse_args()
    keywords = [f"-k{k}" for k in KEYWORDS]
    pybabel("extract", "-F", str(LOCALE / "babel.cfg"), *keywords, "--no-location", "--sort-output",
            "--project=CaseGuide", f"--version={version()}", "--copyright-holder=CaseGuide",
            "--msgid-bugs-address=", "-o", str(POT), ".")
    for code in args.new:
        if not (LOCALE / code / "LC_MESSAGES" / "caseguide.po").exists():
            pybabel("init", "-D", "caseguide", "-i", str(POT), "-d", str(LOCALE), "-l", code)
            po = LOCALE / code / "LC_MESSAGES" / "caseguide.po"
            text = po.read_text(encoding="utf-8")
            first, rest = text.split("\n", 1)
            po.write_text(f"{first}\n{REVIEW_DRAFT}\n{rest}", encoding="utf-8")
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/caseguide.po")):
        pybabel("update", "-D", "caseguide", "-i", str(POT), "-d", str(LOCALE), "-l", po.parent.parent.name,
                "--no-wrap", "--ignore-obsolete")
    sys.path.insert(0, str(ROOT))
    from caseguide import i18n

    i18n.available.cache_clear()
    for code in i18n.available():
        info = i18n.language_info(code)
        print(f"{code:<5} {info.name:<20} {info.complete:>6.1%}  {'reviewed' if info.reviewed else 'draft'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
