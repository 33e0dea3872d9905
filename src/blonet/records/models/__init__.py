from blonet.records.models.base import SharedRecord
from blonet.records.models.entities import (
    BankAccount,
    Container,
    Document,
    Organisation,
    Person,
    Phone,
    Vehicle,
)
from blonet.records.models.events import (
    Attachment,
    Incident,
    Involvement,
    Seizure,
    SeizureItem,
)

ENTITY_MODELS = {
    "person": Person,
    "vehicle": Vehicle,
    "organisation": Organisation,
    "phone": Phone,
    "document": Document,
    "container": Container,
    "account": BankAccount,
}

__all__ = [
    "ENTITY_MODELS",
    "Attachment",
    "BankAccount",
    "Container",
    "Document",
    "Incident",
    "Involvement",
    "Organisation",
    "Person",
    "Phone",
    "Seizure",
    "SeizureItem",
    "SharedRecord",
    "Vehicle",
]
