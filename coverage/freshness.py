"""The report's figures kept in the cache until the data under them changes.

Every write that can change a figure changes one value, the data version
(``coverage_dataversion``), from inside the database: triggers on the tables the report
reads (the registry, attendances, class sessions, completions, users' ID hashes,
villages, towns, counties and course titles) give it a new random value. So no module
needs to remember to invalidate anything: an import, a check-in, a completion, a
``QuerySet.update`` or a hand-written statement all change it. A figure is cached under
the version read before it was computed, so it is never older than its key.

On PostgreSQL the triggers are deferred to commit (``DEFERRABLE INITIALLY DEFERRED``), so
a long import does not hold the version's row locked while others record attendances,
and they are queued once per transaction, not once per row: their ``WHEN``
(``coverage_data_first_change()``) is true for the first row written only, and notes it
in a transaction-local setting. PostgreSQL evaluates a constraint trigger's ``WHEN`` as
the row is written and queues nothing when it is false (CREATE CONSTRAINT TRIGGER), so
a 560,000-row insert queues one event instead of 560,000 to run at commit. A savepoint
rolled back takes the setting back with its events. Reading the version first fires the
reading transaction's own pending event (``SET CONSTRAINTS … IMMEDIATE``) and clears the
setting, so a transaction sees its own changes, and its later writes queue a new event.
On SQLite every row changes it (one writer at a time anyway, and SQLite has no
transaction-local state to remember a change by).

The triggers are (re)installed after every ``migrate`` (``install_triggers``, from
``CoverageConfig.ready``): SQLite drops a table's triggers when Django remakes the table
to alter it. Reading the version also counts them; with any missing, nothing is cached.
"""

import hashlib

from django.apps import apps
from django.conf import settings
from django.core.cache import cache

TRIGGER = "coverage_data_version"
VERSION_TABLE = "coverage_dataversion"
KEY_PREFIX = "coverage:figures"
# A version lives until the next write; this only lets the cache forget old ones.
TIMEOUT = 24 * 3600

# (app label, model, what to watch): every row written, or one column's changes.
WATCHED = [
    ("coverage", "RegistryMember", None),
    ("classes", "Attendance", None),
    ("classes", "ClassSession", None),
    ("learning", "Completion", None),
    ("regions", "Village", None),
    ("regions", "Town", None),
    ("regions", "County", None),
    # Completions reach a member through their user's hash; users are inserted and
    # deleted with their hash, and log in (an update) far more often than it changes.
    ("accounts", "User", "id_number_hash"),
    # The trend lists courses by title.
    ("wagtailcore", "Page", "title"),
]

FIRST_CHANGE = "coverage_data_first_change"
QUEUED = "coverage.data_queued"

_PG_FUNCTIONS = [
    # Run by the one queued event: each event stands for writes since the last read.
    f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {VERSION_TABLE} SET version = md5(random()::text || clock_timestamp()::text);
    RETURN NULL;
END $$
""",
    # The triggers' WHEN, for every row written: true the first time only, until the
    # reader clears the setting. CASE, so that the setting is read before it is set.
    f"""
CREATE OR REPLACE FUNCTION {FIRST_CHANGE}() RETURNS boolean LANGUAGE sql VOLATILE AS $$
SELECT CASE WHEN current_setting('{QUEUED}', true) = 'queued' THEN false
            ELSE set_config('{QUEUED}', 'queued', true) = 'queued' END
$$
""",
]


def _watched_tables():
    for app_label, model_name, column in WATCHED:
        yield apps.get_model(app_label, model_name)._meta.db_table, column


def _postgresql_triggers(table, column):
    """``{name: SQL}`` of the triggers that watch ``table``."""
    deferred = "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
    first = f"{FIRST_CHANGE}()"
    run = f"EXECUTE FUNCTION {TRIGGER}()"
    if column is None:
        return {
            TRIGGER: f"CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE "
            f'ON "{table}" {deferred} WHEN ({first}) {run}',
            f"{TRIGGER}_truncate": f"CREATE TRIGGER {TRIGGER}_truncate AFTER TRUNCATE "
            f'ON "{table}" FOR EACH STATEMENT {run}',
        }
    # CASE, not AND: the first change must not be noted for an update that changes nothing.
    changed = f'OLD."{column}" IS DISTINCT FROM NEW."{column}"'
    return {
        TRIGGER: f'CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT OR DELETE ON "{table}" '
        f"{deferred} WHEN ({first}) {run}",
        f"{TRIGGER}_{column}": f"CREATE CONSTRAINT TRIGGER {TRIGGER}_{column} AFTER UPDATE OF "
        f'"{column}" ON "{table}" {deferred} WHEN (CASE WHEN {changed} THEN {first} '
        f"ELSE false END) {run}",
    }


def _sqlite_triggers(table, column):
    new_version = f"BEGIN UPDATE {VERSION_TABLE} SET version = lower(hex(randomblob(16))); END"
    events = ["INSERT", "DELETE"] + (["UPDATE"] if column is None else [])
    triggers = {
        f"{TRIGGER}_{table}_{event.lower()}": f'AFTER {event} ON "{table}" {new_version}'
        for event in events
    }
    if column is not None:
        triggers[f"{TRIGGER}_{table}_{column}"] = (
            f'AFTER UPDATE OF "{column}" ON "{table}" '
            f'WHEN OLD."{column}" IS NOT NEW."{column}" {new_version}'
        )
    return {
        name: f'CREATE TRIGGER IF NOT EXISTS "{name}" {body}' for name, body in triggers.items()
    }


def _triggers(vendor) -> list[tuple[str, str, str]]:
    """``[(table, trigger name, SQL)]`` for the database ``vendor``."""
    make = _postgresql_triggers if vendor == "postgresql" else _sqlite_triggers
    return [
        (table, name, sql)
        for table, column in _watched_tables()
        for name, sql in make(table, column).items()
    ]


def install_triggers(connection):
    """Create the triggers that are missing, and on PostgreSQL replace those queued once
    per row (before migration 0008: no ``WHEN``); those in place are left alone."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    with connection.cursor() as cursor:
        if VERSION_TABLE not in connection.introspection.table_names(cursor):
            return  # before coverage's migration 0007
        if connection.vendor == "postgresql":
            for sql in _PG_FUNCTIONS:
                cursor.execute(sql)
            cursor.execute(
                "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger "
                "WHERE tgname LIKE %s",
                [f"{TRIGGER}%"],
            )
            present = set()
            for table, name, definition in cursor.fetchall():
                if " TRUNCATE " not in definition and FIRST_CHANGE not in definition:
                    cursor.execute(f"DROP TRIGGER {name} ON {table}")
                else:
                    present.add((table.strip('"'), name))
        else:
            cursor.execute(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{TRIGGER}%"],
            )
            present = set(cursor.fetchall())
        for table, name, sql in _triggers(connection.vendor):
            if (table, name) not in present:
                cursor.execute(sql)


def _version_sql(vendor) -> str:
    """One round trip: the version, and how many of the triggers are in place."""
    if vendor == "postgresql":
        return (
            f"SET CONSTRAINTS {TRIGGER}, {TRIGGER}_id_number_hash, {TRIGGER}_title IMMEDIATE; "
            f"SET CONSTRAINTS {TRIGGER}, {TRIGGER}_id_number_hash, {TRIGGER}_title DEFERRED; "
            "SELECT version, (SELECT COUNT(*) FROM pg_trigger WHERE tgname LIKE "
            f"'{TRIGGER}%%'), set_config('{QUEUED}', '', true) FROM {VERSION_TABLE}"
        )
    return (
        "SELECT version, (SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name "
        f"LIKE '{TRIGGER}%%') FROM {VERSION_TABLE}"
    )


def data_version(connection) -> str | None:
    """The data version now, or None when it cannot be trusted (a trigger missing, or
    a database these triggers are not written for)."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return None
    with connection.cursor() as cursor:
        cursor.execute(_version_sql(connection.vendor), [])
        while cursor.description is None and cursor.nextset():
            pass
        row = cursor.fetchone()
    if row is None or row[1] != len(_triggers(connection.vendor)):
        return None
    return row[0]


def _settings_read():
    """The settings the figures depend on, so that changing one is a new key."""
    return (
        tuple(settings.COVERAGE_CAPACITY_CATEGORIES),
        tuple(settings.COVERAGE_MIGRANT_STATUSES),
        str(getattr(settings, "COVERAGE_TARGET", "0.5")),
    )


def cached(parts: tuple, compute, connection=None):
    """``compute()``, from the cache while the data version is the one it was computed
    under. ``parts`` (plain values: names, dates, primary keys) tell one set of figures
    from another."""
    from django.db import connection as default

    version = data_version(connection or default)
    if version is None:
        return compute()
    digest = hashlib.sha256(repr((parts, _settings_read())).encode()).hexdigest()
    key = f"{KEY_PREFIX}:{version}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
