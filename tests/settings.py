"""Test settings: the real settings, read from the same environment.

DATABASE_URL and REDIS_URL select PostgreSQL and Redis exactly as in
production; without them the suite runs on SQLite and the filesystem broker.
"""

from __future__ import annotations

import os
import tempfile

# Allows the development secret key; pytest-django turns DEBUG off again for
# every test, as Django's own runner does.
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("REKAN_VAR_DIR", tempfile.mkdtemp(prefix="rekan-test-var-"))

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# In-process tasks for view tests; tests/test_celery.py runs a real worker.
CELERY_TASK_ALWAYS_EAGER = True
# Tests read the context of the pages they open and count the statements a page is built from: pages are
# built every time, except in tests/accounts/test_page_cache.py, which turns keeping on.
PAGE_CACHE_SECONDS = 0
