"""The site under load as production runs it: ``python -m benchmarks.load``.

It creates a PostgreSQL database of its own (``--database``, dropped at the end), migrates
it, loads ``seed_demo`` and ``--trainees`` trainees enrolled in a demo course, each logged
in (a session made by Django's own login, as the test client's ``force_login`` makes it),
collects the static files, and starts gunicorn with ``--workers`` sync workers and the
production settings (``yunfu.settings.production``; the cache and the Celery broker on
Redis databases ``--redis-db`` and the one after it, both emptied before and after).

Then it offers each target requests at fixed rates, open loop (``benchmarks._http``): each
rate for ``--duration`` seconds, requests sent on schedule whatever the answers, each given
``--timeout`` seconds. The targets:

- ``bare``: /healthz/, a view that touches neither database nor cache: what gunicorn,
  Django's middleware and a view cost on their own, the reference for the pages;
- ``home``, ``catalog``, ``course``, ``lesson``: the public pages, anonymous; the same
  with ``_in``: logged in as an enrolled trainee (sessions taken in turn);
- ``heartbeat``: a lesson page's beat (POST /learning/heartbeat/, JSON ``lesson``,
  ``view``, ``seq`` and ``elapsed_ms``, the page's own time since its previous beat), the
  trainees beating in turn, so at 67 req/s each of 2,000 beats every 30 s.

Without ``--rates``, a page's rate doubles from 25 req/s until the server falls behind
(less than 90% of the offered rate answered within the window, or more than 1% errors);
the heartbeat steps up until its p95 passes 200 ms, always through 67 req/s.

Printed, per target and rate: offered and achieved req/s (successful answers that ended
within the window, per second), p50/p95/p99 latency from each request's scheduled time,
errors, the share of the bare view's best throughput (``x_bare``), and CPU seconds of
the gunicorn workers and of this client in the round. Then: SQL queries per page
(through Django's test client in this process, against the same database and cache, first
request and again), each target's best throughput beside the issue's targets, the
heartbeat's highest rate with p95 < 200 ms, and the workers' resident memory (/proc) after
boot, after a few pages and at the end.

``--other-work N`` keeps N more processes busy on the machine's cores while the targets
are measured (the report, import or matching run a shared server also runs), so a
figure "under other work" is the same work from run to run; ``--other-nice`` sets their
niceness (0: the server's own priority; production runs its long tasks at 10).

The client runs in this process on the same machine: its CPU seconds are printed so a
round where it, not the server, was the limit shows (``client-bound``).
"""

import argparse
import base64
import io
import json
import logging
import os
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from benchmarks._http import request_bytes, run_round

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("home", "catalog", "course", "lesson")
PAGE_TARGETS = (*PAGES, *(f"{page}_in" for page in PAGES))
TARGETS = ("bare", *PAGE_TARGETS, "heartbeat")
PAGE_LADDER = (5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560)
HEARTBEAT_LADDER = (5, 10, 20, 30, 40, 50, 67, 80, 100, 120, 140, 170, 200, 250, 300, 400, 500)
# 2,000 learners, each page beating every 30 s.
LEARNERS_RATE = 67
P95_LIMIT_MS = 200
FALLING_BEHIND = 0.9
ERROR_SHARE = 0.01
RSS_TARGET_MB = 150
# The targets, printed beside the figures (issue 16).
GOALS = {
    "home": ">= 50% of bare",
    "catalog": ">= 50% of bare",
    "course": ">= 50% of bare",
    "lesson": ">= 50% of bare",
    "home_in": ">= 10% of bare",
    "catalog_in": ">= 10% of bare",
    "course_in": ">= 10% of bare",
    "lesson_in": ">= 10% of bare",
    "heartbeat": f"p95 < {P95_LIMIT_MS} ms at {LEARNERS_RATE} req/s",
}
HOST = "127.0.0.1"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per rate")
    parser.add_argument(
        "--rates",
        type=lambda text: [float(r) for r in text.split(",")],
        help="offered req/s for every target, comma-separated (default: step up)",
    )
    parser.add_argument(
        "--targets",
        type=lambda text: text.split(","),
        default=list(TARGETS),
        help=f"comma-separated, of {','.join(TARGETS)} (bare is always run first)",
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--trainees", type=int, default=2000)
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per request")
    parser.add_argument("--database", default="yunfu_load", help="created and dropped")
    parser.add_argument("--postgres", default="postgres@127.0.0.1:5432", help="user@host:port")
    parser.add_argument("--redis", default="127.0.0.1:6379", help="host:port")
    parser.add_argument(
        "--redis-db", type=int, default=6, help="cache database; the broker uses the next"
    )
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (0: a free one)")
    parser.add_argument(
        "--other-work",
        type=int,
        default=0,
        metavar="N",
        help="N processes that keep a core busy while the targets are measured",
    )
    parser.add_argument(
        "--other-nice",
        type=int,
        default=0,
        metavar="NICE",
        help="their niceness (deploy/yunfu-worker.service runs the long tasks at 10)",
    )
    args = parser.parse_args(argv)
    unknown = set(args.targets) - set(TARGETS)
    if unknown:
        parser.error(f"unknown targets: {', '.join(sorted(unknown))}")
    args.targets = ["bare", *[t for t in TARGETS if t in args.targets and t != "bare"]]
    return args


def service_env(args, tmp: Path) -> dict[str, str]:
    """The environment of production (deploy/env.example), pointing at this run's own
    database, Redis databases and folders."""
    return {
        "DJANGO_SETTINGS_MODULE": "yunfu.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ID_HASH_KEY": secrets.token_urlsafe(32),
        "REGISTRY_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "ALLOWED_HOSTS": f"{HOST},localhost,testserver",
        "DATABASE_URL": f"postgres://{args.postgres}/{args.database}",
        "CACHE_URL": f"redis://{args.redis}/{args.redis_db}",
        "CELERY_BROKER_URL": f"redis://{args.redis}/{args.redis_db + 1}",
        "WAGTAILADMIN_BASE_URL": f"http://{HOST}",
        # Plain HTTP on the loopback: nginx's TLS is not part of what is measured.
        "SECURE_SSL_REDIRECT": "false",
        "SMS_LOG_BACKEND_ALLOWED": "true",
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "PRIVATE_UPLOAD_ROOT": str(tmp / "private"),
    }


def _admin_dsn(args) -> str:
    user, _at, address = args.postgres.rpartition("@")
    host, _colon, port = address.partition(":")
    return f"host={host} port={port or 5432} user={user or 'postgres'} dbname=postgres"


def create_database(args) -> None:
    import psycopg

    with psycopg.connect(_admin_dsn(args), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.database}"')


def drop_database(args) -> None:
    import psycopg

    with psycopg.connect(_admin_dsn(args), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')


def empty_redis(args) -> None:
    import redis

    for db in (args.redis_db, args.redis_db + 1):
        redis.Redis.from_url(f"redis://{args.redis}/{db}").flushdb()


# SETTING UP (this process runs Django with the server's settings)


def prepare_site(trainees: int):
    """Migrate, seed and log the trainees in; the pages' paths, the lesson's id and the
    trainees' session keys."""
    import django
    from django.core.management import call_command

    django.setup()
    from courses.models import CatalogPage, LessonPage

    quiet = io.StringIO()
    # Wagtail logs every page the seed creates and publishes.
    logging.disable(logging.INFO)
    call_command("migrate", "--noinput", stdout=quiet)
    call_command("seed_demo", "--quiet-logins", stdout=quiet)
    call_command("collectstatic", "--noinput", stdout=quiet)
    logging.disable(logging.NOTSET)
    lesson = LessonPage.objects.live().public().order_by("path").first()
    course = lesson.get_parent().specific
    paths = {
        "home": "/",
        "catalog": CatalogPage.objects.live().first().get_url(),
        "course": course.get_url(),
        "lesson": lesson.get_url(),
    }
    return paths, lesson.pk, log_in(make_trainees(trainees, course))


def make_trainees(count: int, course) -> list:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from learning.models import Enrollment

    User = get_user_model()
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                phone=f"+86199{n:08d}",
                real_name=f"压测学员{n}",
                phone_verified=True,
                password=unusable,
            )
            for n in range(count)
        ],
        batch_size=1000,
    )
    Enrollment.objects.bulk_create(
        [Enrollment(user=user, course=course) for user in users], batch_size=1000
    )
    return users


def log_in(users) -> list[str]:
    """A session per user, made by django.contrib.auth.login in the configured session
    engine, as a password or SMS login would leave it."""
    from django.conf import settings
    from django.test import Client

    keys = []
    for user in users:
        # A client each: logging a second user in on one client ends the first's session.
        client = Client()
        client.force_login(user)
        keys.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return keys


# ATOMIC_REQUESTS wraps a logged-in page's view in BEGIN … COMMIT: two round trips, no
# query; counted apart from the queries, as tests/courses/test_query_counts.py counts.
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def _queries(captured) -> int:
    return sum(
        not query["sql"].startswith(TRANSACTION_CONTROL) for query in captured.captured_queries
    )


def count_queries(paths, lesson_id, session_key) -> dict[str, tuple[int, int, int]]:
    """Per target: status, SQL queries of the first request and of the same request again
    (what the cache leaves), through the test client against the same database; the
    transaction's BEGIN and COMMIT not counted."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def measure(client, send):
        with CaptureQueriesContext(connection) as first:
            response = send(client)
        with CaptureQueriesContext(connection) as again:
            send(client)
        return response.status_code, _queries(first), _queries(again)

    counts = {}
    for target in PAGE_TARGETS:
        page, _sep, logged_in = target.partition("_")
        client = Client()
        if logged_in:
            client.cookies[settings.SESSION_COOKIE_NAME] = session_key
        counts[target] = measure(client, lambda c, path=paths[page]: c.get(path))
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    view, seq = str(uuid.uuid4()), iter(range(1, 100))

    def beat(c):
        # A second apart: the first beat of a view only starts its clock, the next credits.
        time.sleep(1.05)
        body = {"lesson": lesson_id, "view": view, "seq": next(seq), "elapsed_ms": 1050}
        return c.post("/learning/heartbeat/", json.dumps(body), content_type="application/json")

    counts["heartbeat"] = measure(client, beat)
    return counts


# THE SERVER


def start_gunicorn(args, env, log: Path) -> tuple[subprocess.Popen, int]:
    port = args.port or _free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "yunfu.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(args.workers),
        "--error-logfile",
        str(log),
    ]
    server = subprocess.Popen(command, env=os.environ | env, cwd=ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz/", timeout=2) as answer:
                if answer.status == 200 and len(worker_pids(server.pid)) == args.workers:
                    break
        except OSError:
            pass
        time.sleep(0.2)
    else:
        raise SystemExit(f"gunicorn did not answer /healthz/:\n{log.read_text()}")
    _settle(server.pid)
    return server, port


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pids) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _settle(master: int) -> None:
    """Until every worker has loaded the site: their memory stops growing."""
    last = None
    for _ in range(60):
        now = [round(rss_mb(pid)) for pid in worker_pids(master)]
        if now == last:
            return
        last = now
        time.sleep(0.5)


def workers_rss(master: int) -> str:
    sizes = [rss_mb(pid) for pid in worker_pids(master)]
    return ", ".join(f"{size:.0f}" for size in sizes) + f" MB (max {max(sizes):.0f})"


# THE LOAD


class Requests:
    """The bytes of each target's requests."""

    def __init__(self, port, paths, lesson_id, session_keys, session_cookie, csrf_cookie):
        self.port = port
        self.host = f"{HOST}:{port}"
        self.paths = paths
        self.lesson_id = lesson_id
        self.sessions = session_keys
        self.session_cookie = session_cookie
        self.csrf_cookie = csrf_cookie
        # A browser keeps the CSRF cookie the site gave it; any 32 letters and digits do.
        self.csrf = [secrets.token_hex(16) for _ in session_keys]
        self.views = [str(uuid.uuid4()) for _ in session_keys]
        self.seq = [0] * len(session_keys)
        self.last_beat: list[float | None] = [None] * len(session_keys)

    def _cookies(self, n):
        return (
            "Cookie",
            f"{self.session_cookie}={self.sessions[n]}; {self.csrf_cookie}={self.csrf[n]}",
        )

    def maker(self, target: str):
        if target == "bare":
            payload = request_bytes("GET", "/healthz/", self.host)
            return lambda i, t: payload
        if target == "heartbeat":
            return self.beat
        page, _sep, logged_in = target.partition("_")
        if not logged_in:
            payload = request_bytes("GET", self.paths[page], self.host)
            return lambda i, t: payload
        return lambda i, t: request_bytes(
            "GET", self.paths[page], self.host, [self._cookies(i % len(self.sessions))]
        )

    def beat(self, i: int, scheduled: float) -> bytes:
        n = i % len(self.sessions)
        self.seq[n] += 1
        last, self.last_beat[n] = self.last_beat[n], scheduled
        elapsed_ms = 0 if last is None else round(1000 * (scheduled - last))
        body = json.dumps(
            {"lesson": self.lesson_id, "view": self.views[n], "seq": self.seq[n]}
            | {"elapsed_ms": elapsed_ms}
        ).encode()
        headers = [
            self._cookies(n),
            ("X-CSRFToken", self.csrf[n]),
            ("Content-Type", "application/json"),
        ]
        return request_bytes("POST", "/learning/heartbeat/", self.host, headers, body)


HEADER = (
    f"{'target':<11} {'offered':>7} {'achieved':>8} {'p50_ms':>7} {'p95_ms':>7} "
    f"{'p99_ms':>7} {'errors':>6} {'x_bare':>7} {'cpu_ms':>7} {'srv_cpu_s':>9} {'cli_cpu_s':>9}"
)


def drive(target, rates, stop, args, requests, master, bare_best) -> list:
    """One round per rate until ``stop``; each printed as it ends."""
    rounds = []
    for rate in rates:
        pids = worker_pids(master)
        cpu = cpu_seconds(pids)
        result = run_round(
            HOST, requests.port, rate, args.duration, requests.maker(target), args.timeout
        )
        result.server_cpu_s = cpu_seconds(pids) - cpu
        rounds.append(result)
        best = bare_best or result.achieved
        note = ""
        if result.client_cpu_s > 0.9 * result.duration:
            note = "  client-bound"
        if result.errors:
            note += "  " + ", ".join(f"{k}: {v}" for k, v in result.error_kinds().items())
        print(
            f"{target:<11} {rate:>7g} {result.achieved:>8.1f} {result.percentile(0.5):>7.1f} "
            f"{result.percentile(0.95):>7.1f} {result.percentile(0.99):>7.1f} "
            f"{result.errors:>6} {result.achieved / best:>7.3f} {result.server_cpu_ms:>7.1f} "
            f"{result.server_cpu_s:>9.1f} {result.client_cpu_s:>9.1f}{note}",
            flush=True,
        )
        wait_until_idle(requests.port)
        if stop(rate, result):
            break
    return rounds


def wait_until_idle(port) -> None:
    """Until the requests a round left queued are served (gunicorn serves a request whose
    client gave up, too), so the next round starts on an idle server: the health check
    answers at once when nothing is ahead of it."""
    deadline = time.monotonic() + 300
    quick = 0
    while quick < 2 and time.monotonic() < deadline:
        began = time.perf_counter()
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}/healthz/", timeout=60).close()
        except OSError:
            quick = 0
            continue
        quick = quick + 1 if time.perf_counter() - began < 0.05 else 0
        time.sleep(0.1)


def cpu_ms_per_request(rounds) -> float:
    """The workers' processor time per request over the rounds without errors, together:
    /proc counts in 10 ms ticks, too coarse for a short round alone; a round with
    timeouts spends time on requests nobody waits for any more."""
    clean = [r for r in rounds if not r.errors]
    served = sum(len(r.ok) for r in clean)
    return 1000 * sum(r.server_cpu_s for r in clean) / served if served else float("nan")


def behind(rate, result) -> bool:
    return result.achieved < FALLING_BEHIND * rate or result.errors > ERROR_SHARE * len(
        result.outcomes
    )


def start_other_work(count: int, niceness: int) -> list[subprocess.Popen]:
    """Busy processes: the other work a shared server runs (a report, an import, a
    matching run), the same in every run so runs compare."""
    return [
        subprocess.Popen(
            [sys.executable, "-c", "while True: pass"],
            preexec_fn=(lambda: os.nice(niceness)) if niceness else None,
        )
        for _ in range(count)
    ]


def every_rate(rate, result) -> bool:
    return False


def start_views(args, requests) -> None:
    """Every trainee's first beat, which only starts the view's clock: the rounds after
    measure beats that credit time. Unhurried, and waited for."""
    rate = 50
    count = len(requests.sessions)
    result = run_round(HOST, requests.port, rate, count / rate, requests.beat, timeout=120)
    kinds = ", ".join(f"{k}: {v}" for k, v in result.error_kinds().items())
    print(f"(first beats of {count} views: {result.errors} errors{', ' + kinds if kinds else ''})")


def heartbeat_done(rate, result) -> bool:
    return rate >= LEARNERS_RATE and (
        result.percentile(0.95) >= P95_LIMIT_MS or behind(rate, result)
    )


def main(argv=None) -> None:
    args = parse_args(argv)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    tmp = Path(tempfile.mkdtemp(prefix="yunfu-load-"))
    env = service_env(args, tmp)
    os.environ.update(env)
    create_database(args)
    empty_redis(args)
    server = None
    other_work = []
    try:
        began = time.perf_counter()
        paths, lesson_id, session_keys = prepare_site(args.trainees)
        from django.conf import settings

        print(
            f"Load benchmark: gunicorn, {args.workers} sync workers, yunfu.settings.production, "
            f"PostgreSQL database {args.database}, Redis {args.redis} db {args.redis_db} "
            f"(cache) and {args.redis_db + 1} (broker); {args.trainees} trainees logged in; "
            f"{args.duration:g} s per rate, open loop, timeout {args.timeout:g} s; "
            f"{os.cpu_count()} CPUs; set up in {time.perf_counter() - began:.0f} s",
            flush=True,
        )
        print("Pages: " + ", ".join(f"{name} {path}" for name, path in paths.items()))
        counts = count_queries(paths, lesson_id, session_keys[0])
        print(
            "\nSQL queries per request (test client, same database; first / again; "
            "BEGIN/COMMIT not counted):"
        )
        for target, (status, first, again) in counts.items():
            print(f"  {target:<11} {first:>3} / {again:<3} (HTTP {status})")
        server, port = start_gunicorn(args, env, tmp / "gunicorn.log")
        master = server.pid
        rss = {"after boot": workers_rss(master)}
        print(f"\nWorker RSS after boot: {rss['after boot']}", flush=True)
        requests = Requests(
            port,
            paths,
            lesson_id,
            session_keys,
            settings.SESSION_COOKIE_NAME,
            settings.CSRF_COOKIE_NAME,
        )
        # A few of every page, so each worker has rendered them before it is measured.
        for target in args.targets:
            if target != "heartbeat":
                run_round(HOST, port, 10, 3 * args.workers / 10, requests.maker(target), 30)
        rss["after a few of each page"] = workers_rss(master)
        print(f"Worker RSS after a few of each page: {rss['after a few of each page']}\n")
        other_work = start_other_work(args.other_work, args.other_nice)
        print(
            f"Other work: {args.other_work} busy processes at nice {args.other_nice}; "
            f"load average {os.getloadavg()[0]:.1f} before the rounds"
        )
        print(HEADER, flush=True)
        best, cheapest = {}, {}
        heartbeat_rounds = []
        for target in args.targets:
            if target == "heartbeat":
                rates, stop = args.rates or HEARTBEAT_LADDER, heartbeat_done
            else:
                rates, stop = args.rates or PAGE_LADDER, behind
            if args.rates:
                stop = every_rate
            if target == "heartbeat":
                start_views(args, requests)
            reference = best["bare"].achieved if "bare" in best else None
            rounds = drive(target, rates, stop, args, requests, master, reference)
            best[target] = max(rounds, key=lambda r: r.achieved)
            cheapest[target] = cpu_ms_per_request(rounds)
            if target == "heartbeat":
                heartbeat_rounds = rounds
        print(f"(load average {os.getloadavg()[0]:.1f} after the rounds)")
        rss["at the end"] = workers_rss(master)
        summarise(best, cheapest, counts, heartbeat_rounds, rss)
    finally:
        for process in other_work:
            process.kill()
            process.wait()
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        drop_database(args)
        empty_redis(args)
        shutil.rmtree(tmp, ignore_errors=True)


def _share(reference: float, cost: float) -> float:
    return reference / cost if cost else float("nan")


def summarise(best, cheapest, counts, heartbeat_rounds, rss) -> None:
    bare = best["bare"]
    print(
        "\nSummary. req_s: each target's best achieved rate; x_bare: that over the bare"
        "\nview's; cpu_ms: the workers' processor time per request over the target's rounds"
        "\nwithout errors; x_bare_cpu: the bare view's cpu_ms over the target's (the"
        "\nshare a CPU-bound server reaches, less swayed by other work on the machine);"
        "\nsql: queries per request, first / again (BEGIN/COMMIT not counted)."
    )
    print(
        f"{'target':<11} {'req_s':>8} {'x_bare':>7} {'cpu_ms':>7} {'x_bare_cpu':>10} "
        f"{'sql':>7}  target (issue 16)"
    )
    for target, top in best.items():
        sql = counts.get(target)
        sql_text = f"{sql[1]}/{sql[2]}" if sql else "0/0"
        print(
            f"{target:<11} {top.achieved:>8.1f} {top.achieved / bare.achieved:>7.3f} "
            f"{cheapest[target]:>7.1f} {_share(cheapest['bare'], cheapest[target]):>10.3f} "
            f"{sql_text:>7}  {GOALS.get(target, 'reference')}"
        )
    if heartbeat_rounds:
        under = [
            r.offered
            for r in heartbeat_rounds
            if r.percentile(0.95) < P95_LIMIT_MS and not behind(r.offered, r)
        ]
        print(
            f"\nHeartbeat: highest offered rate with p95 < {P95_LIMIT_MS} ms (and keeping up): "
            + (f"{max(under):g} req/s" if under else "none of those tried")
        )
        at = [r for r in heartbeat_rounds if r.offered == LEARNERS_RATE]
        if at:
            r = at[0]
            print(
                f"Heartbeat at {LEARNERS_RATE} req/s (2,000 learners every 30 s): "
                f"p50 {r.percentile(0.5):.1f} ms, p95 {r.percentile(0.95):.1f} ms, "
                f"p99 {r.percentile(0.99):.1f} ms, errors {r.errors}"
            )
    print(f"\nWorker RSS (target < {RSS_TARGET_MB} MB):")
    for moment, sizes in rss.items():
        print(f"  {moment}: {sizes}")


if __name__ == "__main__":
    main()
