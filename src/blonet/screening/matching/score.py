"""Scoring a query against a watchlist entry: a score in [0, 1] and a readable explanation.

The name part aligns tokens order-free (family/given order may differ; a patronymic may be
present on one side only). Date of birth, document number, patronymic and nationality are then
weighed as evidence for or against the same person, together with how many list entries share
the name (see ``evidence_score``): a clear DOB mismatch is strong evidence against, a year that
agrees is weak evidence when the name is common, an equal passport number is strong evidence.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from itertools import permutations

from rapidfuzz.distance import Levenshtein

from .dob import DobMatch, compare_dob, dob_kind
from .names import NameToken, ParsedName, Role
from .subject import Subject

__all__ = [
    "HIT_THRESHOLD",
    "Evidence",
    "Match",
    "NameComparison",
    "TokenLevel",
    "compare_names",
    "evidence_score",
    "score_bound",
    "score_subjects",
    "subject_evidence",
    "token_similarity",
]

HIT_THRESHOLD = 0.80
"""Score from which a result is shown to the officer as a hit."""

_MIN_PAIR_SIM = 0.5  # token pairs below this are left unaligned
_ONE_PART_PENALTY = 0.25  # only one name part (family or given) matched
_EXTRA_PART_PENALTY = 0.08  # per unmatched family/given name when two or more parts matched
_PATRONYMIC_CONFLICT_PENALTY = 0.1


class TokenLevel(StrEnum):
    EXACT = "exact"
    TRANSLIT = "same after transliteration"
    VARIANT = "spelling variant"
    FUZZY = "similar"
    INITIAL = "initial"


@lru_cache(maxsize=1_048_576)
def _similarity(a_skel: str, a_key: str, b_skel: str, b_key: str) -> tuple[float, TokenLevel]:
    if a_skel == b_skel:
        return 1.0, TokenLevel.TRANSLIT
    if a_key == b_key:
        return 0.95, TokenLevel.VARIANT
    if len(a_skel) <= 1 or len(b_skel) <= 1:
        ok = a_skel[:1] == b_skel[:1] or a_key[:1] == b_key[:1]
        return (0.75 if ok else 0.0), TokenLevel.INITIAL
    s_skel = Levenshtein.normalized_similarity(a_skel, b_skel)
    s_key = 0.95 * Levenshtein.normalized_similarity(a_key, b_key)
    return max(s_skel, s_key), TokenLevel.FUZZY


def token_similarity(a: NameToken, b: NameToken) -> tuple[float, TokenLevel]:
    """Similarity of two tokens in [0, 1] and how they relate; symmetric."""
    if a.text == b.text:
        return 1.0, TokenLevel.EXACT
    if a.skel <= b.skel:
        return _similarity(a.skel, a.key, b.skel, b.key)
    return _similarity(b.skel, b.key, a.skel, a.key)


@dataclass(frozen=True, slots=True)
class AlignedPair:
    query: NameToken
    entry: NameToken
    sim: float
    level: TokenLevel


@dataclass(frozen=True, slots=True)
class NameComparison:
    score: float
    pairs: tuple[AlignedPair, ...]
    query_only: tuple[NameToken, ...]
    entry_only: tuple[NameToken, ...]


def _align(q: tuple[NameToken, ...], e: tuple[NameToken, ...]) -> list[tuple[int, int, float]]:
    """Best one-to-one alignment (by total similarity) of tokens with similarity >= 0.5."""
    sims = [[token_similarity(a, b)[0] for b in e] for a in q]
    transpose = len(q) > len(e)
    if transpose:
        sims = [list(col) for col in zip(*sims, strict=True)]
    n_small, n_big = len(sims), len(sims[0]) if sims else 0
    best: list[tuple[int, int, float]] = []
    best_total = -1.0
    if n_small <= 4 and n_big <= 6:
        for perm in permutations(range(n_big), n_small):
            total = 0.0
            for i, j in enumerate(perm):
                s = sims[i][j]
                if s >= _MIN_PAIR_SIM:
                    total += s
            if total > best_total + 1e-12:
                best_total = total
                best = [
                    (i, j, sims[i][j]) for i, j in enumerate(perm) if sims[i][j] >= _MIN_PAIR_SIM
                ]
    else:  # very long names: greedy
        cells = sorted(
            ((sims[i][j], i, j) for i in range(n_small) for j in range(n_big)), reverse=True
        )
        used_i: set[int] = set()
        used_j: set[int] = set()
        for s, i, j in cells:
            if s >= _MIN_PAIR_SIM and i not in used_i and j not in used_j:
                used_i.add(i)
                used_j.add(j)
                best.append((i, j, s))
    if transpose:
        return [(j, i, s) for i, j, s in best]
    return best


def compare_names(q: ParsedName, e: ParsedName) -> NameComparison:
    """Order-free comparison of two analysed names; the score is symmetric."""
    qt, et = q.tokens, e.tokens
    if not qt or not et:
        return NameComparison(0.0, (), qt, et)
    aligned = _align(qt, et)
    pairs = tuple(
        AlignedPair(qt[i], et[j], s, token_similarity(qt[i], et[j])[1]) for i, j, s in aligned
    )
    used_q = {i for i, _, _ in aligned}
    used_e = {j for _, j, _ in aligned}
    q_only = tuple(t for i, t in enumerate(qt) if i not in used_q)
    e_only = tuple(t for j, t in enumerate(et) if j not in used_e)
    core = [p for p in pairs if Role.PATRONYMIC not in (p.query.role, p.entry.role)]
    if not core:
        return NameComparison(0.0, pairs, q_only, e_only)
    weights = [0.5 if Role.PATRONYMIC in (p.query.role, p.entry.role) else 1.0 for p in pairs]
    mean = sum(w * p.sim for w, p in zip(weights, pairs, strict=True)) / sum(weights)
    worst = min(p.sim for p in core)
    score = mean - 0.5 * (mean - worst)
    unmatched_core = [
        t for t in (*q_only, *e_only) if t.role is not Role.PATRONYMIC and not t.is_initial
    ]
    if len(core) == 1 and (unmatched_core or len(qt) == 1 or len(et) == 1):
        score -= _ONE_PART_PENALTY
    score -= _EXTRA_PART_PENALTY * len(unmatched_core)
    q_pat = any(t.role is Role.PATRONYMIC for t in qt)
    e_pat = any(t.role is Role.PATRONYMIC for t in et)
    pat_matched = any(Role.PATRONYMIC in (p.query.role, p.entry.role) for p in pairs)
    if q_pat and e_pat and not pat_matched:
        score -= _PATRONYMIC_CONFLICT_PENALTY
    return NameComparison(min(1.0, max(0.0, score)), pairs, q_only, e_only)


@dataclass(slots=True)
class Match:
    entry_id: str
    score: float
    explanation: list[str] = field(default_factory=list)

    @property
    def is_hit(self) -> bool:
        return self.score >= HIT_THRESHOLD


def _show(tok: NameToken, name: ParsedName) -> str:
    """A token as an officer expects to read it: upper case for MRZ, else capitalised."""
    return tok.text.upper() if name.system == "MRZ" else tok.text[:1].upper() + tok.text[1:]


def _describe_pair(p: AlignedPair, q: ParsedName, e: ParsedName) -> str:
    role = p.entry.role.value
    et, qt = _show(p.entry, e), _show(p.query, q)
    if p.query.role is Role.PATRONYMIC or p.entry.role is Role.PATRONYMIC:
        role = "patronymic"
    if p.level is TokenLevel.EXACT:
        return f"{role} {et} exact"
    systems = f"{e.system} → {q.system}" if e.system != q.system else e.system
    if p.level is TokenLevel.TRANSLIT:
        return f"{role} {et} = {qt} ({systems})"
    if p.level is TokenLevel.VARIANT:
        return f"{role} {et} ≈ {qt} ({systems}, spelling variant)"
    if p.level is TokenLevel.INITIAL:
        return f"{role} {et} ~ initial {qt}"
    return f"{role} {et} ≈ {qt} ({systems}, {p.sim:.0%} similar)"


def _explain_names(cmp: NameComparison, q: ParsedName, e: ParsedName) -> list[str]:
    lines = [_describe_pair(p, q, e) for p in cmp.pairs]
    fam = next((p for p in cmp.pairs if p.entry.role is Role.FAMILY), None)
    if fam is not None and fam.query.role is Role.GIVEN and q.system == "MRZ":
        lines.append("name order swapped")
    elif fam is not None:
        q_core = [t for t in q.tokens if t.role is not Role.PATRONYMIC]
        e_core = [t for t in e.tokens if t.role is not Role.PATRONYMIC]
        if q_core and e_core and q_core[0] is not fam.query and e_core[0] is fam.entry:
            lines.append("name order differs")
    for t in cmp.entry_only:
        lines.append(f"{t.role.value} {_show(t, e)} only in the watchlist entry")
    for t in cmp.query_only:
        lines.append(f"{t.role.value} {_show(t, q)} only in the query")
    return lines


# --- evidence beyond the name: a calibrated combination ------------------------------------
#
# Each piece of evidence is a log likelihood ratio, ln P(seen | same person) - ln P(seen |
# another person of that name), from the chance that a namesake agrees by accident (dates of
# birth spread over about 50 years, passports practically unique, a father's name shared by
# about one person in 30) and the rate of the listed recording errors. A logistic model then
# weighs the name score, these ratios and the number of list entries sharing the name (the
# prior: a query is at most one of them); its coefficients were fitted on a generated test set
# (bench/screening/calibrate.py, seed 11) and the score is shifted so that HIT_THRESHOLD sits
# where 99 % of the hits on that set were the right person. Reports use other seeds.

_DOB_LLR: dict[DobMatch, float] = {
    DobMatch.EXACT: math.log(0.80 * 18250),  # one day in 50 years
    DobMatch.SWAPPED: math.log(0.02 * 18250),
    DobMatch.YEAR_OFF: math.log(0.03 * 18250 / 2),
    DobMatch.DIGIT_TYPO: math.log(0.02 * 18250 / 8),
    DobMatch.PARTIAL: math.log(0.97 * 50),  # one year in 50
    DobMatch.PLACEHOLDER: math.log(0.9 * 50),
    DobMatch.YEAR_OFF_PARTIAL: math.log(0.03 * 50 / 2),
    DobMatch.MISSING: 0.0,
    DobMatch.MISMATCH: math.log(0.01 / 0.95),
}
_DOC_EQUAL_LLR = math.log(1e4)  # capped: typing errors, shared family documents
_DOC_DIFFERENT_LLR = math.log(0.3)  # passports are renewed
_PAT_EQUAL_LLR = math.log(0.95 * 30)
_PAT_DIFFERENT_LLR = math.log(0.05 / 0.97)
_NAT_EQUAL_LLR = math.log(0.97 / 0.7)  # namesakes mostly share the nationality
_NAT_DIFFERENT_LLR = math.log(0.03 / 0.3)
_PAT_EQUAL_SIM = 0.85

# Fitted by bench/screening/calibrate.py (seed 11, 100,000 entries): intercept, name score,
# name score above 0.9, name score below 0.85, ln(namesakes), date of birth, document,
# patronymic and nationality log likelihood ratios, date of birth missing, and missing x
# ln(namesakes) (without a date the number of namesakes weighs more).
_COEF = (
    -13.8249,
    12.3174,
    3.8372,
    -6.1141,
    -0.7288,
    1.1146,
    0.9556,
    0.7222,
    0.4676,
    1.5241,
    -0.3914,
)
_Z_AT_HIT = 1.0390  # the model's value at which 99 % of the tuning set's hits were right
_GATE_FULL = 0.85  # name score from which the name alone does not cap the score
# A name that only one list entry carries, this similar, with no evidence against it, is a
# hit even without a date of birth: on the tuning set about 94 % of such pairs were right,
# short of the 99 % the model asks for, but an officer must see them (a product rule).
_UNIQUE_NAME_SIM = 0.95


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a query and an entry agree and disagree on, beside their name similarity."""

    name: float
    dob: DobMatch
    doc: int  # +1 equal, -1 both given and different, 0 unknown
    patronymic: int  # +1 equal, -1 both given and different, 0 unknown
    nationality: int
    namesakes: int

    def features(self) -> tuple[float, ...]:
        s = self.name
        return (
            1.0,
            s,
            max(0.0, s - 0.9),
            max(0.0, 0.85 - s),
            math.log(max(1, self.namesakes)),
            _DOB_LLR[self.dob],
            _DOC_LLR[self.doc],
            _PAT_LLR[self.patronymic],
            _NAT_LLR[self.nationality],
            1.0 if self.dob is DobMatch.MISSING else 0.0,
            math.log(max(1, self.namesakes)) if self.dob is DobMatch.MISSING else 0.0,
        )


_DOC_LLR = {1: _DOC_EQUAL_LLR, 0: 0.0, -1: _DOC_DIFFERENT_LLR}
_PAT_LLR = {1: _PAT_EQUAL_LLR, 0: 0.0, -1: _PAT_DIFFERENT_LLR}
_NAT_LLR = {1: _NAT_EQUAL_LLR, 0: 0.0, -1: _NAT_DIFFERENT_LLR}
_LOGIT_HIT = math.log(HIT_THRESHOLD / (1.0 - HIT_THRESHOLD))


def _name_gate(s: float) -> float:
    """Highest score a name similarity ``s`` allows: a date of birth or a document never turns
    a different name (Yunus for Yusuf) into a hit."""
    if s >= _GATE_FULL:
        return 1.0
    if s >= HIT_THRESHOLD:
        return HIT_THRESHOLD + (s - HIT_THRESHOLD) * (1.0 - HIT_THRESHOLD) / (
            _GATE_FULL - HIT_THRESHOLD
        )
    return s


def _name_z(s: float) -> float:
    c = _COEF
    return c[1] * s + c[2] * max(0.0, s - 0.9) + c[3] * max(0.0, 0.85 - s)


def _other_z(dob: DobMatch, doc: int, pat: int, nat: int, namesakes: int) -> float:
    """The model's value without the name terms, shifted so that HIT_THRESHOLD is the hit
    point."""
    c = _COEF
    return (
        c[0]
        + c[4] * math.log(max(1, namesakes))
        + c[5] * _DOB_LLR[dob]
        + c[6] * _DOC_LLR[doc]
        + c[7] * _PAT_LLR[pat]
        + c[8] * _NAT_LLR[nat]
        + (c[9] + c[10] * math.log(max(1, namesakes)) if dob is DobMatch.MISSING else 0.0)
        - _Z_AT_HIT
        + _LOGIT_HIT
    )


def _squash(s: float, z: float, unique: bool = False) -> float:
    if s <= 0.0:
        return 0.0
    p = 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0
    if unique and s >= _UNIQUE_NAME_SIM:
        p = max(p, HIT_THRESHOLD)
    return min(p, _name_gate(s))


def _unique(dob: DobMatch, doc: int, nat: int, namesakes: int) -> bool:
    """A name no other list entry carries, with nothing against it: shown as a hit even
    without a date of birth (the officer decides; see ``_UNIQUE_NAME_SIM``)."""
    return namesakes <= 1 and doc >= 0 and nat >= 0 and dob in _WEAK_DOB


def evidence_score(ev: Evidence) -> float:
    """The calibrated score of the evidence, in [0, 1]."""
    z = _name_z(ev.name) + _other_z(ev.dob, ev.doc, ev.patronymic, ev.nationality, ev.namesakes)
    return _squash(ev.name, z, _unique(ev.dob, ev.doc, ev.nationality, ev.namesakes))


def _side(a: object, b: object) -> int:
    return 0 if not a or not b else 1 if a == b else -1


def _patronymic_evidence(cmp: NameComparison, q: ParsedName, e: ParsedName) -> int:
    if not (q.has_patronymic and e.has_patronymic):
        return 0
    equal = any(
        p.query.role is Role.PATRONYMIC
        and p.entry.role is Role.PATRONYMIC
        and p.sim >= _PAT_EQUAL_SIM
        for p in cmp.pairs
    )
    return 1 if equal else -1


def _patronymic_bound(q: ParsedName, e: ParsedName) -> int:
    """The best patronymic evidence an alignment of ``q`` and ``e`` can give."""
    if not (q.has_patronymic and e.has_patronymic):
        return 0
    for a in q.tokens:
        if a.role is Role.PATRONYMIC:
            for b in e.tokens:
                if b.role is Role.PATRONYMIC and token_similarity(a, b)[0] >= _PAT_EQUAL_SIM:
                    return 1
    return -1


def evidence(
    name_score: float,
    query: Subject,
    entry: Subject,
    namesakes: int = 1,
    patronymic: int = 0,
) -> Evidence:
    return Evidence(
        name=name_score,
        dob=dob_kind(query.dob, entry.dob),
        doc=_side(query.doc_number, entry.doc_number),
        patronymic=patronymic,
        nationality=_side(query.nationality, entry.nationality),
        namesakes=namesakes,
    )


def score_bound(query: Subject, entry: Subject, name_bound: float, namesakes: int = 1) -> float:
    """The score ``score_subjects`` would give if the name score were ``name_bound`` and the
    patronymics agreed wherever they can (a pair of them similar enough); an upper bound on
    the real score when ``name_bound`` bounds the name score. Cheap: no name alignment."""
    pat = max(_patronymic_bound(qn, en) for qn in query.names for en in entry.names)
    s = min(1.0, name_bound)
    dob = dob_kind(query.dob, entry.dob)
    doc = _side(query.doc_number, entry.doc_number)
    nat = _side(query.nationality, entry.nationality)
    z = _other_z(dob, doc, pat, nat, namesakes)
    return _squash(s, _name_z(s) + z, _unique(dob, doc, nat, namesakes))


def mismatch_bound(query: Subject, name_bound: float) -> float:
    """An upper bound of the score of any entry whose date of birth clearly differs from the
    query's and whose document number is not the query's, for a name bound ``name_bound``:
    every other piece of evidence taken at its best, one namesake."""
    s = min(1.0, name_bound)
    pat = 1 if any(n.has_patronymic for n in query.names) else 0
    nat = 1 if query.nationality else 0
    z = _other_z(DobMatch.MISMATCH, 0, pat, nat, 1)
    return _squash(s, _name_z(s) + z, False)


def score_bounds(query: Subject, items: Iterable[tuple[Subject, float, int]]) -> list[float]:
    """``score_bound`` of many (entry, name bound, namesakes) at once: the query's part of the
    work is done once (this runs for every candidate of a search)."""
    c = _COEF
    q_dob, q_doc, q_nat = query.dob, query.doc_number, query.nationality
    q_pat = [n for n in query.names if n.has_patronymic]
    base = c[0] - _Z_AT_HIT + _LOGIT_HIT
    name_z: dict[float, float] = {}
    out: list[float] = []
    log = math.log
    # The patronymic bound of a pair of names depends on the entry's patronymic only through
    # its skeleton (``token_similarity`` reads skeleton and key, the key follows the skeleton):
    # namesakes share a few fathers' names, each compared once per search.
    q_pat_tokens = [t for qn in q_pat for t in qn.tokens if t.role is Role.PATRONYMIC]
    pat_equal: dict[str, bool] = {}
    for entry, name_bound, n in items:
        s = name_bound if name_bound < 1.0 else 1.0
        nz = name_z.get(s)
        if nz is None:
            nz = name_z[s] = _name_z(s)
        dob = dob_kind(q_dob, entry.dob)
        e_doc, e_nat = entry.doc_number, entry.nationality
        doc = 0 if not q_doc or not e_doc else 1 if q_doc == e_doc else -1
        nat = 0 if not q_nat or not e_nat else 1 if q_nat == e_nat else -1
        pat = 0
        if q_pat:
            # max over (query name, entry name) of _patronymic_bound: 1 if a pair of
            # patronymics is similar enough, else -1 if every entry name has a patronymic,
            # else 0 (a name without one gives 0).
            with_pat = 0
            for en in entry.names:
                if not en.has_patronymic:
                    continue
                with_pat += 1
                for b in en.tokens:
                    if b.role is not Role.PATRONYMIC:
                        continue
                    equal = pat_equal.get(b.skel)
                    if equal is None:
                        equal = pat_equal[b.skel] = any(
                            token_similarity(a, b)[0] >= _PAT_EQUAL_SIM for a in q_pat_tokens
                        )
                    if equal:
                        pat = 1
                        break
                if pat == 1:
                    break
            if pat != 1 and with_pat and with_pat == len(entry.names):
                pat = -1
        ln = log(n) if n > 1 else 0.0
        z = (
            base
            + nz
            + c[4] * ln
            + c[5] * _DOB_LLR[dob]
            + c[6] * _DOC_LLR[doc]
            + c[7] * _PAT_LLR[pat]
            + c[8] * _NAT_LLR[nat]
        )
        if dob is DobMatch.MISSING:
            z += c[9] + c[10] * ln
        out.append(_squash(s, z, _unique(dob, doc, nat, n)))
    return out


NameCache = dict[tuple[int, tuple[NameToken, ...]], NameComparison]


def best_names(
    query: Subject, entry: Subject, cache: NameCache | None = None
) -> tuple[float, NameComparison, ParsedName, ParsedName] | None:
    """The best-matching (query name, entry name) pair and its comparison.

    ``cache`` (one per query) reuses the comparison of a query name with entry names of equal
    tokens (namesakes written alike). Its comparisons may hold another entry's
    (equal) tokens, so it is for scoring, not for explanations."""
    best: tuple[float, NameComparison, ParsedName, ParsedName] | None = None
    for i, qn in enumerate(query.names):
        for en in entry.names:
            if cache is None:
                cmp = compare_names(qn, en)
            else:
                key = (i, en.tokens)
                got = cache.get(key)
                if got is None:
                    got = cache[key] = compare_names(qn, en)
                cmp = got
            if best is None or cmp.score > best[0]:
                best = (cmp.score, cmp, qn, en)
    return best


def subject_evidence(query: Subject, entry: Subject, namesakes: int = 1) -> Evidence | None:
    """The evidence ``score_subjects`` scores; None if the names do not match at all."""
    best = best_names(query, entry)
    if best is None or best[0] <= 0.0:
        return None
    name_score, cmp, qn, en = best
    return evidence(name_score, query, entry, namesakes, _patronymic_evidence(cmp, qn, en))


def score_subjects(
    query: Subject,
    entry: Subject,
    *,
    explain: bool = True,
    namesakes: int = 1,
    name_cache: NameCache | None = None,
) -> Match:
    """Score ``query`` against ``entry`` (best of the entry's names and aliases).

    ``namesakes`` is how many watchlist entries carry the entry's name (the index knows it):
    the more there are, the more evidence beyond the name a hit needs. ``name_cache`` (see
    ``best_names``) is only used without ``explain``.
    """
    best = best_names(query, entry, None if explain else name_cache)
    if best is None or best[0] <= 0.0:
        return Match(entry.id, 0.0, ["names do not match"] if explain else [])
    name_score, cmp, qn, en = best
    ev = evidence(name_score, query, entry, namesakes, _patronymic_evidence(cmp, qn, en))
    score = evidence_score(ev)
    if not explain:
        return Match(entry.id, score)
    dob = compare_dob(query.dob, entry.dob)
    lines = _explain_names(cmp, qn, en)
    if len(entry.names) > 1 and en is not entry.names[0]:
        lines.append(f"matched alias {en.raw!r}")
    if dob.kind in _WEAK_DOB and namesakes > 1:
        lines.append(f"{dob.text}; {namesakes} list entries share this name")
    else:
        lines.append(dob.text)
    if query.nationality and entry.nationality:
        if query.nationality == entry.nationality:
            lines.append(f"nationality {entry.nationality} equal")
        else:
            lines.append(f"nationality differs ({entry.nationality} vs {query.nationality})")
    if ev.doc > 0:
        lines.append(f"document number {entry.doc_number} equal")
    return Match(entry.id, score, lines)


# date-of-birth agreements a namesake often shares by accident
_WEAK_DOB = frozenset(
    {DobMatch.MISSING, DobMatch.PARTIAL, DobMatch.PLACEHOLDER, DobMatch.YEAR_OFF_PARTIAL}
)
