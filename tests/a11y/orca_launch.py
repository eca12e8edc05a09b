#!/usr/bin/python3
"""Start Orca for a test, as /usr/bin/orca starts it, with two differences (system Python only):

- It neither kills nor defers to other Orcas of this account. /usr/bin/orca --replace kills every
  process of the account named "orca" (another test run's, another person's), and without --replace
  it refuses to start while one runs; each test run has a display and buses of its own, so its Orca
  has nothing to share with theirs. It also keeps its process name (python3), out of their way.
- Its debug log is written line by line, not in 8 KB blocks, so what Orca has said can be read
  the moment it says it (orca_speech waits for phrases there).

usage: /usr/bin/python3 orca_launch.py DEBUG-LOG
"""

import builtins
import runpy
import sys

ORCA = "/usr/bin/orca"


def main() -> int:
    log = sys.argv[1]
    launcher = runpy.run_path(ORCA, run_name="orca_launcher")  # its functions, without running its main
    scope = launcher["main"].__globals__
    scope["otherOrcas"] = lambda: []
    scope["setProcessName"] = lambda name: None
    scope["open"] = lambda file, mode="r", *args, **kwargs: builtins.open(file, mode, 1, encoding="utf-8")
    sys.argv = ["orca", f"--debug-file={log}"]
    return launcher["main"]()


if __name__ == "__main__":
    sys.exit(main())
