from celery import shared_task
from django.db import InterfaceError, OperationalError

from .flags import flag_quiet_groups
from .runs import execute_run, reap_stuck_runs


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    # The database away (restarting, failing over): come back with growing pauses.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=600,
    max_retries=15,
)
def run_matching_task(run_id: int) -> dict:
    """Execute a matching run. Acknowledged only when done, so a worker that dies
    half-way leaves the task to another; executing a run twice writes it once."""
    return execute_run(run_id).figures


@shared_task
def reap_stuck_runs_task() -> dict[str, int]:
    """Every five minutes (CELERY_BEAT_SCHEDULE): see matching.runs.reap_stuck_runs."""
    return reap_stuck_runs(run_matching_task.delay)


@shared_task
def flag_quiet_groups_task() -> dict[str, int]:
    """Daily (CELERY_BEAT_SCHEDULE): flag mentoring groups with no recent meeting."""
    return flag_quiet_groups()
