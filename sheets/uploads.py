"""An upload's way through: stored, checked, confirmed (or cancelled), imported.

Tasks are queued once the request commits. Without a broker they run right there: one
that raises has already marked its upload failed, so the error is logged (``robust``)
and the request still answers with the status page instead of a server error.
"""

from django.db import transaction
from django.utils import timezone

from . import storage
from .models import SheetUpload
from .tasks import check_upload_task, import_upload_task

Status = SheetUpload.Status


def start_upload(kind, upload, user, options=None) -> SheetUpload:
    """Keep the file privately and queue its check once the row is committed."""
    sheet_upload = SheetUpload.objects.create(
        kind=kind.slug,
        options=options or {},
        file_name=upload.name[:255],
        stored=storage.store(upload),
        uploaded_by=user,
    )
    transaction.on_commit(lambda: check_upload_task.delay(sheet_upload.pk), robust=True)
    return sheet_upload


def confirm(upload, user) -> bool:
    """Start the import of a checked upload; False if it is not waiting for that."""
    confirmed = SheetUpload.objects.filter(pk=upload.pk, status=Status.READY).update(
        status=Status.IMPORTING, confirmed_by=user, confirmed_at=timezone.now()
    )
    if confirmed:
        transaction.on_commit(lambda: import_upload_task.delay(upload.pk), robust=True)
    return bool(confirmed)


def cancel(upload) -> bool:
    """Drop a checked upload and its file; False if it is not waiting for confirmation."""
    cancelled = SheetUpload.objects.filter(pk=upload.pk, status=Status.READY).update(
        status=Status.CANCELLED, stored=""
    )
    if cancelled:
        storage.discard(upload.stored)
    return bool(cancelled)
