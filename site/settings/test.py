"""The test suite: SQLite by default, PostgreSQL when DATABASE_URL says so."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-secret-key"
ID_HASH_KEY = "test-only-id-hash-key"
REGISTRY_ENCRYPTION_KEYS = ["dGVzdC1vbmx5LWtleS1mb3ItcmVnaXN0cnktaWRzLTA="]
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SMS_BACKEND = env("SMS_BACKEND", default="accounts.sms.MemorySMSBackend")
WAGTAILADMIN_BASE_URL = "http://testserver"
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default=None)}  # noqa: F405
