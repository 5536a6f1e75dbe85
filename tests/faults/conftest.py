"""Real services to break: a Redis of the test's own on a free port, and Celery workers
(prefork, as in production) on it and on the test's PostgreSQL database.

The machine's own Redis and PostgreSQL are never touched: the faults are a private Redis
shut down and started again, a worker killed with SIGKILL, and the worker's database
sessions terminated by the server (what a PostgreSQL restart does to them).
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from tests.support import require, worker_database_url

pytestmark = pytest.mark.worker


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


class OwnRedis:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def answers(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
            return True
        except OSError:
            return False

    def start(self):
        # Like production's: the queue survives a restart (append-only file).
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.workdir), "--appendonly", "yes", "--save", ""],
            stdout=(self.workdir / "redis.log").open("a"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for(self.answers, 20, "Redis to answer")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def restart(self, down_seconds=3.0):
        self.stop()
        time.sleep(down_seconds)
        self.start()


@pytest.fixture
def own_redis(tmp_path):
    require(bool(subprocess.run(["which", "redis-server"], capture_output=True).stdout),
            "redis-server")  # fmt: skip
    redis = OwnRedis(tmp_path)
    redis.start()
    yield redis
    redis.stop()


class Worker:
    """``celery worker`` in a subprocess of its own process group (so SIGKILL takes the
    pool's children too), consuming one queue."""

    def __init__(self, redis, queue, env, log: Path):
        self.redis, self.queue, self.env, self.log = redis, queue, env, log
        self.process = None

    def start(self):
        celery = Path(sys.executable).with_name("celery")
        self.process = subprocess.Popen(
            [str(celery), "-A", "yunfu", "worker", "--pool=prefork", "--concurrency=1",
             "-Q", self.queue, "--loglevel=INFO", "-n", f"{self.queue}-{uuid.uuid4().hex[:6]}@%h"],
            env=os.environ | {"DJANGO_SETTINGS_MODULE": "yunfu.settings.test"} | self.env,
            stdout=self.log.open("a"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        wait_for(lambda: " ready." in self.log.read_text(), 60, "the worker to be ready")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self):
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker(own_redis, tmp_path, settings):
    """A started worker on the own Redis and the test database, and a client to send it
    tasks (``worker.send(task, *args)``)."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker is another process and needs the test database, not in memory")
    queue = f"faults-{uuid.uuid4().hex}"
    env = {
        "DATABASE_URL": worker_database_url(),
        "PRIVATE_UPLOAD_ROOT": str(settings.PRIVATE_UPLOAD_ROOT),
        "CELERY_BROKER_URL": own_redis.url,
        "CELERY_RESULT_BACKEND": own_redis.url,
    }
    started = Worker(own_redis, queue, env, tmp_path / "worker.log")
    started.start()
    client = Celery(broker=own_redis.url, set_as_current=False)
    started.send = lambda task, *args: client.send_task(task.name, args, queue=queue)
    yield started
    started.stop()
    client.close()
