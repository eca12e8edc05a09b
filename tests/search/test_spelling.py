"""The library's own words: near words for a typo, completions for a word still being typed."""

from caseguide.search.spelling import Vocabulary, edit_distance


def test_near_words_closest_then_most_common():
    words = Vocabulary({"status": 9, "statue": 1, "stats": 4, "settled": 3, "tatus": 1})
    assert [w for _, w in words.near("staus", 1)] == ["status", "stats"]
    assert words.near("staus", 2)[0] == (1, "status")
    assert [w for _, w in words.near("ttatus", 1)] == ["status", "tatus"]  # a slip on the first letter
    assert words.near("qqqq", 2) == []


def test_completion_is_the_most_common_longer_word():
    words = Vocabulary({"settings": 6, "settled": 2, "settlement": 5, "set": 9})
    assert words.complete("settl") == "settlement"
    assert words.complete("sett") == "settings"
    assert words.complete("settings") is None
    assert words.complete("zz") is None


def test_edit_distance():
    assert edit_distance("staus", "status") == 1
    assert edit_distance("staus", "start") == 2
    assert edit_distance("acess", "access") == 1
    assert edit_distance("hte", "the") == 1  # a swap is one edit
    assert edit_distance("hospital", "h", limit=2) == 3  # over the limit: limit + 1, at once
