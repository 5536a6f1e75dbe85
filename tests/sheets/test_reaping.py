"""Uploads left waiting by a lost task (a killed worker, an emptied Redis): the reaper
queues them again or fails them with a reason; a task that meets the database away comes
back later; a twin delivery steps aside while the first is at work."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.utils import timezone, translation

from sheets import claims, storage
from sheets.importing import write_all_or_nothing
from sheets.kinds import KINDS, SheetKind
from sheets.models import SheetUpload
from sheets.reaping import reap_stuck_uploads
from sheets.results import ImportResult
from sheets.tasks import import_upload_task
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = SheetUpload.Status
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="claims are PostgreSQL advisory locks"
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def ago(minutes):
    return timezone.now() - timedelta(minutes=minutes)


def upload_at(status, minutes_ago, private_root):
    user = UserFactory()
    upload = SheetUpload.objects.create(
        kind="test-count",
        file_name="名单.csv",
        stored=storage.store(ContentFile("名称\n甲\n".encode())),
        uploaded_by=user,
        status=status,
        confirmed_by=user if status == Status.IMPORTING else None,
    )
    SheetUpload.objects.filter(pk=upload.pk).update(
        uploaded_at=ago(minutes_ago), confirmed_at=ago(minutes_ago)
    )
    upload.refresh_from_db()
    return upload


def files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def deadline(settings):
    return 2 * settings.CELERY_TASK_TIME_LIMIT // 60


@pytest.mark.parametrize("status", [Status.CHECKING, Status.IMPORTING])
def test_an_upload_lost_past_the_deadline_is_failed_with_a_reason(status, deadline, private_root):
    lost = upload_at(status, deadline + 1, private_root)
    recent = upload_at(status, 1, private_root)
    requeued = []
    assert reap_stuck_uploads(lambda s, pk: requeued.append(pk)) == {"requeued": 0, "failed": 1}
    lost.refresh_from_db()
    assert lost.status == Status.FAILED
    assert "background worker stopped" in lost.report and "upload the file again" in lost.report
    assert lost.stored == ""
    recent.refresh_from_db()
    assert recent.status == status and recent.stored
    assert len(files(private_root)) == 1, "the failed upload's file is gone, the waiting one's kept"
    assert requeued == []


@on_postgresql
def test_an_unclaimed_upload_waiting_too_long_is_queued_again_and_a_claimed_one_is_spared(
    deadline, private_root, settings
):
    waited = settings.SHEETS_REQUEUE_AFTER_MINUTES + 1
    lost = upload_at(Status.IMPORTING, waited, private_root)
    working = upload_at(Status.IMPORTING, deadline + 1, private_root)
    fresh = upload_at(Status.CHECKING, 1, private_root)
    worker = connections.create_connection(DEFAULT_DB_ALIAS)  # a live worker's session
    try:
        with worker.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [claims.SHEET_UPLOAD, working.pk])
        requeued = []
        done = reap_stuck_uploads(lambda status, pk: requeued.append((status, pk)))
        assert done == {"requeued": 1, "failed": 0}
        assert requeued == [(Status.IMPORTING, lost.pk)]
        assert SheetUpload.objects.get(pk=working.pk).status == Status.IMPORTING
        assert SheetUpload.objects.get(pk=fresh.pk).status == Status.CHECKING
        # The twin delivery of the import at work steps aside.
        assert import_upload_task(working.pk) == "busy"
        assert SheetUpload.objects.get(pk=working.pk).status == Status.IMPORTING
    finally:
        worker.close()


class CountingKind:
    """Imports nothing; the first ``failures`` runs meet the database restarting."""

    def __init__(self, failures):
        self.failures = failures
        self.calls = 0

    def __call__(self, source, *, dry_run, progress, options, user):
        self.calls += 1
        if self.calls <= self.failures:
            raise OperationalError("terminating connection due to administrator command")

        def write():
            result = ImportResult()
            result.tally("rows", "Rows").created += 1
            return result

        return write_all_or_nothing(write, dry_run=dry_run)


def test_an_import_that_meets_the_database_away_comes_back_instead_of_failing(
    monkeypatch, private_root
):
    kind = CountingKind(failures=1)
    monkeypatch.setitem(
        KINDS, "test-count", SheetKind("test-count", "Count", None, kind, "auth.add_group")
    )
    upload = upload_at(Status.IMPORTING, 0, private_root)
    # As a worker runs it: each retry is a new delivery, not an exception for the caller.
    import_upload_task.apply((upload.pk,), throw=False)
    upload.refresh_from_db()
    assert kind.calls == 2
    assert (upload.status, upload.done, upload.total) == (Status.DONE, 1, 1)
