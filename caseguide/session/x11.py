"""The Quick exit watchdog's hands on X11: which keys are down, which window has the keyboard, and
hiding CaseGuide's windows, all through the watchdog's *own* connection to the X server.

X has no owner check between clients: any client may unmap any window, so this works while the
window's own process is stuck. Plain Xlib through ctypes (libX11 is on every X11 desktop), so the
watchdog needs neither Qt nor a compiled module.
"""

from __future__ import annotations

import ctypes
import os

from ..errors import CaseGuideError

Window = ctypes.c_ulong
SHIFT_ROW, CONTROL_ROW = 0, 2  # rows of the modifier map: Shift, Lock, Control, Mod1...
XK_X = 0x78
VIEWABLE = 2  # map_state: IsUnmapped 0, IsUnviewable 1, IsViewable 2
MAX_DEPTH = 32  # ancestors followed from the focus window (a window manager's frames are 2 or 3 deep)


class Unavailable(CaseGuideError):
    """No X display to watch (Wayland without XWayland, no DISPLAY, no libX11)."""


class _ModifierKeymap(ctypes.Structure):
    _fields_ = [("max_keypermod", ctypes.c_int), ("modifiermap", ctypes.POINTER(ctypes.c_ubyte))]


class _WindowAttributes(ctypes.Structure):
    _fields_ = [("x", ctypes.c_int), ("y", ctypes.c_int), ("width", ctypes.c_int), ("height", ctypes.c_int),
                ("border_width", ctypes.c_int), ("depth", ctypes.c_int), ("visual", ctypes.c_void_p),
                ("root", Window), ("class_", ctypes.c_int), ("bit_gravity", ctypes.c_int),
                ("win_gravity", ctypes.c_int), ("backing_store", ctypes.c_int),
                ("backing_planes", ctypes.c_ulong), ("backing_pixel", ctypes.c_ulong),
                ("save_under", ctypes.c_int), ("colormap", ctypes.c_ulong), ("map_installed", ctypes.c_int),
                ("map_state", ctypes.c_int), ("all_event_masks", ctypes.c_long),
                ("your_event_mask", ctypes.c_long), ("do_not_propagate_mask", ctypes.c_long),
                ("override_redirect", ctypes.c_int), ("screen", ctypes.c_void_p)]


_ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)


@_ERROR_HANDLER
def _ignore_errors(display, event):
    # A window CaseGuide closed a moment ago is a BadWindow here; Xlib's default handler would end
    # the watchdog for it.
    return 0


def _library():
    try:
        x = ctypes.CDLL("libX11.so.6")
    except OSError:
        from ctypes.util import find_library  # asks ldconfig: 10 ms, only where the usual name fails

        name = find_library("X11")
        try:
            x = ctypes.CDLL(name or "libX11.so.6")
        except OSError as exc:
            raise Unavailable(f"libX11 cannot be loaded ({exc})") from None
    x.XOpenDisplay.restype = ctypes.c_void_p
    x.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x.XSetErrorHandler.argtypes = [_ERROR_HANDLER]
    x.XSetErrorHandler.restype = ctypes.c_void_p
    x.XDefaultScreen.argtypes = [ctypes.c_void_p]
    x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x.XDefaultRootWindow.restype = Window
    x.XQueryKeymap.argtypes = [ctypes.c_void_p, ctypes.c_char * 32]
    x.XGetModifierMapping.argtypes = [ctypes.c_void_p]
    x.XGetModifierMapping.restype = ctypes.POINTER(_ModifierKeymap)
    x.XFreeModifiermap.argtypes = [ctypes.POINTER(_ModifierKeymap)]
    x.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    x.XKeysymToKeycode.restype = ctypes.c_ubyte
    x.XGetInputFocus.argtypes = [ctypes.c_void_p, ctypes.POINTER(Window), ctypes.POINTER(ctypes.c_int)]
    x.XQueryTree.argtypes = [ctypes.c_void_p, Window, ctypes.POINTER(Window), ctypes.POINTER(Window),
                             ctypes.POINTER(ctypes.POINTER(Window)), ctypes.POINTER(ctypes.c_uint)]
    x.XFree.argtypes = [ctypes.c_void_p]
    x.XGetWindowAttributes.argtypes = [ctypes.c_void_p, Window, ctypes.POINTER(_WindowAttributes)]
    x.XWithdrawWindow.argtypes = [ctypes.c_void_p, Window, ctypes.c_int]
    x.XFlush.argtypes = [ctypes.c_void_p]
    x.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    x.XCloseDisplay.argtypes = [ctypes.c_void_p]
    return x


def wayland_only() -> bool:
    """A Wayland session with no X server to ask (no XWayland): nothing can be watched."""
    return bool(os.environ.get("WAYLAND_DISPLAY")) and not os.environ.get("DISPLAY")


class X11Screen:
    """The X server as the watchdog sees it. Raises Unavailable if there is none to talk to."""

    def __init__(self):
        if wayland_only():
            raise Unavailable("Wayland without XWayland: other programs' windows cannot be watched")
        if not os.environ.get("DISPLAY"):
            raise Unavailable("no X display (DISPLAY is not set)")
        self.x = x = _library()
        self.display = x.XOpenDisplay(None)
        if not self.display:
            raise Unavailable("the X display cannot be opened")
        x.XSetErrorHandler(_ignore_errors)
        self.screen = x.XDefaultScreen(self.display)
        self.root = x.XDefaultRootWindow(self.display)
        self.shift, self.ctrl = self._modifier_keys()
        self.x_key = frozenset({x.XKeysymToKeycode(self.display, XK_X)} - {0})
        self._keymap = (ctypes.c_char * 32)()

    def _modifier_keys(self) -> tuple[frozenset, frozenset]:
        """The key codes that are Shift and Control on this keyboard (both sides, and any remapping)."""
        mapping = self.x.XGetModifierMapping(self.display)
        try:
            per = mapping.contents.max_keypermod
            rows = [frozenset(mapping.contents.modifiermap[row * per + n] for n in range(per)) - {0}
                    for row in (SHIFT_ROW, CONTROL_ROW)]
        finally:
            self.x.XFreeModifiermap(mapping)
        return rows[0], rows[1]

    def keys_down(self) -> frozenset:
        """The key codes held down now (the server's own record: what a person pressed, whichever window)."""
        self.x.XQueryKeymap(self.display, self._keymap)
        down = set()
        for byte_index, byte in enumerate(self._keymap.raw):
            if byte:
                down.update(byte_index * 8 + bit for bit in range(8) if byte >> bit & 1)
        return frozenset(down)

    def _parent(self, window: int) -> int:
        root, parent = Window(), Window()
        children, count = ctypes.POINTER(Window)(), ctypes.c_uint()
        if not self.x.XQueryTree(self.display, window, ctypes.byref(root), ctypes.byref(parent),
                                 ctypes.byref(children), ctypes.byref(count)):
            return 0
        if children:
            self.x.XFree(children)
        return parent.value

    def _lineage(self, window: int) -> list[int]:
        """*window* and its ancestors below the root (a window manager's frames among them)."""
        line = []
        while window and window != self.root and len(line) < MAX_DEPTH:
            line.append(window)
            window = self._parent(window)
        return line

    def focused(self, windows) -> bool:
        """True when the keyboard's focus is in one of *windows*, on one of their children, or on the
        frame a window manager put round one of them."""
        focus, revert = Window(), ctypes.c_int()
        self.x.XGetInputFocus(self.display, ctypes.byref(focus), ctypes.byref(revert))
        if focus.value in (0, 1):  # None, PointerRoot
            return False
        if set(self._lineage(focus.value)) & set(windows):
            return True
        return any(focus.value in self._lineage(window)[1:] for window in windows)

    def shown(self, window: int) -> bool:
        attributes = _WindowAttributes()
        if not self.x.XGetWindowAttributes(self.display, window, ctypes.byref(attributes)):
            return False  # gone
        return attributes.map_state != 0

    def hide(self, windows) -> int:
        """Withdraw every one of *windows* that is on screen (an unmap, and the synthetic unmap that
        tells a window manager to take its frame away too); returns how many were."""
        hidden = 0
        for window in windows:
            if self.shown(window):
                self.x.XWithdrawWindow(self.display, window, self.screen)
                hidden += 1
        self.x.XFlush(self.display)
        return hidden

    def keep_hidden(self, windows) -> int:
        """After hiding: a window the stuck process maps meanwhile goes again."""
        return self.hide(windows)

    def release(self) -> None:
        """Nothing to undo on X11: the window's own process shows its windows again when it wants to."""

    def close(self) -> None:
        if self.display:
            self.x.XCloseDisplay(self.display)
            self.display = None
