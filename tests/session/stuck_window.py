"""A window whose thread stops answering, for tests/session/test_win32.py (Windows only).

    python stuck_window.py SECONDS

It opens a red window titled like CaseGuide's, brings it to the front, prints its handle, then handles
no messages for SECONDS (a stuck thread, as CaseGuide's is inside a long Qt call), prints ``free``,
handles its messages for a second and prints whether the window is still visible.
"""

import ctypes
import sys
import time
from ctypes import wintypes

RED = 0x0000FF  # COLORREF: 0x00bbggrr


class WndClass(ctypes.Structure):
    _fields_ = [("cbSize", wintypes.UINT), ("style", wintypes.UINT), ("lpfnWndProc", ctypes.c_void_p),
                ("cbClsExtra", ctypes.c_int), ("cbWndExtra", ctypes.c_int), ("hInstance", wintypes.HINSTANCE),
                ("hIcon", wintypes.HICON), ("hCursor", wintypes.HANDLE), ("hbrBackground", wintypes.HBRUSH),
                ("lpszMenuName", wintypes.LPCWSTR), ("lpszClassName", wintypes.LPCWSTR), ("hIconSm", wintypes.HICON)]


def main() -> int:
    user, gdi = ctypes.WinDLL("user32"), ctypes.WinDLL("gdi32")
    gdi.CreateSolidBrush.restype = wintypes.HBRUSH
    user.CreateWindowExW.restype = wintypes.HWND
    user.CreateWindowExW.argtypes = [wintypes.DWORD, wintypes.LPCWSTR, wintypes.LPCWSTR, wintypes.DWORD,
                                     ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int, wintypes.HWND,
                                     wintypes.HMENU, wintypes.HINSTANCE, wintypes.LPVOID]
    for name in ("IsWindowVisible", "SetForegroundWindow", "UpdateWindow"):
        getattr(user, name).argtypes = [wintypes.HWND]
    user.PeekMessageW.argtypes = [ctypes.POINTER(wintypes.MSG), wintypes.HWND, wintypes.UINT, wintypes.UINT,
                                  wintypes.UINT]
    user.DispatchMessageW.argtypes = [ctypes.POINTER(wintypes.MSG)]
    instance = ctypes.WinDLL("kernel32").GetModuleHandleW(None)
    proc = ctypes.cast(user.DefWindowProcW, ctypes.c_void_p)
    klass = WndClass(cbSize=ctypes.sizeof(WndClass), lpfnWndProc=proc, hInstance=instance,
                     hbrBackground=gdi.CreateSolidBrush(RED), lpszClassName="CaseGuideTestStuck")
    user.RegisterClassExW(ctypes.byref(klass))
    hwnd = user.CreateWindowExW(0, "CaseGuideTestStuck", "Hospital charges – CaseGuide", 0x10CF0000,
                                100, 100, 500, 400, None, None, instance, None)
    if not hwnd:
        print("none", flush=True)  # no window station to open a window on (Wine without a display)
        return 0
    user.SetForegroundWindow(hwnd)
    user.UpdateWindow(hwnd)

    def pump(seconds):
        message, end = wintypes.MSG(), time.monotonic() + seconds
        while time.monotonic() < end:
            while user.PeekMessageW(ctypes.byref(message), None, 0, 0, 1):
                user.DispatchMessageW(ctypes.byref(message))
            time.sleep(0.005)

    pump(0.3)
    print(hwnd, flush=True)
    time.sleep(float(sys.argv[1]))  # stuck: nothing is handled
    print("free", flush=True)
    pump(1.0)
    print("visible" if user.IsWindowVisible(hwnd) else "hidden", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
