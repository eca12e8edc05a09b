"""Reading Windows access lists (SDDL text), which decides who may write a machine-wide folder or a
search index. The text tests run on every platform; the last ones need Windows: they check the
binary list Windows makes of a text reads the same, and set access lists on real folders
(test_winacl reads binary lists, the ones others_can_write reads, on every platform).

Each SDDL here is what Windows writes (ConvertSecurityDescriptorToStringSecurityDescriptor, Get-Acl's
.Sddl, icacls /save): the comment above it says where it comes from. Masks are spelt as Windows spells
them: a name when the mask is exactly one (FA, FR, FW), the two-letter rights run together when they
cover it (0x116 is DCLCRPCR), hex otherwise (0x1200a9 is read and execute, 0x1301bf modify)."""

import ctypes
import os

import pytest

from caseguide import winacl, winsec
from caseguide.winsec import ADMINISTRATORS, EVERYONE, READ, SYSTEM, USERS, WRITE, granted

from . import acl_bytes as b

ME = "S-1-5-21-1004336348-1177238915-682003330-1001"
VISITOR = "S-1-5-21-1004336348-1177238915-682003330-1002"
AUTHENTICATED = "S-1-5-11"
TRUSTED_INSTALLER = "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464"
GUID = "bf967aba-0de6-11d0-a285-00aa003049e2"  # the "user" object class, from Microsoft's SDDL examples

# C:\ProgramData as Windows 10 and 11 set it up: icacls lists SYSTEM and Administrators (OI)(CI)(F),
# CREATOR OWNER (OI)(CI)(IO)(F), Users (OI)(CI)(RX) and Users (CI)(WD,AD,WEA,WA): "Users may create
# files and folders". Also in public fixtures read from real installations with Get-Acl.
PROGRAMDATA = ("O:SYG:SYD:PAI(A;OICIIO;GA;;;CO)(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)"
               "(A;CI;DCLCRPCR;;;BU)")
# C:\ on Windows 11 (Get-Acl, same fixtures): owned by TrustedInstaller; Authenticated Users may add
# folders (LC, icacls (AD)) and get Modify (SD GX GW GR) on what they make; an app capability reads.
DRIVE_ROOT = (f"O:{TRUSTED_INSTALLER}G:SYD:PAI(A;;LC;;;AU)(A;OICIIO;SDGXGWGR;;;AU)(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)"
              "(A;OICI;0x1200a9;;;BU)(A;;0x1000a1;;;S-1-15-3-65536-1888954469-739942743-1668119174-2468466756-"
              "4239452838-1296943325-355587736-700089176)")
# A folder made on a second drive (D:\): everything inherited (ID). Windows splits each inheritable
# generic entry of the drive root into one for the folder (FA, 0x1301bf modify) and an inherit-only
# one (GA, SDGXGWGR) for what is made inside.
DATA_DRIVE_FOLDER = ("D:AI(A;ID;FA;;;BA)(A;OICIIOID;GA;;;BA)(A;ID;FA;;;SY)(A;OICIIOID;GA;;;SY)(A;ID;0x1301bf;;;AU)"
                     "(A;OICIIOID;SDGXGWGR;;;AU)(A;ID;0x1200a9;;;BU)(A;OICIIOID;GXGR;;;BU)")
# A user's profile folder (C:\Users\name): inheritance off, SYSTEM, Administrators and the user (OI)(CI)(F).
PROFILE = f"O:{ME}D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;{ME})"
# CaseGuide's index cache under %LOCALAPPDATA%: the profile's three entries, inherited.
CACHE_FOLDER = f"O:{ME}D:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIID;FA;;;{ME})"
# The same after `icacls folder /grant Users:(OI)(CI)M`: icacls puts explicit entries before inherited ones.
CACHE_FOLDER_USERS_MODIFY = f"O:{ME}D:AI(A;OICI;0x1301bf;;;BU)(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIID;FA;;;{ME})"
# A folder a visitor made under C:\ProgramData before CaseGuide was installed: CREATOR OWNER's
# entry becomes one for the visitor, and Users' (CI) "may create" entry is inherited too.
VISITORS_PROGRAMDATA_FOLDER = (f"O:{VISITOR}D:AI(A;ID;FA;;;{VISITOR})(A;OICIIOID;GA;;;CO)(A;OICIID;FA;;;SY)"
                               "(A;OICIID;FA;;;BA)(A;OICIID;0x1200a9;;;BU)(A;CIID;DCLCRPCR;;;BU)")
# What CaseGuide (limit_to_administrators) and the icacls command its warning gives
# (/inheritance:r /grant:r SYSTEM and Administrators (OI)(CI)F, Users (OI)(CI)RX) leave.
FOR_ADMINISTRATORS = "O:BAD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)"

REAL_FOLDERS = [
    (PROGRAMDATA, {SYSTEM, ADMINISTRATORS, USERS}),
    (DRIVE_ROOT, {SYSTEM, ADMINISTRATORS, AUTHENTICATED}),
    (DATA_DRIVE_FOLDER, {SYSTEM, ADMINISTRATORS, AUTHENTICATED}),
    (PROFILE, {SYSTEM, ADMINISTRATORS, ME}),
    (CACHE_FOLDER, {SYSTEM, ADMINISTRATORS, ME}),
    (CACHE_FOLDER_USERS_MODIFY, {SYSTEM, ADMINISTRATORS, ME, USERS}),
    (VISITORS_PROGRAMDATA_FOLDER, {VISITOR, SYSTEM, ADMINISTRATORS, USERS}),
    (FOR_ADMINISTRATORS, {SYSTEM, ADMINISTRATORS}),
]


@pytest.mark.parametrize("sddl, writers", REAL_FOLDERS)
def test_who_may_write_real_folders(sddl, writers):
    assert granted(sddl, WRITE) == writers


@pytest.mark.parametrize("sddl, writers", [
    (f"O:{ME}D:(A;OICI;FA;;;WD)", {EVERYONE}),
    (f"D:(A;;GW;;;{ME})(A;;0x120116;;;AU)", {ME, AUTHENTICATED}),
    ("D:(A;;WD;;;BU)", {USERS}),  # may change who may write: as good as writing
    ("D:(A;;SD;;;BU)", {USERS}),  # may delete the folder, so rename it away and put another in its place
    ("D:(A;;ZZ;;;BU)", {USERS}),  # a right this does not know counts as writing
    ("D:(AU;SA;FA;;;WD)(A;;FA;;;SY)", {SYSTEM}),  # an audit entry in the list grants nothing
    ("D:PAI", set()),  # an empty list lets no one in
])
def test_who_may_write(sddl, writers):
    assert granted(sddl, WRITE) == writers


# Deny entries: Windows reads the list in order, and a deny refuses only the rights not yet granted, and
# only to tokens holding the SID it names. icacls /deny adds an explicit deny, which it puts first.
@pytest.mark.parametrize("sddl, writers", [
    # `icacls folder /deny *S-1-5-11:(OI)(CI)F` on the data-drive folder: Authenticated Users refused.
    ("D:AI(D;OICI;FA;;;AU)" + DATA_DRIVE_FOLDER[4:], {SYSTEM, ADMINISTRATORS}),
    ("D:(D;;FA;;;WD)(A;;FRFX;;;WD)", set()),  # a deny, and read-and-run only
    # Everyone refused, but a deny on one SID never hides an allow for another: a member of
    # Authenticated Users is not known here to hold the SID denied.
    ("D:AI(D;OICI;FA;;;WD)" + DATA_DRIVE_FOLDER[4:], {SYSTEM, ADMINISTRATORS, AUTHENTICATED}),
    # `/deny *S-1-5-11:(WD)` refuses adding files (0x2, written DC) only: adding folders and deleting remain.
    ("D:AI(D;;DC;;;AU)" + DATA_DRIVE_FOLDER[4:], {SYSTEM, ADMINISTRATORS, AUTHENTICATED}),
    ("D:AI(D;OICIIO;FA;;;AU)" + DATA_DRIVE_FOLDER[4:], {SYSTEM, ADMINISTRATORS, AUTHENTICATED}),  # inherit-only
    # Out of icacls' order (a program can write any order; icacls /verify reports it): granted first, kept.
    ("D:(A;;FA;;;AU)(D;;FA;;;AU)", {AUTHENTICATED}),
    ("D:AI(A;OICI;0x1301bf;;;AU)(D;OICIID;FA;;;AU)", {AUTHENTICATED}),  # explicit allow before inherited deny
    # A conditional deny may not apply; one for an object type (a directory object class) does not cover a file;
    # one whose rights are not known refuses nothing for certain.
    ('D:(XD;;FA;;;AU;(@User.Title == "Visitor"))(A;;FA;;;AU)', {AUTHENTICATED}),
    (f"D:(OD;;FA;{GUID};;AU)(A;;FA;;;AU)", {AUTHENTICATED}),
    ("D:(OD;;FA;;;AU)(A;;FA;;;AU)", set()),  # no object type: a plain deny
    ("D:(D;;ZZ;;;AU)(A;;FA;;;AU)", {AUTHENTICATED}),
])
def test_deny_entries_count_as_windows_counts_them(sddl, writers):
    assert granted(sddl, WRITE) == writers


# Conditional (callback) entries and resource attributes, as Dynamic Access Control writes them: the
# SDDL is Microsoft's examples ("SDDL for Conditional ACEs", "ACE Strings"), spaces and all.
POLICY = 'D:(XA;;FX;;;S-1-1-0;(@User.Title=="PM" && (@User.Division=="Finance" || @User.Division ==" Sales")))'


@pytest.mark.parametrize("sddl, writers", [
    (POLICY, set()),  # Everyone may run it, if a PM: not write
    (POLICY + "(A;OICI;FA;;;WD)", {EVERYONE}),  # the entry after a conditional one is read too
    ("D:AI(XA;OICI;FA;;;WD;(OctetStringType==#1#2#3##))", {EVERYONE}),  # a conditional allow counts as allowing
    ("D:(XA; ;FR;;;S-1-1-0; (Member_of {SID(Smartcard_SID), SID(BO)} && @Device.Bitlocker))(A;;FA;;;BU)", {USERS}),
    # A central access rule giving Authenticated Users modify on a claim (attribute names may hold : / . _).
    (PROGRAMDATA + '(XA;OICI;0x1301bf;;;AU;(@User.ad://ext/Department == "Finance"))',
     {SYSTEM, ADMINISTRATORS, USERS, AUTHENTICATED}),
    # Parentheses and a semicolon inside a quoted string are part of the string, not entries.
    ('D:(XA;;FR;;;BA;(@User.Title == "x)(D;;FA;;;WD)(y; z"))(A;;FA;;;WD)', {EVERYONE}),
    (f"D:(ZA;;FA;{GUID};;WD;(@User.clearance >= 3))", {EVERYONE}),  # a conditional object entry
    # Object entries with GUIDs and an audit list after the access list (Microsoft's "String 2").
    ("O:DAG:DAD:(A;;RPWPCCDCLCRCWOWDSDSW;;;SY)(A;;RPWPCCDCLCRCWOWDSDSW;;;DA)"
     f"(OA;;CCDC;{GUID};;AO)(OA;;CCDC;bf967aa8-0de6-11d0-a285-00aa003049e2;;PO)(A;;RPLCRC;;;AU)"
     "S:(AU;SAFA;WDWOSDWPCCDCSW;;;WD)",
     {SYSTEM, "DA", "S-1-5-32-548", "S-1-5-32-550", AUTHENTICATED}),
    # Resource attributes (the file's classification) and a mandatory label in the SACL, before or after.
    ('D:(A;;FA;;;SY)S:(RA;CI;;;;S-1-1-0; ("Project",TS,0,"Windows","SQL"))(RA;CI;;;;S-1-1-0; ("Secrecy",TU,0,3))',
     {SYSTEM}),
    ('S:(ML;;NW;;;HI)(RA;CI;;;;S-1-1-0;("Project",TS,0,"a)b"))D:(A;;FA;;;WD)', {EVERYONE}),
])
def test_conditional_entries_and_what_follows_them(sddl, writers):
    assert granted(sddl, WRITE) == writers


@pytest.mark.parametrize("sddl", [
    "D:NO_ACCESS_CONTROL", "O:SY", "",  # no list, or a null one
    "D:(A;;FA;;;SY)(A;;FA;;;WD",  # a parenthesis never closed
    'D:(XA;;FA;;;SY;(@User.x == "a))(A;;FA;;;WD)',  # a quote never closed
    "D:P(A;;FA;;;SY)x", "D:(A;;FA;;;SY)D:(A;;FA;;;WD)", "D:(A;;FA;;;SY)Q:",  # not SDDL's parts
])
def test_text_that_cannot_be_read_lets_everyone_in(sddl):
    assert granted(sddl, WRITE) is None


@pytest.mark.parametrize("entry", [
    "(QQ;;FA;;;SY)",  # a type this does not know
    "(A;;FA;;SY)",  # five fields
    "(A;;FA;;;QQ)", "(A;;FA;;;S-1-x)",  # no SID it can read
    "(A;QQ;FA;;;SY)",  # a flag it does not know: it may not be inherit-only
    "(A;;FA;not-a-guid;;SY)",
    "(A;;FA;;;SY;(@User.x == 1))",  # an expression where none belongs
    "(D;;FA;;;SY;junk)",  # even a deny: whatever it is, it is not one this can read
])
def test_an_entry_that_cannot_be_read_lets_everyone_in(entry):
    assert granted(f"D:(A;;FA;;;SY){entry}", WRITE) is None


def test_who_may_read_a_secret_key():
    assert granted(f"O:{ME}D:P(A;;FA;;;{ME})", READ) == {ME}
    assert granted(f"O:{ME}D:(A;;FA;;;SY)(A;;FA;;;{ME})(A;;0x1200a9;;;WD)", READ) == {SYSTEM, ME, EVERYONE}


# Windows only ---------------------------------------------------------------------------------

windows = pytest.mark.skipif(os.name != "nt", reason="needs Windows")


def _under_wine() -> bool:
    return hasattr(ctypes.WinDLL("ntdll"), "wine_get_version")


def _dacl_windows_makes(sddl: str) -> bytes:
    """The binary access list ConvertStringSecurityDescriptorToSecurityDescriptorW makes of *sddl*."""
    advapi = ctypes.WinDLL("advapi32", use_last_error=True)
    kernel = ctypes.WinDLL("kernel32")
    advapi.ConvertStringSecurityDescriptorToSecurityDescriptorW.argtypes = [
        ctypes.c_wchar_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_void_p), ctypes.c_void_p]
    advapi.GetSecurityDescriptorDacl.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int),
                                                 ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_int)]
    kernel.LocalFree.argtypes = [ctypes.c_void_p]
    descriptor, present, dacl, defaulted = ctypes.c_void_p(), ctypes.c_int(), ctypes.c_void_p(), ctypes.c_int()
    if not advapi.ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, 1, ctypes.byref(descriptor), None):
        raise ctypes.WinError(ctypes.get_last_error())
    try:
        assert advapi.GetSecurityDescriptorDacl(descriptor, ctypes.byref(present), ctypes.byref(dacl),
                                                ctypes.byref(defaulted)) and present.value and dacl.value
        size = int.from_bytes(ctypes.string_at(dacl.value + 2, 2), "little")
        return ctypes.string_at(dacl.value, size)
    finally:
        kernel.LocalFree(descriptor)


# Lists Wine 8's SDDL reader accepts too (it refuses conditional and object entries, and AA and AC).
WINDOWS_MAKES = REAL_FOLDERS + [
    ("D:AI(D;OICI;FA;;;AU)" + DATA_DRIVE_FOLDER[4:], {SYSTEM, ADMINISTRATORS}),
    ("D:AI(D;OICI;FA;;;WD)" + DATA_DRIVE_FOLDER[4:], {SYSTEM, ADMINISTRATORS, AUTHENTICATED}),
    ("D:AI(D;;DC;;;AU)" + DATA_DRIVE_FOLDER[4:], {SYSTEM, ADMINISTRATORS, AUTHENTICATED}),
    ("D:AI(D;OICIIO;FA;;;AU)" + DATA_DRIVE_FOLDER[4:], {SYSTEM, ADMINISTRATORS, AUTHENTICATED}),
    ("D:(A;;FA;;;AU)(D;;FA;;;AU)", {AUTHENTICATED}),
    ("D:(AU;SA;FA;;;WD)(A;;FA;;;SY)", {SYSTEM}),
]


@windows
@pytest.mark.parametrize("sddl, writers", WINDOWS_MAKES)
def test_the_binary_list_windows_makes_of_a_text_reads_the_same(sddl, writers):
    """What others_can_write reads (the binary list) against what Windows makes of the text: the
    same entry types, flags, masks and SIDs (aliases included) as the text reader sees."""
    assert winacl.who_may(winacl.parse_acl(_dacl_windows_makes(sddl)), WRITE) == writers == granted(sddl)


@windows
@pytest.mark.parametrize("dacl", ["D:(A;OICI;FA;;;WD)", "D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)",
                                  "D:P(A;;FA;;;SY)(A;;FRFX;;;WD)"])
def test_a_real_folder_reads_the_same_in_binary_and_in_text(tmp_path, dacl):
    folder = tmp_path / "folder"
    folder.mkdir()
    winsec.set_dacl(folder, dacl)
    assert winsec.who_may(folder) == granted(winsec.get_sddl(folder))


def _set_binary_dacl(path, dacl: bytes) -> None:
    """Give *path* an access list built byte by byte (Wine's SDDL reader refuses conditional entries)."""
    advapi = ctypes.WinDLL("advapi32", use_last_error=True)
    advapi.SetFileSecurityW.argtypes = [ctypes.c_wchar_p, ctypes.c_ulong, ctypes.c_char_p]
    if not advapi.SetFileSecurityW(str(path), 0x4, b.self_relative_descriptor(dacl)):  # DACL_SECURITY_INFORMATION
        raise ctypes.WinError(ctypes.get_last_error())


# Wine 8 keeps no access list on a file: it turns the list it is given into Unix modes (refusing
# one with a conditional entry, ERROR_NOACCESS) and makes one up from the modes when asked.
real_lists = pytest.mark.skipif(os.name != "nt" or _under_wine(), reason="needs Windows' own access lists")


@real_lists
def test_a_real_folder_with_a_conditional_entry_for_everyone_is_not_private(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    me = winsec.current_user_sid()
    private = [b.ace(b.A, b.OI | b.CI, 0x1F01FF, SYSTEM), b.ace(b.A, b.OI | b.CI, 0x1F01FF, me)]
    _set_binary_dacl(folder, b.acl(*private))
    assert not winsec.others_can_write(folder)

    conditional = b.ace(b.XA, b.OI | b.CI, 0x1301BF, EVERYONE, data=b.condition_title_is("PM"))
    _set_binary_dacl(folder, b.acl(conditional, *private))
    assert winsec.who_may(folder) == {EVERYONE, SYSTEM, me}
    assert winsec.others_can_write(folder)


@real_lists
def test_a_real_folder_with_an_entry_for_everyone_after_a_conditional_one_is_not_private(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    me = winsec.current_user_sid()
    reading = b.ace(b.XA, 0, 0x1200A9, ADMINISTRATORS, data=b.condition_title_is('")(D;;FA;;;WD)('))
    _set_binary_dacl(folder, b.acl(b.ace(b.A, 0, 0x1F01FF, me), reading, b.ace(b.A, 0, 0x2, EVERYONE)))
    assert winsec.who_may(folder) == {me, EVERYONE}
    assert winsec.others_can_write(folder)


def test_a_folder_someone_else_owns_is_not_private_whatever_its_list_says():
    from caseguide import sddl
    from caseguide.winsec import outsiders_may_write

    # A visitor made C:\ProgramData\CaseGuide before staff did, then left only SYSTEM and the
    # Administrators in its list: as its owner they can put themselves back at any time.
    visitor = "S-1-5-21-1004336348-1177238915-682003330-1002"
    text = f"O:{visitor}D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)"
    assert outsiders_may_write(granted(text, WRITE), sddl.owner(text), ME)
    staff = "O:BAD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)"  # made by an elevated staff member
    assert not outsiders_may_write(granted(staff, WRITE), sddl.owner(staff), ME)
    mine = f"O:{ME}D:P(A;;FA;;;{ME})"
    assert not outsiders_may_write(granted(mine, WRITE), sddl.owner(mine), ME)
    assert outsiders_may_write(granted(mine, WRITE), sddl.owner("D:P(A;;FA;;;SY)"), ME)  # no owner read: unknown
