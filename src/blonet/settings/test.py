"""Settings for the test suite: the production settings with test-friendly overrides.

Static files are served from their sources (no collectstatic), cookies work over plain HTTP on
loopback, passwords hash fast and MFA enforcement is off unless a test turns it on; CSRF,
CSP and axes stay as in production.
"""

from blonet.settings.base import *  # noqa: F403
from blonet.settings.base import STORAGES

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Page and API tests sign in with force_login; the MFA tests switch enforcement on explicitly.
BLONET_REQUIRE_MFA = False
# The live server thread must not keep connections open past a test (PostgreSQL teardown).
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
