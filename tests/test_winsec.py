"""Reading Windows access lists (SDDL text), which decides who may write a machine-wide folder or a
search index. Pure text: these run on every platform; test_fsutil checks real files on Windows."""

import pytest

from caseguide.winsec import ADMINISTRATORS, READ, SYSTEM, USERS, WRITE, granted

ME = "S-1-5-21-1004336348-1177238915-682003330-1001"
EVERYONE = "S-1-1-0"


@pytest.mark.parametrize("sddl, writers", [
    # What CaseGuide gives a machine-wide folder: users may read, only SYSTEM and Administrators write.
    ("O:BAD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)", {SYSTEM, ADMINISTRATORS}),
    # Users may create files and folders (as under C:\ProgramData); CREATOR OWNER's entry is inherit-only.
    ("O:SYD:P(A;OICIIO;GA;;;CO)(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)(A;CI;DCLC;;;BU)",
     {SYSTEM, ADMINISTRATORS, USERS}),
    (f"O:{ME}D:(A;OICI;FA;;;WD)", {EVERYONE}),
    (f"O:{ME}D:P(A;;FA;;;{ME})", {ME}),
    (f"D:(A;;GW;;;{ME})(A;;0x120116;;;AU)", {ME, "S-1-5-11"}),
    ("D:(D;;FA;;;WD)(A;;FRFX;;;WD)", set()),  # a deny, and read-and-run only
    ("D:(A;;WD;;;BU)", {USERS}),  # may change who may write: as good as writing
    ("D:(A;;ZZ;;;BU)", {USERS}),  # a right this does not know counts as writing
])
def test_who_may_write(sddl, writers):
    assert granted(sddl, WRITE) == writers


@pytest.mark.parametrize("sddl", ["D:NO_ACCESS_CONTROL", "O:SY", ""])
def test_no_access_list_lets_everyone_in(sddl):
    assert granted(sddl, WRITE) is None


def test_who_may_read_a_secret_key():
    assert granted(f"O:{ME}D:P(A;;FA;;;{ME})", READ) == {ME}
    assert granted(f"O:{ME}D:(A;;FA;;;SY)(A;;FA;;;{ME})(A;;0x1200a9;;;WD)", READ) == {SYSTEM, ME, EVERYONE}
