"""Language aid and templates: names in the reader's script, structured fields in the reader's
UI language, stored language-neutral."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from blonet.exchange.language import latin_to_cyrillic, name_transliteration, normalise_language


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Qurbonov Yusuf", "Курбонов Юсуф"),
        ("Aliyev Rustam", "Алиев Рустам"),
        ("Ergashev", "Эргашев"),
        ("To'xtayev Sherzod", "Тохтаев Шерзод"),
        ("Shchukin", "Щукин"),
        ("Tsoi", "Цои"),
        ("Zhanna Kh.", "Жанна Х."),
    ],
)
def test_latin_to_cyrillic(latin, cyrillic):
    assert latin_to_cyrillic(latin) == cyrillic


@given(st.text(alphabet=st.characters(codec="ascii"), max_size=40))
def test_latin_to_cyrillic_never_fails_and_keeps_digits(text):
    out = latin_to_cyrillic(text)
    assert [c for c in out if c.isdigit()] == [c for c in text if c.isdigit()]


def test_name_in_the_other_script():
    assert name_transliteration("Қурбонов Юсуф", "en") == "Qurbonov Yusuf"
    assert name_transliteration("Қурбонов Юсуф", "ru") == "Qurbonov Yusuf"
    assert name_transliteration("Qurbonov Yusuf", "ru") == "Курбонов Юсуф"
    assert name_transliteration("Qurbonov Yusuf", "uz") == ""  # Uzbek UI is Latin
    assert name_transliteration("", "ru") == ""


def test_language_codes():
    assert normalise_language("ru-RU") == "ru"
    assert normalise_language("kk") == "kk"
    assert normalise_language("fr") == ""
    assert normalise_language("") == ""


def _clean(code, kind, data):
    from blonet.exchange.structured import clean_structured
    from blonet.records.services.common import ErrorBag

    errors = ErrorBag()
    return clean_structured(code, kind, data, errors), errors.fields


def test_clean_vehicle_alert_from_form_strings():
    data, errors = _clean(
        "vehicle_alert",
        "alert",
        {
            "plate": " 01 KG 123 ABC ",
            "vehicle_country": "kg",
            "driver": "Қурбонов Юсуф",
            "passengers": "Aliyev Rustam\nErgashev Bobur; ",
            "quantity": "1,50",
            "unit": "kg",
            "commodity": "heroin",
            "expected_at": "2026-12-02T16:00",
        },
    )
    assert errors == {}
    assert data == {
        "plate": "01 KG 123 ABC",
        "vehicle_country": "KG",
        "driver": "Қурбонов Юсуф",
        "passengers": ["Aliyev Rustam", "Ergashev Bobur"],
        "commodity": "heroin",
        "quantity": "1.5",
        "unit": "kg",
        "expected_at": "2026-12-02T11:00:00+00:00",
    }


def test_template_must_fit_the_kind():
    _data, errors = _clean("seizure_notification", "alert", {"reference": "X"})
    assert errors["template"] == ["This template is not for this kind of message."]


def test_items_are_checked_one_by_one():
    _data, errors = _clean(
        "seizure_notification",
        "seizure_notification",
        {
            "reference": "KZ-1",
            "occurred_at": "2026-11-30 14:00",
            "items": [{"commodity": "heroin", "quantity": "2", "unit": "kg"}, {"commodity": "tea"}],
        },
    )
    assert errors == {
        "structured.items[1].commodity": ["Unknown value “tea”."],
        "structured.items[1].quantity": ["This field is required."],
        "structured.items[1].unit": ["This field is required."],
    }


def test_display_in_the_readers_language():
    from blonet.exchange.structured import display_fields

    data, _errors = _clean(
        "vehicle_alert",
        "alert",
        {
            "plate": "01 KG 123 ABC",
            "vehicle_country": "KG",
            "driver": "Qurbonov Yusuf",
            "commodity": "heroin",
            "quantity": "1.5",
            "unit": "kg",
            "expected_at": "2026-12-02 16:00",
        },
    )
    with translation.override("ru"):
        rows = {r["name"]: r for r in display_fields("vehicle_alert", data)}
        assert rows["driver"]["values"] == [("Qurbonov Yusuf", "Курбонов Юсуф")]
        assert rows["vehicle_country"]["values"][0][0].endswith("(KG)")
        assert rows["quantity"]["values"] == [("1,5", "")]
        assert rows["plate"]["values"] == [("01 KG 123 ABC", "")]
        assert "16:00" in rows["expected_at"]["values"][0][0]
    with translation.override("en"):
        rows = {r["name"]: r for r in display_fields("vehicle_alert", data)}
        assert rows["driver"]["values"] == [("Qurbonov Yusuf", "")]
        assert rows["vehicle_country"]["values"] == [("Kyrgyzstan (KG)", "")]
        assert rows["commodity"]["label"] == "Suspected goods"
        assert rows["commodity"]["values"] == [("Heroin", "")]
