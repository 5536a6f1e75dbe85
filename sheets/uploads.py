"""An upload's way through: stored, checked, confirmed (or cancelled), imported.

Tasks are queued once the request commits. Without a broker they run right there: one
that raises has already marked its upload failed, so the error is logged (``robust``)
and the request still answers with the status page instead of a server error.

Running there, a hostile file's check would run inside a web worker: that is how a zip
bomb took down gunicorn workers. So before an upload is stored it passes the checks that
read no more than its size and, for an XLSX, its zip directory (``check_upload``), and
without a broker a file over SHEETS_INLINE_MAX_BYTES is refused outright.
"""

import zipfile

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import limits, storage
from .checks import file_error
from .models import SheetUpload
from .reading import ZIP_MAGIC, unreadable
from .tasks import check_upload_task, import_upload_task

Status = SheetUpload.Status


def check_upload(upload) -> None:
    """Refuse an uploaded file (a Django UploadedFile) that is over a limit, before it is
    stored; raises SheetError. Reads its size and, for an XLSX, its zip directory only."""
    bounds = limits.Limits.current()
    if upload.size > bounds.upload_bytes:
        raise limits.too_large(upload.name, upload.size, bounds)
    inline_max = settings.SHEETS_INLINE_MAX_BYTES
    if check_upload_task.app.conf.task_always_eager and upload.size > inline_max:
        raise file_error(
            "no_worker",
            _(
                "This site has no background worker, so a file over %(max)s "
                "(SHEETS_INLINE_MAX_BYTES) is not checked here; this one is %(size)s. Split "
                "it into smaller files, or ask the site's administrator to import it with "
                "the manage.py import command or to set up the worker (CELERY_BROKER_URL)."
            )
            % {
                "max": limits.size(settings.SHEETS_INLINE_MAX_BYTES),
                "size": limits.size(upload.size),
            },
        )
    upload.seek(0)
    if upload.read(len(ZIP_MAGIC)) == ZIP_MAGIC:
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                limits.check_zip_directory(archive, bounds)
        except zipfile.BadZipFile as exc:
            raise unreadable(upload.name, _("it is not a valid XLSX workbook")) from exc
    upload.seek(0)


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
