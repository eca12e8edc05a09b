"""The window as `caseguide --library DIR` opens it, but laid out right to left (as for Arabic):
python -m tests.a11y.launch DIR. Qt takes the direction from the QApplication made here."""

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def main() -> int:
    app = QApplication([sys.argv[0]])
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    from caseguide.gui.app import run

    return run(Path(sys.argv[1]))


if __name__ == "__main__":
    sys.exit(main())
