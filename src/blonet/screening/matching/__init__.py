"""Cross-script name matching for screening (pure Python, no Django).

Typical use::

    index = ScreeningIndex()
    index.add(make_subject("E1", "Курбонов Юсуф Абдуллоевич", dob="1985-03-12", nationality="TJK"))
    hits = index.search(make_subject("Q1", "QURBONOV<<YUSUF", family_first=False))

``run_match`` screens a query file against a watchlist file (CSV or JSONL).
"""

from .cli import MatchSummary, run_match
from .containers import validate_container
from .index import ScreeningIndex
from .orgs import org_similarity, strip_legal_forms
from .plates import normalize_plate, plates_match
from .score import HIT_THRESHOLD, Match, score_subjects
from .subject import Subject, make_subject

__all__ = [
    "HIT_THRESHOLD",
    "Match",
    "MatchSummary",
    "ScreeningIndex",
    "Subject",
    "make_subject",
    "normalize_plate",
    "org_similarity",
    "plates_match",
    "run_match",
    "score_subjects",
    "strip_legal_forms",
    "validate_container",
]
