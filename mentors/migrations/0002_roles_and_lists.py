"""The 帮带管理员 group with its permissions, and the short lists the product starts with.

See mentors/roles.py.
"""

from django.db import migrations

from accounts.grants import create_permissions_now
from mentors.roles import ensure_mentoring_staff, ensure_short_lists

PERMISSION_APPS = ["wagtailadmin", "mentors"]


def set_up(apps, schema_editor):
    create_permissions_now(apps, PERMISSION_APPS)
    ensure_mentoring_staff(apps)
    ensure_short_lists(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("mentors", "0001_initial"),
        ("courses", "0003_course_roles"),
    ]

    operations = [
        migrations.RunPython(set_up, migrations.RunPython.noop),
    ]
