"""Create the 商务局 and 县级商务部门 groups in every database.

See coverage/roles.py for what each group may do.
"""

from django.db import migrations

from accounts.grants import create_permissions_now
from coverage.roles import ensure_coverage_groups

# Apps whose permissions the groups receive.
PERMISSION_APPS = ["wagtailadmin", "coverage"]


def create_coverage_roles(apps, schema_editor):
    create_permissions_now(apps, PERMISSION_APPS)
    ensure_coverage_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("coverage", "0002_staff_audit_imports_submissions"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [
        migrations.RunPython(create_coverage_roles, migrations.RunPython.noop),
    ]
