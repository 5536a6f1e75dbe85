"""`python -m benchmarks.load` drives every target through gunicorn and prints what it
promises: a row per target and rate, SQL statements per page, the summary beside the
issue's targets, the heartbeat's limits and the workers' memory."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings

from tests.support import ROOT, require

DB = settings.DATABASES["default"]
pytestmark = pytest.mark.skipif(
    DB["ENGINE"] != "django.db.backends.postgresql",
    reason="the load benchmark runs production's stack: PostgreSQL and Redis",
)
TARGETS = (
    "bare",
    "home",
    "catalog",
    "course",
    "lesson",
    "home_in",
    "catalog_in",
    "course_in",
    "lesson_in",
    "heartbeat",
)
NUMBER = r"[\d.]+"


def _redis_answers() -> bool:
    import redis

    try:
        return redis.Redis(socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False


def _busy_processes_left() -> list[str]:
    left = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                if b"while True: pass" in cmdline.read():
                    left.append(entry)
        except OSError:
            continue
    return left


def test_the_load_benchmark_prints_every_figure_it_promises():
    require(_redis_answers(), "Redis on 127.0.0.1:6379")
    name = (DB.get("TEST") or {}).get("NAME") or f"test_{DB['NAME']}"
    command = [
        sys.executable,
        "-m",
        "benchmarks.load",
        *("--duration", "1", "--rates", "2,67", "--trainees", "10", "--workers", "2"),
        # Long enough that a busy machine's slowness is not counted as errors.
        *("--timeout", "60"),
        *("--other-work", "1", "--other-nice", "10"),
        *("--database", f"{name}_load", "--postgres", f"{DB['USER']}@{DB['HOST']}:{DB['PORT']}"),
    ]
    result = subprocess.run(
        command, cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    other = rf"^Other work: 1 busy processes at nice 10; load average {NUMBER}"
    assert re.search(other, out, re.M), out
    assert not _busy_processes_left(), "the other work outlived the benchmark"
    figures = rf"{NUMBER}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}"  # achieved, p50, p95, p99
    for target in TARGETS:
        # At 2 req/s every request is answered: a refused heartbeat or a page that fails
        # shows as errors.
        row = rf"^{target}\s+2\s+{figures}\s+0\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}"
        assert re.search(row, out, re.M), f"no error-free {target} row at 2 req/s:\n{out}"
        assert re.search(rf"^{target}\s+67\s+{figures}\s+\d+", out, re.M), out
        # The summary: req/s, x_bare, cpu_ms, x_bare_cpu, statements, the target.
        summary = rf"^{target}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}\s+\d+/\d+\s+\S"
        assert re.search(summary, out, re.M), out
    for page in TARGETS[1:]:
        assert re.search(rf"^  {page}\s+\d+ / \d+\s+\(HTTP 200\)", out, re.M), out
    assert re.search(r"highest offered rate with p95 < 200 ms .*: (67|2) req/s|none", out), out
    assert re.search(rf"Heartbeat at 67 req/s .*p95 {NUMBER} ms", out), out
    for moment in ("after boot", "after a few of each page", "at the end"):
        assert re.search(rf"{moment}: \d+, \d+ MB \(max \d+\)", out), out
