"""Where synthetic seizures happen: the posts of the loaded directory and their traffic.

A *post* is an owner office and the site where it records: the BLOs, mobile teams, air-cargo and
port units of the five countries at their own sites, plus the border sites that have no office of
their own (recorded by an office of the same country on the same border). A country without such
offices in the directory (Turkmenistan today) records at the green border through its
headquarters, with coordinates and a place instead of a site.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from blonet.core.choices import REGIONAL_COUNTRIES
from blonet.directory.models import Agency, Country, Office, Site
from blonet.records.generate.profiles import AF_BORDER, site_profile

FIELD_KINDS = ("BLO", "IMT", "ACCU", "PCU")
FALLBACK_KINDS = ("HQ", "SC")
RECORDING_SITE_KINDS = ("bcp", "border_outpost", "terminal", "airport")
# Share of the register by country (the Tajik-Afghan border carries most of the traffic).
COUNTRY_SHARE = {"TJ": 0.28, "UZ": 0.27, "KZ": 0.20, "KG": 0.17, "TM": 0.08}
NEIGHBOURS = {
    "KZ": ("KG", "UZ", "RU", "CN"), "KG": ("KZ", "TJ", "UZ"), "TJ": ("UZ", "KG", "AF"),
    "UZ": ("TJ", "KZ", "KG", "AF", "TM"), "TM": ("UZ", "AF"),
}  # fmt: skip
# Points on the Turkmen-Afghan green border (lat, lon, place), for posts without a site.
GREEN_BORDER = {
    "TM": (
        (Decimal("35.27"), Decimal("62.35"), "green border with Afghanistan near Serhetabat"),
        (Decimal("37.26"), Decimal("66.10"), "Amu Darya bank, Lebap province"),
        (Decimal("36.60"), Decimal("64.30"), "green border with Afghanistan, Mary province"),
    )
}


@dataclass
class Post:
    office: Office
    site: Site | None
    country: str
    border: str | None
    profile: str
    weight: float = 1.0
    places: tuple[tuple[Decimal, Decimal, str], ...] = ()


@dataclass
class Directory:
    posts: list[Post]
    by_country: dict[str, list[Post]]
    agencies: dict[str, list[str]]  # country -> agency ids (for joint seizures)
    countries: frozenset[str]
    cumulative: list[float] = field(default_factory=list)

    def pick(self, rng: random.Random) -> Post:
        return rng.choices(self.posts, cum_weights=self.cumulative)[0]

    def pick_in(self, rng: random.Random, country: str, route: tuple[str, ...] = ()) -> Post:
        posts = self.by_country[country]
        near = [p for p in posts if p.border and p.border in route]
        return rng.choice(near or posts)

    def counterpart(self, rng: random.Random, post: Post) -> str:
        if post.border and post.border in self.countries:
            return post.border
        options = [c for c in NEIGHBOURS.get(post.country, ()) if c in self.countries]
        return rng.choice(options) if options else ""


class EmptyDirectory(Exception):
    pass


def load_directory() -> Directory:
    """The posts of the loaded directory, in a stable order (so a seed gives the same data)."""
    offices = list(
        Office.objects.select_related("site", "agency")
        .filter(country__in=REGIONAL_COUNTRIES)
        .order_by("id")
    )
    if not offices:
        raise EmptyDirectory()
    posts: list[Post] = []
    used_sites: set[str] = set()
    for office in offices:
        if office.kind in FIELD_KINDS:
            posts.append(_post(office, office.site))
            used_sites.add(office.site_id)
    for site in Site.objects.filter(
        country__in=REGIONAL_COUNTRIES, kind__in=RECORDING_SITE_KINDS
    ).order_by("id"):
        if site.id in used_sites:
            continue
        same = [p for p in posts if p.country == site.country_id]
        owners = [p for p in same if p.border == site.border_country_id] or same
        if owners:
            posts.append(_post(owners[0].office, site))
    for country in REGIONAL_COUNTRIES:
        if any(p.country == country for p in posts):
            continue
        fallback = [o for o in offices if o.country_id == country and o.kind in FALLBACK_KINDS]
        if fallback:
            office = min(fallback, key=lambda o: (FALLBACK_KINDS.index(o.kind), o.id))
            post = Post(office, None, country, None, site_profile("", country, None))
            post.places = GREEN_BORDER.get(country, ())
            if post.profile == AF_BORDER:
                post.border = "AF"
            posts.append(post)
    by_country: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        by_country[post.country].append(post)
    for country, group in by_country.items():
        raw = [3.0 if p.profile == AF_BORDER else 1.0 for p in group]
        total = sum(raw)
        for post, w in zip(group, raw, strict=True):
            post.weight = COUNTRY_SHARE.get(country, 0.05) * w / total
    cumulative: list[float] = []
    acc = 0.0
    for post in posts:
        acc += post.weight
        cumulative.append(acc)
    agencies: dict[str, list[str]] = defaultdict(list)
    for agency in Agency.objects.filter(country__in=REGIONAL_COUNTRIES).order_by("id"):
        if agency.kind not in ("regional_centre", "international_org"):
            agencies[agency.country_id].append(agency.id)
    countries = frozenset(Country.objects.values_list("code", flat=True))
    return Directory(posts, dict(by_country), dict(agencies), countries, cumulative)


def _post(office: Office, site: Site | None) -> Post:
    country = office.country_id
    border = site.border_country_id if site is not None else None
    kind = site.kind if site is not None else ""
    if kind in ("imt_office", "headquarters", "situation_centre", "regional_centre"):
        kind, border = "inland", None
    return Post(office, site, country, border, site_profile(kind, country, border))
