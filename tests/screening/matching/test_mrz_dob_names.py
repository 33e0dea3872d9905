"""MRZ parsing, dates of birth and name analysis."""

import pytest

from blonet.screening.matching.dob import DobMatch, PartialDate, compare_dob, parse_dob
from blonet.screening.matching.mrz import check_digit, parse_mrz, parse_name_field
from blonet.screening.matching.names import Role, parse_name

# ICAO Doc 9303 specimen (Utopia passport of Anna Maria Eriksson)
TD3_L1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
TD3_L2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD1 = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
]


def test_check_digit_examples() -> None:
    assert check_digit("L898902C3") == "6"
    assert check_digit("740812") == "2"
    assert check_digit("120415") == "9"


def test_name_field() -> None:
    assert parse_name_field("QURBONOV<<YUSUF<<<<<") == ("QURBONOV", "YUSUF")
    assert parse_name_field("ERIKSSON<<ANNA<MARIA") == ("ERIKSSON", "ANNA MARIA")
    assert parse_name_field("MADONNA") == ("MADONNA", "")


def test_td3_valid() -> None:
    r = parse_mrz(TD3_L1 + "\n" + TD3_L2)
    assert (r.kind, r.surname, r.given_names) == ("TD3", "ERIKSSON", "ANNA MARIA")
    assert (r.doc_number, r.nationality, r.dob) == ("L898902C3", "UTO", "1974-08-12")
    assert r.issues == []


def test_td3_bad_check_digit_is_reported_but_name_read() -> None:
    bad = TD3_L2[:19] + "5" + TD3_L2[20:]  # DOB check digit 2 -> 5
    r = parse_mrz(TD3_L1 + TD3_L2[:0] + "\n" + bad)
    assert r.surname == "ERIKSSON"
    assert any("date of birth" in i for i in r.issues)


def test_td1_valid_and_concatenated() -> None:
    r = parse_mrz("".join(TD1))
    assert (r.kind, r.surname, r.doc_number, r.dob) == (
        "TD1",
        "ERIKSSON",
        "D23145890",
        "1974-08-12",
    )
    assert r.issues == []


def test_garbage_mrz_never_raises() -> None:
    r = parse_mrz("P<<<\n12<<<")
    assert r.kind == "name field"
    assert r.issues


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        ("1985-03-12", "1985-03-12", DobMatch.EXACT),
        ("1985", "1985-03-12", DobMatch.PARTIAL),
        ("1985-03", "1985-03-12", DobMatch.PARTIAL),
        ("1985-12-03", "1985-03-12", DobMatch.SWAPPED),
        ("1984-03-12", "1985-03-12", DobMatch.YEAR_OFF),
        ("1985-01-01", "1985-03-12", DobMatch.PLACEHOLDER),
        ("1985-03-13", "1985-03-12", DobMatch.DIGIT_TYPO),
        ("", "1985-03-12", DobMatch.MISSING),
        ("1990-07-01", "1985-03-12", DobMatch.MISMATCH),
        ("1979", "1985-03-12", DobMatch.MISMATCH),
    ],
)
def test_compare_dob(a: str, b: str, kind: DobMatch) -> None:
    pa, pb = parse_dob(a), parse_dob(b)
    assert compare_dob(pa, pb).kind is kind
    assert compare_dob(pb, pa).kind is kind


def test_parse_dob_formats_and_errors() -> None:
    assert parse_dob("12.03.1985") == PartialDate(1985, 3, 12)
    assert parse_dob("19850312") == PartialDate(1985, 3, 12)
    assert parse_dob("1985-00-00") == PartialDate(1985)
    assert parse_dob(" ") is None
    with pytest.raises(ValueError, match="not a valid date"):
        parse_dob("1985-02-30")
    with pytest.raises(ValueError, match="not YYYY"):
        parse_dob("March 1985")


def test_patronymic_suffix_and_marker_give_same_stem() -> None:
    tajik = parse_name("Курбонов Юсуф Абдуллоевич")
    uzbek = parse_name("Qurbonov Yusuf Abdullo oʻgʻli")
    pt = [t for t in tajik.tokens if t.role is Role.PATRONYMIC]
    pu = [t for t in uzbek.tokens if t.role is Role.PATRONYMIC]
    assert len(pt) == len(pu) == 1
    assert pt[0].skel == pu[0].skel == "abdulo"
    assert [t.role for t in uzbek.tokens] == [Role.FAMILY, Role.GIVEN, Role.PATRONYMIC]
    assert len(uzbek.tokens) == 3  # the marker itself is not a name part


@pytest.mark.parametrize(
    "text",
    ["Asanov Bakyt uulu Nurlan", "Sadykova Aigerim kyzy", "Ахмедов Руслан Ахмедович", "Ali qizi"],
)
def test_patronymic_markers(text: str) -> None:
    parsed = parse_name(text)
    assert any(t.role is Role.PATRONYMIC for t in parsed.tokens)


def test_family_name_found_by_ending_when_order_is_swapped() -> None:
    parsed = parse_name("Yusuf Qurbonov", family_first=False)
    assert [t.role for t in parsed.tokens] == [Role.GIVEN, Role.FAMILY]


def test_systems_detected_for_explanations() -> None:
    assert parse_name("Курбонов Юсуф", "TJK").system == "Tajik Cyrillic"
    assert parse_name("Ҷӯраев Алӣ").system == "Tajik Cyrillic"
    assert parse_name("Тўхтаев Ўктам").system == "Uzbek Cyrillic"
    assert parse_name("Нұрланов Әлібек").system == "Kazakh Cyrillic"
    assert parse_name("Nūrlanov Älibek").system == "Kazakh Latin (2021)"
    assert parse_name("Ýusupow Meret").system == "Turkmen Latin"
    assert parse_name("Toʻxtayev Oʻktam").system == "Uzbek Latin"
    assert parse_name("QURBONOV<<YUSUF").system == "MRZ"
    assert parse_name("Иванов Иван").system == "Russian Cyrillic"


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("A", "too short"),
        ("محمد", "unsupported script (Arabic)"),
        ("王伟", "unsupported script (Chinese"),
    ],
)
def test_bad_names_are_reported(text: str, issue: str) -> None:
    parsed = parse_name(text)
    assert any(issue in i for i in parsed.issues), parsed.issues


_DATES = [None] + [
    PartialDate(y, m, d)
    for y in (1984, 1985, 1986)
    for m in (None, 1, 3, 12)
    for d in ((None,) if m is None else (None, 1, 3, 12, 13, 31 if m != 3 else 30))
]


def test_dob_kind_agrees_with_compare_dob() -> None:
    from blonet.screening.matching.dob import dob_kind

    for a in _DATES:
        for b in _DATES:
            assert dob_kind(a, b) is compare_dob(a, b).kind, (a, b)
