"""Scoring a query against a watchlist entry: a score in [0, 1] and a readable explanation.

The name part aligns tokens order-free (family/given order may differ; a patronymic may be
present on one side only). Date of birth, nationality and document number then adjust the name
score: a clear DOB mismatch multiplies it by ``DOB_FACTORS[MISMATCH]`` so that a namesake with a
different date of birth falls below ``HIT_THRESHOLD``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from itertools import permutations

from rapidfuzz.distance import Levenshtein

from .dob import DobMatch, DobResult, compare_dob
from .names import NameToken, ParsedName, Role
from .subject import Subject

__all__ = [
    "DOB_FACTORS",
    "HIT_THRESHOLD",
    "Match",
    "NameComparison",
    "TokenLevel",
    "compare_names",
    "score_bound",
    "score_subjects",
    "token_similarity",
]

HIT_THRESHOLD = 0.80
"""Score from which a result is shown to the officer as a hit."""

DOB_FACTORS: dict[DobMatch, float] = {
    DobMatch.EXACT: 1.0,
    DobMatch.PARTIAL: 0.95,
    DobMatch.YEAR_OFF_PARTIAL: 0.86,
    DobMatch.PLACEHOLDER: 0.96,
    DobMatch.SWAPPED: 0.96,
    DobMatch.YEAR_OFF: 0.94,
    DobMatch.DIGIT_TYPO: 0.94,
    DobMatch.MISSING: 0.93,
    DobMatch.MISMATCH: 0.62,
}
_NAT_EQUAL, _NAT_UNKNOWN, _NAT_DIFFERENT = 1.0, 0.98, 0.92
_DOB_EXACT_PULL = 0.25  # a full date of birth that agrees confirms a near name match
_WEAK_DOB_PER_DOUBLING = 0.1
_DOC_EQUAL_PULL = 0.6  # share of the remaining distance to 1 closed by an equal document number
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


# Chance that a namesake's date agrees this much by accident (dates spread over ~50 years).
_DOB_CHANCE: dict[DobMatch, float] = {
    DobMatch.MISSING: 1.0,
    DobMatch.PARTIAL: 1 / 50,
    DobMatch.PLACEHOLDER: 1 / 50,
    DobMatch.YEAR_OFF_PARTIAL: 3 / 50,
}


def dob_factor(kind: DobMatch, namesakes: int = 1) -> float:
    """Weight of the date-of-birth evidence. For weak agreement (date missing, year only) it
    falls with how many list entries share the name: a rare name with no date is good
    evidence, a name shared by hundreds of entries whose year happens to agree is not."""
    chance = _DOB_CHANCE.get(kind)
    if chance is None or namesakes <= 1:
        return DOB_FACTORS[kind]
    others = (namesakes - 1) * chance  # other entries expected to agree this much by accident
    # never weaker than a clear mismatch: an unknown date must rank above a wrong one
    floor = DOB_FACTORS[DobMatch.MISMATCH] + 0.03
    return max(floor, DOB_FACTORS[kind] - _WEAK_DOB_PER_DOUBLING * math.log2(1.0 + others))


def _with_evidence(
    name_score: float, query: Subject, entry: Subject, namesakes: int
) -> tuple[float, DobResult, bool]:
    """Combine a name score with date of birth, nationality and document number."""
    dob = compare_dob(query.dob, entry.dob)
    score = name_score * dob_factor(dob.kind, namesakes)
    if dob.kind is DobMatch.EXACT:
        score += (1.0 - score) * _DOB_EXACT_PULL
    if query.nationality and entry.nationality:
        same = query.nationality == entry.nationality
        score *= _NAT_EQUAL if same else _NAT_DIFFERENT
    else:
        score *= _NAT_UNKNOWN
    doc_equal = bool(query.doc_number) and query.doc_number == entry.doc_number
    if doc_equal:
        score += (1.0 - score) * _DOC_EQUAL_PULL
    return min(1.0, max(0.0, score)), dob, doc_equal


def score_bound(query: Subject, entry: Subject, name_bound: float, namesakes: int = 1) -> float:
    """The score ``score_subjects`` would give if the name score were ``name_bound``; an upper
    bound on the real score when ``name_bound`` bounds the name score. Cheap: no name
    alignment."""
    return _with_evidence(min(1.0, name_bound), query, entry, namesakes)[0]


def score_subjects(
    query: Subject, entry: Subject, *, explain: bool = True, namesakes: int = 1
) -> Match:
    """Score ``query`` against ``entry`` (best of the entry's names and aliases).

    ``namesakes`` is how many watchlist entries carry the entry's name (the index knows it);
    it only matters when the dates of birth agree weakly or one is missing.
    """
    best: tuple[float, NameComparison, ParsedName, ParsedName] | None = None
    for qn in query.names:
        for en in entry.names:
            cmp = compare_names(qn, en)
            if best is None or cmp.score > best[0]:
                best = (cmp.score, cmp, qn, en)
    if best is None or best[0] <= 0.0:
        return Match(entry.id, 0.0, ["names do not match"] if explain else [])
    name_score, cmp, qn, en = best
    score, dob, doc_equal = _with_evidence(name_score, query, entry, namesakes)
    if not explain:
        return Match(entry.id, score)
    lines = _explain_names(cmp, qn, en)
    if len(entry.names) > 1 and en is not entry.names[0]:
        lines.append(f"matched alias {en.raw!r}")
    if dob.kind in _DOB_CHANCE and namesakes > 1:
        lines.append(f"{dob.text}; {namesakes} list entries share this name")
    else:
        lines.append(dob.text)
    if query.nationality and entry.nationality:
        if query.nationality == entry.nationality:
            lines.append(f"nationality {entry.nationality} equal")
        else:
            lines.append(f"nationality differs ({entry.nationality} vs {query.nationality})")
    if doc_equal:
        lines.append(f"document number {entry.doc_number} equal")
    return Match(entry.id, score, lines)
