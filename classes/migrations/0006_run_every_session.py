"""Course managers run every class session by a permission (classes.run_every_session),
not by their group's name. See classes/roles.py."""

from django.db import migrations

from accounts.grants import create_permissions_now
from classes.roles import ensure_session_managers


def grant_every_session(apps, schema_editor):
    create_permissions_now(apps, ["wagtailadmin", "classes"])
    ensure_session_managers(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("classes", "0005_attendance_phone_validated"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="classsession",
            options={
                "ordering": ["-date", "-start_time"],
                "permissions": [("run_every_session", "Can run every class session")],
                "verbose_name": "class session",
                "verbose_name_plural": "class sessions",
            },
        ),
        migrations.RunPython(grant_every_session, migrations.RunPython.noop),
    ]
