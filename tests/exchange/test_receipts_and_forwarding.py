"""Read and acknowledgement receipts per office; onward forwarding and the H2 permission."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.exchange.conftest import AK_ZHOL, DOSTUK, KG_SC, KORDAI, audit_actions, last_seq

pytestmark = pytest.mark.django_db


def test_reading_sets_the_office_receipt_once(kz_officer, kg_officer, make_user, send):
    from blonet.exchange.services import mark_read

    colleague = make_user("kg.colleague", office=AK_ZHOL)
    alert = send(kz_officer)
    before = last_seq()
    assert mark_read(actor=kg_officer, messages=[alert]) == 1
    assert mark_read(actor=colleague, messages=[alert]) == 0  # the office has read it
    receipt = alert.recipients.get()
    assert receipt.read_by == kg_officer
    assert audit_actions(before) == ["exchange.message.read"]
    # The sender's own reading is no receipt.
    assert mark_read(actor=kz_officer, messages=[alert]) == 0


def test_acknowledgement_is_recorded_once_with_its_delay(kz_officer, kg_officer, send):
    from blonet.exchange.services import message_acknowledge

    alert = send(kz_officer)
    before = last_seq()
    receipt = message_acknowledge(actor=kg_officer, message=alert, office=AK_ZHOL)
    again = message_acknowledge(actor=kg_officer, message=alert.pk, office=AK_ZHOL)
    assert receipt.acknowledged_by == kg_officer
    assert receipt.read_at == receipt.acknowledged_at
    assert again.acknowledged_at == receipt.acknowledged_at
    assert receipt.ack_seconds is not None and receipt.ack_seconds < 60
    assert audit_actions(before) == ["exchange.message.acknowledged"]


def test_only_a_recipient_office_acknowledges(kz_officer, kg_sc_officer, send):
    from blonet.core.errors import ValidationError
    from blonet.exchange.services import message_acknowledge

    alert = send(kz_officer)  # the KG SC sees it (supervision) but is not addressed
    with pytest.raises(ValidationError) as info:
        message_acknowledge(actor=kg_sc_officer, message=alert, office=KG_SC)
    assert info.value.fields == {"office": ["Your office is not a recipient of this message."]}
    assert audit_actions()[-1] == "exchange.refused"


def test_h0_message_is_forwarded_without_asking(kz_officer, kg_officer, make_user, send):
    from blonet.exchange import selectors
    from blonet.exchange.services import message_forward

    dostuk = make_user("kg.dostuk", office=DOSTUK)
    alert = send(kz_officer)
    assert not selectors.message_list_visible_to(user=dostuk).exists()
    before = last_seq()
    copy = message_forward(
        actor=kg_officer, message=alert, office=AK_ZHOL, recipients=[DOSTUK], note="FYI"
    )
    assert audit_actions(before) == ["exchange.message.forwarded"]
    assert copy.forwarded_from_id == alert.pk
    assert copy.originator_office_id == KORDAI
    assert copy.owner_office_id == AK_ZHOL
    assert copy.thread_id == alert.thread_id
    assert copy.structured == alert.structured
    assert copy.body.startswith("FYI\n\n")
    assert [m.pk for m in selectors.message_list_visible_to(user=dostuk)] == [copy.pk]
    assert selectors.thread_get_for(user=dostuk, pk=alert.thread_id) == alert.thread


def test_h2_forwarding_needs_the_originators_permission(
    kz_officer, kg_officer, make_user, send, django_capture_on_commit_callbacks
):
    from blonet.core.errors import PermissionDenied, ValidationError
    from blonet.exchange.services import (
        forward_permission_decide,
        forward_permission_request,
        message_forward,
    )

    kz_officer.email = "kordai@example.org"
    kz_officer.save()
    alert = send(kz_officer, sharing={"handling_codes": ["H2"], "distribution": "national"})
    before = last_seq()
    with django_capture_on_commit_callbacks(execute=True):
        permission = forward_permission_request(
            actor=kg_officer,
            message=alert,
            office=AK_ZHOL,
            targets=[DOSTUK],
            reason="The truck may turn to Dostuk.",
        )
    assert permission.status == "pending"
    assert permission.originator_office_id == KORDAI
    assert [m.to for m in mail.outbox] == [["kordai@example.org"]]
    with pytest.raises(PermissionDenied):  # still pending
        message_forward(actor=kg_officer, message=alert, office=AK_ZHOL, recipients=[DOSTUK])
    with pytest.raises(PermissionDenied):  # only the originator decides
        forward_permission_decide(actor=kg_officer, permission=permission, grant=True)
    granted = forward_permission_decide(
        actor=kz_officer, permission=permission, grant=True, note="Yes, Dostuk only."
    )
    assert granted.status == "granted"
    assert granted.decided_by == kz_officer
    with pytest.raises(ValidationError):  # decided once
        forward_permission_decide(actor=kz_officer, permission=permission, grant=False)
    with pytest.raises(PermissionDenied):  # not granted for the situation centre
        message_forward(actor=kg_officer, message=alert, office=AK_ZHOL, recipients=[KG_SC])
    copy = message_forward(actor=kg_officer, message=alert, office=AK_ZHOL, recipients=[DOSTUK])
    assert copy.distribution == "office"  # an H2 copy goes to the named offices only
    assert copy.handling_codes == ["H2"]
    assert audit_actions(before) == [
        "exchange.permission.requested",
        "exchange.refused",
        "exchange.refused",
        "exchange.permission.granted",
        "exchange.refused",
        "exchange.refused",
        "exchange.message.forwarded",
    ]


def test_permission_is_asked_only_for_h2(kz_officer, kg_officer, send):
    from blonet.core.errors import ValidationError
    from blonet.exchange.services import forward_permission_request

    alert = send(kz_officer)
    with pytest.raises(ValidationError) as info:
        forward_permission_request(
            actor=kg_officer, message=alert, office=AK_ZHOL, targets=[DOSTUK], reason="x"
        )
    assert info.value.fields == {
        "message": ["Only an H2 message needs permission to be forwarded."]
    }


def test_a_refused_request_keeps_forwarding_closed(kz_officer, kg_officer, send):
    from blonet.core.errors import PermissionDenied
    from blonet.exchange.services import (
        forward_permission_decide,
        forward_permission_request,
        message_forward,
    )

    alert = send(kz_officer, sharing={"handling_codes": ["H2"]})
    permission = forward_permission_request(
        actor=kg_officer, message=alert, office=AK_ZHOL, targets=[DOSTUK], reason="Needed."
    )
    forward_permission_decide(actor=kz_officer, permission=permission, grant=False, note="No.")
    with pytest.raises(PermissionDenied):
        message_forward(actor=kg_officer, message=alert, office=AK_ZHOL, recipients=[DOSTUK])
    assert audit_actions()[-2:] == ["exchange.permission.refused", "exchange.refused"]


def test_linking_records_and_threads(kz_officer, kg_officer, uz_officer, send, record_seizure):
    from blonet.core.errors import NotFound
    from blonet.exchange import selectors
    from blonet.exchange.services import thread_link_add

    seizure = record_seizure(kz_officer, distribution="national", counterpart_country=None)
    alert = send(kz_officer)
    other = send(kz_officer, subject="Another truck")
    link = thread_link_add(
        actor=kz_officer, thread=alert.thread, office=KORDAI, kind="seizure", target=seizure.pk
    )
    thread_link_add(
        actor=kz_officer, thread=alert.thread, office=KORDAI, kind="thread", target=other.thread
    )
    assert audit_actions()[-2:] == ["exchange.link.added", "exchange.link.added"]
    assert link.seizure_id == seizure.pk
    mine = selectors.thread_links_visible(user=kz_officer, thread=alert.thread)
    assert [x.kind for x in mine] == ["seizure", "thread"]
    # The Kyrgyz recipient sees the thread but not the national Kazakh seizure behind the link.
    theirs = selectors.thread_links_visible(user=kg_officer, thread=alert.thread)
    assert [x.kind for x in theirs] == ["thread"]
    assert [
        t.pk for t in selectors.threads_linking(user=kz_officer, kind="seizure", target=seizure)
    ] == [alert.thread_id]
    with pytest.raises(NotFound):  # a record the Kyrgyz officer cannot see
        thread_link_add(
            actor=kg_officer, thread=alert.thread, office=AK_ZHOL, kind="seizure", target=seizure
        )
    with pytest.raises(NotFound):  # a thread the Uzbek officer cannot see
        thread_link_add(
            actor=uz_officer, thread=alert.thread, office="uz-oybek-blo", kind="thread",
            target=other.thread,
        )  # fmt: skip


def test_forwarding_a_forwarded_h2_copy_asks_the_first_originator(
    kz_officer, kg_officer, make_user, send
):
    from blonet.directory.models import Office
    from blonet.exchange import selectors
    from blonet.exchange.services import (
        forward_permission_decide,
        forward_permission_request,
        message_forward,
    )

    dostuk = make_user("kg.dostuk", office=DOSTUK)
    alert = send(kz_officer, sharing={"handling_codes": ["H2"]})
    first = forward_permission_request(
        actor=kg_officer, message=alert, office=AK_ZHOL, targets=[DOSTUK], reason="Route."
    )
    forward_permission_decide(actor=kz_officer, permission=first, grant=True)
    copy = message_forward(actor=kg_officer, message=alert, office=AK_ZHOL, recipients=[DOSTUK])
    second = forward_permission_request(
        actor=dostuk, message=copy, office=DOSTUK, targets=[KG_SC], reason="For the centre."
    )
    assert second.message_id == alert.pk  # asked on the original, owned by the originator
    kordai = Office.objects.get(pk=KORDAI)
    assert [p.pk for p in selectors.pending_permissions(user=kz_officer, office=kordai)] == [
        second.pk
    ]
    forward_permission_decide(actor=kz_officer, permission=second, grant=True)
    onward = message_forward(actor=dostuk, message=copy, office=DOSTUK, recipients=[KG_SC])
    assert onward.originator_office_id == KORDAI
    assert onward.forwarded_from_id == copy.pk
