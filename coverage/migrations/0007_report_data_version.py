"""The data version the report's cache is keyed by (coverage.freshness): one row, given a
new random value by triggers on every write under the figures."""

from django.db import migrations

from coverage.freshness import TRIGGER, VERSION_TABLE, _triggers, install_triggers

NEW_VERSION = {
    "postgresql": "md5(random()::text || clock_timestamp()::text)",
    "sqlite": "lower(hex(randomblob(16)))",
}


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor not in NEW_VERSION:
        return
    schema_editor.execute(
        f"CREATE TABLE {VERSION_TABLE} (id integer PRIMARY KEY, version varchar(32) NOT NULL)"
    )
    schema_editor.execute(
        f"INSERT INTO {VERSION_TABLE} (id, version) VALUES (1, {NEW_VERSION[connection.vendor]})"
    )
    install_triggers(connection)


def remove(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}() CASCADE")
    elif connection.vendor == "sqlite":
        for _, name, _ in _triggers("sqlite"):
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    if connection.vendor in NEW_VERSION:
        schema_editor.execute(f"DROP TABLE IF EXISTS {VERSION_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("coverage", "0006_submissions_store_their_figures"),
        ("accounts", "0004_user_id_number_held_once"),
        ("classes", "0004_prove_id_numbers"),
        ("learning", "0004_certificate_holder"),
        ("regions", "0003_village_is_active"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, remove)]
