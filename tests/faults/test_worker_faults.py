"""A worker that loses Redis, a worker killed mid-task, a database that drops the worker's
sessions mid-task: each time the worker (or its replacement) carries on without anyone
restarting the site, and the upload caught in the middle ends checked exactly once,
not lost, not doubled, not stuck.

The task caught is the registry's check of a 20,000-row national export: long enough to
be hit while its worker holds the upload's claim (sheets.claims), which is what each test
waits for before it breaks something.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from sheets import claims
from sheets.models import SheetUpload
from sheets.reaping import reap_stuck_uploads
from sheets.tasks import check_upload_task
from tests.coverage.test_tasks import shuibai, stored_upload
from tests.faults.conftest import wait_for
from tests.faults.registry import ROWS, big_registry_csv

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def big_upload(private_root):
    shuibai()
    return stored_upload(big_registry_csv())


def status(upload) -> str:
    return SheetUpload.objects.values_list("status", flat=True).get(pk=upload.pk)


def claimed(upload) -> bool:
    return upload.pk in claims.claimed(claims.SHEET_UPLOAD, [upload.pk])


def start_check(worker, upload):
    worker.send(check_upload_task, upload.pk)
    wait_for(lambda: claimed(upload), 60, "the worker to start the check")


def recover(worker, upload, minutes=None):
    """What beat does every five minutes, run as if ``minutes`` had passed."""
    later = timezone.now() + timedelta(minutes=minutes or 11)
    return reap_stuck_uploads(lambda _status, pk: worker.send(check_upload_task, pk), now=later)


def assert_checked_once(upload):
    upload.refresh_from_db()
    assert upload.status == "ready", (upload.status, upload.report[:300])
    assert f"{ROWS:,}" in upload.preview or str(ROWS) in upload.preview


def test_the_worker_survives_a_redis_restart_mid_task(worker, own_redis, big_upload):
    start_check(worker, big_upload)
    own_redis.restart(down_seconds=3)
    wait_for(lambda: "Connected to" in worker.log.read_text().split("lost")[-1], 60,
             "the worker to reconnect")  # fmt: skip
    assert worker.alive(), worker.log.read_text()[-3000:]
    assert "Unrecoverable error" not in worker.log.read_text()
    # Whatever became of the interrupted delivery, the reaper's requeue finishes it once.
    wait_for(lambda: not claimed(big_upload), 120, "the interrupted check to stop or end")
    if status(big_upload) == "checking":
        assert recover(worker, big_upload)["requeued"] == 1
    wait_for(lambda: status(big_upload) != "checking", 180, "the check to finish")
    assert_checked_once(big_upload)
    assert worker.alive()


def test_a_worker_killed_mid_task_leaves_the_upload_to_the_next_worker(worker, big_upload):
    start_check(worker, big_upload)
    worker.kill()
    assert status(big_upload) == "checking"
    wait_for(lambda: not claimed(big_upload), 30, "the dead worker's claim to go")
    # systemd starts the worker again (deploy/yunfu-worker.service: Restart=always).
    worker.start()
    assert recover(worker, big_upload) == {"requeued": 1, "failed": 0}
    wait_for(lambda: status(big_upload) != "checking", 180, "the check to finish")
    assert_checked_once(big_upload)


def test_a_check_whose_database_session_is_cut_comes_back_and_finishes(worker, big_upload):
    start_check(worker, big_upload)
    with connection.cursor() as cursor:  # what a PostgreSQL restart does to the worker
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
            " AND classid = %s AND objid = %s AND objsubid = 2",
            [claims.SHEET_UPLOAD, big_upload.pk],
        )
    wait_for(lambda: status(big_upload) != "checking", 240, "the retried check to finish")
    assert_checked_once(big_upload)
    log = worker.log.read_text()
    assert "retry" in log.lower(), log[-3000:]
    assert worker.alive()
