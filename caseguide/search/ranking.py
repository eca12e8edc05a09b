"""The order of a search's results, from each guide's score and the concepts it covers.

Whoosh-free: the numbers come from :mod:`caseguide.search.scoring`, the guides' words (for the
named bonus) through a function :class:`~caseguide.search.query.SearchIndex` passes in.
"""

from __future__ import annotations

import heapq

COVERAGE_POWER = 2  # a guide's score is scaled by (words covered / words asked) to this power
KEEP_RATIO = 0.2  # a guide that misses a word the best ones have is shown only above this share of the top
# A guide that is not about the nation asked for (the organisation's, or one the query names) counts
# for this share of its score: "hospital bill Wales" puts Wales's NHS guide above England's.
OTHER_NATION = 0.5
# A guide whose title, or what the pack's other guides call it, has the query's words together counts
# this much more, among the best NAMED_POOL (or the number asked for, if more).
NAMED_BONUS, NAMED_POOL = 1.25, 20


def rank_score(score: float, coverage: int, concepts: int) -> float:
    """What orders the results: Whoosh's score, scaled down steeply for each topic word missing.

    With four words, a guide missing one ranks above one that has all four only if its score is
    (4/3)^2 = 1.8 times higher: one incidental word ("refused" in "home office refused my subject
    access request") cannot push the guide about the rest below guides that merely mention it all.
    Ranking by coverage alone put the right guide lower for 3 of 61 questions (MRR 0.955 against 0.984).
    """
    return score * (coverage / concepts) ** COVERAGE_POWER


def shown_coverage(best: int, concepts: int) -> int:
    """The fewest of the query's *concepts* a guide must cover to be shown, when the best guide
    covers *best*: as many as the best when that is one or two, else one fewer (a long question
    often has a word the right guide does not use), and those only if they come close
    (:data:`KEEP_RATIO`)."""
    return best if best <= 2 else best - 1


def order(ranked: tuple) -> tuple:
    """What orders ranked guides before their titles: the rank score, then the concepts covered."""
    return ranked[0], ranked[1]


def rank(groups: list, wanted: int, preferred: list) -> tuple[int, list]:
    """(the most concepts any guide covers, [(rank score, coverage, group number, guide number)]) for
    the guides to show. *groups* holds, per index section, ({guide: score}, {guide: concepts
    covered}); *preferred* per section the guides about the nation preferred (None: all of them)."""
    best = max((max(counts.values()) for _totals, counts in groups if counts), default=0)
    if not best:
        return 0, []
    fewest = shown_coverage(best, wanted)
    ranked = []
    for number, ((totals, counts), favoured) in enumerate(zip(groups, preferred)):
        for doc, coverage in counts.items():
            if coverage >= fewest:
                score = rank_score(totals[doc], coverage, wanted)
                if favoured is not None and doc not in favoured:
                    score *= OTHER_NATION
                ranked.append((score, coverage, number, doc))
    top = max(r[0] for r in ranked)
    return best, [r for r in ranked if r[1] == best or r[0] >= top * KEEP_RATIO]


def favour_named(ranked: list, named, pool: int) -> list:
    """*ranked* with those of its best *pool* guides for which *named(group number, guide number)*
    says the query's words stand together in what the guide is called (its title, or what other
    guides call it: "data sharing" in "NHS and Home Office data sharing") scaled up by NAMED_BONUS.
    A query that names a topic brings the guides about it first, above guides that have its words
    in separate places."""
    best = heapq.nlargest(pool, ranked, key=order)
    picked = {(r[2], r[3]) for r in best}
    favoured = [(score * NAMED_BONUS if named(number, doc) else score, coverage, number, doc)
                for score, coverage, number, doc in best]
    return favoured + [r for r in ranked if (r[2], r[3]) not in picked]


def top(ranked: list, limit: int) -> list:
    """The best *limit* of *ranked*, and any tied with the last of them (their titles decide)."""
    chosen = heapq.nlargest(limit, ranked, key=order)
    if len(ranked) > limit and chosen:
        edge = order(chosen[-1])
        chosen = [r for r in chosen if order(r) != edge] + [r for r in ranked if order(r) == edge]
    return chosen
