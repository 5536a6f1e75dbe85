"""Let the 讲师 and 课程管理员 groups add, change and view class sessions and attendances.

See classes/roles.py.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from classes.roles import ensure_class_permissions

# Apps whose permissions the groups receive (wagtailadmin's through ensure_course_groups).
PERMISSION_APPS = ["wagtailadmin", "classes"]


def grant_class_permissions(apps, schema_editor):
    # Django creates permissions after all migrations have run (post_migrate);
    # on a fresh database they don't exist yet at this point, so create them now.
    for label in PERMISSION_APPS:
        create_permissions(global_apps.get_app_config(label), apps=apps, verbosity=0)
    ensure_class_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("classes", "0001_initial"),
        ("courses", "0003_course_roles"),
    ]

    operations = [
        migrations.RunPython(grant_class_permissions, migrations.RunPython.noop),
    ]
