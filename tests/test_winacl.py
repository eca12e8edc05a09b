"""The binary access lists Windows keeps (what others_can_write reads on Windows), the rules applied to
their entries, and properties of both readers: nothing makes them raise, and an entry that lets
Everyone write is never lost, whatever comes before it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from caseguide import sddl
from caseguide.winacl import (ADMINISTRATORS, ALLOW, DENY, EVERYONE, SYSTEM, USERS, WRITE, Entry, parse_acl,
                              who_may)
from caseguide.winsec import granted

from . import acl_bytes as b

ME = "S-1-5-21-1004336348-1177238915-682003330-1001"
FA, MODIFY, READ_RUN = 0x1F01FF, 0x1301BF, 0x1200A9
GUID, OTHER_GUID = "bf967aba-0de6-11d0-a285-00aa003049e2", "bf967a9c-0de6-11d0-a285-00aa003049e2"
PROPERTIES = settings(max_examples=300, deadline=None, database=None, derandomize=True)


def writers(*aces: bytes) -> set[str] | None:
    return who_may(parse_acl(b.acl(*aces)), WRITE)


def test_a_binary_list_names_who_may_write():
    # CaseGuide's machine-wide folder, as limit_to_administrators sets it.
    assert writers(b.ace(b.A, b.OI | b.CI, FA, SYSTEM), b.ace(b.A, b.OI | b.CI, FA, ADMINISTRATORS),
                   b.ace(b.A, b.OI | b.CI, READ_RUN, USERS)) == {SYSTEM, ADMINISTRATORS}
    assert writers(b.ace(b.A, b.OI | b.CI | b.IO, 0x10000000, "S-1-3-0"), b.ace(b.A, b.CI, 0x116, USERS)) == {USERS}
    assert writers() == set()


def test_a_conditional_entry_allows_and_what_follows_it_is_read():
    condition = b.condition_title_is('")(D;;FA;;;WD)(')
    assert writers(b.ace(b.XA, 0, MODIFY, EVERYONE, data=condition)) == {EVERYONE}
    assert writers(b.ace(b.XA, 0, READ_RUN, ADMINISTRATORS, data=condition), b.ace(b.A, 0, 0x2, EVERYONE)) == {EVERYONE}
    assert writers(b.ace(b.ZA, 0, FA, USERS, object_type=GUID, data=condition)) == {USERS}


def test_object_entries_are_read_past_their_guids():
    assert writers(b.ace(b.OA, 0, 0x2, USERS, object_type=GUID, inherited_type=OTHER_GUID)) == {USERS}
    assert writers(b.ace(b.OA, 0, 0x2, USERS, inherited_type=OTHER_GUID)) == {USERS}
    assert writers(b.ace(b.OA, 0, 0x2, USERS)) == {USERS}


def test_only_a_plain_deny_for_the_same_sid_refuses():
    allow = b.ace(b.A, 0, FA, USERS)
    assert writers(b.ace(b.D, 0, FA, USERS), allow) == set()
    assert writers(b.ace(b.OD, 0, FA, USERS, inherited_type=GUID), allow) == set()  # applies to this object
    assert writers(b.ace(b.OD, 0, FA, USERS, object_type=GUID), allow) == {USERS}  # only to an object type
    assert writers(b.ace(b.XD, 0, FA, USERS, data=b.condition_title_is("x")), allow) == {USERS}  # may not apply
    assert writers(b.ace(b.D, b.IO, FA, USERS), allow) == {USERS}  # inherit-only
    assert writers(b.ace(b.D, 0, FA, EVERYONE), allow) == {USERS}  # another SID
    assert writers(allow, b.ace(b.D, 0, FA, USERS)) == {USERS}  # too late
    assert writers(b.ace(b.D, 0, 0x2, USERS), allow) == {USERS}  # refuses adding files, not the rest


def test_entries_that_grant_nothing_are_passed_over():
    label = b.ace(b.ML, 0, 0x1, "S-1-16-12288")  # a mandatory label (high integrity, no write up)
    audit = b.ace(0x02, 0x40, FA, EVERYONE)
    assert writers(label, audit, b.ace(b.A, 0, FA, SYSTEM)) == {SYSTEM}


def test_sids_of_every_shape_are_read():
    assert writers(b.ace(b.A, 0, FA, "S-1-5")) == {"S-1-5"}  # no sub-authorities
    assert writers(b.ace(b.A, 0, FA, "S-1-0x010000000000-7")) == {"S-1-0x010000000000-7"}  # authority over 2**32
    longest = "S-1-5-21-1-2-3-4-5-6-7-8-9-10-11-12-13-14"  # 15 sub-authorities, the most a SID has
    assert writers(b.ace(b.A, 0, FA, longest)) == {longest}
    assert writers(b.ace(b.A, 0, FA, longest + "-15")) is None  # one more: not a SID


def _bad_sid(entry: bytes) -> bytes:
    return entry[:8] + b"\x02" + entry[9:]  # SID revision 2: not a SID


def test_what_cannot_be_read_lets_everyone_in():
    good = b.acl(b.ace(b.A, 0, FA, SYSTEM))
    assert who_may(parse_acl(good[:-1]), WRITE) is None  # cut short
    assert who_may(parse_acl(good[:4] + b"\x02\x00" + good[6:]), WRITE) is None  # claims two entries
    assert who_may(parse_acl(b"\x03" + good[1:]), WRITE) is None  # an ACL revision that does not exist
    assert who_may(parse_acl(good[:8] + good[8:10] + b"\xff\x00" + good[12:]), WRITE) is None  # entry overruns
    assert writers(b.ace(b.A, 0, FA, SYSTEM), b.ace(0x04, 0, FA, SYSTEM)) is None  # compound: not read
    assert writers(b.ace(b.A, 0, FA, SYSTEM), b.ace(0x30, 0, FA, SYSTEM)) is None  # a type this does not know
    assert writers(_bad_sid(b.ace(b.A, 0, FA, SYSTEM))) is None
    assert writers(_bad_sid(b.ace(b.D, 0, FA, USERS)), b.ace(b.A, 0, FA, USERS)) == {USERS}
    assert who_may(parse_acl(b""), WRITE) is None


# Properties ------------------------------------------------------------------------------------

SIDS = {"SY": SYSTEM, "BA": ADMINISTRATORS, "BU": USERS, "WD": EVERYONE, "AU": "S-1-5-11", "CO": "S-1-3-0",
        "BG": "S-1-5-32-546", ME: ME, SYSTEM: SYSTEM, EVERYONE: EVERYONE}
TYPES = {"A": b.A, "D": b.D, "OA": b.OA, "OD": b.OD, "XA": b.XA, "XD": b.XD, "ZA": b.ZA, "AU": 0x02, "ML": b.ML}
FLAGS = {"OI": b.OI, "CI": b.CI, "NP": b.NP, "IO": b.IO, "ID": b.ID}
CONDITION = '(@User.Title == "PM")'


@st.composite
def entries(draw):
    """One well-formed entry, as SDDL text and as binary."""
    kind = draw(st.sampled_from(sorted(TYPES)))
    flags = draw(st.lists(st.sampled_from(sorted(FLAGS)), unique=True, max_size=3))
    mask = draw(st.sampled_from([0, 0x2, 0x4, 0x40, 0x10000, 0x40000, READ_RUN, MODIFY, FA, 0x10000000])
                | st.integers(0, 0xFFFFFFFF))
    sid = draw(st.sampled_from(sorted(SIDS)))
    guid = draw(st.sampled_from(["", GUID])) if kind in ("OA", "OD", "ZA") else ""
    callback = kind in ("XA", "XD", "ZA")
    text = f"({kind};{''.join(flags)};{mask:#x};{guid};;{sid}" + (f";{CONDITION})" if callback else ")")
    binary = b.ace(TYPES[kind], sum(FLAGS[f] for f in flags), mask, SIDS[sid], object_type=guid or None,
                   data=b.condition_title_is("PM") if callback else b"")
    return text, binary


SDDL_BITS = ["(", ")", ";", '"', "D:", "S:", "O:", "G:", "P", "AI", "A", "D", "XA", "OA", "ZZ", "OICI", "IO", "ID",
             "FA", "0x1301bf", "WD", "BU", "SY", "S-1-5-21-1-2", GUID, "(@User.x == 1)", "&&", "#", " ", "\u0663"]
sddl_soup = st.lists(st.sampled_from(SDDL_BITS), max_size=60).map("".join) | st.text(max_size=200)
# What may come before an entry in the same list: anything but the start of another part (O: G: D: S:).
list_soup = sddl_soup.filter(lambda text: ":" not in text)
any_entry = entries().map(lambda pair: pair[0]) | list_soup.map(lambda text: f"({text})") | list_soup
everyone_may_write = st.sampled_from([
    "(A;;FA;;;WD)", "(A;OICIID;0x1301bf;;;S-1-1-0)", "(A;;0x2;;;WD)", "(A;;SD;;;WD)", "(A;CI;GW;;;WD)",
    f"(XA;OICI;FW;;;WD;{CONDITION})", f"(OA;;GA;{GUID};;WD)", f"(ZA;;WDWO;{GUID};;S-1-1-0;(@Device.x))",
])


@PROPERTIES
@given(sddl_soup)
def test_no_text_makes_the_reader_raise(text):
    result = granted(text, WRITE)
    assert result is None or all(isinstance(sid, str) for sid in result)


@PROPERTIES
@given(st.binary(max_size=300) | st.lists(entries().map(lambda pair: pair[1]), max_size=6).map(lambda x: b.acl(*x)))
def test_no_bytes_make_the_reader_raise(data):
    result = who_may(parse_acl(data), WRITE)
    assert result is None or all(isinstance(sid, str) for sid in result)


@PROPERTIES
@given(st.sampled_from(["D:", "D:PAI", "D:AI", "O:BAD:P"]), st.lists(any_entry, max_size=8), everyone_may_write)
def test_an_entry_letting_everyone_write_is_never_lost(head, before, grant):
    """Whatever comes before it, junk included, a grant of write to Everyone at the end is seen,
    unless an entry before it is a plain deny for Everyone (which Windows would honour)."""
    prefix = head + "".join(before)
    read = sddl.dacl(prefix)
    if read is not None and any(e.kind == DENY and e.sid == EVERYONE for e in read):
        return
    result = granted(prefix + grant, WRITE)
    assert result is None or EVERYONE in result


def _entry(kind, inherit_only, mask, sid):
    return Entry(kind, inherit_only, mask, sid)


rule_entries = st.builds(_entry, st.sampled_from([ALLOW, DENY, "neither"]), st.booleans(),
                         st.integers(0, 0xFFFFFFFF), st.sampled_from([None, *sorted(set(SIDS.values()))]))


@PROPERTIES
@given(st.lists(rule_entries, max_size=10), st.data())
def test_an_allow_entry_anywhere_never_takes_anyone_away(listed, data):
    position = data.draw(st.integers(0, len(listed)))
    added = data.draw(rule_entries.filter(lambda e: e.kind == ALLOW))
    before, after = who_may(listed, WRITE), who_may(listed[:position] + [added] + listed[position:], WRITE)
    assert after is None or (before is not None and before <= after)


@PROPERTIES
@given(st.lists(entries(), max_size=8), st.sampled_from(["D:", "D:PAI"]))
def test_text_and_binary_say_the_same(listed, head):
    text = head + "".join(t for t, _ in listed)
    assert granted(text, WRITE) == who_may(parse_acl(b.acl(*(x for _, x in listed))), WRITE)
