from celery import shared_task

from .flags import flag_quiet_groups


@shared_task
def flag_quiet_groups_task() -> dict[str, int]:
    """Daily (CELERY_BEAT_SCHEDULE): flag mentoring groups with no recent meeting."""
    return flag_quiet_groups()
