"""Accuracy figures from ranked results and labels."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

Results = dict[str, list[tuple[str, float]]]  # query id -> [(entry id, score)], best first


@dataclass
class Label:
    query_id: str
    entry_id: str | None
    type: str
    positive: bool
    twins: int = 0  # other entries no evidence tells apart from the true one (positives)


def _pairs(results: Results, labels: dict[str, Label]) -> list[tuple[float, bool]]:
    """Every (score, is_true_pair) among the returned results."""
    out: list[tuple[float, bool]] = []
    for qid, hits in results.items():
        truth = labels[qid].entry_id
        out.extend((score, eid == truth) for eid, score in hits)
    return out


def precision_recall(
    results: Results, labels: dict[str, Label], threshold: float
) -> tuple[float, float]:
    n_pos = sum(1 for lab in labels.values() if lab.positive)
    tp = fp = 0
    for score, true in _pairs(results, labels):
        if score >= threshold:
            if true:
                tp += 1
            else:
                fp += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    return precision, tp / n_pos if n_pos else 0.0


def recall_at_precision(
    results: Results, labels: dict[str, Label], target: float = 0.99
) -> tuple[float, float]:
    """Highest recall whose precision is >= ``target``, and the threshold giving it."""
    n_pos = sum(1 for lab in labels.values() if lab.positive)
    pairs = sorted(_pairs(results, labels), key=lambda x: -x[0])
    tp = fp = 0
    best_recall, best_threshold = 0.0, 1.01
    i = 0
    while i < len(pairs):
        score = pairs[i][0]
        while i < len(pairs) and pairs[i][0] == score:  # all pairs with an equal score at once
            if pairs[i][1]:
                tp += 1
            else:
                fp += 1
            i += 1
        if tp / (tp + fp) >= target and tp / n_pos > best_recall:
            best_recall, best_threshold = tp / n_pos, score
    return best_recall, best_threshold


def per_type(
    results: Results, labels: dict[str, Label], threshold: float
) -> dict[str, dict[str, float]]:
    """Per positive type: recall at threshold, top-1 and top-10 recall; per negative type:
    false-alarm rate (any result >= threshold)."""
    groups: dict[str, list[Label]] = defaultdict(list)
    for lab in labels.values():
        groups[("+" if lab.positive else "-") + lab.type].append(lab)
    out: dict[str, dict[str, float]] = {}
    for key, labs in sorted(groups.items()):
        n = len(labs)
        if key.startswith("+"):
            hit = top1 = top10 = 0
            for lab in labs:
                hits = results.get(lab.query_id, [])
                ids = [e for e, _ in hits[:10]]
                if lab.entry_id in ids:
                    top10 += 1
                if ids and ids[0] == lab.entry_id:
                    top1 += 1
                if any(e == lab.entry_id and s >= threshold for e, s in hits):
                    hit += 1
            out[key] = {"n": n, "recall": hit / n, "top1": top1 / n, "top10": top10 / n}
        else:
            alarms = sum(
                1 for lab in labs if any(s >= threshold for _, s in results.get(lab.query_id, []))
            )
            out[key] = {"n": n, "false_alarm": alarms / n}
    return out


def top10_recall(results: Results, labels: dict[str, Label]) -> float:
    pos = [lab for lab in labels.values() if lab.positive]
    found = sum(
        1 for lab in pos if lab.entry_id in [e for e, _ in results.get(lab.query_id, [])[:10]]
    )
    return found / len(pos) if pos else 0.0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))
    return s[k]
