"""Windows file permissions (ACLs), where POSIX modes mean nothing.

On Windows ``os.chmod`` only sets the read-only flag, so a secret key written
with mode 0o600 is readable by whoever the folder lets in, and a folder created
under ``C:\\ProgramData`` inherits "Users may create files". This module gives
a file or folder an explicit, protected (not inherited) access list, and tells
whether anyone but this user, SYSTEM and the Administrators may write to one.

The functions that call Windows (through ctypes, advapi32) work only on Windows. Who an access
list lets in is worked out by caseguide.winacl (the rules) from the binary list Windows keeps
(:func:`who_may`, which :func:`others_can_write` uses) or from SDDL text (:func:`granted`, through
caseguide.sddl), both pure Python and tested anywhere.
"""

from __future__ import annotations

import functools
import struct

from . import sddl, winacl
from .winacl import ADMINISTRATORS, EVERYONE, READ, SYSTEM, USERS, WRITE  # noqa: F401 - callers use them from here too

_PROTECTED_DACL = 0x80000000
_OWNER, _DACL = 0x1, 0x4


def granted(sddl_text: str, access: int = WRITE) -> set[str] | None:
    """The SIDs an SDDL text allows any of *access* (WRITE: create, change, delete or re-permit;
    READ), or None for everyone.

    Only entries that apply to the object itself count (an inherit-only entry is for what is
    created inside); a deny removes only what it refuses to the very SID it names. A missing or
    null access list, text that cannot be read, or an entry in it that cannot be, lets everyone in.
    """
    return winacl.who_may(sddl.dacl(sddl_text), access)


# Windows only ----------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _api():
    import ctypes
    from ctypes import wintypes

    advapi = ctypes.WinDLL("advapi32", use_last_error=True)
    kernel = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel.LocalFree.argtypes = [ctypes.c_void_p]
    kernel.GetCurrentProcess.restype = wintypes.HANDLE
    kernel.CloseHandle.argtypes = [wintypes.HANDLE]
    advapi.OpenProcessToken.argtypes = [wintypes.HANDLE, wintypes.DWORD, ctypes.POINTER(wintypes.HANDLE)]
    advapi.GetTokenInformation.argtypes = [wintypes.HANDLE, ctypes.c_int, ctypes.c_void_p, wintypes.DWORD,
                                           ctypes.POINTER(wintypes.DWORD)]
    advapi.ConvertSidToStringSidW.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_wchar_p)]
    advapi.GetNamedSecurityInfoW.argtypes = [wintypes.LPCWSTR, ctypes.c_int, wintypes.DWORD] + \
        [ctypes.POINTER(ctypes.c_void_p)] * 5
    advapi.GetNamedSecurityInfoW.restype = wintypes.DWORD
    advapi.ConvertSecurityDescriptorToStringSecurityDescriptorW.argtypes = [
        ctypes.c_void_p, wintypes.DWORD, wintypes.DWORD, ctypes.POINTER(ctypes.c_wchar_p),
        ctypes.POINTER(wintypes.ULONG)]
    advapi.ConvertStringSecurityDescriptorToSecurityDescriptorW.argtypes = [
        wintypes.LPCWSTR, wintypes.DWORD, ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(wintypes.ULONG)]
    advapi.SetFileSecurityW.argtypes = [wintypes.LPCWSTR, wintypes.DWORD, ctypes.c_void_p]
    return ctypes, wintypes, advapi, kernel


def _fail(ctypes, code: int | None = None) -> OSError:
    code = ctypes.get_last_error() if code is None else code
    return OSError(None, ctypes.FormatError(code).strip(), None, code)


@functools.lru_cache(maxsize=None)
def current_user_sid() -> str:
    """This process's user, as a SID string (S-1-5-21-...)."""
    ctypes, wintypes, advapi, kernel = _api()
    token = wintypes.HANDLE()
    if not advapi.OpenProcessToken(kernel.GetCurrentProcess(), 0x0008, ctypes.byref(token)):  # TOKEN_QUERY
        raise _fail(ctypes)
    try:
        size = wintypes.DWORD()
        advapi.GetTokenInformation(token, 1, None, 0, ctypes.byref(size))  # TokenUser
        buffer = ctypes.create_string_buffer(size.value)
        if not advapi.GetTokenInformation(token, 1, buffer, size, ctypes.byref(size)):
            raise _fail(ctypes)
        sid = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_void_p))[0]  # TOKEN_USER.User.Sid
        text = ctypes.c_wchar_p()
        if not advapi.ConvertSidToStringSidW(sid, ctypes.byref(text)):
            raise _fail(ctypes)
        try:
            return text.value
        finally:
            kernel.LocalFree(text)
    finally:
        kernel.CloseHandle(token)


def get_sddl(path) -> str:
    """The owner and access list of *path*, as SDDL text."""
    ctypes, wintypes, advapi, kernel = _api()
    descriptor = ctypes.c_void_p()
    null = ctypes.POINTER(ctypes.c_void_p)()
    error = advapi.GetNamedSecurityInfoW(str(path), 1, _OWNER | _DACL, null, null, null, null,  # SE_FILE_OBJECT
                                         ctypes.byref(descriptor))
    if error:
        raise _fail(ctypes, error)
    try:
        text = ctypes.c_wchar_p()
        if not advapi.ConvertSecurityDescriptorToStringSecurityDescriptorW(descriptor, 1, _OWNER | _DACL,
                                                                           ctypes.byref(text), None):
            raise _fail(ctypes)
        try:
            return text.value
        finally:
            kernel.LocalFree(text)
    finally:
        kernel.LocalFree(descriptor)


def set_dacl(path, dacl: str) -> None:
    """Replace the access list of *path* with *dacl* (SDDL such as ``D:P(A;;FA;;;SY)``), not inherited."""
    ctypes, wintypes, advapi, kernel = _api()
    descriptor = ctypes.c_void_p()
    if not advapi.ConvertStringSecurityDescriptorToSecurityDescriptorW(dacl, 1, ctypes.byref(descriptor), None):
        raise _fail(ctypes)
    try:
        if not advapi.SetFileSecurityW(str(path), _DACL | _PROTECTED_DACL, descriptor):
            raise _fail(ctypes)
    finally:
        kernel.LocalFree(descriptor)


def limit_to_owner(path) -> None:
    """Only this user may open *path* (a secret key)."""
    set_dacl(path, f"D:P(A;;FA;;;{current_user_sid()})")


def limit_to_administrators(folder) -> None:
    """Only SYSTEM and the Administrators may change *folder* and what is made in it; users may read."""
    set_dacl(folder, "D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)")


def who_may(path, access: int = WRITE) -> set[str] | None:
    """The SIDs the access list of *path* allows any of *access*, or None for everyone.

    Read from the binary list Windows keeps (each entry's type is a number there, its SID a
    structure), not from SDDL text: nothing in a conditional entry's expression can be mistaken
    for another entry."""
    ctypes, wintypes, advapi, kernel = _api()
    descriptor, dacl = ctypes.c_void_p(), ctypes.c_void_p()
    null = ctypes.POINTER(ctypes.c_void_p)()
    error = advapi.GetNamedSecurityInfoW(str(path), 1, _DACL, null, null, ctypes.byref(dacl), null,  # SE_FILE_OBJECT
                                         ctypes.byref(descriptor))
    if error:
        raise _fail(ctypes, error)
    try:
        if not dacl.value:
            return None  # a null access list: everyone may do anything
        size = struct.unpack("<H", ctypes.string_at(dacl.value + 2, 2))[0]  # ACL.AclSize
        entries = winacl.parse_acl(ctypes.string_at(dacl.value, size))
    finally:
        kernel.LocalFree(descriptor)
    return winacl.who_may(entries, access)


def others_can_write(path) -> bool:
    """True if anyone but this user, SYSTEM and the Administrators may write to *path*, or if
    that cannot be told (no access list, as on a FAT drive, or one that cannot be read in full,
    counts as anyone)."""
    try:
        allowed = who_may(path, WRITE)
        me = current_user_sid()
        owner = sddl.owner(get_sddl(path))
    except OSError:
        return True
    return outsiders_may_write(allowed, owner, me)


def outsiders_may_write(allowed: set[str] | None, owner: str | None, me: str) -> bool:
    """True if anyone but *me*, SYSTEM and the Administrators is among *allowed* (None: everyone),
    or owns the object: an owner may always change its access list (a folder a visitor made under
    C:\\ProgramData and then locked to the Administrators is still theirs to open again). An owner
    that cannot be read counts as someone else."""
    trusted = {me, SYSTEM, ADMINISTRATORS}
    return allowed is None or bool(allowed - trusted) or owner not in trusted


def is_admin() -> bool:
    """True if this process runs with administrator rights (elevated)."""
    import ctypes
    try:
        return bool(ctypes.windll.shell32.IsUserAnAdmin())
    except (AttributeError, OSError):
        return False
