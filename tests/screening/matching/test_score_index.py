"""Scoring, explanations and the index."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blonet.screening.matching import HIT_THRESHOLD, ScreeningIndex, make_subject, score_subjects

ENTRY = make_subject("E1", "Курбонов Юсуф Абдуллоевич", dob="1985-03-12", nationality="TJK")


def score(name: str, dob: str = "1985-03-12", nat: str = "") -> float:
    return score_subjects(
        make_subject("Q", name, dob=dob, nationality=nat, family_first=False), ENTRY
    ).score


def test_mrz_against_tajik_cyrillic_is_a_hit_with_explanation() -> None:
    m = score_subjects(make_subject("Q", "QURBONOV<<YUSUF", dob="1985-03-12"), ENTRY)
    assert m.score >= 0.95
    assert m.is_hit
    assert "family name Курбонов = QURBONOV (Tajik Cyrillic → MRZ)" in m.explanation
    assert "given name Юсуф = YUSUF (Tajik Cyrillic → MRZ)" in m.explanation
    assert "DOB 1985-03-12 exact" in m.explanation


def test_variants_of_the_same_person_are_hits() -> None:
    for name in [
        "Qurbonov Yusuf Abdullo oʻgʻli",
        "Курбанов Юсуф",
        "Kurbanov Yusuf",
        "Yusuf Qurbonov",
        "Qurbonov Ýusuf",
        "Qūrbonov Jusuf",
        "QURBONOV YUSUF ABDULLOEVICH",
        "Курбoнов Юсуф",  # Latin o inside the Cyrillic word
    ]:
        assert score(name) >= HIT_THRESHOLD, name


def test_dob_variations_are_forgiven() -> None:
    for dob in ["1985-12-03", "1984-03-12", "1985", "1985-01-01", ""]:
        assert score("QURBONOV<<YUSUF", dob=dob) >= HIT_THRESHOLD, dob
    swapped = score_subjects(make_subject("Q", "Qurbonov Yusuf", dob="1985-12-03"), ENTRY)
    assert any("day/month swapped" in line for line in swapped.explanation)


def test_namesake_with_another_dob_is_not_a_hit() -> None:
    assert score("QURBONOV<<YUSUF", dob="1990-07-21") < HIT_THRESHOLD
    assert score("Курбонов Юсуф Абдуллоевич", dob="1979-11-02") < HIT_THRESHOLD


def test_look_alike_given_name_and_sibling_are_not_hits() -> None:
    assert score("Qurbonov Yunus", dob="1985-03-12") < HIT_THRESHOLD
    assert score("Курбонов Юнус Абдуллоевич", dob="1988-06-30") < HIT_THRESHOLD
    assert score("Qurbonov", dob="1985-03-12") < HIT_THRESHOLD  # family name alone


def test_document_number_and_nationality_are_evidence() -> None:
    base = make_subject("E", "Aliyev Rustam", dob="1980", nationality="UZ", doc_number="AB 1234567")
    q_doc = make_subject("Q", "Aliev Rustam", doc_number="AB1234567", nationality="UZB")
    q_nodoc = make_subject("Q", "Aliev Rustam", nationality="UZB")
    q_other_nat = make_subject("Q", "Aliev Rustam", nationality="KAZ")
    s_doc = score_subjects(q_doc, base)
    assert (
        s_doc.score > score_subjects(q_nodoc, base).score > score_subjects(q_other_nat, base).score
    )
    assert "document number AB1234567 equal" in s_doc.explanation


def test_aliases_are_matched() -> None:
    entry = make_subject("E", "Иванов Пётр", aliases=["Rahimov Jamshid"], dob="1970-05-05")
    m = score_subjects(make_subject("Q", "RAHIMOV<<JAMSHID", dob="1970-05-05"), entry)
    assert m.is_hit
    assert "matched alias 'Rahimov Jamshid'" in m.explanation


def test_index_finds_the_person_among_namesakes() -> None:
    idx = ScreeningIndex()
    idx.add(ENTRY)
    idx.add(make_subject("E2", "Курбонов Юсуф", dob="1990-01-20"))
    idx.add(make_subject("E3", "Курбонов Юнус Абдуллоевич", dob="1987-02-02"))
    idx.add(make_subject("E4", "Алиев Рустам"))
    hits = idx.search(make_subject("Q", "QURBONOV<<YUSUF", dob="1985-12-03"), top_k=10)
    assert [h.entry_id for h in hits][:2] == ["E1", "E2"]
    assert hits[0].is_hit
    assert not hits[1].is_hit
    assert "E4" not in {h.entry_id for h in hits}


def test_index_finds_typos_and_order_swaps() -> None:
    idx = ScreeningIndex()
    idx.add(make_subject("E1", "Тухтаев Уктам Рахимович", dob="1975-04-04"))
    for q in [
        "Toʻxtayev Oʻktam",
        "Oktam Tukhtaev",
        "TUKHTAIEV<<UKTAM",
        "Tuxtayev Uktam",
        "Tukhatev Uktam",
    ]:
        hits = idx.search(make_subject("Q", q, dob="1975-04-04"))
        assert hits, q
        assert hits[0].entry_id == "E1", q


def test_incremental_add_and_remove() -> None:
    idx = ScreeningIndex()
    for i in range(2000):
        idx.add(make_subject(f"E{i}", f"Rahimov{i % 50} Jamshid{i % 37}", dob="1980"))
    idx.add(make_subject("NEW", "Qodirov Sherzod", dob="1991-09-09"))
    assert idx.search(make_subject("Q", "Kadyrov Sherzod"))[0].entry_id == "NEW"
    assert idx.remove("NEW")
    assert not idx.search(make_subject("Q", "Kadyrov Sherzod"))
    assert not idx.remove("NEW")
    assert len(idx) == 2000


name_text = st.text(
    alphabet=st.sampled_from(
        list("абвгдежзиклмнопрстуфхчшқўғҳӯAaBbDdEeIiKkLlMmNnOoQqRrSsUuYyʻ<- ")
    ),
    max_size=25,
)
dobs = st.sampled_from(["", "1985", "1985-03", "1985-03-12", "1985-12-03", "1990-01-01"])


@settings(max_examples=200)
@given(name_text, name_text, dobs, dobs)
def test_score_is_symmetric_and_bounded(a: str, b: str, da: str, db: str) -> None:
    sa = make_subject("A", a, dob=da)
    sb = make_subject("B", b, dob=db)
    s1 = score_subjects(sa, sb).score
    s2 = score_subjects(sb, sa).score
    assert 0.0 <= s1 <= 1.0
    assert abs(s1 - s2) < 1e-9


@settings(max_examples=300)
@given(st.text(max_size=60), st.text(max_size=12), st.text(max_size=5), st.text(max_size=10))
def test_any_input_never_raises(name: str, dob: str, nat: str, doc: str) -> None:
    idx = ScreeningIndex()
    idx.add(ENTRY)
    subject = make_subject("Q", name, [name[::-1]], dob, nat, doc, family_first=False)
    idx.add(make_subject("X", name, (), dob, nat, doc))
    for m in idx.search(subject):
        assert 0.0 <= m.score <= 1.0
    idx.remove("X")


def test_name_only_match_is_weaker_for_common_names() -> None:
    entry = make_subject("E", "Rahimov Jamshid", nationality="UZB")  # no DOB on the list
    query = make_subject("Q", "Рахимов Жамшид", dob="1980-02-03", nationality="UZB")
    rare = score_subjects(query, entry, namesakes=1).score
    common = score_subjects(query, entry, namesakes=40)
    assert rare >= HIT_THRESHOLD
    assert common.score < HIT_THRESHOLD
    assert "DOB missing; 40 list entries share this name" in common.explanation
    mismatch = score_subjects(query, make_subject("E2", "Rahimov Jamshid", dob="1961-07-07"))
    assert common.score > mismatch.score  # unknown still ranks above clearly different


def test_index_ranks_the_dob_match_first_among_many_namesakes() -> None:
    idx = ScreeningIndex()
    for i in range(60):
        idx.add(make_subject(f"N{i}", "Алиев Мухаммад", dob=f"{1950 + i}-05-05"))
    idx.add(make_subject("T", "Aliyev Muhammad", dob="1985-11-23"))
    hits = idx.search(make_subject("Q", "ALIEV<<MUKHAMMAD", dob="1985-11-23"), top_k=3)
    assert hits[0].entry_id == "T"
    assert hits[0].is_hit
    assert not hits[1].is_hit


def test_an_alias_spelt_like_the_name_is_not_a_namesake() -> None:
    idx = ScreeningIndex()
    idx.add(make_subject("E", "Курбонов Юсуф", aliases=["Qurbonov Yusuf"], dob="1985-03-12"))
    idx.add(make_subject("F", "Rahimov Jamshid"))
    assert idx.namesakes("E") == 1
    idx.add(make_subject("G", "Kurbonov Yusuf", dob="1960-01-02"))
    assert idx.namesakes("E") == 2
    idx.remove("G")
    assert idx.namesakes("E") == 1


def test_year_off_and_swapped_dates_are_strong_evidence_even_for_common_names() -> None:
    entry = make_subject("E", "Rahimov Jamshid", dob="1980-02-03", nationality="UZB")
    for dob in ("1981-02-03", "1980-03-02"):
        q = make_subject("Q", "Рахимов Жамшид", dob=dob, nationality="UZB")
        assert score_subjects(q, entry, namesakes=200).is_hit, dob
    # a year that agrees is weak evidence among 200 namesakes
    q_year = make_subject("Q", "Рахимов Жамшид", dob="1980", nationality="UZB")
    assert not score_subjects(q_year, entry, namesakes=200).is_hit
    assert score_subjects(q_year, entry, namesakes=1).is_hit


def test_document_and_patronymic_evidence() -> None:
    entry = make_subject("E", "Rahimov Jamshid Alisherovich", dob="1980", doc_number="AA1234567")
    same = make_subject("Q", "Rahimov Jamshid", dob="1980", doc_number="AA 1234567")
    other = make_subject("Q", "Rahimov Jamshid", dob="1980", doc_number="AB7654321")
    none = make_subject("Q", "Rahimov Jamshid", dob="1980")
    s = {k: score_subjects(q, entry, namesakes=50).score for k, q in
         (("same", same), ("other", other), ("none", none))}  # fmt: skip
    assert s["same"] > HIT_THRESHOLD > s["none"] > s["other"]
    pat_equal = make_subject("Q", "Rahimov Jamshid Alisher o'g'li", dob="1980")
    pat_other = make_subject("Q", "Rahimov Jamshid Botirovich", dob="1980")
    assert (
        score_subjects(pat_equal, entry, namesakes=50).score
        > s["none"]
        > score_subjects(pat_other, entry, namesakes=50).score
    )


def test_bound_is_an_upper_bound_of_the_score() -> None:
    from blonet.screening.matching.score import score_bound

    entry = make_subject("E", "Курбонов Юсуф Абдуллоевич", dob="1985-03-12", nationality="TJK")
    for name in ("Qurbonov Yusuf Abdullo o'g'li", "Kurbanov Yunus Botirovich", "QURBONOV<<YUSUF"):
        for dob in ("", "1985", "1985-03-12", "1990-01-01"):
            q = make_subject("Q", name, dob=dob, family_first=False)
            for n in (1, 5, 500):
                assert score_bound(q, entry, 1.0, n) >= score_subjects(q, entry, namesakes=n).score


def test_bounds_of_many_candidates_equal_the_bound_of_each() -> None:
    """``score_bounds`` (the search's hot path, patronymics compared once per father's name)
    gives ``score_bound`` of each candidate, for entries with, without and with mixed
    patronymics among their names."""
    from blonet.screening.matching.score import score_bound, score_bounds

    entries = [
        make_subject("E1", "Курбонов Юсуф Абдуллоевич", dob="1985-03-12", nationality="TJK"),
        make_subject("E2", "Qurbonov Yusuf Abdullo o'g'li", ["Kurbanov Yusuf"], dob="1985"),
        make_subject("E3", "Qurbonov Yusuf Botirovich", dob="1986-03-12", doc_number="A1"),
        make_subject("E4", "Qurbonov Yusuf", ["Qurbonov Yusuf Botirovich"], nationality="UZB"),
        make_subject("E5", "Qurbonov Yusuf", dob="1990-01-01"),
        make_subject("E6", "Qurbonov Yusuf Abdullaevich", ["Qurbonov Yusuf Botirovich"]),
    ]
    queries = [
        make_subject("Q", name, dob=dob, nationality=nat, doc_number=doc, family_first=False)
        for name in ("Qurbonov Yusuf Abdulloevich", "QURBONOV<<YUSUF", "Yusuf Kurbanov Botir uulu")
        for dob in ("", "1985-03-12")
        for nat, doc in (("", ""), ("TJ", "A1"))
    ]
    for q in queries:
        for name_bound in (0.7, 0.93, 1.0):
            items = [(e, name_bound, n) for e in entries for n in (1, 40)]
            expected = [score_bound(q, e, b, n) for e, b, n in items]
            assert score_bounds(q, items) == pytest.approx(expected, rel=1e-12), q.names[0].raw


def _namesakes_index() -> ScreeningIndex:
    """600 entries named Rahimov Jamshid (one name pair, kept by year of birth), born
    1950-2009, some without a date, some with a document number, plus a few others."""
    idx = ScreeningIndex()
    for i in range(600):
        dob = "" if i % 13 == 0 else f"{1950 + i % 60}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        idx.add(make_subject(f"R{i}", "Rahimov Jamshid", dob=dob,
                             doc_number=f"AA{i:07d}" if i % 3 == 0 else ""))  # fmt: skip
    for i in range(40):
        idx.add(make_subject(f"O{i}", f"Rahimova Jamila{i % 4}", dob="1980-05-05"))
    return idx


def test_long_name_postings_read_by_year_give_the_full_search_results() -> None:
    idx = _namesakes_index()
    assert idx._pair_years, "the shared pair is kept by year"
    queries = [
        make_subject("Q", "Rahimov Jamshid", dob="1980-03-21"),
        make_subject("Q", "RAHIMOV<<JAMSHID", dob="1955"),
        make_subject("Q", "Рахимов Жамшид", dob="2030-01-01"),  # nobody born near it
        make_subject("Q", "Rahimov Jamshid", dob="1990-02-03", doc_number="AA0000003"),
        make_subject("Q", "Jamshid Rakhimov", dob="1979-11-11", nationality="UZ"),
    ]
    for q in queries:
        for top_k, min_score in ((10, 0.0), (50, 0.8), (3, 0.3)):
            full = idx.search_exhaustive(q, top_k=top_k, min_score=min_score)
            got = idx.search(q, top_k=top_k, min_score=min_score, explain=False)
            assert [(m.entry_id, m.score) for m in got] == [(m.entry_id, m.score) for m in full]
    # the holder of the document, born 1953, is found by a query dated 1990 with that number
    hits = idx.search(queries[3], top_k=1, explain=False)
    assert hits[0].entry_id == "R3"


def test_year_postings_follow_removals() -> None:
    idx = _namesakes_index()
    q = make_subject("Q", "Rahimov Jamshid", dob="1980-03-21")
    before = [m.entry_id for m in idx.search(q, top_k=5, explain=False)]
    assert before
    assert idx.remove(before[0])
    after = [m.entry_id for m in idx.search(q, top_k=5, explain=False)]
    assert before[0] not in after
    assert after == [m.entry_id for m in idx.search_exhaustive(q, top_k=5)]
    for i in range(600):
        idx.remove(f"R{i}")
    assert not idx._pair_years and not idx._doc_entries
    assert all(m.entry_id.startswith("O") for m in idx.search(q, top_k=5, explain=False))
