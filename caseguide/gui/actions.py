"""The window's actions, with the platform's standard shortcuts."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

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
