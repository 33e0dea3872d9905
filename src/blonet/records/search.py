"""Full-text search over records in any script.

Each record keeps `search_text`: " word word ... " of lower-case words with, for names, their
Latin form, skeleton and phonetic key (`normalise.search_words`). A query word matches when any of
its own forms starts a word of `search_text`, so «Курбонов» finds QURBONOV and «Qurbonov».
On PostgreSQL a trigram GIN index serves the LIKE (migration 0002).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.db.models import Q

from blonet.records.normalise import normalise_plate, normalize_text, search_words

MAX_QUERY_WORDS = 8


def _plain_words(text: str) -> list[str]:
    return [w for w in normalize_text(text or "").split() if w]


# Name words, places and phrases recur across records (namesakes, site names, packaging): their
# forms are computed once per process. Normalisation works word by word (`normalize_text` turns
# every kind of white space into a separator and never joins words), so the forms of a name are
# those of its words in order, duplicates dropped: what `search_words(name)` gives.
@lru_cache(maxsize=131_072)
def _word_forms(word: str) -> tuple[str, ...]:
    return tuple(search_words(word))


def _name_forms(name: str) -> list[str]:
    forms: dict[str, None] = {}
    for word in name.split():
        for form in _word_forms(word):
            forms.setdefault(form, None)
    return list(forms)


@lru_cache(maxsize=65_536)
def _text_words(text: str) -> tuple[str, ...]:
    return tuple(_plain_words(text))


def compose(
    *, names: Iterable[str] = (), words: Iterable[str] = (), codes: Iterable[str] = ()
) -> str:
    """`names` get every form; `words` are kept as written (normalised); `codes` as given."""
    seen: dict[str, None] = {}
    for name in names:
        for form in _name_forms(name or ""):
            seen.setdefault(form, None)
    for text in words:
        for word in _text_words(text or ""):
            seen.setdefault(word, None)
    for code in codes:
        code = (code or "").strip().lower().replace(" ", "")
        if code:
            seen.setdefault(code, None)
    return " " + " ".join(seen) + " " if seen else ""


def entity_search_parts(entity: Any) -> tuple[list[str], list[str], list[str]]:
    """(names, words, codes) of an entity, by kind."""
    kind = entity.kind
    if kind == "person":
        names = [entity.full_name, *entity.aliases]
        codes = [d.number_normalised for d in getattr(entity, "_prefetched_documents", [])]
        return names, [], [entity.dob, *codes]
    if kind == "vehicle":
        return [], [entity.make, entity.model], [entity.plate_normalised, entity.vin]
    if kind == "organisation":
        return [entity.name], [], [entity.registration_number]
    if kind in {"phone", "document", "container"}:
        return [], [], [entity.number_normalised]
    if kind == "account":
        return [entity.holder_name], [entity.bank], [entity.number_normalised]
    return [], [], []


def entity_search_text(entity: Any) -> str:
    names, words, codes = entity_search_parts(entity)
    return compose(names=names, words=words, codes=codes)


def event_search_text(
    event: Any, *, items: Iterable[Any] = (), entities: Iterable[Any] = ()
) -> str:
    names: list[str] = []
    words: list[str] = [event.narrative, event.place, getattr(event, "concealment_detail", "")]
    # The reference as printed (KZ-2026-E6FBD52F) and its last part, the one shown in headings.
    codes: list[str] = [event.reference, (event.reference or "").rsplit("-", 1)[-1]]
    if event.site_id:
        words += [event.site.name, event.site.name_ru]
    for item in items:
        words += [item.packaging, item.markings]
        codes.append(item.commodity)
    for country in getattr(event, "route", []):
        codes.append(f"route:{country}")
    for entity in entities:
        n, w, c = entity_search_parts(entity)
        names += n
        words += w
        codes += c
    return compose(names=names, words=words, codes=codes)


def search_q(text: str, field: str = "search_text") -> Q | None:
    """The filter for a free-text query, or None for an empty one."""
    q = Q()
    used = False
    for word in _plain_words(text)[:MAX_QUERY_WORDS]:
        forms = search_words(word) or [word]
        word_q = Q()
        for form in forms:
            word_q |= Q(**{f"{field}__contains": f" {form}"})
        q &= word_q
        used = True
    if not used:
        return None
    # A plate, phone or document number typed with spaces or dashes: also as one code, and a
    # reference or number as written (dashes kept, as references are stored).
    several = len(_plain_words(text)) > 1
    code = normalise_plate(text).lower()
    if len(code) >= 4 and any(ch.isdigit() for ch in code) and several:
        q |= Q(**{f"{field}__contains": f" {code}"})
    written = "".join(text.split()).lower()
    if written != code and len(written) >= 4 and any(ch.isdigit() for ch in written) and several:
        q |= Q(**{f"{field}__contains": f" {written}"})
    return q
