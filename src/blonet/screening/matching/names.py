"""Personal names: tokens, patronymics, name order and the script/system a name is written in."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from .mrz import looks_like_mrz, parse_mrz
from .normalize import Script, normalize_text, scripts_in, unsupported_script
from .translit import (
    detect_cyrillic_language,
    detect_latin_system,
    key_from_skeleton,
    skeleton,
    to_latin,
)

__all__ = ["NameToken", "ParsedName", "Role", "make_token", "parse_name"]


class Role(StrEnum):
    FAMILY = "family name"
    GIVEN = "given name"
    PATRONYMIC = "patronymic"


@dataclass(frozen=True, slots=True)
class NameToken:
    """One part of a name. For a patronymic, ``skel``/``key`` are those of the father's name
    (``Абдуллоевич`` and ``Abdullo oʻgʻli`` both give ``abdulo``)."""

    text: str  # normalised form as written, for explanations
    skel: str
    key: str
    role: Role

    @property
    def is_initial(self) -> bool:
        return len(self.skel) <= 1


@dataclass(frozen=True, slots=True)
class ParsedName:
    raw: str
    tokens: tuple[NameToken, ...]
    system: str  # "Tajik Cyrillic", "Uzbek Latin", "MRZ", ...
    issues: tuple[str, ...] = ()
    mrz_nationality: str = ""
    mrz_dob: str = ""
    mrz_doc_number: str = ""
    has_patronymic: bool = False  # a token has the patronymic role (set by ``parse_name``)

    @property
    def core(self) -> tuple[NameToken, ...]:
        return tuple(t for t in self.tokens if t.role is not Role.PATRONYMIC)


# Words that follow the father's name: Uzbek oʻgʻli/qizi, Kazakh uly/qyzy, Kyrgyz uulu/kyzy,
# Turkmen ogly/gyzy, Azerbaijani oğlu/qızı, in Latin and Cyrillic spellings.
_MARKER_WORDS = (
    "o'g'li ogli ugli o'gli og'li oglu ogly oğlu ўғли угли огли оглы оғли ўгли "
    "qizi kizi қизи кизи gizi gyzy qızı kyzy qyzy kizy кызы қызы гызы "
    "uly ulı ұлы улы uuly uulu уулу"
)
_MARKERS = frozenset(skeleton(normalize_text(w)) for w in _MARKER_WORDS.split())
# Russian-style patronymic endings, on skeletons (longest first).
_PATRONYMIC_ENDINGS = ("ovich", "evich", "ovna", "evna", "ichna", "ich")
_FAMILY_ENDINGS = (
    "ov", "ev", "ova", "eva", "in", "ina", "zoda", "zade", "zada", "skiy", "skii", "sky",
    "skaya", "enko", "uk", "yan", "iy", "dze", "shvili", "ovo", "bekov", "bekova",
)  # fmt: skip


@lru_cache(maxsize=262_144)
def make_token(word: str, role: Role = Role.GIVEN) -> NameToken:
    """Token for one normalised word."""
    sk = skeleton(word)
    return NameToken(word, sk, key_from_skeleton(sk), role)


@lru_cache(maxsize=262_144)
def _patronymic_stem(sk: str) -> str | None:
    for ending in _PATRONYMIC_ENDINGS:
        if sk.endswith(ending) and len(sk) - len(ending) >= 3:
            return sk[: -len(ending)]
    return None


def _patronymic_token(word: str, stem_skel: str) -> NameToken:
    return NameToken(word, stem_skel, key_from_skeleton(stem_skel), Role.PATRONYMIC)


def _system(text: str, nationality: str) -> str:
    scripts = scripts_in(text)
    if Script.CYRILLIC in scripts and Script.LATIN in scripts:
        return "mixed Cyrillic/Latin"
    if Script.CYRILLIC in scripts:
        return f"{detect_cyrillic_language(text, nationality)} Cyrillic"
    if Script.LATIN in scripts:
        return detect_latin_system(text, nationality)
    return "unknown script"


def _split_words(norm: str) -> list[str]:
    words: list[str] = []
    for w in norm.split(" "):
        if not w:
            continue
        # keep hyphenated names joined (Ali-zoda = Alizoda); skeleton drops the hyphen
        if any(ch.isalpha() for ch in w):
            words.append(w)
    return words


def parse_name(raw: str, nationality: str = "", *, family_first: bool = True) -> ParsedName:
    """Analyse a name in any supported script, or an MRZ name field / MRZ lines.

    Never raises; problems (empty name, unsupported script, bad MRZ check digit) are listed in
    ``issues``. With ``family_first`` the first word (other than a patronymic) is taken as the
    family name unless another word has a clear family-name ending.
    """
    raw = raw if isinstance(raw, str) else ""
    issues: list[str] = []
    mrz_fields: dict[str, str] = {}
    surname_words: list[str] | None = None
    text = raw
    system = ""
    if looks_like_mrz(raw):
        res = parse_mrz(raw)
        issues.extend(res.issues)
        mrz_fields = {"nat": res.nationality, "dob": res.dob, "doc": res.doc_number}
        surname_words = normalize_text(res.surname).split()
        text = res.name
        system = "MRZ"
    norm = normalize_text(text)
    bad = unsupported_script(norm)
    if bad is not None:
        issues.append(f"name is written in an unsupported script ({bad.value})")
        norm = " ".join(w for w in norm.split(" ") if unsupported_script(w) is None)
    if surname_words is None:
        system = _system(norm, nationality)
    words = _split_words(norm)
    tokens = _tokens(words, surname_words, family_first)
    letters = sum(len(t.skel) for t in tokens)
    if not tokens:
        issues.append("name is empty" if not raw.strip() else "name has no readable letters")
    elif letters < 2:
        issues.append("name is too short to screen (one letter)")
    return ParsedName(
        raw=raw,
        tokens=tuple(tokens),
        system=system,
        issues=tuple(issues),
        mrz_nationality=mrz_fields.get("nat", ""),
        mrz_dob=mrz_fields.get("dob", ""),
        mrz_doc_number=mrz_fields.get("doc", ""),
        has_patronymic=any(t.role is Role.PATRONYMIC for t in tokens),
    )


def _tokens(
    words: list[str], surname_words: list[str] | None, family_first: bool
) -> list[NameToken]:
    skels = [skeleton(w) for w in words]
    is_patronymic = [False] * len(words)
    stems: dict[int, str] = {}
    drop: set[int] = set()
    for i, sk in enumerate(skels):
        if i > 0 and sk in _MARKERS and not is_patronymic[i - 1] and i - 1 not in drop:
            drop.add(i)
            is_patronymic[i - 1] = True
            stems[i - 1] = skels[i - 1]
        elif i > 0 and (stem := _patronymic_stem(sk)) is not None:
            is_patronymic[i] = True
            stems[i] = stem
    tokens: list[NameToken] = []
    core_idx = [i for i in range(len(words)) if i not in drop and not is_patronymic[i]]
    family_idx: set[int] = set()
    if surname_words is not None:
        family_idx = {i for i in core_idx if words[i] in surname_words}
    elif core_idx:
        by_ending = [
            i for i in core_idx if skels[i].endswith(_FAMILY_ENDINGS) and len(skels[i]) > 4
        ]
        if len(by_ending) == 1:
            family_idx = set(by_ending)
        elif family_first or len(by_ending) > 1:
            family_idx = {by_ending[0] if by_ending else core_idx[0]}
        else:
            family_idx = {core_idx[0]}
    for i, w in enumerate(words):
        if i in drop:
            continue
        if is_patronymic[i]:
            tokens.append(_patronymic_token(w, stems[i]))
        else:
            tokens.append(make_token(w, Role.FAMILY if i in family_idx else Role.GIVEN))
    return tokens


def latin_form(text: str) -> str:
    """Readable Latin form of normalised text, for explanations."""
    return to_latin(text)
