from caseguide.search.synonyms import Synonyms


def test_members_widen_to_their_group_and_phrases_are_quoted():
    s = Synonyms([["brp", "biometric residence permit"]])
    assert s.expand("BRP expired") == '("biometric residence permit" OR brp) expired'
    assert s.expand("my biometric  residence permit") == 'my ("biometric residence permit" OR brp)'


def test_only_whole_words_match():
    s = Synonyms([["gp", "doctor"]])
    assert s.expand("gps tracking") == "gps tracking"
    assert s.expand("see a GP.") == "see a (doctor OR gp)."


def test_groups_sharing_a_member_merge():
    s = Synonyms([["sar", "subject access request"], ["my file", "subject access request"]])
    assert s.group("my file") == {"sar", "subject access request", "my file"}
    assert len(s) == 1
