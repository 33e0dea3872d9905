"""The sharing vocabulary every shared object carries (architecture guide, "Access model")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Distribution(models.TextChoices):
    """Who may see an object, from narrowest to widest."""

    OFFICE = "office", _("Own office")
    AGENCY = "agency", _("Own agency")
    NATIONAL = "national", _("National")
    BILATERAL = "bilateral", _("Bilateral")
    REGIONAL = "regional", _("Regional")
    ALL = "all", _("All")

    @classmethod
    def rank(cls, value: str) -> int:
        return [c.value for c in cls].index(value)


class HandlingCode(models.TextChoices):
    """SIENA-style handling codes: what the receiver may do with the information."""

    H0 = "H0", _("H0 — no restriction")
    H1 = "H1", _("H1 — not to be used as evidence without the originator's permission")
    H2 = "H2", _("H2 — no onward sharing without the originator's permission")
    H3 = "H3", _("H3 — other restrictions, written out")


class SourceReliability(models.TextChoices):
    A = "A", _("A — reliable")
    B = "B", _("B — mostly reliable")
    C = "C", _("C — not reliable")
    X = "X", _("X — cannot be judged")


class InformationAccuracy(models.TextChoices):
    ONE = "1", _("1 — known to be true without reservation")
    TWO = "2", _("2 — known personally to the source")
    THREE = "3", _("3 — not known personally, corroborated")
    FOUR = "4", _("4 — cannot be judged")


class Classification(models.IntegerChoices):
    """Protective marking; a user sees a row only up to their clearance."""

    UNCLASSIFIED = 0, _("Unclassified")
    RESTRICTED = 1, _("Restricted")
    CONFIDENTIAL = 2, _("Confidential")
    SECRET = 3, _("Secret")


class Priority(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")
    IMMEDIATE = "immediate", _("Immediate")


class Precision(models.TextChoices):
    """How sure the directory is of an entry."""

    EXACT = "exact", _("Exact")
    APPROXIMATE = "approximate", _("Approximate")
    PLACEHOLDER = "placeholder", _("Placeholder")


# The five countries of the regional network (the regional centre sits in KZ).
REGIONAL_COUNTRIES = ("KZ", "KG", "TJ", "TM", "UZ")

# Local time of each country's posts: forms take and pages show times in the viewer's country.
COUNTRY_TIME_ZONES = {
    "KZ": "Asia/Almaty",
    "KG": "Asia/Bishkek",
    "TJ": "Asia/Dushanbe",
    "TM": "Asia/Ashgabat",
    "UZ": "Asia/Tashkent",
    "AF": "Asia/Kabul",
    "CN": "Asia/Urumqi",
    "RU": "Europe/Moscow",
}
