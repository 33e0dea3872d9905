"""Recurring networks: the same people, vehicles and phones in seizures of several countries.

Each network works one route (the northern route, or precursors going south) for a year or two,
with a marking stamped on its packages. Its seizures are planned ahead, round-robin over the
route's countries, so every network shows up on both sides of at least one border; its members
are created at their first seizure (owned by that office, shared regionally) and linked again by
the later ones, as an officer who finds the person already in the register would.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from blonet.records.generate.profiles import MARKINGS, NORTH, SOUTH

# (nationality of each person, commodity) by route, in the order people are met along it.
_ROUTES: tuple[tuple[tuple[str, ...], str], ...] = (
    (NORTH[0], "heroin"), (NORTH[1], "heroin"), (NORTH[2], "opium"), (NORTH[0], "hashish"),
    (NORTH[4], "heroin"), (NORTH[5], "hashish"), (SOUTH[0], "acetic_anhydride"),
    (SOUTH[2], "acetic_anhydride"), (SOUTH[1], "precursors"), (SOUTH[3], "acetic_anhydride"),
)  # fmt: skip
ROLES_PERSON = ("courier", "driver", "organiser", "courier", "driver", "passenger")


@dataclass
class Member:
    kind: str  # person, vehicle, phone, organisation, account, container
    country: str  # nationality, plate country, phone country ...
    entity: Any = None  # created at the first seizure that uses it


@dataclass
class Network:
    index: int
    route: tuple[str, ...]
    commodity: str
    marking: str
    countries: tuple[str, ...]  # those of the route that have posts
    members: list[Member] = field(default_factory=list)

    def pick_members(self, rng: random.Random) -> list[tuple[Member, str]]:
        """(member, role) of those caught in one seizure: a person, often a vehicle, a phone."""
        people = [m for m in self.members if m.kind == "person"]
        out = [(rng.choice(people), rng.choice(ROLES_PERSON))]
        if rng.random() < 0.3:
            other = rng.choice(people)
            if other is not out[0][0]:
                out.append((other, "organiser"))
        for kind, chance, role in (
            ("vehicle", 0.6, "used"), ("phone", 0.5, "used"), ("organisation", 0.15, "carrier"),
            ("container", 0.3, "used"), ("account", 0.1, "used"),
        ):  # fmt: skip
            options = [m for m in self.members if m.kind == kind]
            if options and rng.random() < chance:
                out.append((rng.choice(options), role))
        return out


def network_count(seizures: int) -> int:
    return max(3, min(80, round(seizures / 2500)))


def make_networks(rng: random.Random, seizures: int, post_countries: set[str]) -> list[Network]:
    networks: list[Network] = []
    usable = [
        (route, commodity)
        for route, commodity in _ROUTES
        if len([c for c in route if c in post_countries]) >= 2
    ]
    for i in range(network_count(seizures) if usable else 0):
        route, commodity = usable[i % len(usable)]
        countries = tuple(c for c in route if c in post_countries)
        net = Network(i, route, commodity, rng.choice(MARKINGS), countries)
        people = [c for c in route if c != "CN"]
        for j in range(rng.randint(3, 6)):
            net.members.append(Member("person", people[j % len(people)]))
        plate_countries = [c for c in route if c in {"UZ", "KZ", "KG", "TJ", "RU", "TM"}]
        for _ in range(rng.randint(1, 3)):
            net.members.append(Member("vehicle", rng.choice(plate_countries)))
        for _ in range(rng.randint(2, 4)):
            net.members.append(Member("phone", rng.choice(people)))
        if rng.random() < 0.6:
            net.members.append(Member("organisation", rng.choice(plate_countries)))
        if commodity in ("acetic_anhydride", "precursors"):
            net.members.append(Member("container", ""))
        if rng.random() < 0.4:
            net.members.append(Member("account", "KZ" if "KZ" in route else route[1]))
        networks.append(net)
    return networks


def plan(
    rng: random.Random, networks: list[Network], day_counts: list[int], seizures: int
) -> dict[int, list[tuple[Network, str]]]:
    """day index -> [(network, country)] of the network seizures that day (within its count)."""
    days = len(day_counts)
    planned: dict[int, list[tuple[Network, str]]] = {}
    if not networks or not days:
        return planned
    per_network = max(5, round(seizures * 0.02 / len(networks)))
    per_network = min(per_network, max(1, seizures // (2 * len(networks))))
    for net in networks:
        span = min(days, max(30, round(days * rng.uniform(0.2, 0.5))))
        start = rng.randrange(0, days - span + 1)
        for j in range(per_network):
            day = _free_day(rng, planned, day_counts, start, start + span)
            if day is None:
                day = _free_day(rng, planned, day_counts, 0, days)
            if day is None:
                break
            planned.setdefault(day, []).append((net, net.countries[j % len(net.countries)]))
    return planned


def _free_day(
    rng: random.Random,
    planned: dict[int, list[tuple[Network, str]]],
    day_counts: list[int],
    lo: int,
    hi: int,
) -> int | None:
    for _ in range(40):
        d = rng.randrange(lo, hi)
        if day_counts[d] > len(planned.get(d, ())):
            return d
    for d in range(lo, hi):
        if day_counts[d] > len(planned.get(d, ())):
            return d
    return None
