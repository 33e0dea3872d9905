"""Controlled vocabularies of the seizure and incident register (CEN-like, extended)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Commodity(models.TextChoices):
    HEROIN = "heroin", _("Heroin")
    OPIUM = "opium", _("Opium")
    MORPHINE = "morphine", _("Morphine")
    HASHISH = "hashish", _("Hashish (cannabis resin)")
    CANNABIS_HERB = "cannabis_herb", _("Cannabis herb")
    COCAINE = "cocaine", _("Cocaine")
    METHAMPHETAMINE = "methamphetamine", _("Methamphetamine")
    AMPHETAMINE = "amphetamine", _("Amphetamine")
    ECSTASY = "ecstasy", _("Ecstasy (MDMA)")
    TRAMADOL = "tramadol", _("Tramadol")
    PHARMACEUTICALS = "pharmaceuticals", _("Other pharmaceuticals")
    NPS = "nps", _("New psychoactive substances")
    ACETIC_ANHYDRIDE = "acetic_anhydride", _("Acetic anhydride (precursor)")
    PRECURSORS = "precursors", _("Other precursors")
    WEAPONS = "weapons", _("Weapons")
    AMMUNITION = "ammunition", _("Ammunition")
    EXPLOSIVES = "explosives", _("Explosives")
    CASH = "cash", _("Cash")
    COUNTERFEIT = "counterfeit", _("Counterfeit goods")
    CULTURAL_PROPERTY = "cultural_property", _("Cultural property")
    WILDLIFE = "wildlife", _("Wildlife")
    TOBACCO = "tobacco", _("Tobacco")


DRUGS = frozenset(
    {
        Commodity.HEROIN, Commodity.OPIUM, Commodity.MORPHINE, Commodity.HASHISH,
        Commodity.CANNABIS_HERB, Commodity.COCAINE, Commodity.METHAMPHETAMINE,
        Commodity.AMPHETAMINE, Commodity.ECSTASY, Commodity.TRAMADOL, Commodity.PHARMACEUTICALS,
        Commodity.NPS,
    }
)  # fmt: skip

# CEN-like commodity groups for the non-nominal statistics export.
CEN_GROUP: dict[str, str] = {
    "heroin": "Narcotics", "opium": "Narcotics", "morphine": "Narcotics",
    "hashish": "Narcotics", "cannabis_herb": "Narcotics", "cocaine": "Narcotics",
    "methamphetamine": "Narcotics", "amphetamine": "Narcotics", "ecstasy": "Narcotics",
    "nps": "Narcotics", "tramadol": "Medicines", "pharmaceuticals": "Medicines",
    "acetic_anhydride": "Precursors", "precursors": "Precursors", "weapons": "Weapons",
    "ammunition": "Weapons", "explosives": "Weapons", "cash": "Currency",
    "counterfeit": "IPR", "cultural_property": "Cultural property", "wildlife": "CITES",
    "tobacco": "Tobacco",
}  # fmt: skip


class Unit(models.TextChoices):
    G = "g", _("g")
    KG = "kg", _("kg")
    T = "t", _("t")
    ML = "ml", _("ml")
    L = "l", _("l")
    TABLETS = "tablets", _("tablets")
    PIECES = "pieces", _("pieces")
    CURRENCY = "currency", _("currency")


# Mass and volume units -> kg (volume read at the commodity's density, 1.0 unless listed).
UNIT_TO_KG: dict[str, Decimal] = {
    "g": Decimal("0.001"),
    "kg": Decimal("1"),
    "t": Decimal("1000"),
    "ml": Decimal("0.001"),
    "l": Decimal("1"),
}
DENSITY: dict[str, Decimal] = {"acetic_anhydride": Decimal("1.08")}
COUNT_UNITS = frozenset({"tablets", "pieces", "currency"})
# An item above these normalised amounts is refused as impossible (the largest seizure on
# record in the region is a few tonnes; a typing error adds zeros).
MAX_KG = Decimal("100000")
MAX_UNITS = Decimal("1000000000")


class DetectionMethod(models.TextChoices):
    RISK_PROFILE = "risk_profile", _("Risk profile")
    CANINE = "canine", _("Detector dog")
    SCANNER = "scanner", _("X-ray / scanner")
    INTELLIGENCE = "intelligence", _("Intelligence / tip-off")
    CONTROLLED_DELIVERY = "controlled_delivery", _("Controlled delivery")
    RANDOM_CHECK = "random_check", _("Random check")
    JOINT_OPERATION = "joint_operation", _("Joint operation")
    OTHER = "other", _("Other")


class Concealment(models.TextChoices):
    NONE = "none", _("Not concealed")
    LUGGAGE = "luggage", _("In luggage")
    ON_BODY = "on_body", _("On the body")
    IN_BODY = "in_body", _("Inside the body (swallowed)")
    CARGO = "cargo", _("Among legitimate cargo")
    VEHICLE_STRUCTURE = "vehicle_structure", _("In the vehicle structure / hidden compartment")
    FUEL_TANK = "fuel_tank", _("In the fuel tank")
    TYRES = "tyres", _("In tyres")
    FOOD = "food", _("In food or fruit")
    POSTAL = "postal", _("In a postal item")
    OTHER = "other", _("Other")


class Conveyance(models.TextChoices):
    PRIVATE_CAR = "private_car", _("Private car")
    TRUCK = "truck", _("Truck")
    BUS = "bus", _("Bus")
    RAIL = "rail", _("Rail wagon")
    AIR_CARGO = "air_cargo", _("Air cargo")
    AIR_PASSENGER = "air_passenger", _("Air passenger")
    CONTAINER = "container", _("Container")
    POSTAL = "postal", _("Postal parcel")
    PEDESTRIAN = "pedestrian", _("Pedestrian")
    RIVER = "river", _("River crossing")
    OTHER = "other", _("Other")


class IncidentKind(models.TextChoices):
    ATTEMPTED_CROSSING = "attempted_crossing", _("Attempted illegal crossing")
    SHOOTING = "shooting", _("Shooting at the green border")
    DOCUMENT_FRAUD = "document_fraud", _("Document fraud")
    CORRUPTION_ATTEMPT = "corruption_attempt", _("Corruption attempt")
    SMUGGLING_ATTEMPT = "smuggling_attempt", _("Smuggling attempt without seizure")
    SUSPICIOUS_ACTIVITY = "suspicious_activity", _("Suspicious activity")
    OTHER = "other", _("Other")


class LinkRole(models.TextChoices):
    COURIER = "courier", _("Courier")
    ORGANISER = "organiser", _("Organiser")
    OWNER = "owner", _("Owner")
    DRIVER = "driver", _("Driver")
    PASSENGER = "passenger", _("Passenger")
    SENDER = "sender", _("Sender")
    CONSIGNEE = "consignee", _("Consignee")
    CARRIER = "carrier", _("Carrier")
    SUSPECT = "suspect", _("Suspect")
    WITNESS = "witness", _("Witness")
    USED = "used", _("Used in the case")
    OTHER = "other", _("Other")


class EntityKind(models.TextChoices):
    PERSON = "person", _("Person")
    VEHICLE = "vehicle", _("Vehicle")
    ORGANISATION = "organisation", _("Organisation")
    PHONE = "phone", _("Phone")
    DOCUMENT = "document", _("Document")
    CONTAINER = "container", _("Container")
    ACCOUNT = "account", _("Bank account")


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National identity card")
    DRIVING_LICENCE = "driving_licence", _("Driving licence")
    VEHICLE_REGISTRATION = "vehicle_registration", _("Vehicle registration")
    WAYBILL = "waybill", _("Waybill / CMR")
    CUSTOMS_DECLARATION = "customs_declaration", _("Customs declaration")
    OTHER = "other", _("Other")


class Gender(models.TextChoices):
    UNKNOWN = "", _("Unknown")
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")
