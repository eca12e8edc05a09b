"""The Quick exit watchdog's hands on Windows: which keys are down, whether a CaseGuide window is in
front, and getting CaseGuide's windows off the screen while their own thread is stuck.

Windows lets no other process hide a window whose thread is not answering: ShowWindow and
SetWindowPos on it wait for that thread (they send it messages). What does not wait: reading where
a window is (GetWindowRect, IsWindowVisible), and this process's own windows. So the watchdog puts
one window of its own over each CaseGuide window, topmost, painted with the desktop's wallpaper
(PaintDesktop), never taking the keyboard; it takes CaseGuide's button off the taskbar (ITaskbarList,
a request to Explorer, which holds the title); and it queues a hide (ShowWindowAsync) that CaseGuide's
thread carries out the moment it is free. A cover goes as soon as its window is really hidden.
A window Windows has replaced with its "not responding" ghost (after 5 s) is found through the ghost.
"""

from __future__ import annotations

import ctypes
import sys
from ctypes import wintypes

from ..errors import CaseGuideError

# Virtual-key codes: both sides of Shift and Ctrl, the letter X, and every other key (not the mouse
# buttons, and not the side-less Shift, Ctrl and Alt codes, which repeat the sided ones).
SHIFT = frozenset({0xA0, 0xA1})
CTRL = frozenset({0xA2, 0xA3})
X_KEY = frozenset({0x58})
KEYS = tuple(code for code in range(0x08, 0xFF) if code not in (0x10, 0x11, 0x12, 0xFF))

WS_POPUP, WS_VISIBLE = 0x80000000, 0x10000000
WS_EX_TOPMOST, WS_EX_TOOLWINDOW, WS_EX_NOACTIVATE = 0x8, 0x80, 0x08000000
SW_HIDE = 0
SWP_NOACTIVATE, SWP_SHOWWINDOW = 0x10, 0x40
HWND_TOPMOST = -1
WM_ERASEBKGND, WM_MOUSEACTIVATE, MA_NOACTIVATE = 0x0014, 0x0021, 3
PM_REMOVE = 1
CLASS_NAME = "CaseGuideQuickExitCover"
TASKBAR_LIST = "{56FDF344-FD6D-11d0-958A-006097C9A090}"
I_TASKBAR_LIST = "{56FDF342-FD6D-11d0-958A-006097C9A090}"

LRESULT = ctypes.c_ssize_t
WNDPROC = ctypes.WINFUNCTYPE(LRESULT, wintypes.HWND, wintypes.UINT, wintypes.WPARAM, wintypes.LPARAM) \
    if sys.platform == "win32" else None


class Unavailable(CaseGuideError):
    """Not Windows, or its window functions cannot be reached."""


class _WndClass(ctypes.Structure):
    _fields_ = [("cbSize", wintypes.UINT), ("style", wintypes.UINT), ("lpfnWndProc", ctypes.c_void_p),
                ("cbClsExtra", ctypes.c_int), ("cbWndExtra", ctypes.c_int), ("hInstance", wintypes.HINSTANCE),
                ("hIcon", wintypes.HICON), ("hCursor", wintypes.HANDLE), ("hbrBackground", wintypes.HBRUSH),
                ("lpszMenuName", wintypes.LPCWSTR), ("lpszClassName", wintypes.LPCWSTR),
                ("hIconSm", wintypes.HICON)]


def _user32():
    u = ctypes.WinDLL("user32", use_last_error=True)
    u.GetAsyncKeyState.argtypes = [ctypes.c_int]
    u.GetAsyncKeyState.restype = ctypes.c_short
    u.GetForegroundWindow.restype = wintypes.HWND
    u.IsWindow.argtypes = u.IsWindowVisible.argtypes = [wintypes.HWND]
    u.GetWindowRect.argtypes = [wintypes.HWND, ctypes.POINTER(wintypes.RECT)]
    u.ShowWindowAsync.argtypes = [wintypes.HWND, ctypes.c_int]
    u.CreateWindowExW.argtypes = [wintypes.DWORD, wintypes.LPCWSTR, wintypes.LPCWSTR, wintypes.DWORD,
                                  ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int, wintypes.HWND,
                                  wintypes.HMENU, wintypes.HINSTANCE, wintypes.LPVOID]
    u.CreateWindowExW.restype = wintypes.HWND
    u.DestroyWindow.argtypes = [wintypes.HWND]
    u.SetWindowPos.argtypes = [wintypes.HWND, wintypes.HWND, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                               ctypes.c_int, wintypes.UINT]
    u.DefWindowProcW.argtypes = [wintypes.HWND, wintypes.UINT, wintypes.WPARAM, wintypes.LPARAM]
    u.DefWindowProcW.restype = LRESULT
    u.PaintDesktop.argtypes = [wintypes.HDC]
    u.RegisterClassExW.argtypes = [ctypes.POINTER(_WndClass)]
    u.RegisterClassExW.restype = wintypes.ATOM
    u.PeekMessageW.argtypes = [ctypes.POINTER(wintypes.MSG), wintypes.HWND, wintypes.UINT, wintypes.UINT,
                               wintypes.UINT]
    u.TranslateMessage.argtypes = u.DispatchMessageW.argtypes = [ctypes.POINTER(wintypes.MSG)]
    u.DispatchMessageW.restype = LRESULT
    hung = getattr(u, "HungWindowFromGhostWindow", None)  # exported since Vista, not documented
    if hung is not None:
        hung.argtypes, hung.restype = [wintypes.HWND], wintypes.HWND
    return u


@(WNDPROC or (lambda f: f))
def _cover_proc(hwnd, message, wparam, lparam):
    if message == WM_ERASEBKGND:
        _USER32.PaintDesktop(wparam)  # the wallpaper, where it is on the screen: no grey box to notice
        return 1
    if message == WM_MOUSEACTIVATE:
        return MA_NOACTIVATE
    return _USER32.DefWindowProcW(hwnd, message, wparam, lparam)


_USER32 = None


class WindowsScreen:
    """Windows as the watchdog sees it. Raises Unavailable off Windows."""

    shift, ctrl, x_key = SHIFT, CTRL, X_KEY

    def __init__(self):
        global _USER32
        if sys.platform != "win32":
            raise Unavailable("not Windows")
        try:
            self.user = _USER32 = _user32()
        except OSError as exc:
            raise Unavailable(f"user32 cannot be loaded ({exc})") from None
        # Rectangles in real pixels, the same whatever scaling CaseGuide's own window runs with.
        aware = getattr(self.user, "SetProcessDpiAwarenessContext", None)
        if aware is None or not aware(ctypes.c_void_p(-4)):  # PER_MONITOR_AWARE_V2
            getattr(self.user, "SetProcessDPIAware", lambda: None)()
        self.instance = ctypes.WinDLL("kernel32").GetModuleHandleW(None)
        self.covers: dict[int, int] = {}  # CaseGuide's window -> the cover over it
        self._class = None
        self._cover_class()  # now, not in the 200 ms after the keys

    def keys_down(self) -> frozenset:
        state = self.user.GetAsyncKeyState
        return frozenset(code for code in KEYS if state(code) & 0x8000)

    def _real(self, hwnd) -> int:
        """The window behind *hwnd* if it is a ghost Windows shows for a window that is not answering."""
        hung = getattr(self.user, "HungWindowFromGhostWindow", None)
        behind = hung(hwnd) if hung is not None and hwnd else None
        return behind or hwnd or 0

    def focused(self, windows) -> bool:
        front = self.user.GetForegroundWindow()
        return bool(front) and (front in windows or self._real(front) in windows)

    def _cover_class(self):
        if self._class is None:
            self._class = _WndClass(cbSize=ctypes.sizeof(_WndClass),
                                    lpfnWndProc=ctypes.cast(_cover_proc, ctypes.c_void_p),
                                    hInstance=self.instance, lpszClassName=CLASS_NAME)
            self.user.RegisterClassExW(ctypes.byref(self._class))
        return CLASS_NAME

    def _place(self, cover: int, rect: wintypes.RECT) -> None:
        self.user.SetWindowPos(cover, HWND_TOPMOST, rect.left, rect.top, rect.right - rect.left,
                               rect.bottom - rect.top, SWP_NOACTIVATE | SWP_SHOWWINDOW)

    def _targets(self, windows) -> list[int]:
        """CaseGuide's windows on screen, and the ghost in front if it stands for one of them."""
        shown = [w for w in windows if self.user.IsWindowVisible(w)]
        front = self.user.GetForegroundWindow()
        if front and front not in windows and self._real(front) in windows:
            shown.append(front)
        return shown

    def hide(self, windows) -> int:
        """Cover every CaseGuide window on screen now, then ask for the real hide; returns how many."""
        targets = self._targets(windows)
        for window in targets:
            rect = wintypes.RECT()
            if window in self.covers or not self.user.GetWindowRect(window, ctypes.byref(rect)):
                continue
            cover = self.user.CreateWindowExW(WS_EX_TOPMOST | WS_EX_TOOLWINDOW | WS_EX_NOACTIVATE,
                                              self._cover_class(), None, WS_POPUP, 0, 0, 0, 0, None, None,
                                              self.instance, None)
            if cover:
                self.covers[window] = cover
                self._place(cover, rect)
        self._pump()
        for window in targets:
            self.user.ShowWindowAsync(window, SW_HIDE)  # done by CaseGuide's thread when it is free
        self._off_taskbar(targets)
        return len(targets)

    def keep_hidden(self, windows) -> int:
        """Covers follow their windows; a window really hidden (or gone) loses its cover; one that
        appears meanwhile gets one."""
        for window, cover in list(self.covers.items()):
            rect = wintypes.RECT()
            if self.user.IsWindowVisible(window) and self.user.GetWindowRect(window, ctypes.byref(rect)):
                self._place(cover, rect)
            else:
                self.user.DestroyWindow(cover)
                del self.covers[window]
        new = [w for w in self._targets(windows) if w not in self.covers]
        if new:
            self.hide(new)
        self._pump()
        return len(self.covers)

    def release(self) -> None:
        """CaseGuide has hidden its windows itself: the covers go."""
        for cover in self.covers.values():
            self.user.DestroyWindow(cover)
        self.covers.clear()
        self._pump()

    def _pump(self) -> None:
        """This thread's window messages (the covers paint and answer through them)."""
        message = wintypes.MSG()
        while self.user.PeekMessageW(ctypes.byref(message), None, 0, 0, PM_REMOVE):
            self.user.TranslateMessage(ctypes.byref(message))
            self.user.DispatchMessageW(ctypes.byref(message))

    def _off_taskbar(self, windows) -> None:
        """Take the windows' buttons (and their titles) off the taskbar; the taskbar puts them back when
        CaseGuide shows a window again. Best effort: a shell without a taskbar has no ITaskbarList."""
        try:
            ole = ctypes.OleDLL("ole32")
            ole.CoInitializeEx(None, 2)  # apartment-threaded; S_FALSE if it already was
            clsid, iid = ctypes.create_string_buffer(16), ctypes.create_string_buffer(16)
            ole.CLSIDFromString(TASKBAR_LIST, clsid)
            ole.CLSIDFromString(I_TASKBAR_LIST, iid)
            taskbar = ctypes.c_void_p()
            ole.CoCreateInstance(clsid, None, 1, iid, ctypes.byref(taskbar))  # CLSCTX_INPROC_SERVER
        except OSError:
            return
        table = ctypes.cast(taskbar, ctypes.POINTER(ctypes.POINTER(ctypes.c_void_p))).contents
        method = ctypes.WINFUNCTYPE(ctypes.c_long, ctypes.c_void_p, wintypes.HWND)
        release = ctypes.WINFUNCTYPE(ctypes.c_ulong, ctypes.c_void_p)(table[2])
        if ctypes.WINFUNCTYPE(ctypes.c_long, ctypes.c_void_p)(table[3])(taskbar) == 0:  # HrInit
            for window in windows:
                method(table[5])(taskbar, window)  # DeleteTab
        release(taskbar)

    def close(self) -> None:
        self.release()
