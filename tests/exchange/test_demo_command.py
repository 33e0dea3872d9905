"""`blonet exchange_demo` seeds the demo threads once; a second run adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_exchange_demo_is_idempotent(directory):
    from blonet.exchange.models import Message, Recipient, Thread

    call_command("demo_setup", stdout=StringIO())
    out = StringIO()
    call_command("exchange_demo", stdout=out)
    assert out.getvalue().startswith("exchange demo: 5 thread(s) created, 1 overdue, 1 escalated")
    counts = (Thread.objects.count(), Message.objects.count(), Recipient.objects.count())
    assert counts == (5, 6, 6)
    answered = Recipient.objects.get(message__kind="rfi", office_id="kg-ak-zhol-blo")
    assert answered.response_seconds == 3 * 3600 + 10 * 60
    again = StringIO()
    call_command("exchange_demo", stdout=again)
    assert again.getvalue().startswith("exchange demo: 0 thread(s) created, 0 overdue, 0 escalated")
    assert (Thread.objects.count(), Message.objects.count(), Recipient.objects.count()) == counts


def test_exchange_demo_needs_the_demo_users(directory):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="run `blonet demo_setup` first"):
        call_command("exchange_demo", stdout=StringIO())
