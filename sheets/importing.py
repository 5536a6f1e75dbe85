"""Writing what a checked sheet holds: all of it or nothing, or only pretending to."""

from django.db import transaction


def write_all_or_nothing(write, *, dry_run=False):
    """``write()`` in one transaction; returns its ImportResult.

    A dry run does every write and then rolls them all back, so its figures are exactly
    what the real import would give, from the same code.
    """
    with transaction.atomic():
        result = write()
        result.dry_run = dry_run
        if dry_run:
            transaction.set_rollback(True)
    return result
