"""Labelled test set for the screening engine: a watchlist, queries and their labels.

Positives are watchlist people written another way (labelled by variation type); hard
negatives are people who are *not* on the list but look like someone who is (labelled by
type). Run ``python bench/screening/generate.py --entries 1000 --out DIR`` to write
``watchlist.jsonl``, ``queries.jsonl`` and ``labels.jsonl`` in the file interface's format.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from namedata import Pool, pools
from render import latin_to_cyrillic, romanise, russify, systems_for, typo

POSITIVE_TYPES = (
    "translit", "script_change", "mrz", "patronymic_dropped", "patronymic_added",
    "order_swapped", "typo", "dob_swap", "dob_year_pm1", "dob_missing", "dob_placeholder",
)  # fmt: skip
NEGATIVE_TYPES = ("lookalike_given", "namesake_other_dob", "sibling", "common_name")
# Document numbers on the screened records (see README, "Document numbers"): a manifest or
# border record read from a passport carries its number; a record typed by hand often not.
QUERY_DOC_RATE = 0.6
RENEWED_DOC_RATE = 0.3  # the person's passport changed since the entry was listed
_MARKERS = {  # (male, female) patronymic words following the father's name
    "uz": ("oʻgʻli", "qizi"), "kz": ("ұлы", "қызы"), "kg": ("уулу", "кызы"),
    "tm": ("ogly", "gyzy"), "az": ("oğlu", "qızı"),
}  # fmt: skip


@dataclass
class Person:
    pid: int
    pool: Pool
    male: bool
    family: str
    given: str
    father: str
    dob: dt.date
    doc: str


@dataclass
class Dataset:
    watchlist: list[dict[str, object]] = field(default_factory=list)
    queries: list[dict[str, object]] = field(default_factory=list)
    labels: list[dict[str, object]] = field(default_factory=list)


# Name-forming elements before the surname ending (Alijonov, Karimbekov, Rahimqulov).
_SUFFIXES = {
    "uz": ("", "jon", "bek", "qul"), "tj": ("", "jon", "zod"), "az": ("", "bəy"),
    "kz": ("", "бек", "бай"), "kg": ("", "бек", "бай", "кул"), "tm": ("", "berdi", "gylyç"),
}  # fmt: skip


def _weights(n: int, s: float = 0.75) -> list[float]:
    return [1.0 / (i + 1) ** s for i in range(n)]


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        # document numbers of queries come from a stream of their own, so that adding them
        # left the names and dates of an existing seed unchanged
        self.doc_rng = random.Random(seed * 7919 + 1)
        self.pools = pools()
        self.pool_weights = [{"ru": 3, "uz": 3, "tj": 3, "kz": 2, "kg": 2, "tm": 1, "az": 1}
                             .get(p.lang, 1) for p in self.pools]  # fmt: skip
        self.surnames: dict[tuple[str, bool], list[str]] = {}
        for p in self.pools:
            derived_m = (
                []
                if p.lang == "ru"
                else [
                    self._from_given(g, p, suffix) for g in p.male for suffix in _SUFFIXES[p.lang]
                ]
            )
            self.surnames[(p.lang, True)] = list(dict.fromkeys([*p.surnames_male, *derived_m]))
            self.surnames[(p.lang, False)] = list(
                dict.fromkeys(
                    [
                        *p.surnames_female,
                        *(s + "a" if p.script == "lat" else s + "а" for s in derived_m),
                    ]
                )
            )
            self.rng.shuffle(self.surnames[(p.lang, True)])
            self.rng.shuffle(self.surnames[(p.lang, False)])
        self._w: dict[int, list[float]] = {}

    @staticmethod
    def _from_given(given: str, p: Pool, suffix: str) -> str:
        """Surnames built from a forefather's name, as most Central Asian surnames are."""
        vowel_end = given[-1].lower() in "aoueiyаоуиыеэяюё"
        if suffix:
            given = given + suffix
            vowel_end = False
        if p.script == "lat":
            return given + ("yev" if vowel_end else "ov")
        return given + ("ев" if vowel_end else "ов")

    def _pick(self, items: list[str] | tuple[str, ...]) -> str:
        w = self._w.get(len(items))
        if w is None:
            w = self._w[len(items)] = _weights(len(items))
        return self.rng.choices(items, w)[0]

    def new_doc(self) -> str:
        return f"{self.doc_rng.choice('ABCDEKMNP')}{self.doc_rng.randrange(10**7):07d}"

    def query_doc(self, person: Person) -> str:
        """The document number a screened record of ``person`` carries, or ""."""
        if self.doc_rng.random() >= QUERY_DOC_RATE:
            return ""
        return self.new_doc() if self.doc_rng.random() < RENEWED_DOC_RATE else person.doc

    def person(self, pid: int) -> Person:
        pool = self.rng.choices(self.pools, self.pool_weights)[0]
        male = self.rng.random() < 0.7
        family = self._pick(self.surnames[(pool.lang, male)])
        given = self._pick(pool.male if male else pool.female)
        father = self._pick(pool.male)
        dob = dt.date(1950, 1, 1) + dt.timedelta(days=self.rng.randrange(20000))
        doc = f"{self.rng.choice('ABCDEKMNP')}{self.rng.randrange(10**7):07d}"
        return Person(pid, pool, male, family, given, father, dob, doc)

    # --- writing names ---------------------------------------------------------------

    def cyr(self, word: str, p: Pool) -> str:
        return word if p.script == "cyr" else latin_to_cyrillic(word, p.lang)

    def patronymic(self, person: Person, style: str, *, latin: bool = False) -> list[str]:
        """Patronymic words in Cyrillic (``russian``) or native (``marker``) style."""
        p = person.pool
        if style == "marker" and p.lang in _MARKERS:
            marker = _MARKERS[p.lang][0 if person.male else 1]
            return [person.father, marker]
        if latin:
            vowel_end = person.father[-1] in "aoeiuy"
            suf = (
                ("yevich" if vowel_end else "ovich")
                if person.male
                else ("yevna" if vowel_end else "ovna")
            )
            return [person.father + suf]
        father = self.cyr(person.father, p)
        if father[-1] in "оа" and len(father) > 3:
            stem, suf = father, ("евич" if person.male else "евна")
        elif father[-1] in "йь":
            stem, suf = father[:-1], ("евич" if person.male else "евна")
        else:
            stem, suf = father, ("ович" if person.male else "овна")
        return [stem + suf]

    def render(
        self, person: Person, system: str, *, patronymic: str | None, given_first: bool
    ) -> str:
        """The name written in ``system``: ``native``, ``russian`` (Cyrillic), ``cyr_native``,
        a Latin system from ``render.SYSTEMS``, or ``mrz``."""
        p = person.pool
        fam, giv = person.family, person.given
        latin = system == "native" and p.script == "lat"
        pat = self.patronymic(person, patronymic, latin=latin) if patronymic else []
        if system == "native":
            words = [fam, giv, *pat]
        elif system in ("russian", "cyr_native"):
            words = [self.cyr(w, p) for w in (fam, giv, *pat)]
            if system == "russian":
                words = [russify(w, self.rng, p.lang) for w in words]
        elif system == "mrz":
            if p.script == "lat":
                fam_l, giv_l = _ascii_upper(fam), _ascii_upper(giv)
            else:
                fam_l, giv_l = romanise(fam, "icao", p.lang), romanise(giv, "icao", p.lang)
            return f"{fam_l}<<{giv_l}".replace(" ", "<").replace("-", "<")
        else:
            words = [romanise(self.cyr(w, p), system, p.lang) for w in (fam, giv, *pat)]
        if given_first:
            words[0], words[1] = words[1], words[0]
        return " ".join(words)

    def entry_system(self, p: Pool) -> str:
        r = self.rng.random()
        if p.script == "lat":
            return "native" if r < 0.55 else "russian" if r < 0.85 else "cyr_native"
        return "native" if r < 0.5 else "russian" if r < 0.8 else "bgn"


def _ascii_upper(word: str) -> str:
    from unidecode import unidecode

    return "".join(c for c in unidecode(word).upper() if c.isalpha() or c == " ")


def _dob_text(d: dt.date, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.85:
        return d.isoformat()
    if r < 0.95:
        return str(d.year)
    return ""


def _clearly_other_dob(rng: random.Random, avoid: list[dt.date]) -> dt.date:
    for _ in range(100):
        d = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20000))
        if all(abs(d.year - a.year) >= 3 for a in avoid):
            return d
    return dt.date(1900 + rng.randrange(40), 6, 15)


def build(n_entries: int, n_positive: int, n_negative: int, seed: int = 7) -> Dataset:
    """Generate ``n_entries`` watchlist people, positives and hard negatives."""
    g = Generator(seed)
    rng = g.rng
    ds = Dataset()
    people: list[Person] = []
    has_pat: list[str | None] = []
    by_name: dict[tuple[str, str], list[dt.date]] = {}
    for i in range(n_entries):
        person = g.person(i)
        people.append(person)
        by_name.setdefault((person.family, person.given), []).append(person.dob)
        pat_style = None
        if rng.random() < 0.6:
            pat_style = (
                "marker" if person.pool.lang in _MARKERS and rng.random() < 0.5 else "russian"
            )
        has_pat.append(pat_style)
        system = g.entry_system(person.pool)
        name = g.render(person, system, patronymic=pat_style, given_first=rng.random() < 0.03)
        aliases = []
        if rng.random() < 0.1:
            aliases.append(g.render(person, "bgn", patronymic=None, given_first=False))
        ds.watchlist.append({
            "id": f"W{i}", "name": name, "aliases": aliases, "dob": _dob_text(person.dob, rng),
            "nationality": person.pool.nationality if rng.random() < 0.9 else "",
            "doc_number": person.doc if rng.random() < 0.5 else "",
        })  # fmt: skip
    by_name_ids: dict[tuple[str, str], set[int]] = {}
    for i, person in enumerate(people):
        by_name_ids.setdefault(_key(person), set()).add(i)
    for q in range(n_positive):
        kind = POSITIVE_TYPES[q % len(POSITIVE_TYPES)]
        i = rng.randrange(n_entries)
        for _ in range(50):  # a patronymic can only be dropped if written, added if not
            if (kind == "patronymic_dropped" and has_pat[i] is None) or (
                kind == "patronymic_added" and has_pat[i] is not None
            ):
                i = rng.randrange(n_entries)
            else:
                break
        query = _positive(g, people[i], has_pat[i], kind, f"P{q}")
        ds.queries.append(query)
        twins = _evidence_twins(query, i, people, has_pat, ds.watchlist, by_name_ids)
        ds.labels.append({"query_id": f"P{q}", "entry_id": f"W{i}", "type": kind, "positive": True,
                          "twins": twins})  # fmt: skip
    common = sorted(by_name, key=lambda k: -len(by_name[k]))[:50]
    no_dob = {i for i, w in enumerate(ds.watchlist) if not w["dob"]}
    for q in range(n_negative):
        kind = NEGATIVE_TYPES[q % len(NEGATIVE_TYPES)]
        i = rng.randrange(n_entries)
        while kind != "common_name" and not no_dob.isdisjoint(by_name_ids[_key(people[i])]):
            # a namesake of an entry written without DOB cannot be told apart by anyone
            i = rng.randrange(n_entries)
        query = _negative(g, people[i], kind, f"N{q}", by_name, common, no_dob, by_name_ids)
        ds.queries.append(query)
        ds.labels.append({"query_id": f"N{q}", "entry_id": None, "type": kind, "positive": False})
    return ds


def _key(p: Person) -> tuple[str, str]:
    return (p.family, p.given)


def _dob_rank(q: str, e: str) -> int:
    """How strongly two written dates of birth agree: 5 equal full dates, 4 one listed error
    (day/month swap, year ±1), 3 equal year with a year-only or 01-01 side, 2 year-only ±1,
    1 a date missing, 0 a contradiction."""
    if not q or not e:
        return 1
    qp, ep = [int(x) for x in q.split("-")], [int(x) for x in e.split("-")]
    if len(qp) == 3 and len(ep) == 3:
        if qp == ep:
            return 5
        same_year, md_q, md_e = qp[0] == ep[0], qp[1:], ep[1:]
        if (same_year and md_q == md_e[::-1]) or (abs(qp[0] - ep[0]) == 1 and md_q == md_e):
            return 4
        if same_year and [1, 1] in (md_q, md_e):
            return 3
        return 0
    if qp[0] == ep[0]:
        return 3
    return 2 if abs(qp[0] - ep[0]) == 1 else 0


def _evidence(
    query: dict[str, object], q_father: str | None, entry: dict[str, object], father: str | None
) -> tuple[int, int, int, int]:
    """The evidence a query and an entry give beyond the name: DOB rank, and for document,
    patronymic and nationality 2 equal / 1 unknown on one side / 0 different."""

    def cmp(a: object, b: object) -> int:
        return 1 if not a or not b else 2 if a == b else 0

    return (
        _dob_rank(str(query["dob"]), str(entry["dob"])),
        cmp(query["doc_number"], entry["doc_number"]),
        cmp(q_father, father),
        cmp(query["nationality"], entry["nationality"]),
    )


def _evidence_twins(
    query: dict[str, object],
    i: int,
    people: list[Person],
    has_pat: list[str | None],
    watchlist: list[dict[str, object]],
    by_name_ids: dict[tuple[str, str], set[int]],
) -> int:
    """Other entries of the same name whose evidence against ``query`` is at least as strong
    as the true entry's in every respect: no system can rank the true one above them."""
    q_father = people[i].father if query.get("_patronymic") else None
    true = _evidence(query, q_father, watchlist[i], people[i].father if has_pat[i] else None)
    n = 0
    for j in by_name_ids[_key(people[i])]:
        if j == i:
            continue
        ev = _evidence(query, q_father, watchlist[j], people[j].father if has_pat[j] else None)
        if all(a >= b for a, b in zip(ev, true, strict=True)):
            n += 1
    return n


def _positive(g: Generator, p: Person, pat: str | None, kind: str, qid: str) -> dict[str, object]:
    rng = g.rng
    latin = systems_for(p.pool.lang)
    system = rng.choice([*latin, "russian", "cyr_native", "mrz"])
    q_pat = pat if rng.random() < 0.5 else None
    given_first = False
    dob = p.dob.isoformat()
    if kind == "translit":
        system = rng.choice(latin)
    elif kind == "script_change":
        system = "russian" if p.pool.script == "lat" else rng.choice(("uz_latin", "bgn", "icao"))
    elif kind == "mrz":
        system, q_pat = "mrz", None
    elif kind == "patronymic_dropped":
        q_pat = None
    elif kind == "patronymic_added":
        q_pat = rng.choice(("russian", "marker"))
    elif kind == "order_swapped":
        system = rng.choice([*latin, "russian"])
        given_first = True
    elif kind == "dob_swap":
        dob = _swap(p.dob)
    elif kind == "dob_year_pm1":
        dob = _year_shift(p.dob, rng.choice((-1, 1)))
    elif kind == "dob_missing":
        dob = ""
    elif kind == "dob_placeholder":
        dob = f"{p.dob.year}-01-01" if rng.random() < 0.5 else str(p.dob.year)
    if system == "mrz":
        q_pat = None
    name = g.render(p, system, patronymic=q_pat, given_first=given_first)
    if kind == "typo":
        words = name.split("<<") if system == "mrz" else name.split(" ")
        j = rng.randrange(min(2, len(words)))
        words[j] = typo(words[j], rng)
        name = ("<<" if system == "mrz" else " ").join(words)
    nat = p.pool.nationality if rng.random() < 0.7 else ""
    return {"id": qid, "name": name, "dob": dob, "nationality": nat,
            "doc_number": g.query_doc(p), "_system": system,
            "_patronymic": bool(q_pat) and system != "mrz"}  # fmt: skip


def _negative(
    g: Generator,
    p: Person,
    kind: str,
    qid: str,
    by_name: dict[tuple[str, str], list[dt.date]],
    common: list[tuple[str, str]],
    no_dob: set[int],
    by_name_ids: dict[tuple[str, str], set[int]],
) -> dict[str, object]:
    rng = g.rng
    for _ in range(20):  # the new name must not belong to an entry written without DOB
        other = _negative_person(g, p, kind, common)
        if kind == "common_name" or no_dob.isdisjoint(by_name_ids.get(_key(other), ())):
            break
    pat = rng.choice((None, "russian")) if kind == "namesake_other_dob" else None
    pat = "russian" if kind == "sibling" else pat
    other.dob = _clearly_other_dob(rng, [*by_name.get((other.family, other.given), []), p.dob])
    other.doc = g.new_doc()  # another person: never the listed person's passport
    system = rng.choice([*systems_for(other.pool.lang), "russian", "mrz"])
    name = g.render(other, system, patronymic=pat if system != "mrz" else None, given_first=False)
    return {"id": qid, "name": name, "dob": other.dob.isoformat(),
            "nationality": other.pool.nationality, "doc_number": g.query_doc(other),
            "_system": system}  # fmt: skip


def _negative_person(g: Generator, p: Person, kind: str, common: list[tuple[str, str]]) -> Person:
    rng = g.rng
    other = Person(**{**p.__dict__})
    if kind == "lookalike_given":
        names = p.pool.male if p.male else p.pool.female
        other.given = _lookalike(p.given, names, rng)
    elif kind == "sibling":
        names = p.pool.male if p.male else p.pool.female
        other.given = rng.choice([n for n in names if n != p.given])
    elif kind == "common_name":
        other.family, other.given = rng.choice(common)
        other.pool = next(
            (x for x in g.pools if other.given in x.male or other.given in x.female), p.pool
        )
    return other


def _lookalike(given: str, names: tuple[str, ...], rng: random.Random) -> str:
    from rapidfuzz.distance import Levenshtein

    others = [n for n in sorted(set(names)) if n != given]  # sorted: no hash-seed dependence
    others.sort(key=lambda n: (Levenshtein.distance(n.lower(), given.lower()), rng.random()))
    return others[0]


def _swap(d: dt.date) -> str:
    if d.day <= 12 and d.day != d.month:
        return dt.date(d.year, d.day, d.month).isoformat()
    return d.isoformat()  # not swappable: stays exact (labelled anyway, counted honestly)


def _year_shift(d: dt.date, delta: int) -> str:
    try:
        return d.replace(year=d.year + delta).isoformat()
    except ValueError:
        return d.replace(year=d.year + delta, day=28).isoformat()


def write(ds: Dataset, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for fname, rows in (("watchlist.jsonl", ds.watchlist), ("queries.jsonl", ds.queries),
                        ("labels.jsonl", ds.labels)):  # fmt: skip
        with open(out / fname, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--positives", type=int, default=2200)
    ap.add_argument("--negatives", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=Path("var/bench/screening"))
    args = ap.parse_args()
    ds = build(args.entries, args.positives, args.negatives, args.seed)
    write(ds, args.out)
    print(f"wrote {len(ds.watchlist)} entries, {len(ds.queries)} queries to {args.out}")


if __name__ == "__main__":
    main()
