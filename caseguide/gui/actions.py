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


# name: (text, standard and extra keys, icon, tooltip); the window gives each name its slot.
ACTIONS = {
    "back": ("&Back", [Std.Back], "go-back", None),
    "forward": ("&Forward", [Std.Forward], "go-forward", None),
    "home": ("&Home", ["Alt+Home"], "go-home", "The start page, with every guide (Alt+Home)"),
    "find": ("&Find…", [Std.Find], "search", None),
    "zoom_in": ("Zoom &In", [Std.ZoomIn, "Ctrl+="], "zoom-in", "Make the text bigger (Ctrl++)"),
    "zoom_out": ("Zoom &Out", [Std.ZoomOut], "zoom-out", "Make the text smaller (Ctrl+-)"),
    "zoom_reset": ("&Normal Size", ["Ctrl+0"], None, None),
    "print": ("&Print…", [Std.Print], "print",
              "Print the open guide, or the selected guides, as a handout (Ctrl+P)"),
    "export_pdf": ("&Export PDF…", ["Ctrl+Shift+E"], "export-pdf",
                   "Save the open guide, or the selected guides, as a PDF handout"),
    "large_print": ("&Large print handouts", [], None, None),
    "client_version": ("&Client version (leave out caseworker parts)", [], None, None),
    "preferences": ("Pre&ferences…", [Std.Preferences, "Ctrl+,"], None, None),
    "quit": ("&Quit", [Std.Quit, "Ctrl+Q"], None, None),
    "about": (f"&About {APP_NAME}", [], None, None),
    "quick_exit": ("Quick e&xit", ["Ctrl+Shift+X"], "quick-exit",
                   "Hide CaseGuide at once (or press Shift three times)"),
    "end_session": ("&End session", [], "end-session",
                    "Clear everything you did and start afresh for the next person"),
    "packs": ("&Content packs…", [], "packs", "Install, update or remove content packs"),
    "pin": ("&Pin to home page", ["Ctrl+D"], None, "Keep the open guide at the top of the home page (Ctrl+D)"),
    "unpin": ("&Unpin from home page", [], None, "Take the open guide off the home page"),
    "next_region": ("Next &part of the window", ["F6"], None,
                    "Move to the toolbar, the search box, the list or the guide (F6)"),
    "previous_region": ("Pre&vious part of the window", ["Shift+F6"], None, None),
    "shortcuts": ("&Keyboard shortcuts", [Std.HelpContents, "F1"], None, "Every key CaseGuide answers to (F1)"),
}
CHECKABLE = ("large_print", "client_version")


def build_actions(parent, slots: dict, shared: bool) -> dict[str, QAction]:
    """Every action of the main window, by name, and the menu bar (of *parent*) that holds them.

    *slots* maps each action's name to what it does (the checkable handout options need none);
    in shared mode End session joins the Go menu.
    """
    a: dict[str, QAction] = {}
    for name, (text, keys, icon_name, tip) in ACTIONS.items():
        a[name] = make_action(parent, text, slots.get(name, lambda: None), keys=keys, icon_name=icon_name, tip=tip)
    for name in CHECKABLE:
        a[name].setCheckable(True)

    menus = parent.menuBar()
    menus.setAccessibleName("Menu bar")
    file_menu = menus.addMenu("&File")
    for name in ("print", "export_pdf", None, "large_print", "client_version", None, "preferences", None,
                 "quit"):
        file_menu.addSeparator() if name is None else file_menu.addAction(a[name])
    go_menu = menus.addMenu("&Go")
    for name in ("back", "forward", "home", "find", None, "next_region", "previous_region"):
        go_menu.addSeparator() if name is None else go_menu.addAction(a[name])
    if not shared:  # a caseworker's shelf; a shared PC keeps nothing for anyone
        guide_menu = menus.addMenu("G&uide")
        guide_menu.addAction(a["pin"])
        guide_menu.addAction(a["unpin"])
    else:
        for name in ("pin", "unpin"):
            a[name].setEnabled(False)
            a[name].setVisible(False)
    menus.addMenu("&Library").addAction(a["packs"])
    view_menu = menus.addMenu("&View")
    for name in ("zoom_in", "zoom_out", "zoom_reset"):
        view_menu.addAction(a[name])
    go_menu.addSeparator()
    go_menu.addAction(a["quick_exit"])
    if shared:
        go_menu.addAction(a["end_session"])
    help_menu = menus.addMenu("&Help")
    help_menu.addAction(a["shortcuts"])
    help_menu.addAction(a["about"])

    return a
