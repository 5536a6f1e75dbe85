"""The data version's triggers on PostgreSQL queued once per transaction rather than once
per row (coverage.freshness: a ``WHEN`` true for the first row written only). SQLite's
triggers are unchanged."""

from django.db import migrations

from coverage.freshness import (
    FIRST_CHANGE,
    TRIGGER,
    VERSION_TABLE,
    _watched_tables,
    install_triggers,
)

# 0007's function, for going back: it changed the version once per transaction itself,
# however many events were queued.
ONCE_PER_ROW_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('coverage.data_changed', true) IS DISTINCT FROM 'noted' THEN
        UPDATE {VERSION_TABLE} SET version = md5(random()::text || clock_timestamp()::text);
        PERFORM set_config('coverage.data_changed', 'noted', true);
    END IF;
    RETURN NULL;
END $$
"""


def queue_once(apps, schema_editor):
    # install_triggers replaces the triggers without a WHEN.
    install_triggers(schema_editor.connection)


def queue_per_row(apps, schema_editor):
    """0007's triggers: the same, without the WHEN that queues the first row only."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(ONCE_PER_ROW_FUNCTION)
    deferred = "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
    run = f"EXECUTE FUNCTION {TRIGGER}()"
    for table, column in _watched_tables():
        events = "INSERT OR UPDATE OR DELETE" if column is None else "INSERT OR DELETE"
        schema_editor.execute(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"')
        schema_editor.execute(
            f'CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER {events} ON "{table}" {deferred} {run}'
        )
        if column is not None:
            schema_editor.execute(f'DROP TRIGGER IF EXISTS {TRIGGER}_{column} ON "{table}"')
            schema_editor.execute(
                f"CREATE CONSTRAINT TRIGGER {TRIGGER}_{column} AFTER UPDATE OF "
                f'"{column}" ON "{table}" {deferred} WHEN (OLD."{column}" IS DISTINCT FROM '
                f'NEW."{column}") {run}'
            )
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FIRST_CHANGE}()")


class Migration(migrations.Migration):
    dependencies = [("coverage", "0007_report_data_version")]

    operations = [migrations.RunPython(queue_once, queue_per_row)]
