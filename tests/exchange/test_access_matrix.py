"""The authorisation matrix of ADR 0008: every role × distribution level × viewer relation.

One world (the directory, a user per role in each relation, one alert per distribution level
from Kordai to Ak-Zhol) is built once for the module inside a transaction that is rolled back
at the end; each case runs in its own savepoint.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.exchange.conftest import (
    AK_ZHOL,
    CARICC,
    DOSTUK,
    KG_SC,
    KORDAI,
    KZ_SC,
    OYBEK,
    UZ_SC,
    VEHICLE,
)

ROLES = [
    "officer",
    "analyst",
    "coordinator",
    "node_admin",
    "programme_manager",
    "programme_viewer",
]
DISTRIBUTIONS = ["office", "agency", "national", "bilateral", "regional", "all"]
# relation -> (office, its agency, its country); None: no posting / not signed in.
RELATIONS: dict[str, tuple[str, str, str] | None] = {
    "sender_office": (KORDAI, "kz-border-service", "KZ"),
    "recipient_office": (AK_ZHOL, "kg-border-service", "KG"),
    "counterpart_not_addressed": (DOSTUK, "kg-border-service", "KG"),
    "sender_agency_other_office": ("kz-border-service-hq", "kz-border-service", "KZ"),
    "sender_country_other_agency": ("kz-zhetysu-accu", "kz-customs", "KZ"),
    "sc_of_sender_country": (KZ_SC, "kz-border-service", "KZ"),
    "sc_of_recipient_country": (KG_SC, "kg-border-service", "KG"),
    "regional_centre": (CARICC, "reg-caricc", "KZ"),
    "third_country": (OYBEK, "uz-border-troops", "UZ"),
    "third_country_sc": (UZ_SC, "uz-ncdc", "UZ"),
    "no_posting": None,
    "anonymous": None,
}
ADDRESSED = {"sender_office", "recipient_office"}
SUPERVISING = {"sc_of_sender_country", "sc_of_recipient_country"}
OPERATIONAL = {"officer", "analyst", "coordinator", "node_admin"}


def expected(role: str, relation: str, distribution: str) -> bool:
    """The rule, written out independently of the code under test."""
    where = RELATIONS[relation]
    if where is None or role not in OPERATIONAL:
        return False
    if relation in ADDRESSED | SUPERVISING:
        return True
    _office, agency, country = where
    return {
        "office": False,
        "agency": agency == "kz-border-service",
        "national": country == "KZ",
        "bilateral": country in {"KZ", "KG"},
        "regional": country in {"KZ", "KG", "TJ", "TM", "UZ"},
        "all": True,
    }[distribution]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.db import transaction

    from blonet.accounts.models import Posting, User
    from blonet.directory.services.loading import directory_load_file
    from blonet.exchange.services import message_send

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            directory_load_file(actor=None, path=Path(settings.BLONET_DIRECTORY_FILE))
            users: dict[tuple[str, str], Any] = {}
            for relation, where in RELATIONS.items():
                for role in ROLES:
                    if relation == "anonymous":
                        users[(role, relation)] = AnonymousUser()
                        continue
                    user = User.objects.create_user(f"{relation}.{role}", password="x-y-z-12345")
                    if where is not None:
                        Posting.objects.create(user=user, office_id=where[0], role=role)
                    users[(role, relation)] = user
            sender = users[("officer", "sender_office")]
            messages = {
                d: message_send(
                    actor=sender,
                    office=KORDAI,
                    recipients=[AK_ZHOL],
                    kind="alert",
                    subject=f"Alert at {d} level",
                    body="Truck expected.",
                    template="vehicle_alert",
                    structured=dict(VEHICLE),
                    sharing={"distribution": d, "counterpart_country": "KG"},
                )
                for d in DISTRIBUTIONS
            }
            yield {"users": users, "messages": messages}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


CASES = [
    (role, relation, distribution)
    for relation in RELATIONS
    for role in (ROLES if relation not in {"anonymous", "no_posting"} else ["officer"])
    for distribution in DISTRIBUTIONS
]


@pytest.mark.parametrize(("role", "relation", "distribution"), CASES)
def test_message_and_thread_visibility(world, db, role, relation, distribution):
    from blonet.core.errors import NotFound
    from blonet.exchange import selectors
    from blonet.exchange.models import Recipient

    user = world["users"][(role, relation)]
    message = world["messages"][distribution]
    allowed = expected(role, relation, distribution)

    visible_ids = set(selectors.message_list_visible_to(user=user).values_list("pk", flat=True))
    assert (message.pk in visible_ids) is allowed
    thread_ids = set(selectors.thread_list_visible_to(user=user).values_list("pk", flat=True))
    assert (message.thread_id in thread_ids) is allowed
    receipts = Recipient.objects.visible_to(user).filter(message=message).count()
    assert receipts == (1 if allowed else 0)
    if allowed:
        assert selectors.thread_get_for(user=user, pk=message.thread_id) == message.thread
        assert [m.pk for m in selectors.thread_messages(user=user, thread=message.thread)] == [
            message.pk
        ]
    else:
        with pytest.raises(NotFound):
            selectors.thread_get_for(user=user, pk=message.thread_id)
        with pytest.raises(NotFound):
            selectors.message_get_for(user=user, pk=message.pk)


@pytest.mark.parametrize("relation", [r for r in RELATIONS if r != "anonymous"])
def test_the_exact_set_each_officer_sees(world, db, relation):
    from blonet.exchange import selectors

    user = world["users"][("officer", relation)]
    seen = {
        m.thread.subject.split()[2]
        for m in selectors.message_list_visible_to(user=user).select_related("thread")
    }
    assert seen == {d for d in DISTRIBUTIONS if expected("officer", relation, d)}


def test_a_third_country_inbox_counts_nothing(world, db):
    from blonet.directory.models import Office
    from blonet.exchange import selectors

    user = world["users"][("officer", "third_country")]
    counts = selectors.inbox_counts(user=user, office=Office.objects.get(pk=OYBEK))
    assert counts == {"unread": 0, "mine": 0, "theirs": 0, "overdue": 0, "permissions": 0}
    sc = world["users"][("officer", "third_country_sc")]
    counts = selectors.inbox_counts(user=sc, office=Office.objects.get(pk=UZ_SC))
    assert counts == {"unread": 0, "mine": 0, "theirs": 0, "overdue": 0, "permissions": 0}


def test_the_recipient_inbox_holds_each_message_once(world, db):
    from blonet.directory.models import Office
    from blonet.exchange import selectors

    user = world["users"][("officer", "recipient_office")]
    office = Office.objects.get(pk=AK_ZHOL)
    rows = selectors.inbox_rows(user=user, office=office, tab="all")
    assert sorted(r.message_id for r in rows) == sorted(m.pk for m in world["messages"].values())
    assert selectors.inbox_counts(user=user, office=office)["unread"] == len(DISTRIBUTIONS)


def test_clearance_hides_a_message_even_from_its_recipient(world, db):
    from blonet.accounts.models import User
    from blonet.exchange import selectors
    from blonet.exchange.services import message_send

    sender = User.objects.get(username="sender_office.officer")
    sender.clearance = 2
    sender.save()
    sender = User.objects.get(pk=sender.pk)
    confidential = message_send(
        actor=sender,
        office=KORDAI,
        recipients=[AK_ZHOL],
        kind="correspondence",
        subject="Confidential",
        body="Source details.",
        sharing={"classification": 2},
    )
    reader = User.objects.get(username="recipient_office.officer")  # clearance 1
    assert not selectors.message_list_visible_to(user=reader).filter(pk=confidential.pk).exists()
    assert (
        not selectors.inbox_rows(user=reader, office=reader.postings.get().office, tab="all")
        .filter(message=confidential)
        .exists()
    )
    reader.clearance = 2
    reader.save()
    reader = User.objects.get(pk=reader.pk)
    assert selectors.message_list_visible_to(user=reader).filter(pk=confidential.pk).exists()
