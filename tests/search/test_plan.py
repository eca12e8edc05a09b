"""What a query asks about: its topic words, with stop and question words left out."""

from caseguide.search.plan import make_plan
from caseguide.search.synonyms import Synonyms


def test_question_words_and_pronouns_are_not_topics():
    assert make_plan("can my landlord check my status").labels == ["landlord", "check", "status"]
    assert make_plan("How do I get help if I'm refused?").labels == ["get", "help", "refused"]


def test_a_query_of_only_small_words_is_searched_for_them():
    assert make_plan("what is it").labels == ["what", "is", "it"]


def test_a_synonym_phrase_is_one_concept_with_every_member():
    synonyms = Synonyms([["landlord", "renting", "right to rent"]])
    [landlord, check] = make_plan("can my Landlord check", synonyms).concepts
    assert landlord.label == "Landlord"
    assert landlord.members == ("landlord", "renting", "right to rent")
    assert check.members == ("check",)


def test_numbers_are_kept_and_repeats_count_once():
    assert make_plan("section 95 support, section 4").labels == ["section", "95", "support", "4"]
    assert make_plan("status status STATUS").labels == ["status"]
