"""The node administrator's federation page, egress holds, and a copy's page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from blonet.audit.models import AuditEvent
from blonet.federation.models import Delivery, Peer
from blonet.federation.services.inbox import receive
from tests.federation.nodes import Nodes
from tests.federation.test_services import record
from tests.records.sections import page_with_sections

pytestmark = pytest.mark.django_db


@pytest.fixture
def nodes(directory, tmp_path):
    n = Nodes(tmp_path)
    n.peers()
    return n


@pytest.fixture
def kz_admin(make_user):
    return make_user("kz.admin", office="kz-situation-centre-placeholder-sc", role="node_admin")


def test_only_node_administrators_see_the_page(client, nodes, kz_officer, kz_admin):
    client.force_login(kz_officer)
    assert client.get(reverse("federation:status")).status_code == 404
    client.force_login(kz_admin)
    with nodes.as_node("KZ"):
        page = client.get(reverse("federation:status"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-peer="KG"' in html and 'data-peer="KZ"' in html  # the shared test table
    assert 'data-testid="nav-federation"' in html


def test_hold_needs_a_reason_then_keeps_the_queue_here_until_release(client, nodes, kz_admin):
    client.force_login(kz_admin)
    with nodes.as_node("KZ"):
        record("regional")
        url = reverse("federation:hold", args=["UZ"])
        assert client.post(url, {"reason": ""}).status_code == 302
        assert not Peer.objects.get(code="UZ").held
        client.post(url, {"reason": "Legal review of the MoU"})
        assert Delivery.objects.get(peer_id="UZ").state == "held"
        queue = client.get(reverse("federation:status"), {"tab": "queue", "peer": "UZ"})
        assert "Held at egress" in queue.content.decode()
        client.post(reverse("federation:release", args=["UZ"]))
        assert Delivery.objects.get(peer_id="UZ").state == "queued"
    wanted = ["federation.peer_held", "federation.peer_released"]
    actions = list(AuditEvent.objects.filter(action__in=wanted).values_list("action", flat=True))
    assert actions == wanted


def test_an_officer_cannot_hold_traffic(client, nodes, kz_officer):
    client.force_login(kz_officer)
    assert client.post(reverse("federation:hold", args=["UZ"]), {"reason": "x"}).status_code == 404
    assert not Peer.objects.get(code="UZ").held


def test_each_tab_renders_with_and_without_rows(client, nodes, kz_admin):
    client.force_login(kz_admin)
    with nodes.as_node("KG"):
        receive(b"garbage", "blonet.bi-kg-kz.KZ.seizure")
        for tab in ("peers", "queue", "inbox", "refused"):
            page = client.get(reverse("federation:status"), {"tab": tab, "page": "x"})
            assert page.status_code == 200
        refused = client.get(reverse("federation:status"), {"tab": "refused"}).content.decode()
    assert "malformed envelope" in refused


def test_a_copy_says_where_it_came_from_and_offers_no_edit(client, nodes, kg_officer):
    made = {}
    envs = nodes.envelopes("KZ", lambda: made.update(s=record("bilateral")))
    client.force_login(kg_officer)
    with nodes.as_node("KG"):
        receive(envs[0])
        html = page_with_sections(client, reverse("records:seizure_detail", args=[made["s"].pk]))
        assert 'data-testid="copy-from"' in html and "node KZ" in html
        edit = client.get(reverse("records:seizure_edit", args=[made["s"].pk]))
    assert edit.status_code in (403, 404)


def test_the_owners_page_shows_the_fate_at_each_peer(client, nodes, kz_officer):
    client.force_login(kz_officer)
    with nodes.as_node("KZ"):
        s = record("bilateral")
        html = page_with_sections(client, reverse("records:seizure_detail", args=[s.pk]))
    assert 'data-testid="federation-section"' in html and "Queued" in html
