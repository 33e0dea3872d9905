"""Sessions end when idle, and a request writes the session only when its expiry has to move
(`core.middleware.SlidingSessionMiddleware`), not on every request."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

PAGE = "/directory/"  # any page that needs a signed-in user


@pytest.fixture
def clock(monkeypatch):
    """`clock.at(seconds)`: Django's clock (sessions, their expiry, the middleware) that many
    seconds after a fixed start."""
    from django.utils import timezone

    start = timezone.now()

    class Clock:
        now = start

        def at(self, seconds: float) -> None:
            self.now = start + dt.timedelta(seconds=seconds)

    c = Clock()
    monkeypatch.setattr(timezone, "now", lambda: c.now)
    return c


def get(client, *, writes: list[int]) -> int:
    """GET the page; append how many times the request wrote a session row."""
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(PAGE).status_code
    sql = [q["sql"].lower() for q in ctx.captured_queries]
    writes.append(
        sum(1 for s in sql if "django_session" in s and s.lstrip().startswith(("update", "insert")))
    )
    return status


def test_two_quick_requests_do_not_write_the_session_twice(client, kz_officer, clock):
    client.force_login(kz_officer)  # saved without the middleware's stamp
    writes: list[int] = []
    assert get(client, writes=writes) == 200
    clock.at(5)
    assert get(client, writes=writes) == 200
    clock.at(settings.BLONET_SESSION_REFRESH_SECONDS)
    assert get(client, writes=writes) == 200
    assert writes == [1, 0, 0]
    assert "sessionid" not in client.get(PAGE).cookies  # no Set-Cookie either


def test_an_idle_session_still_expires(client, kz_officer, clock):
    age = settings.SESSION_COOKIE_AGE
    client.force_login(kz_officer)
    writes: list[int] = []
    assert get(client, writes=writes) == 200  # saved now: ends at `age`
    clock.at(age - 1)
    assert get(client, writes=writes) == 200  # an hour's worth of use moves it on
    clock.at(2 * age - 2)
    assert get(client, writes=writes) == 200
    clock.at(3 * age)  # idle for longer than `age`
    assert get(client, writes=writes) == 302  # to the sign-in page
    assert writes == [1, 1, 1, 0]  # and the ended session is not brought back
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(expire_date__gt=clock.now).exists()


def test_it_ends_at_most_the_refresh_window_early(client, kz_officer, clock):
    age, window = settings.SESSION_COOKIE_AGE, settings.BLONET_SESSION_REFRESH_SECONDS
    client.force_login(kz_officer)
    writes: list[int] = []
    get(client, writes=writes)  # saved at 0
    clock.at(window - 1)
    get(client, writes=writes)  # not saved: the expiry would move by less than the window
    clock.at(age + 1)  # idle for `age - window + 2` seconds only, but `age` since the save
    assert get(client, writes=writes) == 302
    assert writes == [1, 0, 0]


def test_signing_out_and_anonymous_requests_write_no_session(client, kz_officer, clock):
    writes: list[int] = []
    assert get(client, writes=writes) == 302  # no cookie: no session is made
    client.force_login(kz_officer)
    get(client, writes=writes)
    client.post("/accounts/logout/")
    assert get(client, writes=writes) == 302
    assert writes == [0, 1, 0]
