"""Fit the score's logistic model (``score._COEF``) and its hit point on a tuning seed.

    PYTHONPATH=src .venv/bin/python bench/screening/calibrate.py --entries 100000 --seed 11

Generates a labelled set with the tuning seed (never the seed figures are reported on), runs
every query through the index (30 candidates per query, plus the true entry if the index did
not return it), and fits a logistic regression, by Newton's method with a small L2 penalty, of
"same person" on the features of ``score.Evidence``. Prints the coefficients and ``_Z_AT_HIT``:
the model value from which 99 % of the pairs in the queries' top 10 are right. Both are pasted
into ``src/blonet/screening/matching/score.py`` by hand, with the command and date.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import build
from run import _subject

from blonet.screening.matching import ScreeningIndex
from blonet.screening.matching import score as score_mod
from blonet.screening.matching.score import subject_evidence


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Solve a x = b (Gaussian elimination with partial pivoting; a is small)."""
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c and m[r][c]:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    return [m[i][n] / m[i][i] for i in range(n)]


def fit_logistic(
    xs: list[tuple[float, ...]], ys: list[int], l2: float = 1.0, iters: int = 12
) -> list[float]:
    d = len(xs[0])
    w = [0.0] * d
    for _ in range(iters):
        grad = [0.0] * d
        hess = [[0.0] * d for _ in range(d)]
        for x, y in zip(xs, ys, strict=True):
            z = sum(wi * xi for wi, xi in zip(w, x, strict=True))
            p = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))
            g = p - y
            h = p * (1 - p)
            for i in range(d):
                grad[i] += g * x[i]
                hx = h * x[i]
                row = hess[i]
                for j in range(i, d):
                    row[j] += hx * x[j]
        for i in range(d):
            for j in range(i):
                hess[i][j] = hess[j][i]
            if i:  # no penalty on the intercept
                grad[i] += l2 * w[i]
                hess[i][i] += l2
        step = _solve(hess, grad)
        w = [wi - si for wi, si in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return w


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--candidates", type=int, default=30)
    ap.add_argument("--dump", type=Path, help="write the (query, features, label) rows as JSON")
    args = ap.parse_args()
    ds = build(args.entries, 2200, 2000, args.seed)
    truth = {str(lab["query_id"]): lab["entry_id"] for lab in ds.labels}
    index = ScreeningIndex()
    for row in ds.watchlist:
        index.add(_subject(row, family_first=True))
    t0 = time.perf_counter()
    rows: list[tuple[str, tuple[float, ...], int]] = []  # (query id, features, label)
    for row in ds.queries:
        q = _subject(row, family_first=False)
        qid = str(row["id"])
        ids = [m.entry_id for m in index.search(q, top_k=args.candidates, explain=False)]
        true_id = truth[qid]
        if true_id is not None and true_id not in ids:
            ids.append(str(true_id))
        for eid in ids:
            entry = index.get(eid)
            assert entry is not None
            ev = subject_evidence(q, entry, index.namesakes(eid))
            if ev is not None:
                rows.append((qid, ev.features(), int(eid == true_id)))
    print(f"{len(rows)} pairs from {len(ds.queries)} queries in {time.perf_counter() - t0:.0f} s")
    if args.dump:
        args.dump.write_text(json.dumps(rows))
    w = fit_logistic([r[1] for r in rows], [r[2] for r in rows])
    print("_COEF = (" + ", ".join(f"{c:.4f}" for c in w) + ")")
    # the hit point: 99 % precision over the pairs each query keeps in its top 10
    by_q: dict[str, list[tuple[float, int]]] = {}
    for qid, x, y in rows:
        z = sum(c * f for c, f in zip(w, x, strict=True))
        by_q.setdefault(qid, []).append((z, y))
    pairs = sorted(
        (p for lst in by_q.values() for p in sorted(lst, reverse=True)[:10]), reverse=True
    )
    n_pos = sum(1 for lab in ds.labels if lab["positive"])
    tp = fp = 0
    best = (0.0, pairs[0][0])
    for z, y in pairs:
        tp += y
        fp += 1 - y
        if tp / (tp + fp) >= 0.99 and tp / n_pos > best[0]:
            best = (tp / n_pos, z)
    print(f"_Z_AT_HIT = {best[1]:.4f}  # recall {best[0]:.4f} at 99 % precision, seed {args.seed}")
    print(f"(current: _COEF = {score_mod._COEF}, _Z_AT_HIT = {score_mod._Z_AT_HIT})")


if __name__ == "__main__":
    main()
