"""The window's actions, with the platform's standard shortcuts, and the menus that hold them."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from .. import APP_NAME
from .icons import icon

Std = QKeySequence.StandardKey


def make_action(parent, text, slot, *, keys=(), icon_name=None, tip=None) -> QAction:
    """An action whose shortcuts are the platform's standard ones plus any extras.

    *keys* holds StandardKey values and key strings; a string is added only if
    the standard ones do not already include it (e.g. Ctrl+Q on Windows, where
    the standard Quit sequence is empty).
    """
    action = QAction(text, parent)
    sequences: list[QKeySequence] = []
    for key in keys:
        found = QKeySequence.keyBindings(key) if isinstance(key, Std) else [QKeySequence(key)]
        sequences += [s for s in found if not s.isEmpty() and s not in sequences]
    if sequences:
        action.setShortcuts(sequences)
    if icon_name:
        action.setIcon(icon(icon_name))
    plain = text.replace("&", "")
    shortcut = sequences[0].toString(QKeySequence.SequenceFormat.NativeText) if sequences else ""
    action.setToolTip(tip or (f"{plain} ({shortcut})" if shortcut else plain))
    action.setStatusTip(tip or plain)
    action.triggered.connect(slot)
    parent.addAction(action)
    return action


def build_actions(window) -> dict[str, QAction]:
    """Every action of the main window, by name, and the menu bar that holds them.

    The window's own methods do the work; in shared mode End session joins the Go menu.
    """
    a: dict[str, QAction] = {}
    a["back"] = make_action(window, "&Back", window.go_back, keys=[Std.Back], icon_name="go-back")
    a["forward"] = make_action(window, "&Forward", window.go_forward, keys=[Std.Forward],
                               icon_name="go-forward")
    a["home"] = make_action(window, "&Home", window.go_home, keys=["Alt+Home"], icon_name="go-home",
                            tip="The start page, with every guide (Alt+Home)")
    a["find"] = make_action(window, "&Find…", window.focus_search, keys=[Std.Find], icon_name="search")
    a["zoom_in"] = make_action(window, "Zoom &In", lambda: window.view.zoom_by(1),
                               keys=[Std.ZoomIn, "Ctrl+="], icon_name="zoom-in",
                               tip="Make the text bigger (Ctrl++)")
    a["zoom_out"] = make_action(window, "Zoom &Out", lambda: window.view.zoom_by(-1),
                                keys=[Std.ZoomOut], icon_name="zoom-out",
                                tip="Make the text smaller (Ctrl+-)")
    a["zoom_reset"] = make_action(window, "&Normal Size", window.view.reset_zoom, keys=["Ctrl+0"])
    a["print"] = make_action(window, "&Print…", window.print_handout, keys=[Std.Print], icon_name="print",
                             tip="Print the open guide, or the selected guides, as a handout (Ctrl+P)")
    a["export_pdf"] = make_action(window, "&Export PDF…", window.export_pdf, keys=["Ctrl+Shift+E"],
                                  icon_name="export-pdf",
                                  tip="Save the open guide, or the selected guides, as a PDF handout")
    a["large_print"] = make_action(window, "&Large print handouts", lambda: None)
    a["large_print"].setCheckable(True)
    a["client_version"] = make_action(window, "&Client version (leave out caseworker parts)", lambda: None)
    a["client_version"].setCheckable(True)
    a["preferences"] = make_action(window, "Pre&ferences…", window.show_preferences,
                                   keys=[Std.Preferences, "Ctrl+,"])
    a["quit"] = make_action(window, "&Quit", window.close, keys=[Std.Quit, "Ctrl+Q"])
    a["about"] = make_action(window, f"&About {APP_NAME}", window.show_about)
    a["quick_exit"] = make_action(window, "Quick e&xit", window.quick_exit, keys=["Ctrl+Shift+X"],
                                  icon_name="quick-exit",
                                  tip="Hide CaseGuide at once (or press Shift three times)")
    a["end_session"] = make_action(window, "&End session", window.reset_session, icon_name="end-session",
                                   tip="Clear everything you did and start afresh for the next person")
    a["packs"] = make_action(window, "&Content packs…", lambda: window.show_packs(), icon_name="packs",
                             tip="Install, update or remove content packs")

    menus = window.menuBar()
    file_menu = menus.addMenu("&File")
    for name in ("print", "export_pdf", None, "large_print", "client_version", None, "preferences", None,
                 "quit"):
        file_menu.addSeparator() if name is None else file_menu.addAction(a[name])
    go_menu = menus.addMenu("&Go")
    for name in ("back", "forward", "home", "find"):
        go_menu.addAction(a[name])
    menus.addMenu("&Library").addAction(a["packs"])
    view_menu = menus.addMenu("&View")
    for name in ("zoom_in", "zoom_out", "zoom_reset"):
        view_menu.addAction(a[name])
    go_menu.addSeparator()
    go_menu.addAction(a["quick_exit"])
    if window.shared:
        go_menu.addAction(a["end_session"])
    menus.addMenu("&Help").addAction(a["about"])

    return a
