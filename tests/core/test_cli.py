"""The console script, and Django's deployment checks with production-like variables."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from blonet import __version__


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from blonet.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={
            k: v
            for k, v in {**os.environ, **(env or {})}.items()
            if k != "DJANGO_ALLOW_ASYNC_UNSAFE"
        },
    )


def test_version_works_without_django():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.modules['django'] = None; "
            "from blonet.cli import main; main(['version'])",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"blonet {__version__}"


@pytest.mark.django_db
def test_check_deploy_is_clean_with_production_variables(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("x" * 64 + "-production-secret-key-with-enough-entropy-9f8e7d6c5b4a")
    env = {
        "DJANGO_SETTINGS_MODULE": "blonet.settings",
        "BLONET_SECRET_KEY_FILE": str(secret),
        "BLONET_ALLOWED_HOSTS": "blonet.example.org",
        "BLONET_SSL_REDIRECT": "1",
        "BLONET_HSTS_SECONDS": "31536000",
        "BLONET_SECURE_COOKIES": "1",
        "BLONET_VAR_DIR": str(tmp_path),
    }
    result = run("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
