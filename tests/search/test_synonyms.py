from caseguide.search.synonyms import Synonyms


def test_members_are_found_in_a_query_with_their_group():
    s = Synonyms([["brp", "biometric residence permit"]])
    [(start, end, group)] = s.spans("BRP expired")
    assert (start, end) == (0, 3) and group == {"brp", "biometric residence permit"}
    [(start, end, _group)] = s.spans("my biometric  residence permit")
    assert "my biometric  residence permit"[start:end] == "biometric  residence permit"


def test_only_whole_words_match():
    s = Synonyms([["gp", "doctor"]])
    assert s.spans("gps tracking") == []
    assert [(a, b) for a, b, _ in s.spans("see a GP.")] == [(6, 8)]


def test_the_longest_member_wins_where_two_overlap():
    s = Synonyms([["my file", "home office file"], ["home office", "ho"]])
    assert [g for _, _, g in s.spans("get my home office file")] == [{"my file", "home office file"}]


def test_groups_sharing_a_member_merge():
    s = Synonyms([["sar", "subject access request"], ["my file", "subject access request"]])
    assert s.group("my file") == {"sar", "subject access request", "my file"}
    assert len(s) == 1


def test_a_pack_synonyms_file_cannot_make_every_search_slow(tmp_path, caplog):
    import logging

    from caseguide.search.synonyms import MAX_GROUP_SIZE, MAX_GROUPS, MAX_MEMBERS, Synonyms, load_pack_synonyms

    groups = ", ".join(f'["w{i}", "x{i}"]' for i in range(MAX_GROUPS + 1))
    (tmp_path / "synonyms.toml").write_text(f"groups = [{groups}]\n")
    with caplog.at_level(logging.WARNING):
        assert load_pack_synonyms(tmp_path) == []
    assert "more than 500 groups" in caplog.text
    chained = Synonyms([[f"w{i}", f"w{i + 1}"] for i in range(3000)])  # each shares a word with the next
    assert max(len(chained.group(f"w{i}")) for i in range(3000)) <= MAX_GROUP_SIZE
    wide = Synonyms([[f"a{i}", f"b{i}"] for i in range(5000)])
    assert len(wide) * 2 <= MAX_MEMBERS
    assert [sorted(group) for _, _, group in wide.spans("a1 and b2")] == [["a1", "b1"], ["a2", "b2"]]
