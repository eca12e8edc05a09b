"""Text from outside shown without spoofing, and real right-to-left text left as it is."""

from caseguide.display import clean_text, isolated, safe_url, terminal_text
from caseguide.guides.model import parse_guide

from .conftest import guide_file


def test_direction_overrides_and_invisible_characters_are_taken_out():
    assert clean_text("\u202eالموقع") == "الموقع"
    assert clean_text("Pay\u200b here\u2066\u202d now\u2069") == "Pay here now"
    assert clean_text("ok\u200fgo") == "okgo"  # a direction mark in text with no right-to-left letters


def test_right_to_left_text_keeps_what_it_needs():
    farsi = "می\u200cخواهم"  # ZWNJ inside a Farsi word
    assert clean_text(farsi) == farsi
    arabic = "الرقم \u200f123\u200f"  # RLM placing a number in Arabic
    assert clean_text(arabic) == arabic
    assert clean_text("\u0628\u0627\u200d") == "\u0628\u0627\u200d"  # ZWJ


def test_addresses_show_what_opens():
    assert safe_url("https://www.gov.uk/\u202eexe.moc") == "https://www.gov.uk/%E2%80%AEexe.moc"
    assert safe_url("https://ico.org.uk/a b") == "https://ico.org.uk/a%20b"
    assert isolated("https://x.org/") == "\u2066https://x.org/\u2069"


def test_the_terminal_gets_no_escape_sequences():
    assert terminal_text("a\x1b[31mred\x1b[0m\x07 \x1b]0;title\x07b\x9b2J\r\n") == "ared 0;titleb\n"


def test_a_guide_title_and_source_cannot_spoof():
    guide = parse_guide("x.md", guide_file(
        title='"Hospital\\u202e charges\\e[2J\\a"', summary='"What\u200b to\u2068 know"',
        sources="\n  - title: \"GOV.UK\u202e\"\n    url: https://www.gov.uk/\u202eexe.moc").encode())
    assert guide.title == "Hospital charges[2J"
    assert guide.summary == "What to know"
    assert guide.sources[0].title == "GOV.UK"
    assert guide.sources[0].url == "https://www.gov.uk/%E2%80%AEexe.moc"
