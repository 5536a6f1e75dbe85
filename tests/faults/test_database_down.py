"""PostgreSQL stopped under a working site: a PostgreSQL cluster of the test's own (on a
free port, in a temporary folder), migrated, with gunicorn on production settings, a
worker and a Redis of its own in front of it.

The database is stopped like a crash while a registry check is at work, a second check
arrives while it is down, and then it comes back. Nobody restarts gunicorn or the worker:
both checks must end checked once, and the site must answer as before.
"""

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest
from celery import Celery
from django.db import connection

from sheets import claims
from sheets.tasks import check_upload_task
from tests.faults.conftest import OwnRedis, Worker, free_port, wait_for
from tests.faults.registry import ROWS, big_registry_csv
from tests.site.test_settings import PRODUCTION_ENV
from tests.support import require

pytestmark = [
    pytest.mark.worker,
    # It brings its own database; once per test command is enough.
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="run with the PostgreSQL half of the suite"
    ),
]
ROOT = Path(__file__).resolve().parents[2]
PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


class OwnPostgres:
    def __init__(self):
        # Not under pytest's tmp_path: the server runs as "postgres" when we are root,
        # and must be able to reach its folder.
        self.dir = Path(tempfile.mkdtemp(prefix="yunfu-faults-pg-"))
        os.chmod(self.dir, 0o755)
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/yunfu"
        self.bin = Path(PG_BIN[-1])

    def _as_owner(self, *command):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run([*prefix, *map(str, command)], check=True, capture_output=True)

    def init(self):
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self._as_owner(self.bin / "initdb", "-D", self.dir / "data", "-A", "trust",
                       "-U", "postgres", "--no-sync")  # fmt: skip
        self.start()
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres", autocommit=True
        ) as c:
            c.execute("CREATE DATABASE yunfu")

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_owner(self.bin / "pg_ctl", "-D", self.dir / "data", "-o", options,
                       "-l", self.dir / "log", "-w", "start")  # fmt: skip

    def crash(self):
        self._as_owner(self.bin / "pg_ctl", "-D", self.dir / "data", "-m", "immediate", "stop")

    def query(self, sql, params=()):
        with psycopg.connect(self.url.replace("postgres://", "postgresql://")) as c:
            return c.execute(sql, params).fetchall()

    def remove(self):
        try:
            self.crash()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


# Run by `manage.py shell` on the own database: the village, and two uploads of the file.
SETUP = """
import json
from tests.coverage.test_tasks import shuibai, stored_upload
shuibai()
content = open(PATH, "rb").read()
print(json.dumps([stored_upload(content).pk, stored_upload(content).pk]))
"""


def answer(url) -> int:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


@pytest.fixture
def site(tmp_path):
    require(
        bool(PG_BIN) and shutil.which("redis-server"),
        "PostgreSQL's server binaries and redis-server",
    )
    postgres, redis = OwnPostgres(), OwnRedis(tmp_path)
    processes = []
    try:
        postgres.init()
        redis.start()
        settings = PRODUCTION_ENV | {
            "DATABASE_URL": postgres.url,
            "CACHE_URL": "locmemcache://faults",
            "CELERY_BROKER_URL": redis.url,
            "CELERY_RESULT_BACKEND": redis.url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "PRIVATE_UPLOAD_ROOT": str(tmp_path / "private"),
            "STATIC_ROOT": str(tmp_path / "static"),
        }
        env = os.environ | settings
        manage = [sys.executable, str(ROOT / "manage.py")]
        for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([*manage, *command], env=env, cwd=ROOT, check=True, capture_output=True)
        data = tmp_path / "registry.csv"
        data.write_bytes(big_registry_csv())
        setup = SETUP.replace("PATH", repr(str(data)))
        made = subprocess.run([*manage, "shell", "-c", setup], env=env, cwd=ROOT, check=True,
                              capture_output=True, text=True)  # fmt: skip
        uploads = json.loads(made.stdout.strip().splitlines()[-1])
        web_port = free_port()
        gunicorn = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "yunfu.wsgi", "--workers", "1",
             "--bind", f"127.0.0.1:{web_port}"],
            env=env, cwd=ROOT, stdout=(tmp_path / "web.log").open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        processes.append(gunicorn)
        web = f"http://127.0.0.1:{web_port}"
        wait_for(lambda: answer(web + "/accounts/login/") == 200, 60, "gunicorn to answer")
        queue = "celery"
        worker = Worker(redis, queue, settings, tmp_path / "worker.log")
        worker.start()
        client = Celery(broker=redis.url, set_as_current=False)
        worker.send = lambda task, *args: client.send_task(task.name, args, queue=queue)
        yield postgres, worker, web, uploads
        worker.stop()
        client.close()
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        redis.stop()
        postgres.remove()


def test_checks_and_pages_come_back_after_postgresql_crashes(site):
    postgres, worker, web, (caught, arriving) = site

    def status(pk):
        return postgres.query("SELECT status FROM sheets_sheetupload WHERE id = %s", [pk])[0][0]

    def claimed(pk):
        return bool(postgres.query(
            "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND objid = %s",
            [claims.SHEET_UPLOAD, pk],
        ))  # fmt: skip

    # Wagtail's page tree answers this address from the database on every request (an
    # empty tree here: its 404 page).
    page = answer(web + "/")
    assert page in (200, 404)
    worker.send(check_upload_task, caught)
    wait_for(lambda: claimed(caught), 60, "the worker to start the first check")
    postgres.crash()
    worker.send(check_upload_task, arriving)  # arrives with the database down
    time.sleep(3)
    postgres.start()

    def finished():
        try:
            return {status(caught), status(arriving)} <= {"ready", "refused", "failed"}
        except psycopg.OperationalError:
            return False

    wait_for(finished, 240, "both checks to finish after the database came back")
    for pk in (caught, arriving):
        assert status(pk) == "ready", (pk, worker.log.read_text()[-3000:])
        preview = postgres.query("SELECT preview FROM sheets_sheetupload WHERE id = %s", [pk])
        assert str(ROWS) in preview[0][0].replace(",", "")
    assert worker.alive()
    assert "retry" in worker.log.read_text().lower()
    # The web worker's kept connection died with the server: it must notice and reconnect
    # (CONN_HEALTH_CHECKS), not fail the first request after.
    assert answer(web + "/") == page, "gunicorn, not restarted, must answer as before"
