"""The access rule as a matrix, logins, lockout, MFA enforcement and CSRF."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from tests.helpers import totp_code

from blonet.accounts.models import Posting, User
from blonet.accounts.services import posting_create
from blonet.audit.models import AuditEvent
from blonet.core.access import AccessContext, shared_visibility_q
from blonet.core.errors import PermissionDenied

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-9"


def test_access_context_from_postings(kz_officer):
    ctx = kz_officer.access_context()
    assert ctx.office_ids == {"kz-kordai-blo"}
    assert ctx.country_codes == {"KZ"}
    assert ctx.regional_member is True
    assert ctx.roles == {"officer"}


def test_staff_lists_are_national(kz_officer, kg_officer, make_user):
    colleague = make_user("kz.colleague", office="kz-kordai-blo")
    visible_to_kz = set(
        Posting.objects.visible_to(kz_officer).values_list("user__username", flat=True)
    )
    visible_to_kg = set(
        Posting.objects.visible_to(kg_officer).values_list("user__username", flat=True)
    )
    assert visible_to_kz == {"kz.officer", colleague.username}
    assert visible_to_kg == {"kg.officer"}
    assert not Posting.objects.visible_to(None).exists()


def test_office_page_hides_foreign_staff(client, kz_officer, kg_officer):
    client.force_login(kg_officer)
    page = client.get(reverse("directory:office_detail", args=["kz-kordai-blo"]))
    assert page.status_code == 200
    assert "kz.officer" not in page.content.decode()
    assert "not shared" in page.content.decode()
    client.force_login(kz_officer)
    assert (
        "kz.officer"
        in client.get(reverse("directory:office_detail", args=["kz-kordai-blo"])).content.decode()
    )


@pytest.mark.parametrize(
    ("distribution", "owner_country", "counterpart", "viewer", "visible"),
    [
        ("office", "KZ", "", {"office": "o1", "agency": "a1", "country": "KZ"}, True),
        ("office", "KZ", "", {"office": "o2", "agency": "a1", "country": "KZ"}, False),
        ("agency", "KZ", "", {"office": "o2", "agency": "a1", "country": "KZ"}, True),
        ("agency", "KZ", "", {"office": "o3", "agency": "a2", "country": "KZ"}, False),
        ("national", "KZ", "", {"office": "o3", "agency": "a2", "country": "KZ"}, True),
        ("national", "KZ", "", {"office": "o9", "agency": "a9", "country": "KG"}, False),
        ("bilateral", "KZ", "KG", {"office": "o9", "agency": "a9", "country": "KG"}, True),
        ("bilateral", "KZ", "KG", {"office": "o8", "agency": "a8", "country": "UZ"}, False),
        ("regional", "KZ", "", {"office": "o8", "agency": "a8", "country": "UZ"}, True),
        ("regional", "KZ", "", {"office": "o7", "agency": "a7", "country": "AF"}, False),
        ("all", "KZ", "", {"office": "o7", "agency": "a7", "country": "AF"}, True),
    ],
)
def test_shared_visibility_rule(distribution, owner_country, counterpart, viewer, visible):
    """The rule evaluated on an in-memory row: owner office o1 of agency a1 in owner_country."""
    ctx = AccessContext.build(
        offices=[(viewer["office"], viewer["agency"], viewer["country"], "officer")], clearance=1
    )
    row = {
        "distribution": distribution,
        "owner_office": "o1",
        "owner_agency": "a1",
        "owner_country": owner_country,
        "counterpart_country": counterpart,
        "classification": 1,
    }
    assert _matches(shared_visibility_q(ctx), row) is visible
    row["classification"] = 2  # above the viewer's clearance
    assert _matches(shared_visibility_q(ctx), row) is False
    assert _matches(shared_visibility_q(AccessContext.anonymous()), row) is False


def _matches(q, row) -> bool:
    """Evaluate a Q of exact/__in/__lte lookups against a dict (no table needed)."""
    if not isinstance(q, tuple) and hasattr(q, "children"):
        results = [_matches(child, row) for child in q.children]
        value = all(results) if q.connector == "AND" else any(results)
        return not value if q.negated else value
    key, expected = q
    field, _, lookup = key.partition("__")
    actual = row.get(field)
    if lookup == "in":
        return actual in set(expected)
    if lookup == "lte":
        return actual <= expected
    return actual == expected


def test_posting_changes_need_node_admin_and_are_audited(kz_officer, make_user):
    admin = make_user("node.admin", office="uz-oybek-blo", role="node_admin")
    target = make_user("someone")
    with pytest.raises(PermissionDenied):
        posting_create(actor=kz_officer, user=target, office_id="kz-kordai-blo", role="officer")
    assert not Posting.objects.filter(user=target).exists()
    posting_create(actor=admin, user=target, office_id="kz-kordai-blo", role="officer")
    event = AuditEvent.objects.get(action="accounts.posting.created", data__user=target.pk)
    assert event.actor_id == admin.pk


def login(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": username, "password": password})


def test_login_and_failed_login_are_audited(client, kz_officer):
    assert login(client, "kz.officer", "wrong-password").status_code == 200
    assert AuditEvent.objects.filter(
        action="accounts.login_failed", data__username="kz.officer"
    ).exists()
    response = login(client, "kz.officer")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="accounts.login", actor=kz_officer).exists()


def test_lockout_after_five_failures(client, kz_officer):
    for _ in range(5):
        login(client, "kz.officer", "wrong-password")
    locked = login(client, "kz.officer")  # even the right password is refused now
    assert locked.status_code == 429
    assert "locked" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(BLONET_REQUIRE_MFA=True)
def test_mfa_required_until_totp_is_set_up(client, kz_officer):
    login(client, "kz.officer")
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    api = client.get("/api/v1/directory/offices/")
    assert api.status_code == 403 and api.json()["error"]["code"] == "mfa_required"


@override_settings(BLONET_REQUIRE_MFA=True)
def test_programme_viewer_needs_no_mfa(client, directory, make_user):
    make_user("viewer", office="uz-unodc-roca-hq", role="programme_viewer")
    login(client, "viewer")
    assert client.get(reverse("home")).status_code == 200


@override_settings(BLONET_REQUIRE_MFA=True)
def test_login_with_totp(client, kz_officer):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(kz_officer, secret)
    response = login(client, "kz.officer")
    assert response.status_code == 302 and "2fa" in response["Location"]
    assert client.get(reverse("home")).status_code == 302  # not signed in yet
    bad = client.post(
        response["Location"], {"code": "000000" if totp_code(secret) != "000000" else "111111"}
    )
    assert bad.status_code == 200
    assert (
        AuditEvent.objects.filter(
            action="accounts.mfa_failed", target_id=str(kz_officer.pk)
        ).exists()
        and "_auth_user_id" not in client.session
    )
    code = totp_code(secret)
    client.post(response["Location"], {"code": code})
    assert client.get(reverse("home")).status_code == 200


def test_forged_csrf_token_is_refused_and_audited(kz_officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(kz_officer)
    response = client.post(
        reverse("set_language"), {"language": "ru", "csrfmiddlewaretoken": "forged"}
    )
    assert response.status_code == 403
    assert "did not come from this site" in response.content.decode()
    assert AuditEvent.objects.filter(action="security.csrf_rejected").exists()


def test_user_model_is_custom():
    assert User._meta.label == "accounts.User"


def test_admin_posting_changes_are_audited(client, directory, make_user):
    admin = make_user("root", is_staff=True, is_superuser=True)
    target = make_user("target")
    client.force_login(admin)
    url = reverse("admin:accounts_user_change", args=[target.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        k: v for k, v in form.initial.items() if v is not None and not isinstance(v, (list, dict))
    }
    data.update(
        {
            "username": "target",
            "clearance": "1",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "postings-TOTAL_FORMS": "1",
            "postings-INITIAL_FORMS": "0",
            "postings-0-office": "kz-kordai-blo",
            "postings-0-role": "officer",
            "postings-0-starts": "2026-01-01",
        }
    )
    data.pop("password", None)
    data.pop("last_login", None)
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else ""
    )
    assert Posting.objects.filter(user=target, office_id="kz-kordai-blo").exists()
    assert AuditEvent.objects.filter(action="accounts.posting.created", actor=admin).count() == 1


def test_mfa_set_up_is_audited(kz_officer):
    from allauth.mfa import signals as mfa_signals
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    totp = TOTP.activate(kz_officer, generate_totp_secret())
    mfa_signals.authenticator_added.send(
        sender=type(totp.instance), request=None, user=kz_officer, authenticator=totp.instance
    )
    event = AuditEvent.objects.get(action="accounts.mfa_added")
    assert event.actor_id == kz_officer.pk
    assert event.data == {"authenticator": "totp"}
