"""Vehicle plates, containers and organisation names."""

import pytest

from blonet.screening.matching.containers import container_check_digit, validate_container
from blonet.screening.matching.orgs import org_similarity, strip_legal_forms
from blonet.screening.matching.plates import guess_plate_country, normalize_plate, plates_match


def test_plates_fold_cyrillic_look_alikes_and_separators() -> None:
    assert normalize_plate("01 A 123 BC") == normalize_plate("01А123ВС") == "01A123BC"
    assert plates_match("01 A 123 BC", "01А123ВС")
    assert plates_match("123-ABO-02", "123 АВ0 02")  # O read as zero
    assert not plates_match("01A123BC", "01A123BD")
    assert not plates_match("", "")


def test_plate_country_formats() -> None:
    assert guess_plate_country("01 A 123 BC") == "UZB"
    assert guess_plate_country("123 ABC 02") == "KAZ"
    assert guess_plate_country("А123ВС77") == "RUS"
    assert guess_plate_country("???") is None


def test_container_check_digits() -> None:
    assert validate_container("CSQU3054383").valid
    assert validate_container("csqu 305438-3").valid
    bad = validate_container("CSQU3054384")
    assert not bad.valid
    assert bad.expected_check_digit == 3
    assert "wrong" in bad.reason
    assert container_check_digit("MSKU907032") == 3
    assert not validate_container("CSQU305438").valid  # missing check digit
    assert not validate_container("12345").valid


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ТОО «Ақ Жол»", "Ak Zhol LLP"),
        ('ООО "Ромашка"', "Romashka LLC"),
        ("Shark MChJ", "«Shark» XK"),
        ("ОсОО Бакай Транс", "Bakai Trans Ltd."),
        ("ТОВ Дніпро", "Dnipro LLC"),
    ],
)
def test_organisations_match_without_legal_forms(a: str, b: str) -> None:
    assert org_similarity(a, b) >= 0.9, (strip_legal_forms(a), strip_legal_forms(b))


def test_different_organisations_do_not_match() -> None:
    assert org_similarity("ТОО Ақ Жол", "ТОО Кара Жол") < 0.9
    assert strip_legal_forms("Ак Жол АО") == "ак жол"  # "ак" inside the name is kept
