"""Let the 讲师 and 课程管理员 groups add, change and view class sessions and attendances.

See classes/roles.py.
"""

from django.db import migrations

from classes.roles import ensure_class_permissions
from accounts.grants import create_permissions_now

# Apps whose permissions the groups receive (wagtailadmin's through ensure_course_groups).
PERMISSION_APPS = ["wagtailadmin", "classes"]


def grant_class_permissions(apps, schema_editor):
    create_permissions_now(apps, PERMISSION_APPS)
    ensure_class_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("classes", "0001_initial"),
        ("courses", "0003_course_roles"),
    ]

    operations = [
        migrations.RunPython(grant_class_permissions, migrations.RunPython.noop),
    ]
