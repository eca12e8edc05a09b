"""Where ``python -m caseguide`` and the bundle's executables begin.

The window starts its Quick exit watchdog (``caseguide.session.watchdog``) as this same executable
with WATCHDOG_ARGUMENT first, since a frozen bundle has no ``python -m``: that goes straight to the
watchdog, before the command line's modules (about 50 ms of imports) and long before anything Qt.
"""

from __future__ import annotations

import sys

WATCHDOG_ARGUMENT = "--quick-exit-watchdog"


def main() -> int:
    if sys.argv[1:2] == [WATCHDOG_ARGUMENT]:
        from .session.watchdog import main as watchdog

        return watchdog()
    from .cli import main as command_line

    return command_line()
