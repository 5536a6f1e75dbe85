"""Production: every secret and service address comes from the environment, no defaults."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ID_HASH_KEY = env("ID_HASH_KEY")
REGISTRY_ENCRYPTION_KEYS = env.list("REGISTRY_ENCRYPTION_KEYS")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A kept connection is checked before reuse, so a PostgreSQL restart costs a reconnect,
# not one failed request per web worker.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
CACHES = {"default": env.cache("CACHE_URL")}
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The log backend writes every verification code into the worker's log. A server may
# run without a provider only when someone has said so on purpose.
SMS_LOG_BACKEND_ALLOWED = env.bool("SMS_LOG_BACKEND_ALLOWED", default=False)
if SMS_BACKEND == "accounts.sms.LogSMSBackend" and not SMS_LOG_BACKEND_ALLOWED:  # noqa: F405
    raise ImproperlyConfigured(
        "SMS_BACKEND is the log backend, which writes verification codes to the log. "
        "Set SMS_BACKEND to a provider's class, or SMS_LOG_BACKEND_ALLOWED=true to run "
        "without one on purpose."
    )

# SECURITY
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# A proxy or supervisor probes the health check over plain HTTP, inside the host; a
# redirect to HTTPS would be no answer. (Django matches the path without its leading /.)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 30)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True

# STATIC
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

# Wagtail's live preview shows the page in a same-origin iframe, so frames stay SAMEORIGIN.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
