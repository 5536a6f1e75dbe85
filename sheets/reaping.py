"""Uploads whose task was lost are started again, or failed with a reason.

A worker killed mid-task, or a Redis restarted without its queue, leaves an upload
"checking" or "importing" with no task coming for it. Every few minutes (Celery beat)
the reaper looks at those: one that a task holds a claim on is being worked on and is
left alone; one that has waited longer than SHEETS_REQUEUE_AFTER gets its task queued
again (a twin delivery is harmless: tasks check the status and the claim first); one
older than the task time limit twice over is failed with a reason, so the person who
uploaded it sees what happened and nothing waits forever.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import claims, storage
from .models import SheetUpload

Status = SheetUpload.Status


def _deadline() -> datetime.timedelta:
    return datetime.timedelta(seconds=2 * settings.CELERY_TASK_TIME_LIMIT)


def _reasons():
    return {
        Status.CHECKING: _(
            "The check did not finish: the background worker stopped. Please upload the file again."
        ),
        Status.IMPORTING: _(
            "The import did not finish: the background worker stopped, and nothing was "
            "written. Please upload the file again."
        ),
    }


def reap_stuck_uploads(requeue, now=None) -> dict[str, int]:
    """Requeue (``requeue(status, pk)`` queues the status's task again) or fail uploads
    left waiting by a lost task; what was done, counted."""
    now = now or timezone.now()
    waiting = list(
        SheetUpload.objects.filter(status__in=[Status.CHECKING, Status.IMPORTING]).values_list(
            "pk", "status", "uploaded_at", "confirmed_at", "stored"
        )
    )
    busy = claims.claimed(claims.SHEET_UPLOAD, [row[0] for row in waiting])
    requeue_after = datetime.timedelta(minutes=settings.SHEETS_REQUEUE_AFTER_MINUTES)
    done = {"requeued": 0, "failed": 0}
    for pk, status, uploaded_at, confirmed_at, stored in waiting:
        if pk in busy:
            continue
        since = confirmed_at if status == Status.IMPORTING else uploaded_at
        if since < now - _deadline():
            with transaction.atomic():
                if SheetUpload.objects.filter(pk=pk, status=status).update(
                    status=Status.FAILED, report=_reasons()[status], stored=""
                ):
                    storage.discard(stored)
                    done["failed"] += 1
        elif claims.supported() and since < now - requeue_after:
            requeue(status, pk)
            done["requeued"] += 1
    return done
