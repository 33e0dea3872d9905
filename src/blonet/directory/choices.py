from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    BORDER_SERVICE = "border_service", _("Border service")
    CUSTOMS = "customs", _("Customs")
    POLICE = "police", _("Police / internal affairs")
    DRUG_CONTROL = "drug_control", _("Drug control")
    STATE_SECURITY = "state_security", _("State security")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    REGIONAL_CENTRE = "regional_centre", _("Regional centre")
    INTERNATIONAL_ORG = "international_org", _("International organisation")


class SiteKind(models.TextChoices):
    BCP = "bcp", _("Border crossing point")
    BORDER_OUTPOST = "border_outpost", _("Border outpost")
    AIRPORT = "airport", _("Airport")
    TERMINAL = "terminal", _("Port, rail or logistics terminal")
    IMT_OFFICE = "imt_office", _("Mobile team office")
    SITUATION_CENTRE = "situation_centre", _("Situation centre")
    REGIONAL_CENTRE = "regional_centre", _("Regional centre")
    HEADQUARTERS = "headquarters", _("Headquarters")


class OfficeKind(models.TextChoices):
    BLO = "BLO", _("Border Liaison Office")
    IMT = "IMT", _("Interagency Mobile Team")
    OCT = "OCT", _("Operations Coordination Team")
    SC = "SC", _("Situation centre")
    ACCU = "ACCU", _("Air Cargo Control Unit")
    PCU = "PCU", _("Port Control Unit")
    HQ = "HQ", _("Headquarters")
    RC = "RC", _("Regional centre")


class CoordPrecision(models.TextChoices):
    EXACT = "exact", _("Exact (within about 100 m)")
    APPROXIMATE = "approximate", _("Approximate (within a few km)")
    CITY = "city", _("City")
