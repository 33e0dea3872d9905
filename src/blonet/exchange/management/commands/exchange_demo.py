"""Seed a few realistic threads between the demo offices (idempotent). For `make demo` only:
run after `demo_setup`."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from blonet.exchange.models import Thread
from blonet.exchange.services import (
    forward_permission_request,
    message_acknowledge,
    message_send,
    overdue_scan,
    rfi_answer,
)

KORDAI, AK_ZHOL, DOSTUK = "kz-kordai-blo", "kg-ak-zhol-blo", "kg-dostuk-blo"
OYBEK, FOTEHOBOD, CARICC = "uz-oybek-blo", "tj-fotehobod-blo", "kz-caricc-rc"
# Situation-centre duty officers, so that the demo shows the national supervisor's view.
SC_USERS = [
    (
        "sc.kazakhstan",
        "Demo duty officer, Situation Centre (KZ)",
        "kz-situation-centre-placeholder-sc",
    ),
    (
        "sc.kyrgyzstan",
        "Demo duty officer, Situation Centre (KG)",
        "kg-situation-centre-placeholder-sc",
    ),
]
DEMO_PASSWORD = "blonet-demo-2026"  # noqa: S105 - the documented demo password, local only


def _ago(**delta: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(**delta)


class Command(BaseCommand):
    help = "Create demo threads between Kordai, Ak-Zhol, Oybek and CARICC (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        from blonet.accounts.models import Posting, User
        from blonet.accounts.services import posting_create

        users = {u.username: u for u in User.objects.filter(username__in=[
            "officer.kordai", "officer.akzhol", "officer.oybek", "analyst"])}  # fmt: skip
        if len(users) < 4:
            raise CommandError("the demo users are missing: run `blonet demo_setup` first")
        password = os.environ.get("BLONET_DEMO_PASSWORD", DEMO_PASSWORD)
        for username, display, office in SC_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"display_name": display}
            )
            if created:
                user.set_password(password)
                user.save()
            if not Posting.objects.filter(user=user, office_id=office).exists():
                posting_create(actor=None, user=user, office_id=office, role="officer")
        kordai, akzhol = users["officer.kordai"], users["officer.akzhol"]
        oybek, analyst = users["officer.oybek"], users["analyst"]
        made = 0
        for key, build in self._threads(kordai, akzhol, oybek, analyst):
            if Thread.objects.filter(import_key=key).exists():
                continue
            with transaction.atomic():
                build(key)
            made += 1
        flagged, escalated = overdue_scan()
        self.stdout.write(
            f"exchange demo: {made} thread(s) created, {flagged} overdue, {escalated} escalated; "
            f"situation-centre logins: {', '.join(u for u, _, _ in SC_USERS)}"
        )

    def _threads(
        self, kordai: Any, akzhol: Any, oybek: Any, analyst: Any
    ) -> list[tuple[str, Callable[[str], None]]]:
        def truck(key: str) -> None:
            sent = _ago(hours=2)
            alert = message_send(
                actor=kordai, office=KORDAI, recipients=[AK_ZHOL], kind="alert",
                subject="MAN truck towards Ak-Zhol, heroin suspected", priority="immediate",
                template="vehicle_alert", structured={
                    "plate": "01 KG 123 ABC", "vehicle_country": "KG", "make_model": "MAN TGX",
                    "colour": "white", "driver": "Қурбонов Юсуф", "commodity": "heroin",
                    "place": "Left Kordai towards the border at 14:05",
                    "expected_at": (sent + dt.timedelta(hours=1)).isoformat(),
                },
                body="Scanner image irregular behind the cab. Please inspect on arrival.",
                sharing={"handling_codes": ["H2"], "source_reliability": "B",
                         "information_accuracy": "2"},
                language="en", now=sent, import_key=key,
            )  # fmt: skip
            message_acknowledge(
                actor=akzhol, message=alert, office=AK_ZHOL, now=sent + dt.timedelta(minutes=6)
            )
            forward_permission_request(
                actor=akzhol, message=alert, office=AK_ZHOL, targets=[DOSTUK],
                reason="Водитель может свернуть на Достук.", now=sent + dt.timedelta(minutes=20),
            )  # fmt: skip

        def driver(key: str) -> None:
            sent = _ago(hours=26)
            request = message_send(
                actor=kordai, office=KORDAI, recipients=[AK_ZHOL], kind="rfi",
                subject="Driver check before the post", priority="urgent",
                template="person_check", structured={
                    "full_name": "Qurbonov Yusuf", "dob": "1985-03-02", "nationality": "TJ",
                    "plate": "01 KG 123 ABC",
                },
                body="Is the driver known to you? Previous crossings this year?",
                language="en", now=sent, import_key=key,
            )  # fmt: skip
            rfi_answer(
                actor=akzhol, message=request, office=AK_ZHOL, language="ru",
                body="Известен: задерживался в 2025 году (гашиш, 3 кг). "
                "Три пересечения в этом году.",
                sharing={"source_reliability": "A", "information_accuracy": "2"},
                now=sent + dt.timedelta(hours=3, minutes=10),
            )  # fmt: skip

        def bus(key: str) -> None:
            message_send(
                actor=akzhol, office=AK_ZHOL, recipients=[KORDAI], kind="rfi",
                subject="Passenger bus from Osh: two passengers", priority="immediate",
                template="person_check",
                structured={"full_name": "Алиев Рустам", "nationality": "KG"},
                body="Просим проверить по вашим учётам до прибытия автобуса.",
                language="ru", now=_ago(hours=13), import_key=key,
            )  # fmt: skip

        def joint(key: str) -> None:
            message_send(
                actor=oybek, office=OYBEK, recipients=[FOTEHOBOD], kind="joint_action",
                subject="Controlled delivery proposal, Oybek–Fotehobod", priority="routine",
                body="Proposal for a controlled delivery next week; details by phone.",
                language="uz", now=_ago(days=1), import_key=key,
            )  # fmt: skip

        def summary(key: str) -> None:
            message_send(
                actor=kordai, office=KORDAI, recipients=[CARICC], kind="correspondence",
                subject="November alerts, Kordai", body="12 alerts sent, 9 acknowledged within "
                "15 minutes. Details in the attached summary (to follow).",
                sharing={"distribution": "regional"}, language="en", now=_ago(days=3),
                import_key=key,
            )  # fmt: skip

        return [
            ("demo:truck", truck),
            ("demo:driver", driver),
            ("demo:bus", bus),
            ("demo:joint", joint),
            ("demo:summary", summary),
        ]
