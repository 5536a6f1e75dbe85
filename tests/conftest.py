"""Fixtures for every test.

Browser tests drive Debian's Chromium through Playwright against the site as `make run`
serves it: a real ``runserver`` in its own process with the dev settings, migrated and
seeded with ``seed_demo`` into a database of its own, so a test sees what a newcomer sees.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.support import CHROMIUM, PHONE, ROOT, require


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(tmp: Path) -> tuple[str, callable]:
    """A database for the server, of the same kind as the one the suite runs on."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return f"sqlite:///{tmp / 'browser.sqlite3'}", lambda: None
    import psycopg

    name = f"yunfu_browser_{uuid.uuid4().hex[:8]}"
    admin = f"host={db['HOST']} port={db['PORT']} user={db['USER']} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"
    return url, drop


class Server:
    def __init__(self, url: str, log: Path, env: dict):
        self.url = url
        self.log = log
        self.env = env

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def manage(self, *args: str) -> str:
        """Run a management command on the server's database (say, ``shell -c``); its output."""
        command = [sys.executable, str(ROOT / "manage.py"), *args]
        return subprocess.run(
            command, env=self.env, check=True, capture_output=True, text=True
        ).stdout


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("server")
    database_url, drop = _database_url(tmp)
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "yunfu.settings.dev",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(tmp / "media"),
        "PRIVATE_UPLOAD_ROOT": str(tmp / "private"),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("CELERY_BROKER_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True, capture_output=True)
    subprocess.run([*manage, "seed_demo"], env=env, check=True, capture_output=True)
    port = _free_port()
    log = tmp / "server.log"
    process = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            break
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    else:
        process.terminate()
        pytest.fail("runserver did not answer")
    if process.poll() is not None:
        pytest.fail(f"runserver exited:\n{log.read_text()}")
    yield Server(url, log, env)
    process.terminate()
    process.wait(timeout=30)
    drop()


@pytest.fixture(scope="session")
def browser():
    require(Path(CHROMIUM).exists(), f"Debian's chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, server):
    """A page in a phone-sized window, in Chinese; relative URLs go to the seeded server.
    Anything the Content-Security-Policy blocked on its pages fails the test (Chromium
    reports each block as a console error)."""
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN", base_url=server.url
    )
    page = context.new_page()
    blocked = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and blocked.append(message.text),
    )
    yield page
    context.close()
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_UPLOAD_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the page cache (courses.caching) would
    otherwise serve one test the pages another test's data made."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def private_root(settings):
    """Where this test's uploaded sheets are kept (a temp folder, see above)."""
    return settings.PRIVATE_UPLOAD_ROOT


# THE SECOND DATABASE
# scripts/test.sh runs the suite on SQLite, then with --database-only on PostgreSQL. The
# second run takes what may behave differently on another database: tests that use one
# (pytest-django's marker or fixtures) and tests that say which database they need (a
# skipif). Pure logic and the browser tests (pages, checked on the first run's server)
# run once.
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
    "admin_user",
    "admin_client",
}


def pytest_addoption(parser):
    parser.addoption(
        "--database-only",
        action="store_true",
        help="only the tests a change of database can affect (the suite's second run)",
    )


def depends_on_the_database(item) -> bool:
    if item.get_closest_marker("browser") is not None:
        return False
    return (
        item.get_closest_marker("django_db") is not None
        or item.get_closest_marker("skipif") is not None
        or bool(DATABASE_FIXTURES & set(item.fixturenames))
    )


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--database-only"):
        return
    kept = [item for item in items if depends_on_the_database(item)]
    left = [item for item in items if not depends_on_the_database(item)]
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept
