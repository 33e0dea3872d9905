"""Create one demo user per role (idempotent) and print their logins. For `make demo` only."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from blonet.accounts.choices import Role
from blonet.accounts.models import Posting, User
from blonet.accounts.services import posting_create

DEMO_PASSWORD = "blonet-demo-2026"  # noqa: S105 - printed on purpose: demo data, local only

# (username, display name, office id, role, is_staff)
DEMO_USERS: list[tuple[str, str, str, str, bool]] = [
    ("officer.kordai", "Demo officer, Kordai BLO (KZ)", "kz-kordai-blo", Role.OFFICER, False),
    ("officer.akzhol", "Demo officer, Ak-Zhol BLO (KG)", "kg-ak-zhol-blo", Role.OFFICER, False),
    ("officer.oybek", "Demo officer, Oybek BLO (UZ)", "uz-oybek-blo", Role.OFFICER, False),
    ("analyst", "Demo analyst, CARICC", "kz-caricc-rc", Role.ANALYST, False),
    (
        "coordinator",
        "Demo coordinator, Operations Coordination Team (UZ)",
        "uz-operations-coordination-team",
        Role.COORDINATOR,
        False,
    ),
    (
        "programme.manager",
        "Demo programme manager, UNODC ROCA",
        "uz-unodc-roca-hq",
        Role.PROGRAMME_MANAGER,
        False,
    ),
    (
        "programme.viewer",
        "Demo programme viewer, UNODC ROCA",
        "uz-unodc-roca-hq",
        Role.PROGRAMME_VIEWER,
        False,
    ),
    (
        "admin",
        "Demo node administrator (UZ)",
        "uz-situation-centre-placeholder-sc",
        Role.NODE_ADMIN,
        True,
    ),
]


# One node of the federation lab: its own officers and a node administrator of its own.
NODE_USERS: dict[str, list[tuple[str, str, str, str, bool]]] = {
    "KZ": [DEMO_USERS[0],
           ("admin.kz", "Demo node administrator (KZ)", "kz-situation-centre-placeholder-sc",
            Role.NODE_ADMIN, True)],
    "KG": [DEMO_USERS[1],
           ("admin.kg", "Demo node administrator (KG)", "kg-situation-centre-placeholder-sc",
            Role.NODE_ADMIN, True)],
    "UZ": [DEMO_USERS[2],
           ("admin.uz", "Demo node administrator (UZ)", "uz-situation-centre-placeholder-sc",
            Role.NODE_ADMIN, True)],
    "REG": [DEMO_USERS[3],
            ("admin.reg", "Demo node administrator (regional centre)", "kz-caricc-rc",
             Role.NODE_ADMIN, True)],
}  # fmt: skip


class Command(BaseCommand):
    help = "Create or refresh one demo user per role, posted to a real office, and print logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--node", choices=sorted(NODE_USERS), help="Only the users of one federation lab node."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from blonet.directory.models import Office

        users = NODE_USERS[options["node"]] if options.get("node") else DEMO_USERS
        password = os.environ.get("BLONET_DEMO_PASSWORD", DEMO_PASSWORD)
        missing = [o for _, _, o, _, _ in users if not Office.objects.filter(pk=o).exists()]
        if missing:
            raise CommandError(
                f"offices missing from the directory: {', '.join(missing)} (run directory_load)"
            )
        rows = []
        with transaction.atomic():
            for username, display, office_id, role, staff in users:
                user, _ = User.objects.get_or_create(username=username)
                user.display_name = display
                user.is_staff = staff
                user.is_superuser = staff
                user.set_password(password)
                user.save()
                if not Posting.objects.filter(user=user, office_id=office_id, role=role).exists():
                    posting_create(actor=None, user=user, office_id=office_id, role=role)
                rows.append((username, str(Role(role).label), office_id))
        if options["verbosity"] == 0:
            return
        width = max(len(r[0]) for r in rows)
        self.stdout.write(f"Demo logins (password for all: {password})")
        for username, role_label, office_id in rows:
            self.stdout.write(f"  {username.ljust(width)}  {role_label} — {office_id}")
