"""One synthetic seizure or incident: sharing, items, route, involved entities."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from blonet.records.generate import entities as ent
from blonet.records.generate import profiles as pr
from blonet.records.generate.batch import Batch
from blonet.records.generate.networks import Member, Network
from blonet.records.generate.posts import Directory, Post
from blonet.records.models import Incident, Involvement, Seizure, SeizureItem
from blonet.records.services.events import normalise_quantity

# Nationalities of the people caught in each country.
NATIONALITY_MIX: dict[str, dict[str, float]] = {
    "TJ": {"TJ": 76, "AF": 10, "UZ": 5, "RU": 4, "KG": 5},
    "UZ": {"UZ": 74, "TJ": 10, "AF": 5, "KZ": 4, "KG": 4, "RU": 3},
    "KZ": {"KZ": 50, "KG": 15, "UZ": 10, "RU": 12, "TJ": 10, "TM": 3},
    "KG": {"KG": 66, "TJ": 10, "KZ": 9, "UZ": 10, "RU": 5},
    "TM": {"TM": 80, "AF": 14, "UZ": 6},
}
DISTRIBUTION = {"national": 68, "bilateral": 15, "regional": 10, "agency": 4, "office": 3}
NETWORK_DISTRIBUTION = {"regional": 75, "bilateral": 20, "national": 5}
HANDLING = ((), ("H0",), ("H1",), ("H2",), ("H1", "H2"), ("H3",))
HANDLING_WEIGHTS = (40, 20, 15, 15, 7, 3)
H3_CONDITIONS = (
    "Not to be passed to the customs service before the court hearing.",
    "Names may be used only for the joint operation under way.",
    "Ask the owner office before any contact with the persons named.",
)
RELIABILITY = {"A": 15, "B": 45, "C": 15, "X": 25}
ACCURACY = {"1": 20, "2": 40, "3": 25, "4": 15}
CLASSIFICATION = {0: 10, 1: 85, 2: 5}
ENTITY_COUNTS = (0, 1, 2, 3, 4)
ENTITY_COUNT_WEIGHTS = (15, 40, 30, 10, 5)  # 1.5 on average
ITEM_COUNTS = (1, 2, 3)
ITEM_COUNT_WEIGHTS = (75, 20, 5)  # 1.3 on average
ROAD = frozenset({"truck", "private_car", "bus"})
INCIDENT_KINDS = {
    pr.AF_BORDER: {"attempted_crossing": 35, "shooting": 8, "smuggling_attempt": 25,
                   "suspicious_activity": 20, "document_fraud": 5, "corruption_attempt": 3,
                   "other": 4},
    pr.AIR: {"document_fraud": 45, "suspicious_activity": 25, "smuggling_attempt": 15,
             "corruption_attempt": 5, "other": 10},
    "default": {"document_fraud": 25, "smuggling_attempt": 25, "suspicious_activity": 25,
                "corruption_attempt": 10, "attempted_crossing": 10, "other": 5},
}  # fmt: skip
CONCEALMENT_DETAILS = (
    "hidden compartment under the floor", "inside the spare tyre", "among melons",
    "in the door panels", "in the roof lining", "sewn into clothing", "in a double-bottom bag",
    "in sacks of flour", "in the fuel tank", "in the trailer's front wall",
)  # fmt: skip
_NARRATIVE = {
    "scanner": "X-ray scan", "canine": "The detector dog reacted", "risk_profile": "Risk profile",
    "intelligence": "Acting on information received", "random_check": "Random check",
    "controlled_delivery": "Controlled delivery", "joint_operation": "Joint operation",
    "other": "Check",
}  # fmt: skip
TERMINAL_CONVEYANCES = {"truck": 45, "rail": 30, "container": 25}


def _pick(rng: random.Random, table: Mapping[Any, float]) -> Any:
    return rng.choices(list(table), weights=list(table.values()))[0]


class EventBuilder:
    """Builds seizures and incidents into a `Batch`; one `random.Random` drives everything."""

    def __init__(self, rng: random.Random, directory: Directory, batch: Batch, start: dt.date):
        self.rng = rng
        self.directory = directory
        self.batch = batch
        self.start = start

    # -- sharing -------------------------------------------------------------------------------

    def sharing(
        self, post: Post, table: Mapping[str, float], created_at: dt.datetime
    ) -> dict[str, Any]:
        rng = self.rng
        distribution = _pick(rng, table)
        counterpart = self.directory.counterpart(rng, post) if distribution == "bilateral" else ""
        if distribution == "bilateral" and not counterpart:
            distribution = "national"
        codes = list(rng.choices(HANDLING, weights=HANDLING_WEIGHTS)[0])
        return {
            "owner_office_id": post.office.id,
            "owner_agency_id": post.office.agency_id,
            "owner_country_id": post.country,
            "distribution": distribution,
            "counterpart_country_id": counterpart or None,
            "handling_codes": codes,
            "handling_conditions": rng.choice(H3_CONDITIONS) if "H3" in codes else "",
            "source_reliability": _pick(rng, RELIABILITY),
            "information_accuracy": _pick(rng, ACCURACY),
            "classification": _pick(rng, CLASSIFICATION),
            "created_at": created_at,
            "updated_at": created_at,
        }

    def _where(self, event: Any, post: Post) -> None:
        rng = self.rng
        event.site = post.site
        if post.site is None and post.places:
            lat, lon, place = rng.choice(post.places)
            event.lat = lat + Decimal(rng.randint(-300, 300)) / 1000
            event.lon = lon + Decimal(rng.randint(-300, 300)) / 1000
            event.place = place
        elif post.profile == pr.AF_BORDER and post.site is not None and rng.random() < 0.1:
            if post.site.lat is not None and post.site.lon is not None:
                event.lat = post.site.lat + Decimal(rng.randint(-200, 200)) / 1000
                event.lon = post.site.lon + Decimal(rng.randint(-200, 200)) / 1000
            event.place = f"green border {rng.randint(1, 15)} km from the post"

    def _agencies(self, post: Post) -> list[str]:
        agencies = [post.office.agency_id]
        others = [a for a in self.directory.agencies.get(post.country, ()) if a not in agencies]
        if others and self.rng.random() < 0.12:  # a joint seizure
            agencies.append(self.rng.choice(others))
        return agencies

    # -- seizures ------------------------------------------------------------------------------

    def seizure(
        self,
        post: Post,
        occurred_at: dt.datetime,
        created_at: dt.datetime,
        reference: str,
        network: Network | None = None,
    ) -> None:
        rng = self.rng
        year_index = (occurred_at.date() - self.start).days / 365.25
        names, weights = pr.commodity_weights(post.profile, occurred_at.month, year_index)
        n_items = rng.choices(ITEM_COUNTS, weights=ITEM_COUNT_WEIGHTS)[0]
        commodities = [network.commodity] if network else []
        while len(commodities) < n_items:
            c = rng.choices(names, weights=weights)[0]
            if c not in commodities:
                commodities.append(c)
        sharing = self.sharing(post, NETWORK_DISTRIBUTION if network else DISTRIBUTION, created_at)
        s = Seizure(id=ent.new_uuid(rng), reference=reference, occurred_at=occurred_at)
        for name, value in sharing.items():
            setattr(s, name, value)
        self._where(s, post)
        if post.site is not None and post.site.kind == "terminal":
            s.conveyance = _pick(rng, TERMINAL_CONVEYANCES)
        elif network:
            s.conveyance = _pick(rng, {"truck": 50, "private_car": 40, "bus": 10})
        else:
            s.conveyance = pr.pick(rng, pr.CONVEYANCES[post.profile])
        s.detection_method = pr.pick(rng, pr.DETECTIONS.get(post.profile, pr.DETECTIONS["default"]))
        if network and rng.random() < 0.3:
            s.detection_method = rng.choice(("intelligence", "controlled_delivery"))
        s.concealment = pr.pick(rng, pr.CONCEALMENTS[s.conveyance])
        if s.concealment in ("vehicle_structure", "cargo", "on_body") and rng.random() < 0.3:
            s.concealment_detail = rng.choice(CONCEALMENT_DETAILS)
        if network:
            s.origin_country, s.destination_country = network.route[0], network.route[-1]
            s.transit_countries = list(network.route[1:-1])
        else:
            s.origin_country, s.transit_countries, s.destination_country = pr.route(
                rng, commodities[0], post.profile, post.country, post.border
            )
        items = [self._item(c, position, network) for position, c in enumerate(commodities)]
        s.total_kg = sum((it.quantity_kg or Decimal(0) for it in items), Decimal(0))
        s.commodities = " ".join(sorted({it.commodity for it in items}))
        s.narrative = (
            f"{_NARRATIVE[s.detection_method]}: {' and '.join(commodities).replace('_', ' ')} "
            f"found at {post.site.name if post.site else s.place}."
        )
        links = self._seizure_entities(s, post, sharing, occurred_at.date(), network)
        for item in items:
            item.seizure = s
        self.batch.add_event(s, items, links, self._agencies(post))

    def _item(self, commodity: str, position: int, network: Network | None) -> SeizureItem:
        rng = self.rng
        quantity, unit = pr.amount(rng, commodity)
        item = SeizureItem(commodity=commodity, quantity=quantity, unit=unit, position=position)
        if commodity == "cash":
            item.currency = rng.choice(pr.CURRENCIES)
        if commodity in ("heroin", "cocaine", "methamphetamine") and rng.random() < 0.25:
            item.purity = Decimal(rng.randint(250, 900)) / 10
        if rng.random() < 0.6:
            key = "tablets" if unit == "tablets" else "l" if unit in ("l", "t") else unit
            item.packaging = rng.choice(pr.PACKAGING.get(key, pr.PACKAGING["default"]))
        if network and position == 0:
            item.markings = network.marking
        elif rng.random() < 0.05:
            item.markings = rng.choice(pr.MARKINGS)
        item.quantity_kg, item.quantity_units = normalise_quantity(commodity, quantity, unit)
        return item

    def _nationality(self, post: Post) -> str:
        return str(_pick(self.rng, NATIONALITY_MIX.get(post.country, {"RU": 1})))

    def _person(self, post: Post, sharing: dict[str, Any], on: dt.date, nat: str = "") -> Any:
        nat = nat or self._nationality(post)
        cyr = nat == "UZ" and post.country != "UZ" and self.rng.random() < 0.5
        return ent.person(self.rng, nat, sharing, on, uz_cyrillic=cyr)

    def _seizure_entities(
        self,
        s: Seizure,
        post: Post,
        sharing: dict[str, Any],
        on: dt.date,
        network: Network | None,
    ) -> list[tuple[str, Any]]:
        rng = self.rng
        links: list[tuple[str, Any]] = []
        if network:
            for member, role in network.pick_members(rng):
                links.append((role, self._member(member, post, on, sharing["created_at"])))
            if rng.random() < 0.3:
                links.append(("courier", self._person(post, sharing, on)))
            return links
        wanted = rng.choices(ENTITY_COUNTS, weights=ENTITY_COUNT_WEIGHTS)[0]
        people: list[Any] = []
        has_vehicle = False
        conveyance = s.conveyance
        while len(links) < wanted:
            roll = rng.random()
            if not people or roll < 0.35:
                p = self._person(post, sharing, on)
                role = (
                    ("sender" if not people else "consignee")
                    if conveyance in ("postal", "air_cargo")
                    else ("driver" if conveyance in ROAD and not people else "courier")
                    if not people
                    else "passenger"
                    if conveyance in ROAD
                    else "suspect"
                )
                people.append(p)
                links.append((role, p))
            elif roll < 0.65 and conveyance in ROAD and not has_vehicle:
                country = post.country if rng.random() < 0.6 else self._plate_country(post)
                links.append(("used", ent.vehicle(rng, country, sharing, conveyance)))
                has_vehicle = True
            elif roll < 0.82:
                links.append(("used", ent.phone(rng, people[0].nationality or "RU", sharing)))
            elif roll < 0.9:
                kind = (
                    "driving_licence" if conveyance in ROAD and rng.random() < 0.4 else "passport"
                )
                links.append(("used", ent.document(rng, rng.choice(people), sharing, on, kind)))
            elif roll < 0.94 and conveyance in ("container", "rail", "truck"):
                links.append(("used", ent.container(rng, sharing)))
            elif roll < 0.98:
                country = post.border if post.border and post.border != "AF" else post.country
                links.append((rng.choice(("carrier", "sender", "consignee")),
                              ent.organisation(rng, country, sharing)))  # fmt: skip
            else:
                holder = people[0].full_name
                links.append(("used", ent.account(rng, post.country, sharing, holder)))
        return links

    def _plate_country(self, post: Post) -> str:
        if post.border in ("UZ", "KZ", "KG", "TJ", "RU", "TM"):
            return post.border
        return self.rng.choice(("RU", "KZ", "UZ"))

    def _member(self, member: Member, post: Post, on: dt.date, created: dt.datetime) -> Any:
        """The network member's entity, created (and shared regionally) on first use."""
        if member.entity is not None:
            return member.entity
        rng = self.rng
        sharing = self.sharing(post, {"regional": 1}, created)
        sharing["handling_codes"], sharing["handling_conditions"] = ["H2"], ""
        sharing["classification"] = 1
        entity: Any
        if member.kind == "person":
            entity = ent.person(rng, member.country, sharing, on, uz_cyrillic=False)
        elif member.kind == "vehicle":
            entity = ent.vehicle(
                rng, member.country, sharing, "truck" if rng.random() < 0.6 else ""
            )
        elif member.kind == "phone":
            entity = ent.phone(rng, member.country, sharing)
        elif member.kind == "organisation":
            entity = ent.organisation(rng, member.country, sharing)
        elif member.kind == "container":
            entity = ent.container(rng, sharing)
        else:
            entity = ent.account(rng, member.country, sharing, "")
        member.entity = entity
        self.batch.add_entity(entity)
        return entity

    # -- incidents -----------------------------------------------------------------------------

    def incident(
        self, post: Post, occurred_at: dt.datetime, created_at: dt.datetime, reference: str
    ) -> None:
        rng = self.rng
        sharing = self.sharing(post, DISTRIBUTION, created_at)
        i = Incident(id=ent.new_uuid(rng), reference=reference, occurred_at=occurred_at)
        for name, value in sharing.items():
            setattr(i, name, value)
        self._where(i, post)
        i.kind = _pick(rng, INCIDENT_KINDS.get(post.profile, INCIDENT_KINDS["default"]))
        where = post.site.name if post.site else i.place
        i.narrative = f"{i.kind.replace('_', ' ').capitalize()} at {where}."
        links: list[tuple[str, Any]] = []
        on = occurred_at.date()
        for _ in range(rng.choices((0, 1, 2), weights=(30, 50, 20))[0]):
            p = self._person(post, sharing, on)
            links.append(("suspect", p))
            if i.kind == "document_fraud" and rng.random() < 0.7:
                links.append(("used", ent.document(rng, p, sharing, on)))
        self.batch.add_event(i, [], links, self._agencies(post))


def new_link(event: Any, role: str, entity: Any) -> Involvement:
    link = Involvement(role=role)
    if isinstance(event, Seizure):
        link.seizure = event
    else:
        link.incident = event
    setattr(link, entity.kind, entity)
    return link
