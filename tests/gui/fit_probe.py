"""Run as a program: open CaseGuide's window as `caseguide` does, on whatever screen Qt was given
(QT_QPA_PLATFORM, QT_SCALE_FACTOR), and print where its parts are, as JSON. Optionally save a
picture of the window (argv[1])."""

import json
import sys

from PySide6.QtCore import QPoint, QTimer

from caseguide.gui.app import open_window


def global_rect(widget) -> list[int]:
    top_left = widget.mapToGlobal(QPoint(0, 0))
    return [top_left.x(), top_left.y(), widget.width(), widget.height()]


def main() -> None:
    app, window, instance = open_window()
    report = {}

    def measure():
        area = window.screen().availableGeometry()
        frame = window.frameGeometry()
        quick = window.toolbar.widgetForAction(window.actions_by_name["quick_exit"])
        report.update({
            "area": [area.x(), area.y(), area.width(), area.height()],
            "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
            "size": [window.width(), window.height()],
            "scale": window.screen().devicePixelRatio(),
            "status_bar": global_rect(window.statusBar()) if window.statusBar().isVisible() else None,
            "toolbar": global_rect(window.toolbar) if window.toolbar.isVisible() else None,
            "quick_exit": global_rect(quick) if quick.isVisible() else None,
            "menu_bar": global_rect(window.menuBar()) if window.menuBar().isVisible() else None,
        })
        if len(sys.argv) > 1:
            window.grab().save(sys.argv[1])
        app.quit()

    QTimer.singleShot(200, measure)  # after the window is up and has been fitted
    app.exec()
    instance.release()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
