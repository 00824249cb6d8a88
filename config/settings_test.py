"""Test overrides: fast hashing, in-memory mail, no manifest for static files."""

import tempfile
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
ACCOUNT_RATE_LIMITS = False
# Serve static files from the finders: tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
CONGSO_SEARCH_FRESHNESS = 0  # tests change the catalogue and search at once
# Personas sign in with client.force_login(): the two-factor requirement has its own tests.
CONGSO_STAFF_MFA_REQUIRED = False
# Refused uploads of the tests go to a temporary folder, not to the checkout's var/quarantine.
CONGSO_QUARANTINE_DIR = Path(tempfile.gettempdir()) / "congso-test-quarantine"
