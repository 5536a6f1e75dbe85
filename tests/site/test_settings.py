"""Production settings come from the environment and pass Django's deployment checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "yunfu.settings.production",
    "SECRET_KEY": "x7Q9mZ2vL4pR8sT1wY6bN3cF5hJ0kD7gA2eU9iO4lP6qW8rE1tY3uI5oP7aS9dF",
    "ID_HASH_KEY": "a-long-random-key-kept-with-the-registry",
    "REGISTRY_ENCRYPTION_KEYS": "q1Xq5oZ0m8aJ3vTQ0zv3WlZ9y2cQm1F0hX8o2w7lN4E=",
    "ALLOWED_HOSTS": "train.yunfu.example",
    "DATABASE_URL": "postgres://yunfu@127.0.0.1:5432/yunfu",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "WAGTAILADMIN_BASE_URL": "https://train.yunfu.example",
    "SECURE_HSTS_PRELOAD": "true",
    # No provider's class exists in this repository; the refusal is tested below.
    "SMS_LOG_BACKEND_ALLOWED": "true",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=clean | env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def test_check_deploy_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_with_the_log_sms_backend_unless_told():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SMS_LOG_BACKEND_ALLOWED"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SMS_LOG_BACKEND_ALLOWED" in result.stderr
    allowed = manage("check", env=env | {"SMS_LOG_BACKEND_ALLOWED": "true"})
    assert allowed.returncode == 0, allowed.stderr


SSL_REDIRECTS = """
import json
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory

middleware = SecurityMiddleware(lambda request: HttpResponse("ok"))
factory = RequestFactory(HTTP_HOST="train.yunfu.example")
answers = {}
for path in ("/healthz/", "/", "/healthz/x/"):
    response = middleware.process_request(factory.get(path))
    answers[path] = response and response.status_code
print(json.dumps(answers))
"""


def test_production_redirects_plain_http_to_https_except_the_health_check():
    """A proxy's or supervisor's probe asks /healthz/ over plain HTTP and needs its "ok"."""
    result = manage("shell", "-c", SSL_REDIRECTS, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr

    answers = json.loads(result.stdout.strip().splitlines()[-1])

    assert answers == {"/healthz/": None, "/": 301, "/healthz/x/": 301}
