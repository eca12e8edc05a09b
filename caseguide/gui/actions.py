"""The window's actions, with the platform's standard shortcuts, and the menus that hold them."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from .. import i18n
from ..i18n import N_, _
from .icons import icon

Std = QKeySequence.StandardKey


def make_action(parent, text, slot, *, keys=(), icon_name=None, tip=None) -> QAction:
    """An action whose shortcuts are the platform's standard ones plus any extras.

    *keys* holds StandardKey values and key strings; a string is added only if
    the standard ones do not already include it (e.g. Ctrl+Q on Windows, where
    the standard Quit sequence is empty).
    """
    action = QAction(parent)
    sequences: list[QKeySequence] = []
    for key in keys:
        found = QKeySequence.keyBindings(key) if isinstance(key, Std) else [QKeySequence(key)]
        sequences += [s for s in found if not s.isEmpty() and s not in sequences]
    if sequences:
        action.setShortcuts(sequences)
    # The English words (and the icon's name) are kept on the action, so it can be put in another
    # language, or turned to read right to left, at any time.
    action.setProperty("caseguide_icon", icon_name or "")
    action.setProperty("caseguide_text", text)
    action.setProperty("caseguide_tip", tip or "")
    translate_action(action)
    action.triggered.connect(slot)
    parent.addAction(action)
    return action


# In a window that reads right to left, Back points right and Forward left (as in any browser there).
MIRRORED_ICONS = {"go-back": "go-forward", "go-forward": "go-back"}


def translate_action(action: QAction) -> None:
    """Give *action* its words in the interface's language now (text, tooltip with its shortcut),
    and its icon the way round that language reads."""
    name = action.property("caseguide_icon")
    if name:
        rtl = i18n.is_rtl(i18n.current_language())
        action.setIcon(icon(MIRRORED_ICONS.get(name, name) if rtl else name))
    text = _(action.property("caseguide_text") or "")
    tip = action.property("caseguide_tip")
    action.setText(text)
    plain = text.replace("&", "")
    sequences = action.shortcuts()
    shortcut = sequences[0].toString(QKeySequence.SequenceFormat.NativeText) if sequences else ""
    action.setToolTip(_(tip) if tip else (f"{plain} ({shortcut})" if shortcut else plain))
    action.setStatusTip(_(tip) if tip else plain)


def translate_menus(window) -> None:
    """The menu bar's titles and every action, in the interface's language now."""
    menus = window.menuBar()
    menus.setAccessibleName(_("Menu bar"))
    for menu_action in menus.actions():
        title = menu_action.property("caseguide_text")
        if title:
            menu_action.setText(_(title))
    for action in window.actions():
        if action.property("caseguide_text"):
            translate_action(action)


def _menu(menus, title: str):
    menu = menus.addMenu(_(title))
    menu.menuAction().setProperty("caseguide_text", title)
    return menu


# name: (text, standard and extra keys, icon, tooltip); the window gives each name its slot.
ACTIONS = {
    "back": (N_("&Back"), [Std.Back], "go-back", None),
    "forward": (N_("&Forward"), [Std.Forward], "go-forward", None),
    "home": (N_("&Home"), ["Alt+Home"], "go-home", N_("The start page, with every guide (Alt+Home)")),
    "find": (N_("&Find…"), [Std.Find], "search", None),
    "zoom_in": (N_("Zoom &In"), [Std.ZoomIn, "Ctrl+="], "zoom-in", N_("Make the text bigger (Ctrl++)")),
    "zoom_out": (N_("Zoom &Out"), [Std.ZoomOut], "zoom-out", N_("Make the text smaller (Ctrl+-)")),
    "zoom_reset": (N_("&Normal Size"), ["Ctrl+0"], None, None),
    "print": (N_("&Print…"), [Std.Print], "print",
              N_("Print the open guide, or the selected guides, as a handout (Ctrl+P)")),
    "export_pdf": (N_("&Export PDF…"), ["Ctrl+Shift+E"], "export-pdf",
                   N_("Save the open guide, or the selected guides, as a PDF handout")),
    "large_print": (N_("&Large print handouts"), [], None, None),
    "client_version": (N_("&Client version (leave out caseworker parts)"), [], None, None),
    "preferences": (N_("Pre&ferences…"), [Std.Preferences, "Ctrl+,"], None, None),
    "quit": (N_("&Quit"), [Std.Quit, "Ctrl+Q"], None, None),
    "about": (N_("&About CaseGuide"), [], None, None),
    "quick_exit": (N_("Quick e&xit"), ["Ctrl+Shift+X"], "quick-exit",
                   N_("Hide CaseGuide at once (or press Shift three times)")),
    "end_session": (N_("&End session"), [], "end-session",
                    N_("Clear everything you did and start afresh for the next person")),
    "packs": (N_("&Content packs…"), [], "packs", N_("Install, update or remove content packs")),
    "pin": (N_("&Pin to home page"), ["Ctrl+D"], None, N_("Keep the open guide at the top of the home page (Ctrl+D)")),
    "unpin": (N_("&Unpin from home page"), [], None, N_("Take the open guide off the home page")),
    # Alt+Shift+H and Alt+Shift+K also: Orca's keys for its own lists of headings and links, in a web page
    "headings": (N_("&Headings…"), ["Ctrl+Shift+H", "Alt+Shift+H"], None, N_("List the headings of the open page and go to one "
                                                             "(Ctrl+Shift+H)")),
    "links": (N_("&Links in this guide…"), ["Ctrl+Shift+L", "Alt+Shift+K"], None, N_("List the links of the open page and "
                                                                       "follow one (Ctrl+Shift+L)")),
    "next_region": (N_("Next &part of the window"), ["F6"], None,
                    N_("Move to the toolbar, the search box, the list or the guide (F6)")),
    "previous_region": (N_("Pre&vious part of the window"), ["Shift+F6"], None, None),
    "shortcuts": (N_("&Keyboard shortcuts"), [Std.HelpContents, "F1"], None, N_("Every key CaseGuide answers to (F1)")),
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
    menus.setAccessibleName(_("Menu bar"))
    file_menu = _menu(menus, N_("&File"))
    for name in ("print", "export_pdf", None, "large_print", "client_version", None, "preferences", None,
                 "quit"):
        file_menu.addSeparator() if name is None else file_menu.addAction(a[name])
    go_menu = _menu(menus, N_("&Go"))
    for name in ("back", "forward", "home", "find", None, "next_region", "previous_region"):
        go_menu.addSeparator() if name is None else go_menu.addAction(a[name])
    guide_menu = _menu(menus, N_("G&uide"))
    guide_menu.addAction(a["headings"])
    guide_menu.addAction(a["links"])
    if not shared:  # a caseworker's shelf; a shared PC keeps nothing for anyone
        guide_menu.addSeparator()
        guide_menu.addAction(a["pin"])
        guide_menu.addAction(a["unpin"])
    else:
        for name in ("pin", "unpin"):
            a[name].setEnabled(False)
            a[name].setVisible(False)
    _menu(menus, N_("&Library")).addAction(a["packs"])
    view_menu = _menu(menus, N_("&View"))
    for name in ("zoom_in", "zoom_out", "zoom_reset"):
        view_menu.addAction(a[name])
    go_menu.addSeparator()
    go_menu.addAction(a["quick_exit"])
    if shared:
        go_menu.addAction(a["end_session"])
    help_menu = _menu(menus, N_("&Help"))
    help_menu.addAction(a["shortcuts"])
    help_menu.addAction(a["about"])

    return a
