"""Does search put the right guide near the top for the words people really type?

Queries are in a caseworker's or a client's words, each with the guide(s) that
should come in the top 3. The figures (recall@3 and MRR) are printed, and must
not fall below the floors, which are where the library left them: raise the
floors when search improves; never lower them to make a change pass.
"""

import pytest

from caseguide.library import Library
from caseguide.search.query import SearchIndex

RECALL_AT_3_FLOOR = 0.975  # measured 1.000 (63/63) on 2026-12-01; one miss allowed
MRR_FLOOR = 0.975  # measured 0.992; 0.984 once guides with more of the words ranked first (two rank 2s)

QUERIES = [
    ("can the hospital tell the home office", {"nhs-charges-and-debt", "nhs-home-office-data-sharing"}),
    ("BRP expired", {"evisas-and-share-codes"}),
    ("get my home office file", {"home-office-subject-access"}),
    ("register with a doctor without ID", {"gp-registration"}),
    ("do I have to pay for A&E", {"nhs-free-treatment"}),
    ("hospital bill and my visa application", {"nhs-charges-and-debt"}),
    ("NHS debt refused", {"nhs-charges-and-debt"}),
    ("pre-settled status running out", {"pre-settled-status-extensions"}),
    ("missed the EU settlement deadline", {"eu-settlement-scheme"}),
    ("share code for a landlord", {"evisas-and-share-codes"}),
    ("landlord asked for my papers", {"hostile-environment"}),
    ("employer checking immigration status", {"hostile-environment"}),
    ("bank account checks", {"hostile-environment"}),
    ("driving licence taken away", {"hostile-environment"}),
    ("windrush scandal review", {"windrush"}),
    ("my status shows someone else's details", {"wrong-digital-status"}),
    ("wrong information on my UKVI account", {"wrong-digital-status", "evisa-problems"}),
    ("home office refused my subject access request", {"immigration-exemption", "home-office-subject-access"}),
    ("immigration exemption court of appeal", {"immigration-exemption"}),
    ("complain to the ICO", {"data-rights-and-ico"}),
    ("correct wrong data about me", {"data-rights-and-ico", "wrong-digital-status"}),
    ("free immigration lawyer", {"getting-advice"}),
    ("is my adviser regulated", {"getting-advice"}),
    ("hide last seen on whatsapp", {"whatsapp-privacy"}),
    ("disappearing messages", {"whatsapp-privacy"}),
    ("who can see my facebook friends", {"facebook-privacy"}),
    ("stop apps knowing my location on android", {"android-permissions"}),
    ("iphone location services", {"iphone-privacy"}),
    ("lockdown mode", {"iphone-privacy"}),
    ("home office took my phone", {"phone-seizure"}),
    ("using a library computer", {"shared-computer"}),
    ("private browsing", {"shared-computer"}),
    ("covid vaccine without papers", {"covid-care-and-tracing"}),
    ("contact tracing app", {"covid-care-and-tracing"}),
    ("NHS Digital memorandum of understanding", {"nhs-home-office-data-sharing"}),
    ("do I pay for maternity care", {"nhs-free-treatment", "nhs-charges-and-debt"}),
    ("settled status automatic conversion", {"pre-settled-status-extensions"}),
    ("whatsapp PIN two-step verification", {"whatsapp-privacy"}),
    ("advice in immigration detention", {"getting-advice"}),
    ("right to rent checks", {"hostile-environment"}),
    # Added with the December 2026 guides
    ("do asylum seekers pay for hospital", {"nhs-hospital-exemptions"}),
    ("I am a refugee, will the hospital charge me", {"nhs-hospital-exemptions", "nhs-charges-and-debt"}),
    ("what does ordinarily resident mean", {"nhs-hospital-exemptions", "nhs-charges-and-debt"}),
    ("I paid the health surcharge, do I pay for hospital", {"nhs-hospital-exemptions"}),
    ("trafficking victim hospital bill", {"nhs-hospital-exemptions", "nhs-charges-and-debt"}),
    ("will the police tell immigration if I report my husband", {"police-and-immigration-status"}),
    ("safe to share report", {"police-and-immigration-status"}),
    ("domestic violence victim no papers police", {"police-and-immigration-status"}),
    ("came on a small boat and they took my phone", {"phone-powers-2025", "phone-seizure"}),
    ("border security act phone", {"phone-powers-2025", "phone-seizure"}),
    ("can I refuse to give my phone", {"phone-powers-2025", "phone-seizure"}),
    ("should I delete my messages", {"phone-powers-2025", "phone-seizure"}),
    ("organisation ignored my data complaint", {"data-complaints"}),
    ("complain about how my data was used", {"data-complaints"}),
    ("new passport evisa before travel", {"evisa-problems"}),
    ("lost access to my UKVI account email", {"evisa-problems"}),
    ("evisa shows wrong name", {"evisa-problems", "wrong-digital-status"}),
    ("free lawyer for asylum", {"getting-advice"}),
    ("encrypt whatsapp backup", {"whatsapp-privacy"}),
    ("allow apps to request to track", {"iphone-privacy"}),
    ("check a solicitor is real", {"getting-advice"}),
    # Health in the four nations (issue 23): each nation's own NHS rules, and the England corrections
    ("refused asylum seeker hospital charges Scotland", {"nhs-care-scotland"}),
    ("GP registration Wales overseas visitor", {"nhs-care-wales"}),
    ("do I pay to see a GP in Northern Ireland", {"nhs-care-northern-ireland"}),
    ("free prescriptions Scotland asylum", {"nhs-care-scotland"}),
    ("refused asylum seeker hospital bill Wales", {"nhs-care-wales"}),
    ("failed asylum seeker NHS Wales", {"nhs-care-wales"}),
    ("is hospital free for asylum seekers in Wales", {"nhs-care-wales"}),
    ("Cardiff hospital bill overseas visitor", {"nhs-care-wales"}),
    ("do I pay for prescriptions in Wales", {"nhs-care-wales"}),
    ("health surcharge hospital Wales", {"nhs-care-wales"}),
    ("asylum seeker GP Northern Ireland", {"nhs-care-northern-ireland"}),
    ("Belfast GP asylum seeker", {"nhs-care-northern-ireland"}),
    ("prescription charges Northern Ireland", {"nhs-care-northern-ireland"}),
    ("hospital charges Northern Ireland refugee", {"nhs-care-northern-ireland"}),
    ("my asylum claim was refused can I still go to hospital in Glasgow", {"nhs-care-scotland"}),
    ("Edinburgh hospital bill refused asylum", {"nhs-care-scotland"}),
    ("Scotland NHS overseas visitor charges", {"nhs-care-scotland"}),
    ("register with a GP in Glasgow without ID", {"nhs-care-scotland", "gp-registration"}),
    ("late EU settlement scheme application hospital", {"nhs-hospital-exemptions", "nhs-charges-and-debt", "nhs-free-treatment"}),
    ("hospital bill from before I got refugee status", {"nhs-hospital-exemptions", "nhs-charges-and-debt"}),
    ("my wife is a dependant on my asylum claim does she pay for hospital", {"nhs-hospital-exemptions", "nhs-charges-and-debt", "nhs-free-treatment"}),
    ("asylum appeal still exempt from hospital charges", {"nhs-hospital-exemptions", "nhs-charges-and-debt", "nhs-free-treatment"}),
    # Issue 23, right in every UK nation: advice, police, checks, data and phones (content-other)
    ("legal aid for immigration in Scotland", {"getting-advice"}),
    ("Scottish Legal Aid Board", {"getting-advice"}),
    ("check an immigration solicitor Northern Ireland", {"getting-advice"}),
    ("is an advocate allowed to give immigration advice", {"getting-advice"}),
    ("free legal advice in a detention centre", {"getting-advice"}),
    ("domestic abuse helpline Wales", {"police-and-immigration-status", "domestic-abuse-concession"}),
    ("domestic abuse helpline Scotland", {"police-and-immigration-status", "domestic-abuse-concession"}),
    ("domestic abuse helpline Northern Ireland", {"police-and-immigration-status", "domestic-abuse-concession"}),
    ("migrant victims protocol", {"police-and-immigration-status", "domestic-abuse-concession"}),
    ("will police in Scotland tell the home office", {"police-and-immigration-status"}),
    ("do landlords in Scotland check immigration status", {"hostile-environment", "evisas-and-share-codes"}),
    ("share code to rent a flat in Wales", {"evisas-and-share-codes", "hostile-environment"}),
    ("prison sentence for working illegally", {"hostile-environment"}),
    ("gig economy right to work checks", {"hostile-environment"}),
    ("how long does the ICO take", {"data-complaints", "data-rights-and-ico"}),
    ("phone seized in Scotland", {"phone-powers-2025", "phone-seizure"}),
    # Issue 29: the topics caseworkers still could not find (NRPF, asylum support, domestic abuse
    # concession, NRM, biometrics, police facial recognition, Windrush compensation)
    ("client has NRPF can they get help from the council", {"no-recourse-to-public-funds"}),
    ("can I claim universal credit on a spouse visa", {"no-recourse-to-public-funds"}),
    ("section 17 support for family with no benefits", {"no-recourse-to-public-funds"}),
    ("ASPEN card", {"asylum-support"}),
    ("section 4 support after asylum refused", {"asylum-support"}),
    ("asylum housing provider sharing my details", {"asylum-support"}),
    ("domestic violence concession", {"domestic-abuse-concession"}),
    ("left my abusive husband and my visa depends on him", {"domestic-abuse-concession"}),
    ("settlement as a victim of domestic abuse", {"domestic-abuse-concession"}),
    ("NRM referral home office", {"modern-slavery-nrm"}),
    ("duty to notify modern slavery", {"modern-slavery-nrm"}),
    ("client does not want to be referred to the NRM", {"modern-slavery-nrm"}),
    ("how long does the home office keep fingerprints", {"biometrics"}),
    ("biometrics shared with other countries", {"biometrics"}),
    ("live facial recognition cameras", {"police-facial-recognition"}),
    ("police facial recognition immigration status", {"police-facial-recognition"}),
    ("windrush compensation claim", {"windrush-compensation"}),
    ("compensation for windrush family member who died", {"windrush-compensation"}),
    # Content review of 2026-12-07: points the review rewrote or linked (detention advice, the
    # NHS exemption for trafficking victims, each nation's GP and hospital rules)
    ("free legal advice in immigration detention", {"getting-advice", "phone-seizure", "phone-powers-2025"}),
    ("NHS exemption for victims of trafficking", {"modern-slavery-nrm", "nhs-hospital-exemptions"}),
    ("can I see a GP in Northern Ireland", {"nhs-care-northern-ireland"}),
    ("asylum seeker hospital charges Scotland", {"nhs-care-scotland"}),
]


# The same needs, typed in a hurry.
TYPO_QUERIES = [
    ("setled staus", {"eu-settlement-scheme", "pre-settled-status-extensions"}),
    ("hostle enviroment", {"hostile-environment"}),
    ("subjet acess request", {"home-office-subject-access"}),
    ("gp registraton", {"gp-registration"}),
    ("hospitl charges", {"nhs-charges-and-debt"}),
    ("windrsh", {"windrush", "windrush-compensation"}),
    ("presettled status", {"pre-settled-status-extensions"}),
    ("whatsap privacy", {"whatsapp-privacy"}),
    ("immigraton exemption", {"immigration-exemption"}),
    ("shre code", {"evisas-and-share-codes"}),
    ("regulted adviser", {"getting-advice"}),
    ("phone seized by the home ofice", {"phone-seizure"}),
    ("refugee hosptal charges", {"nhs-hospital-exemptions", "nhs-charges-and-debt"}),
    ("leagal aid asylum", {"getting-advice"}),
    ("evisa new pasport", {"evisa-problems"}),
    ("polise domestic abuse immigration", {"police-and-immigration-status"}),
]
# A short query that names a topic, and the guides a caseworker expects first: the guide *about* the
# topic, not one with its words in separate places. Issue 26 found "data sharing" putting "COVID-19
# care and contact tracing (a look back)" first (its summary has "data" and, later, "sharing"),
# above the NHS and Home Office data-sharing explainer.
TOPIC_QUERIES = [
    ("data sharing", {"nhs-home-office-data-sharing"}),
    ("settled status", {"eu-settlement-scheme", "pre-settled-status-extensions"}),
    ("phone", {"phone-seizure", "phone-powers-2025"}),
    ("GP", {"gp-registration"}),
    ("bank", {"hostile-environment"}),
    ("hostile environment", {"hostile-environment"}),
    ("subject access", {"home-office-subject-access"}),
    ("hospital charges", {"nhs-charges-and-debt"}),
    ("police", {"police-and-immigration-status"}),
    ("whatsapp", {"whatsapp-privacy"}),
    ("windrush", {"windrush", "windrush-compensation"}),
    ("asylum support", {"asylum-support"}),
    ("domestic abuse", {"domestic-abuse-concession"}),
    ("legal aid", {"getting-advice"}),
    ("NRPF", {"no-recourse-to-public-funds"}),
    ("biometrics", {"biometrics"}),
]
TYPO_RECALL_AT_3_FLOOR = 0.9  # measured 1.000 (16/16) on 2026-12-01; one miss allowed


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    library = Library.discover()
    return SearchIndex(library, cache_dir=tmp_path_factory.mktemp("cache")).open()


def rank_of(index, query, expected) -> int | None:
    ids = [h.id for h in index.forgiving_search(query, limit=10).hits]
    return next((n for n, i in enumerate(ids, start=1) if i in expected), None)


def test_every_expected_guide_exists():
    library = Library.discover()
    missing = {i for _, expected in QUERIES + TYPO_QUERIES + TOPIC_QUERIES for i in expected} - set(library.guides)
    assert missing == set()


def test_recall_at_3_and_mrr(index, capsys):
    assert len(QUERIES) >= 30
    ranks = {query: rank_of(index, query, expected) for query, expected in QUERIES}
    recall = sum(1 for r in ranks.values() if r and r <= 3) / len(QUERIES)
    mrr = sum(1 / r for r in ranks.values() if r) / len(QUERIES)
    with capsys.disabled():
        print(f"\nrelevance: {len(QUERIES)} queries, recall@3 {recall:.3f}, MRR {mrr:.3f}")
    misses = {q: r for q, r in ranks.items() if not r or r > 3}
    assert recall >= RECALL_AT_3_FLOOR, f"not in the top 3: {misses}"
    assert mrr >= MRR_FLOOR, f"not in the top 3: {misses}"


def test_typo_variants_still_find_the_guide(index, capsys):
    ranks = {query: rank_of(index, query, expected) for query, expected in TYPO_QUERIES}
    recall = sum(1 for r in ranks.values() if r and r <= 3) / len(TYPO_QUERIES)
    with capsys.disabled():
        print(f"\nrelevance with typos: {len(TYPO_QUERIES)} queries, recall@3 {recall:.3f}")
    assert recall >= TYPO_RECALL_AT_3_FLOOR, {q: r for q, r in ranks.items() if not r or r > 3}


def test_a_query_naming_a_topic_puts_the_guide_about_it_first(index):
    firsts = {query: index.forgiving_search(query, limit=10).hits[0].id for query, _ in TOPIC_QUERIES}
    wrong = {query: first for (query, expected), first in zip(TOPIC_QUERIES, firsts.values()) if first not in expected}
    assert wrong == {}


# What a person sees the search say: a correction, a search no guide fully answers, and a question
# whose small words must not match the whole library.
def test_a_misspelt_word_is_corrected_though_the_other_word_finds_plenty(index):
    found = index.forgiving_search("setled status", limit=50)
    assert found.corrected and found.corrections == {"setled": "settled"}
    assert found.query == "settled status"
    assert found.hits[0].id in {"eu-settlement-scheme", "pre-settled-status-extensions"}


def test_a_search_no_guide_fully_answers_says_so(index):
    # Issue 16 found "Facebook: hiding your friends list" first for "asylum support section 95",
    # and nothing saying that no guide had most of the words. Since issue 29 the asylum support
    # guide answers it; no guide is about dentists yet.
    found = index.forgiving_search("asylum support section 95", limit=50)
    assert not found.partial and found.hits[0].id == "asylum-support"
    found = index.forgiving_search("asylum support dentist", limit=50)
    assert found.partial and found.hits
    assert all(hit.missing == ("dentist",) for hit in found.hits)
    assert "facebook-privacy" not in [hit.id for hit in found.hits]


def test_question_words_do_not_match_the_whole_library(index):
    found = index.forgiving_search("can my landlord check my status", limit=50)
    assert found.hits[0].id == "hostile-environment"  # the guide with the right to rent section
    assert not found.partial
    assert len(found.hits) <= len(index.library) // 3, [h.id for h in found.hits]
