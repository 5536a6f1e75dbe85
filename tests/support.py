"""Helpers shared by tests."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}


def require(condition: bool, why: str) -> None:
    """Skip a test whose outside piece is missing, except in CI, where that is a failure."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"required in CI: {why}")
    pytest.skip(why)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_fits_phone_width(page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px on a phone"


def load_script(name: str):
    """A module from scripts/ (not a package), loaded from its file."""
    import importlib.util

    path = ROOT / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def at_once(task, copies: int):
    """Run ``task()`` in ``copies`` threads released together; return their results.

    Each thread uses (and closes) its own database connection, so this races real
    transactions; it needs ``django_db(transaction=True)`` and PostgreSQL to mean much.
    An exception in any thread fails the caller.
    """
    import threading

    from django.db import connection

    barrier = threading.Barrier(copies)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(task())
        except Exception as error:  # re-raised below, in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    if errors:
        raise errors[0]
    return results


def write_sheet(path: Path, lines, encoding: str = "utf-8") -> Path:
    """Write rows (the header first) as a person would save them: CSV in any encoding,
    or XLSX or XLS when the name says so. Numbers stay numbers in a workbook."""
    import csv

    import openpyxl

    if path.suffix == ".xls":
        import xlwt

        workbook = xlwt.Workbook(encoding="utf-8")
        sheet = workbook.add_sheet("Sheet1")
        for r, line in enumerate(lines):
            for c, value in enumerate(line):
                sheet.write(r, c, value)
        workbook.save(str(path))
    elif path.suffix == ".xlsx":
        workbook = openpyxl.Workbook()
        for line in lines:
            workbook.active.append(list(line))
        workbook.save(path)
    else:
        with path.open("w", encoding=encoding, newline="") as f:
            csv.writer(f).writerows(lines)
    return path


def run_on_real_worker(task_name: str, args, log: Path, env: dict, timeout: int = 120):
    """Send one task to a real Celery worker (a subprocess on Redis, its own queue) and
    return its result. ``env`` adds to the worker's environment: the broker, and the
    database when the task needs the test's. The worker's output goes to ``log``."""
    import subprocess
    import sys
    import uuid

    from celery import Celery

    queue = f"test-{uuid.uuid4().hex}"
    celery = Path(sys.executable).with_name("celery")
    worker = subprocess.Popen(
        [str(celery), "-A", "yunfu", "worker", "--pool=solo", "-Q", queue, "--loglevel=INFO"],
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "yunfu.settings.test"} | env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    # Not the current app: shared tasks later in this process must stay eager.
    client = Celery(broker=env["CELERY_BROKER_URL"], backend=env["CELERY_BROKER_URL"],
                    set_as_current=False)  # fmt: skip
    try:
        return client.send_task(task_name, tuple(args), queue=queue).get(timeout=timeout)
    finally:
        client.close()
        worker.terminate()
        worker.wait(timeout=30)


def worker_database_url() -> str:
    """The URL of the database this test runs on, for a worker in another process."""
    from django.db import connection

    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def ok_page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def field_html(html: str, name: str) -> str:
    """The markup of one field's block (mentors/includes/form_field.html), where its error
    must appear."""
    import re

    match = re.search(
        rf'<div class="[^"]*" id="field-{name}">(.*?)</div>\s*'
        r'(?=<div class="field|</fieldset|<button)',
        html,
        re.S,
    )
    assert match, f"no field {name}"
    return match.group(1)
