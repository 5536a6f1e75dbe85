"""Create the 商务局 and 县级商务部门 groups in every database.

See coverage/roles.py for what each group may do.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from coverage.roles import ensure_coverage_groups

# Apps whose permissions the groups receive.
PERMISSION_APPS = ["wagtailadmin", "coverage"]


def create_coverage_roles(apps, schema_editor):
    # Django creates permissions after all migrations have run (post_migrate);
    # on a fresh database they don't exist yet at this point, so create them now.
    for label in PERMISSION_APPS:
        create_permissions(global_apps.get_app_config(label), apps=apps, verbosity=0)
    ensure_coverage_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("coverage", "0002_staff_audit_imports_submissions"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [
        migrations.RunPython(create_coverage_roles, migrations.RunPython.noop),
    ]
