"""The part of requirements.lock that a Windows x86-64 CPython 3.12 installs, hashes kept, markers gone.

    python scripts/windows/winlock.py requirements.lock OUT.txt

`pip download --platform win_amd64` fetches Windows wheels but evaluates the lock's markers for the
machine it runs on (Linux), so `colorama ; sys_platform == 'win32'` (pytest's) and `pefile` and
`pywin32-ctypes` (PyInstaller's) would be left out and PySide6 picked for the wrong Python. This
evaluates each marker for Windows instead and writes the chosen lines without them, for
`pip download --require-hashes --no-deps -r OUT.txt` and the Windows `pip install --require-hashes`.
Standard library and pip's own copy of `packaging` only.
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    from packaging.markers import Marker
except ImportError:  # a bare Python with pip
    from pip._vendor.packaging.markers import Marker

WINDOWS_CPYTHON_312 = {
    "implementation_name": "cpython", "implementation_version": "3.12.9", "os_name": "nt",
    "platform_machine": "AMD64", "platform_python_implementation": "CPython", "platform_release": "10",
    "platform_system": "Windows", "platform_version": "10.0.19045", "python_full_version": "3.12.9",
    "python_version": "3.12", "sys_platform": "win32",
}


def windows_lines(lock_text: str) -> list[str]:
    entries = lock_text.replace("\\\n", " ").splitlines()
    chosen = []
    for entry in entries:
        entry = entry.split("#", 1)[0].strip()
        if not entry or entry.startswith("-"):
            continue
        head, _, hashes = entry.partition("--hash")
        spec, _, marker = head.partition(";")
        if marker.strip() and not Marker(marker.strip()).evaluate(WINDOWS_CPYTHON_312):
            continue
        chosen.append(f"{spec.strip()} --hash{hashes}".strip())
    return chosen


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    lines = windows_lines(Path(argv[1]).read_text(encoding="utf-8"))
    Path(argv[2]).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} packages for Windows CPython 3.12 from {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
