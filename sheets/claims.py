"""Which task is working on a record right now, as the database knows it.

A task takes a claim on its record for the length of its transaction: a PostgreSQL
advisory lock, which the server drops when the transaction ends or its connection dies
with the worker. So a second delivery of the same task can tell that the first is still
at work and step aside, and the reaper (sheets.reaping) can tell a record whose worker is
gone from one whose worker is merely slow, without guessing from the clock.

SQLite has no such locks; there tasks run inside the request that queues them, so
nothing runs twice at once, and the reaper falls back on the clock.
"""

from django.db import connection

# The first half of each lock's key: which kind of record it is about.
SHEET_UPLOAD = 1
MATCHING_RUN = 2


def supported() -> bool:
    return connection.vendor == "postgresql"


def claim(kind: int, pk: int) -> bool:
    """Claim record ``pk`` of ``kind`` until the current transaction ends; False if
    another session holds it. Call inside ``transaction.atomic()``."""
    if not supported():
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [kind, pk])
        return cursor.fetchone()[0]


def claimed(kind: int, pks) -> set[int]:
    """Those of ``pks`` that some session holds a claim on now (empty where unsupported)."""
    pks = list(pks)
    if not supported() or not pks:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid = %s AND objsubid = 2 AND objid = ANY(%s)",
            [kind, pks],
        )
        return {row[0] for row in cursor.fetchall()}
