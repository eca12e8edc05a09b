"""Arabic and Farsi guides are found however the words are typed."""

import pytest

from caseguide.library import Library
from caseguide.search.arabic import fold
from caseguide.search.query import SearchIndex

from ..conftest import guide_file


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("arabic")
    (root / "pack.toml").write_text('id = "test"\nversion = "1"\ntitle = "T"\npublisher = "T"\n', encoding="utf-8")
    (root / "ar.md").write_text(guide_file(
        "يُمكِنُكَ طَلَبُ نُسخةٍ من معلوماتِكَ الشخصيّة من وزارة الداخلية. إقامتك مسجّلة.",
        id="arabic-guide", title="طلب الوصول إلى البيانات", language="ar"), encoding="utf-8")
    (root / "fa.md").write_text(guide_file(
        "می‌خواهم اطلاعات شخصی خود را از وزارت کشور بگیرم. کارت اقامت ۱۴۰۳",
        id="farsi-guide", title="درخواست اطلاعات", language="fa"), encoding="utf-8")
    # a cache of its own: a module's fixture runs before each test's private folders exist, and the
    # default cache is the real one (on Windows inside the folders the session checks are untouched)
    index = SearchIndex(Library.discover(root), cache_dir=tmp_path_factory.mktemp("cache")).open()
    yield index
    index.close()


def ids(hits):
    return [h.id for h in hits]


@pytest.mark.parametrize("query", [
    "معلوماتك الشخصية",  # typed without diacritics
    "معلوماتِكَ الشخصيّة",  # with them
    "اقامتك",  # a bare alef for the hamza form in the guide
    "نسخه",  # heh for teh marbuta
    "الشـخـصية",  # with tatweel
])
def test_arabic_is_found_with_or_without_diacritics_and_any_alef_form(index, query):
    assert ids(index.forgiving_search(query).hits) == ["arabic-guide"]


@pytest.mark.parametrize("query", [
    "میخواهم",  # without the zero-width non-joiner the guide uses
    "می‌خواهم",  # with it
    "شخصي",  # the Arabic yeh for the Persian one
    "كارت",  # the Arabic kaf for the Persian one
    "1403",  # Western digits for Persian ones
])
def test_farsi_is_found_whichever_yeh_kaf_digits_or_joiner(index, query):
    assert "farsi-guide" in ids(index.forgiving_search(query).hits)


def test_folding_keeps_what_matters():
    assert fold("أُمّ") == "ام" and fold("ی") == fold("ي") == fold("ى")
    assert fold("مي\u200cخواهم") == "ميخواهم"
    assert fold("٢٠٢٦") == "2026"
