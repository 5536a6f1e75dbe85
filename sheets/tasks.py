"""Checking and importing an uploaded sheet, on a Celery worker (in-process without one)."""

from celery import shared_task
from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    InterfaceError,
    OperationalError,
    connection,
    connections,
    transaction,
)
from django.utils.translation import gettext as _

from . import claims, storage
from .checks import SheetError
from .kinds import KINDS
from .models import SheetUpload
from .reaping import reap_stuck_uploads

Status = SheetUpload.Status


class ProgressWriter:
    """Writes an import's done/total as the import goes.

    An import writes in one transaction (a bad file, or a failure half-way, leaves
    nothing behind), so updates made inside it would only show when it ends. The
    status page should see the progress: it is written through a connection of its own,
    committed at once. SQLite lets only one connection write at a time and the import
    holds it, so there the row is updated in the import's transaction; on one machine
    the task runs inside the request anyway.
    """

    def __init__(self, upload_id):
        self.upload_id = upload_id
        self.own = None
        if connection.vendor != "sqlite":
            self.own = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, done, total):
        if self.own is None:
            SheetUpload.objects.filter(pk=self.upload_id).update(done=done, total=total)
            return
        table = self.own.ops.quote_name(SheetUpload._meta.db_table)
        with self.own.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET done = %s, total = %s WHERE id = %s",
                [done, total, self.upload_id],
            )

    def close(self):
        if self.own is not None:
            self.own.close()


def _run(upload, *, dry_run, progress=None):
    kind = KINDS[upload.kind]
    source = storage.open_stored(upload.stored, upload.file_name)
    return kind.run(
        source,
        dry_run=dry_run,
        progress=progress,
        options=upload.options,
        user=upload.confirmed_by or upload.uploaded_by,
    )


def _finish(upload_id, status, report, **fields):
    """Record the end of an upload; its file goes unless the settings keep it."""
    upload = SheetUpload.objects.get(pk=upload_id)
    keep = status == Status.DONE and settings.KEEP_IMPORTED_FILES
    if not keep:
        storage.discard(upload.stored)
    SheetUpload.objects.filter(pk=upload_id).update(
        status=status, report=report, stored=upload.stored if keep else "", **fields
    )


# The database being down or restarting is worth waiting for: the upload keeps its
# status and the task comes back with growing pauses (up to ten minutes, for about two
# hours) instead of failing an upload that nothing was wrong with.
TRANSIENT = (OperationalError, InterfaceError)
RETRY = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "max_retries": 15,
}


def _work_on(upload_id, waiting_status, work, failure_report) -> str:
    """Run ``work(upload)`` for an upload at ``waiting_status`` and record how it ended.

    The work and the upload's new status commit together, under a claim on the upload
    (sheets.claims): a twin delivery steps aside while this one works, and a delivery
    after a worker died finds nothing written and starts again. ``work`` returns the
    new status and the fields to record; a SheetError refuses the upload with its
    report; the database away is left to the task's retry; anything else fails the
    upload with ``failure_report`` and is raised again for the worker's log.
    """
    failed = None
    with transaction.atomic():
        if not claims.claim(claims.SHEET_UPLOAD, upload_id):
            return "busy"
        upload = SheetUpload.objects.get(pk=upload_id)
        if upload.status != waiting_status:
            return upload.status  # a late redelivery: the work was done
        try:
            with transaction.atomic():
                status = work(upload)
        except SheetError as error:
            _finish(upload_id, Status.REFUSED, error.report())
            return Status.REFUSED
        except TRANSIENT:
            raise
        except Exception as error:
            failed = error
            _finish(upload_id, Status.FAILED, failure_report)
    if failed is not None:
        raise failed
    return status


@shared_task(**RETRY)
def check_upload_task(upload_id: int) -> str:
    """A dry run of the upload: what it would change, or every problem in it."""

    def check(upload):
        result = _run(upload, dry_run=True)
        SheetUpload.objects.filter(pk=upload_id).update(
            status=Status.READY, preview="\n".join(result.summary_lines())
        )
        return Status.READY

    return _work_on(
        upload_id,
        Status.CHECKING,
        check,
        _("The file could not be checked because of an unexpected error."),
    )


@shared_task(**RETRY)
def import_upload_task(upload_id: int) -> str:
    """Import a confirmed upload. Imports write all or nothing and a second run of the
    same file changes nothing; a SheetError here means the data changed since the check
    (another import, an edit) and says what now."""

    def import_(upload):
        progress = ProgressWriter(upload_id)
        try:
            result = _run(upload, dry_run=False, progress=progress)
        finally:
            progress.close()
        total = sum(tally.changed for tally in result.tallies.values())
        summary = "\n".join(result.summary_lines())
        _finish(upload_id, Status.DONE, summary, done=total, total=total)
        return Status.DONE

    return _work_on(
        upload_id,
        Status.IMPORTING,
        import_,
        _("The import stopped because of an unexpected error; nothing was written."),
    )


@shared_task
def reap_stuck_uploads_task() -> dict[str, int]:
    """Every five minutes (CELERY_BEAT_SCHEDULE): see sheets.reaping."""
    tasks = {Status.CHECKING: check_upload_task, Status.IMPORTING: import_upload_task}
    return reap_stuck_uploads(lambda status, pk: tasks[status].delay(pk))
