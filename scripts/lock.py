"""The locked dependency set (requirements.lock) and the environment that should match it.

    python scripts/lock.py check    exit 1, listing each difference, unless this Python's installed
                                    packages are exactly the lock's (for this platform), plus pip and
                                    CaseGuide itself
    python scripts/lock.py extras   print the installed packages the lock does not name (to remove)

requirements.lock is `uv pip compile --universal --generate-hashes` output (see scripts/dev.sh lock):
one `name==version ; marker` line per package, each with the hashes of every file of that release.
Installs use `pip install --require-hashes`, so a file that differs from the one locked is refused.
Standard library only, apart from `packaging` (which the lock itself installs), so build_installer.py
can use it too.
"""

from __future__ import annotations

import importlib.metadata
import re
import sys
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / "requirements.lock"
ALWAYS_ALLOWED = {"pip", "caseguide"}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked() -> dict[str, str]:
    """{normalised name: version} of the lock's packages that apply to this interpreter and platform."""
    from packaging.markers import Marker

    text = LOCK.read_text(encoding="utf-8").replace("\\\n", " ")
    wanted = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        spec, _, marker = line.partition(";")
        marker = marker.split("--hash", 1)[0].strip()
        name, _, version = spec.split("--hash", 1)[0].strip().partition("==")
        if marker and not Marker(marker).evaluate():
            continue
        wanted[_normal(name)] = version.strip()
    return wanted


def installed() -> dict[str, str]:
    return {_normal(d.metadata["Name"]): d.version for d in importlib.metadata.distributions()}


def differences() -> list[str]:
    wanted, have = locked(), installed()
    problems = [f"{name} is not installed (the lock has {version})"
                for name, version in sorted(wanted.items()) if name not in have]
    problems += [f"{name} {have[name]} is installed; the lock has {version}"
                 for name, version in sorted(wanted.items()) if name in have and have[name] != version]
    problems += [f"{name} {have[name]} is installed but not in the lock"
                 for name in sorted(set(have) - set(wanted) - ALWAYS_ALLOWED)]
    return problems


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "extras":
        print("\n".join(sorted(set(installed()) - set(locked()) - ALWAYS_ALLOWED)))
        return 0
    if command == "check":
        problems = differences()
        for problem in problems:
            print(f"lock: {problem}", file=sys.stderr)
        if problems:
            print("lock: this environment is not the locked set; run 'scripts/dev.sh setup'", file=sys.stderr)
            return 1
        print(f"lock: this environment is exactly the locked set ({len(locked())} packages)")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
