"""What is seized where and when: drug mixes by border, seasons, trends, routes, quantities.

A site's *profile* says which traffic it sees (the Afghan border, the Fergana valley, the
Kazakh-Kyrgyz border, the Chinese border, airports, inland mobile teams). Each profile has a base
mix of commodities; opiates rise after the Afghan harvest (summer to autumn), cannabis herb in
the Chui valley harvest (August to October), synthetics year on year.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import Decimal

# -- profiles of sites --------------------------------------------------------------------------

AF_BORDER = "af_border"
FERGANA = "fergana"  # TJ-UZ, TJ-KG, UZ-KG borders
KZ_KG = "kz_kg"
CN_BORDER = "cn_border"
AIR = "air"
INLAND = "inland"


def site_profile(site_kind: str, country: str, border: str | None) -> str:
    if site_kind == "airport":
        return AIR
    if border == "AF" or (not site_kind and country == "TM"):
        return AF_BORDER
    if border == "CN":
        return CN_BORDER
    if {country, border} == {"KZ", "KG"}:
        return KZ_KG
    if border:
        return FERGANA
    return INLAND


_MIXES: dict[str, dict[str, float]] = {
    AF_BORDER: {
        "heroin": 30, "opium": 22, "hashish": 28, "morphine": 2, "methamphetamine": 4,
        "weapons": 3, "ammunition": 3, "cash": 2, "tobacco": 3, "wildlife": 1,
        "acetic_anhydride": 2,
    },
    FERGANA: {
        "hashish": 24, "heroin": 14, "opium": 8, "cannabis_herb": 10, "tramadol": 9,
        "pharmaceuticals": 5, "methamphetamine": 3, "nps": 2, "tobacco": 8, "counterfeit": 4,
        "cash": 3, "weapons": 2, "ammunition": 2, "precursors": 3, "acetic_anhydride": 3,
    },
    KZ_KG: {
        "hashish": 28, "cannabis_herb": 28, "heroin": 10, "opium": 2, "nps": 4,
        "methamphetamine": 3, "amphetamine": 2, "tramadol": 4, "tobacco": 6, "cash": 5,
        "counterfeit": 3, "acetic_anhydride": 3, "weapons": 2,
    },
    CN_BORDER: {
        "acetic_anhydride": 14, "precursors": 8, "counterfeit": 22, "pharmaceuticals": 9,
        "tramadol": 8, "nps": 8, "tobacco": 12, "wildlife": 4, "cultural_property": 1,
        "cash": 3, "methamphetamine": 2,
    },
    AIR: {
        "cash": 24, "heroin": 10, "hashish": 10, "cocaine": 7, "nps": 9, "methamphetamine": 9,
        "ecstasy": 7, "pharmaceuticals": 9, "tramadol": 5, "wildlife": 4, "cultural_property": 2,
        "counterfeit": 4,
    },
    INLAND: {
        "hashish": 20, "cannabis_herb": 15, "heroin": 11, "opium": 5, "tramadol": 14,
        "pharmaceuticals": 9, "methamphetamine": 4, "nps": 4, "amphetamine": 2, "weapons": 3,
        "ammunition": 3, "tobacco": 5, "cash": 2, "explosives": 1,
    },
}  # fmt: skip
PROFILES = tuple(_MIXES)

OPIATES = frozenset({"heroin", "opium", "morphine"})
SYNTHETICS = frozenset({"methamphetamine", "amphetamine", "ecstasy", "nps"})
PRECURSORS = frozenset({"acetic_anhydride", "precursors"})

# Month factors (January first): opiates after the Afghan poppy harvest (April to July).
OPIATE_SEASON = (0.7, 0.6, 0.7, 0.8, 0.9, 1.1, 1.4, 1.6, 1.6, 1.5, 1.3, 0.9)
CANNABIS_SEASON = (0.6, 0.5, 0.6, 0.7, 0.8, 0.9, 1.1, 1.6, 1.8, 1.6, 1.0, 0.7)


def day_weight(month: int, year_index: float) -> float:
    """Relative number of seizures on a day: a summer-autumn peak, a slow rise over the years."""
    return (0.65 + 0.35 * OPIATE_SEASON[month - 1]) * (1.0 + 0.04 * year_index)


def commodity_weights(profile: str, month: int, year_index: float) -> tuple[list[str], list[float]]:
    """The mix of a profile in a month, `year_index` years after the period starts."""
    names: list[str] = []
    weights: list[float] = []
    for commodity, w in _MIXES[profile].items():
        if commodity in OPIATES:
            w *= OPIATE_SEASON[month - 1]
        elif commodity == "cannabis_herb":
            w *= CANNABIS_SEASON[month - 1]
        elif commodity in SYNTHETICS:
            w *= 1.0 + 0.6 * year_index  # synthetics rising: x3.4 after four years
        names.append(commodity)
        weights.append(w)
    return names, weights


# -- routes -------------------------------------------------------------------------------------

NORTH = (
    ("AF", "TJ", "KG", "KZ", "RU"), ("AF", "TJ", "UZ", "KZ", "RU"), ("AF", "UZ", "KZ", "RU"),
    ("AF", "TM"), ("AF", "TM", "UZ", "KZ", "RU"), ("AF", "TJ", "KG", "UZ"),
)  # fmt: skip
SOUTH = (  # precursors go the other way, to the Afghan laboratories
    ("CN", "KZ", "KG", "TJ", "AF"), ("CN", "KG", "TJ", "AF"), ("RU", "KZ", "UZ", "TJ", "AF"),
    ("RU", "KZ", "KG", "TJ", "AF"), ("CN", "KZ", "UZ", "AF"), ("RU", "KZ", "UZ", "TM", "AF"),
)  # fmt: skip
EAST = (("CN", "KZ", "RU"), ("CN", "KG", "UZ"), ("CN", "KZ"), ("CN", "KG", "KZ", "RU"))
DOMESTIC = (("KG", "KZ", "RU"), ("KZ", "RU"), ("KG", "KZ"), ("UZ", "KZ", "RU"), ("TJ", "UZ"))
SYNTHETIC = (("RU", "KZ"), ("CN", "KZ"), ("AF", "TJ", "KG", "KZ"), ("RU", "KZ", "KG"))
AIR_ROUTES = (("AF", "UZ", "RU"), ("AE", "UZ"), ("TR", "KZ"), ("KZ", "AE"), ("IN", "UZ", "RU"))


def _templates(commodity: str, profile: str) -> tuple[tuple[str, ...], ...]:
    if profile == AIR:
        return AIR_ROUTES
    if commodity in OPIATES or (commodity == "hashish" and profile in (AF_BORDER, FERGANA)):
        return NORTH
    if commodity in PRECURSORS:
        return SOUTH
    if commodity in ("hashish", "cannabis_herb"):
        return DOMESTIC + NORTH[:1]
    if commodity in SYNTHETICS:
        return SYNTHETIC
    return EAST + DOMESTIC


def route(
    rng: random.Random, commodity: str, profile: str, country: str, border: str | None
) -> tuple[str, list[str], str]:
    """(origin, transit countries, intended destination) through `country`; empty if unknown."""
    if rng.random() < 0.08:
        return "", [], ""
    candidates = [t for t in _templates(commodity, profile) if country in t]
    if border:
        near = [t for t in candidates if border in t]
        candidates = near or candidates
    if not candidates:
        return (border or country), [], country
    path = list(rng.choice(candidates))
    here = path.index(country)
    if rng.random() < 0.2 and here > 0:
        path = path[: here + 1]  # for the local market
    return path[0], path[1:-1], path[-1]


# -- quantities ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Amount:
    unit: str
    median: float
    sigma: float  # of the natural log
    cap: float


_AMOUNTS: dict[str, tuple[Amount, ...]] = {
    "heroin": (Amount("kg", 2.5, 1.4, 900), Amount("g", 350, 1.0, 990)),
    "opium": (Amount("kg", 6, 1.3, 2500),),
    "morphine": (Amount("kg", 1.5, 1.0, 200),),
    "hashish": (Amount("kg", 3, 1.5, 5000), Amount("g", 300, 1.0, 990)),
    "cannabis_herb": (Amount("kg", 2, 1.6, 8000), Amount("g", 400, 1.0, 990)),
    "cocaine": (Amount("kg", 0.8, 1.0, 60), Amount("g", 120, 1.0, 990)),
    "methamphetamine": (Amount("kg", 0.3, 1.3, 200), Amount("g", 40, 1.2, 990)),
    "amphetamine": (Amount("g", 60, 1.2, 990), Amount("kg", 0.5, 1.0, 50)),
    "ecstasy": (Amount("tablets", 300, 1.4, 200000),),
    "tramadol": (Amount("tablets", 800, 1.5, 3000000),),
    "pharmaceuticals": (Amount("tablets", 500, 1.5, 2000000), Amount("kg", 2, 1.2, 500)),
    "nps": (Amount("g", 80, 1.3, 990), Amount("kg", 0.6, 1.3, 300)),
    "acetic_anhydride": (Amount("l", 200, 1.2, 30000), Amount("t", 2, 0.8, 40)),
    "precursors": (Amount("kg", 150, 1.3, 20000),),
    "weapons": (Amount("pieces", 1.5, 0.8, 60),),
    "ammunition": (Amount("pieces", 60, 1.3, 20000),),
    "explosives": (Amount("kg", 1.2, 1.0, 200),),
    "cash": (Amount("currency", 30000, 1.1, 5000000),),
    "counterfeit": (Amount("pieces", 400, 1.5, 500000),),
    "cultural_property": (Amount("pieces", 3, 1.0, 400),),
    "wildlife": (Amount("pieces", 4, 1.0, 300),),
    "tobacco": (Amount("pieces", 1500, 1.3, 1000000), Amount("kg", 40, 1.2, 20000)),
}
CURRENCIES = ("USD", "USD", "USD", "EUR", "RUB", "KZT", "CNY", "AED")
_INTEGER_UNITS = frozenset({"tablets", "pieces", "currency"})


def amount(rng: random.Random, commodity: str) -> tuple[Decimal, str]:
    """(quantity, unit) of one item: log-normal around the usual size, within the cap."""
    options = _AMOUNTS[commodity]
    spec = options[0] if len(options) == 1 or rng.random() < 0.7 else rng.choice(options[1:])
    value = min(spec.cap, math.exp(math.log(spec.median) + rng.gauss(0, spec.sigma)))
    if spec.unit in _INTEGER_UNITS:
        if spec.unit == "currency":
            value = max(1000, round(value, -2))
        return Decimal(max(1, round(value))), spec.unit
    if spec.unit in ("g", "ml"):
        return Decimal(max(1, round(value))), spec.unit
    return max(Decimal("0.001"), Decimal(str(round(value, 3)))), spec.unit


PACKAGING: dict[str, tuple[str, ...]] = {
    "default": (
        "polyethylene packets wrapped in tape", "plastic bags", "cardboard boxes", "sacks",
        "a sports bag", "vacuum-sealed packets", "fabric bundles",
    ),
    "tablets": ("blister packs", "plastic jars", "unmarked boxes"),
    "l": ("plastic canisters", "steel drums", "glass bottles"),
    "currency": ("bundles of banknotes", "an envelope", "a money belt"),
}  # fmt: skip
MARKINGS = (
    "scorpion logo", "777", "lion head stamp", "crown", "OK", "eagle", "Bugatti logo",
    "red star", "999", "horse", "AK-47 drawing", "Cobra",
)  # fmt: skip


# -- how, what in, what with --------------------------------------------------------------------

CONVEYANCES: dict[str, dict[str, float]] = {
    AF_BORDER: {"pedestrian": 30, "river": 20, "truck": 20, "private_car": 15, "other": 15},
    FERGANA: {"private_car": 35, "truck": 20, "pedestrian": 20, "bus": 15, "rail": 5, "other": 5},
    KZ_KG: {"truck": 35, "private_car": 35, "bus": 15, "pedestrian": 10, "rail": 5},
    CN_BORDER: {"truck": 40, "container": 35, "rail": 20, "private_car": 5},
    AIR: {"air_passenger": 65, "air_cargo": 25, "postal": 10},
    INLAND: {"private_car": 40, "truck": 20, "bus": 15, "postal": 15, "rail": 5, "other": 5},
}
CONCEALMENTS: dict[str, dict[str, float]] = {
    "pedestrian": {"on_body": 40, "luggage": 40, "none": 20},
    "river": {"none": 60, "cargo": 20, "other": 20},
    "truck": {"cargo": 40, "vehicle_structure": 30, "fuel_tank": 10, "tyres": 10, "food": 10},
    "private_car": {"vehicle_structure": 50, "luggage": 25, "tyres": 10, "fuel_tank": 10,
                    "on_body": 5},
    "bus": {"luggage": 60, "vehicle_structure": 20, "on_body": 20},
    "rail": {"cargo": 60, "vehicle_structure": 40},
    "container": {"cargo": 80, "vehicle_structure": 20},
    "air_passenger": {"luggage": 55, "on_body": 25, "in_body": 20},
    "air_cargo": {"cargo": 80, "postal": 20},
    "postal": {"postal": 100},
    "other": {"none": 40, "other": 60},
}  # fmt: skip
DETECTIONS: dict[str, dict[str, float]] = {
    AF_BORDER: {"intelligence": 30, "random_check": 25, "canine": 15, "joint_operation": 15,
                "risk_profile": 10, "other": 5},
    AIR: {"risk_profile": 40, "scanner": 30, "canine": 20, "intelligence": 10},
    CN_BORDER: {"scanner": 45, "risk_profile": 30, "intelligence": 15, "random_check": 10},
    "default": {"scanner": 25, "canine": 20, "risk_profile": 20, "intelligence": 15,
                "random_check": 10, "controlled_delivery": 5, "joint_operation": 5},
}  # fmt: skip


def pick(rng: random.Random, table: dict[str, float]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]
