from django.db import models
from django.utils.translation import gettext_lazy as _


class Relationship(models.TextChoices):
    BILATERAL = "bilateral", _("Bilateral (records shared with this country)")
    REGIONAL = "regional", _("Regional (records shared with the region)")


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    HELD = "held", _("Held at egress")
    HANDED_OVER = "handed_over", _("Handed over")
    DELIVERED = "delivered", _("Delivered (parked, waiting for an earlier version)")
    APPLIED = "applied", _("Applied")
    REFUSED = "refused", _("Refused")


# The order in which a delivery advances; a receipt never moves it back.
STATE_RANK = {
    DeliveryState.QUEUED: 0,
    DeliveryState.HELD: 0,
    DeliveryState.HANDED_OVER: 1,
    DeliveryState.DELIVERED: 2,
    DeliveryState.APPLIED: 3,
    DeliveryState.REFUSED: 3,
}


class InboxState(models.TextChoices):
    PARKED = "parked", _("Parked (an earlier version is missing)")
    APPLIED = "applied", _("Applied")
    STALE = "stale", _("Superseded before it was applied")
    REFUSED = "refused", _("Refused")


REFUSAL_REASONS = {
    "malformed": _("malformed envelope"),
    "too_large": _("too large"),
    "unsigned": _("unsigned"),
    "bad_signature": _("bad signature"),
    "unknown_peer": _("unknown peer"),
    "unknown_key": _("unknown key"),
    "key_not_valid": _("key not valid when the envelope was made"),
    "not_recipient": _("this node is not a recipient"),
    "distribution": _("distribution does not allow it"),
    "unknown_type": _("record type unknown to this node"),
    "sealed": _("sealed body does not open"),
    "apply_failed": _("could not be applied"),
    "not_owner": _("the sender does not own this record"),
}
