"""The outbox and the inbox with real envelopes, real keys and the real database (no broker)."""

from __future__ import annotations

import json
from itertools import pairwise, permutations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blonet.audit.models import AuditEvent
from blonet.core.errors import PermissionDenied, ValidationError
from blonet.federation import envelope
from blonet.federation.models import Delivery, InboxEntry, OutboxEntry, Quarantine
from blonet.federation.services.inbox import receive
from blonet.records.models import Person, Seizure
from blonet.records.services import seizure_delete, seizure_record, seizure_update
from tests.federation.nodes import Nodes

pytestmark = pytest.mark.django_db

ITEMS = [{"commodity": "heroin", "quantity": "1.5", "unit": "kg"}]
PERSON = {"full_name": "Курбонов Юсуф", "dob": "1985-03-12", "nationality": "TJ"}
DRIVER = [{"kind": "person", "role": "driver", "data": PERSON}]


def data(**extra):
    return {"occurred_at": "2026-11-30 10:00", "site": "kz-kordai-bcp", **extra}


@pytest.fixture
def nodes(directory, tmp_path):
    n = Nodes(tmp_path)
    n.peers()
    return n


def record(distribution="bilateral", **extra):
    sharing = {"distribution": distribution}
    if distribution == "bilateral":
        sharing["counterpart_country"] = "KG"
    return seizure_record(
        actor=None, office="kz-kordai-blo", data=data(**sharing, **extra), items=ITEMS,
        involvements=DRIVER,
    )  # fmt: skip


# --- egress ---------------------------------------------------------------------------------


def test_a_single_node_without_federation_writes_no_outbox_row(directory):
    record("regional")
    assert OutboxEntry.objects.count() == 0 and Delivery.objects.count() == 0


def test_a_bilateral_seizure_is_queued_for_the_counterpart_only_and_sealed(nodes):
    with nodes.as_node("KZ"):
        seizure = record("bilateral")
    entry = OutboxEntry.objects.get()
    assert (entry.record_type, entry.record_uuid, entry.version) == ("seizure", str(seizure.pk), 1)
    assert list(entry.deliveries.values_list("peer_id", "state")) == [("KG", "queued")]
    env = json.loads(entry.envelope)
    assert env["recipients"] == ["KG"] and "body" not in env
    assert "Курбонов" not in entry.envelope and "heroin" not in entry.envelope


def test_a_regional_seizure_goes_to_every_peer_but_never_to_itself(nodes):
    with nodes.as_node("KZ"):
        record("regional")
    entry = OutboxEntry.objects.get()
    assert sorted(entry.deliveries.values_list("peer_id", flat=True)) == ["KG", "REG", "UZ"]


def test_a_national_seizure_stays_home(nodes):
    with nodes.as_node("KZ"):
        record("national")
    assert OutboxEntry.objects.count() == 0


def test_a_refused_record_leaves_no_outbox_row(nodes):
    with nodes.as_node("KZ"), pytest.raises(ValidationError):
        seizure_record(actor=None, office="kz-kordai-blo",
                       data=data(distribution="regional", occurred_at="2099-01-01 10:00"),
                       items=ITEMS)  # fmt: skip
    assert OutboxEntry.objects.count() == 0 and Seizure.objects.count() == 0


def test_an_outbox_row_never_outlives_its_record(nodes):
    def fail():
        with transaction.atomic():
            record("regional")
            raise RuntimeError("the transaction fails after the record was saved")

    with nodes.as_node("KZ"), pytest.raises(RuntimeError):
        fail()
    assert OutboxEntry.objects.count() == 0 and Seizure.objects.count() == 0


def test_narrowing_the_distribution_withdraws_the_record_from_the_peers_that_had_it(nodes):
    with nodes.as_node("KZ"):
        seizure = record("regional")
        seizure_update(actor=None, seizure=seizure,
                       data={"distribution": "bilateral", "counterpart_country": "KG"})  # fmt: skip
    rows = {(e.record_type, e.version): sorted(e.recipients) for e in OutboxEntry.objects.all()}
    assert rows == {("seizure", 1): ["KG", "REG", "UZ"], ("seizure", 2): ["KG"],
                    ("withdrawal", 2): ["REG", "UZ"]}  # fmt: skip


def test_a_held_peer_gets_nothing_handed_over_until_released(nodes):
    from blonet.federation.models import Peer

    Peer.objects.filter(code="UZ").update(held=True)
    with nodes.as_node("KZ"):
        record("regional")
    states = dict(Delivery.objects.values_list("peer_id", "state"))
    assert states == {"KG": "queued", "REG": "queued", "UZ": "held"}


# --- ingress --------------------------------------------------------------------------------


def test_kg_applies_a_read_only_copy_that_shows_its_origin(nodes, kg_officer, uz_officer):
    made = {}
    envs = nodes.envelopes("KZ", lambda: made.update(s=record("bilateral")))
    with nodes.as_node("KG"):
        assert receive(envs[0]).state == "applied"
        copy = Seizure.objects.get(pk=made["s"].pk)
        assert copy.origin_node == "KZ" and copy.version == 1
        assert copy.items.get().commodity == "heroin"
        person = Person.objects.get()
        assert person.origin_node == "KZ" and person.full_name == "Курбонов Юсуф"
        assert Seizure.objects.visible_to(kg_officer).filter(pk=copy.pk).exists()
        assert not Seizure.objects.visible_to(uz_officer).filter(pk=copy.pk).exists()
        with pytest.raises(PermissionDenied):
            seizure_update(actor=None, seizure=copy, data={"narrative": "changed at KG"})
        receipt = OutboxEntry.objects.get(record_type="receipt")
        assert receipt.recipients == ["KZ"]
    assert AuditEvent.objects.filter(action="federation.applied").count() == 1


def test_a_copy_is_found_by_the_drivers_name_in_the_other_script(nodes, kg_officer):
    from blonet.records.search import search_q
    from blonet.records.selectors import seizure_list_visible_to

    envs = nodes.envelopes("KZ", lambda: record("bilateral"))
    with nodes.as_node("KG"):
        receive(envs[0])
        found = seizure_list_visible_to(user=kg_officer).filter(search_q("Qurbonov"))
        assert found.count() == 1


def test_a_replay_changes_nothing(nodes):
    envs = nodes.envelopes("KZ", lambda: record("bilateral"))
    with nodes.as_node("KG"):
        receive(envs[0])
        before = (Seizure.objects.count(), InboxEntry.objects.count(),
                  AuditEvent.objects.filter(action="federation.applied").count())  # fmt: skip
        for _ in range(3):
            assert receive(envs[0]).state == "duplicate"
        after = (Seizure.objects.count(), InboxEntry.objects.count(),
                 AuditEvent.objects.filter(action="federation.applied").count())  # fmt: skip
    assert before == after == (1, 1, 1)


def _versions(nodes):
    def act():
        s = record("bilateral")
        seizure_update(actor=None, seizure=s, data={"narrative": "second version"})
        seizure_delete(actor=None, seizure=s, reason="entered twice")

    return nodes.envelopes("KZ", act)


@pytest.mark.parametrize("order", list(permutations(range(3))))
def test_any_order_ends_in_the_in_order_state(nodes, order):
    envs = _versions(nodes)
    with nodes.as_node("KG"):
        for i in order:
            receive(envs[i])
        copy = Seizure.objects.get()
    assert copy.version == 3 and copy.narrative == "second version"
    assert copy.deleted_reason == "entered twice" and copy.deleted_at is not None
    assert list(InboxEntry.objects.values_list("version", "state")) == [
        (1, "applied"), (2, "applied"), (3, "applied")]  # fmt: skip


def test_a_gap_is_parked_and_asked_for_again(nodes):
    envs = _versions(nodes)
    with nodes.as_node("KG"):
        assert receive(envs[1]).state == "parked"
        ask = OutboxEntry.objects.get(record_type="resend_request")
        assert ask.recipients == ["KZ"]
        assert Seizure.objects.count() == 0


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (lambda e: e.update(version=7), "bad_signature"),
        (lambda e: e.update(recipients=["KG", "UZ"]), "bad_signature"),
        (lambda e: e.pop("signature"), "unsigned"),
        (lambda e: e.update(origin_node="TM"), "unknown_peer"),
    ],
)
def test_a_tampered_envelope_is_quarantined_audited_and_touches_nothing(nodes, tamper, reason):
    envs = nodes.envelopes("KZ", lambda: record("bilateral"))
    env = json.loads(envs[0])
    tamper(env)
    with nodes.as_node("KG"):
        assert receive(envelope.to_bytes(env)).state == "refused"
    assert Seizure.objects.count() == 0 and InboxEntry.objects.count() == 0
    q = Quarantine.objects.get()
    assert q.reason == reason
    assert AuditEvent.objects.filter(action="federation.refused", data__reason=reason).count() == 1


def test_an_envelope_for_kg_is_refused_at_uz(nodes):
    envs = nodes.envelopes("KZ", lambda: record("bilateral"))
    with nodes.as_node("UZ"):
        assert receive(envs[0]).reason == "not_recipient"
    assert Seizure.objects.count() == 0


def test_a_revoked_key_is_refused(nodes):
    from blonet.federation.models import PeerKey

    envs = nodes.envelopes("KZ", lambda: record("bilateral"))
    PeerKey.objects.filter(peer_id="KZ").update(revoked_at="2021-01-01T00:00:00+00:00")
    with nodes.as_node("KG"):
        assert receive(envs[0]).reason == "key_not_valid"


@pytest.mark.parametrize(
    "raw", [b"", b"not json", b"[]", b'{"record_type": "seizure"}', b"x" * 1_100_000]
)
def test_garbage_never_raises_and_is_quarantined(nodes, raw):
    with nodes.as_node("KG"):
        assert receive(raw, "blonet.bi-kg-kz.KZ.seizure").state == "refused"
    assert Quarantine.objects.count() == 1


def test_an_origin_cannot_overwrite_a_record_it_does_not_own(nodes):
    made = {}
    envs = nodes.envelopes("KZ", lambda: made.update(s=record("regional")))
    body_env = json.loads(envs[0])
    with nodes.as_node("UZ"):
        receive(envs[0])
    # UZ, with a valid key of its own, signs a new "version" of KZ's record and sends it to KG.
    with nodes.as_node("KG"):
        receive(envs[0])
    forged = envelope.build(
        pair=nodes.pairs["UZ"], record_type="seizure", record_uuid=body_env["record_uuid"],
        version=2, distribution="regional", recipients=["KG"], handling_codes=[],
        body={"narrative": "forged by UZ", "_prior": {"KG": 0}},
        created_at=envelope.created_at(body_env),
    )  # fmt: skip
    with nodes.as_node("KG"):
        outcome = receive(envelope.to_bytes(forged))
        assert outcome.reason == "not_owner"
        assert Seizure.objects.get(pk=made["s"].pk).narrative == ""


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sequence=st.lists(st.sampled_from([0, 1, 2]), min_size=1, max_size=9))
def test_generated_sequences_of_duplicates_and_reorderings(nodes, sequence):
    envs = _versions(nodes)
    with nodes.as_node("KG"), transaction.atomic():
        for i in sequence:
            receive(envs[i])
        _assert_in_order_state(sequence)
        transaction.set_rollback(True)


def _assert_in_order_state(sequence):
    """Versions 1..n applied once each, where n+1 is the first version that never came."""
    got = set(sequence)
    expected = 0
    while expected in got:
        expected += 1
    copy = Seizure.objects.filter().first()
    applied = AuditEvent.objects.filter(action="federation.applied").count()
    if expected == 0:
        assert copy is None and applied == 0
    else:
        assert copy is not None and copy.version == expected
        assert applied == expected  # each applied version exactly once
        if expected == 3:
            assert copy.deleted_at is not None
    states = dict(InboxEntry.objects.values_list("version", "state"))
    assert all(states[v + 1] == "applied" for v in range(expected))
    assert all(states[v + 1] == "parked" for v in got if v >= expected)


def test_resends_back_off_per_delivery(nodes):
    import datetime as dt

    from django.utils import timezone

    from blonet.federation.services.outbox import resend_unreceipted

    with nodes.as_node("KZ"):
        record("bilateral")
    d = Delivery.objects.get()
    now = timezone.now()
    Delivery.objects.filter(pk=d.pk).update(
        state="handed_over", attempts=3, last_sent_at=now - dt.timedelta(seconds=30)
    )
    # Third attempt: sent again only 4 × 10 s = 40 s after its last send.
    assert resend_unreceipted(dt.timedelta(seconds=10)) == 0
    Delivery.objects.filter(pk=d.pk).update(last_sent_at=now - dt.timedelta(seconds=41))
    assert resend_unreceipted(dt.timedelta(seconds=10)) == 1
    assert Delivery.objects.get().state == "queued"


def test_a_receipt_for_a_later_version_covers_the_earlier_ones(nodes):
    from blonet.federation.services.outbox import control_send

    with nodes.as_node("KZ"):
        s = record("bilateral")
        seizure_update(actor=None, seizure=s, data={"narrative": "v2"})
    Delivery.objects.update(state="handed_over")
    v2 = OutboxEntry.objects.get(version=2)
    got = {}

    def answer():
        entry = control_send(
            record_type="receipt", to="KZ", key="t",
            body={"type": "seizure", "record_uuid": v2.record_uuid, "version": 2,
                  "state": "applied", "reason": ""},
        )  # fmt: skip
        got["env"] = entry.envelope.encode()

    nodes.envelopes("KG", answer)
    receipt_envs = [got["env"]]
    with nodes.as_node("KZ"):
        receive(receipt_envs[0])
    assert sorted(Delivery.objects.values_list("entry__version", "state")) == [
        (1, "applied"), (2, "applied")]  # fmt: skip


# --- batches (what the consumer hands over per fetch) ---------------------------------------


def test_a_batch_is_applied_at_once_with_one_receipt(nodes, caplog):
    from blonet.federation.services.inbox import receive_batch

    made = []
    envs = nodes.envelopes(
        "KZ", lambda: made.extend(record("bilateral", narrative=f"n{i}") for i in range(5))
    )
    with nodes.as_node("KG"), caplog.at_level("INFO", logger="blonet.federation"):
        outcomes = receive_batch([(e, "") for e in [*envs, envs[0]]])
        assert [o.state for o in outcomes] == ["applied"] * 5 + ["duplicate"]
        assert "one by one" not in caplog.text  # the bulk path took it
        copies = Seizure.objects.filter(pk__in=[s.pk for s in made])
        assert sorted(c.narrative for c in copies) == [f"n{i}" for i in range(5)]
        for copy in copies:
            assert copy.origin_node == "KZ" and copy.items.get().commodity == "heroin"
            assert copy.involvements.get().person.full_name == "Курбонов Юсуф"
            assert copy.agencies.count() == made[0].agencies.count()
            assert copy.history.count() == 1 and copy.search_text
        receipts = OutboxEntry.objects.filter(record_type="receipt")
        assert receipts.count() == 1
    assert AuditEvent.objects.filter(action="federation.applied").count() == 5


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    sequence=st.lists(st.sampled_from([0, 1, 2]), min_size=1, max_size=9),
    cuts=st.sets(st.integers(1, 8), max_size=3),
)
def test_generated_batches_end_as_one_by_one_would(nodes, sequence, cuts):
    from blonet.federation.services.inbox import receive_batch

    envs = _versions(nodes)
    bounds = [0, *sorted(c for c in cuts if c < len(sequence)), len(sequence)]
    with nodes.as_node("KG"), transaction.atomic():
        for a, b in pairwise(bounds):
            receive_batch([(envs[i], "") for i in sequence[a:b]])
        _assert_in_order_state(sequence)
        transaction.set_rollback(True)


def test_an_imported_seizure_is_shared_as_one_recorded_through_the_form(nodes, kz_officer):
    from blonet.records.io.imports import import_seizures

    header = (
        "occurred_at,site,distribution,counterpart_country,commodity,quantity,unit,person1_name"
    )
    rows = [
        "2026-11-20 09:30,kz-kordai-bcp,bilateral,KG,heroin,12.5,kg,Qurbonov Yusuf",
        "2026-11-21 09:30,kz-kordai-bcp,national,,opium,1,kg,Ivanov Petr",
    ]
    content = "\r\n".join([header, *rows]).encode()
    with nodes.as_node("KZ"):
        report = import_seizures(
            actor=kz_officer, office="kz-kordai-blo", content=content,
            filename="seizures.csv", dry_run=False,
        )  # fmt: skip
        assert len(report.created) == 2
    shared = Seizure.objects.get(distribution="bilateral")
    entry = OutboxEntry.objects.get(record_type="seizure")
    assert entry.record_uuid == str(shared.pk) and entry.recipients == ["KG"]
    # The driver goes too (its sharing fields are the seizure's); the national seizure stays.
    assert OutboxEntry.objects.filter(record_type="person").count() == 1
    assert Delivery.objects.filter(entry=entry, peer_id="KG", state="queued").exists()
