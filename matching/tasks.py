from celery import shared_task

from .flags import flag_quiet_groups
from .runs import execute_run


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_matching_task(run_id: int) -> dict:
    """Execute a matching run. Acknowledged only when done, so a worker that dies
    half-way leaves the task to another; executing a run twice writes it once."""
    return execute_run(run_id).figures


@shared_task
def flag_quiet_groups_task() -> dict[str, int]:
    """Daily (CELERY_BEAT_SCHEDULE): flag mentoring groups with no recent meeting."""
    return flag_quiet_groups()
