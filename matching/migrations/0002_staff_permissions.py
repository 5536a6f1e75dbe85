"""Let the 帮带管理员 group run the matcher and review its proposals (matching/roles.py)."""

from django.db import migrations

from accounts.grants import create_permissions_now
from matching.roles import ensure_matching_permissions

PERMISSION_APPS = ["wagtailadmin", "mentors", "matching"]


def grant(apps, schema_editor):
    create_permissions_now(apps, PERMISSION_APPS)
    ensure_matching_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0001_initial"),
        ("mentors", "0002_roles_and_lists"),
    ]

    operations = [
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
