"""Test tiers: plain and database tests run on SQLite and on PostgreSQL (BLONET_DATABASE_URL);
`postgres` tests only on PostgreSQL; `browser` tests need Debian's /usr/bin/chromium.

A tier whose service is missing is skipped locally but fails under BLONET_TEST_STRICT=1 (CI), so a
green CI run never hides an untested tier.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

STRICT = os.environ.get("BLONET_TEST_STRICT") == "1"
CHROMIUM = "/usr/bin/chromium"
TESTS_DIR = Path(__file__).parent


def _missing(reason: str) -> pytest.MarkDecorator:
    if STRICT:
        return pytest.mark.xfail(reason=f"STRICT: {reason}", run=False, strict=True)
    return pytest.mark.skip(reason=reason)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.db import connection

    on_postgres = connection.vendor == "postgresql"
    have_chromium = shutil.which(CHROMIUM) is not None
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(_missing("needs PostgreSQL: set BLONET_DATABASE_URL=postgres://..."))
        if "browser" in item.keywords and not have_chromium:
            item.add_marker(_missing(f"needs {CHROMIUM} (apt-get install chromium)"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under STRICT, a tier that could not run is a failure, not a skip."""
    if not STRICT:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    not_run = [r for r in reporter.stats.get("xfailed", []) if "STRICT:" in str(r.longrepr)]
    if not_run:
        reporter.write_line(f"STRICT: {len(not_run)} test(s) could not run their tier", red=True)
        session.exitstatus = 1


@pytest.fixture
def directory(db):
    """The shipped directory, loaded through the real loader."""
    from django.conf import settings

    from blonet.directory.models import Office
    from blonet.directory.services.loading import directory_load_file

    if not Office.objects.exists():
        directory_load_file(actor=None, path=Path(settings.BLONET_DIRECTORY_FILE))
    return Office.objects


@pytest.fixture
def make_user(db):
    from blonet.accounts.models import Posting, User

    def make(username: str, *, office: str | None = None, role: str = "officer", **extra) -> User:
        user = User.objects.create_user(
            username=username, password="correct-horse-battery-9", **extra
        )
        if office:
            Posting.objects.create(user=user, office_id=office, role=role)
        return user

    return make


@pytest.fixture
def kz_officer(directory, make_user):
    return make_user("kz.officer", office="kz-kordai-blo")


@pytest.fixture
def kg_officer(directory, make_user):
    return make_user("kg.officer", office="kg-ak-zhol-blo")


@pytest.fixture
def uz_officer(directory, make_user):
    return make_user("uz.officer", office="uz-oybek-blo")
