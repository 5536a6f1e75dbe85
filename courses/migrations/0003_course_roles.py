"""Create the 讲师 and 课程管理员 groups and the 课程审核 workflow in every database.

See courses/roles.py for what each group may do.
"""

from django.db import migrations

from accounts.grants import create_permissions_now
from courses.roles import ensure_course_groups, ensure_course_roles

# Apps whose permissions the groups receive.
PERMISSION_APPS = ["wagtailadmin", "wagtailcore", "wagtailimages", "wagtaildocs", "courses"]


def create_course_roles(apps, schema_editor):
    create_permissions_now(apps, PERMISSION_APPS)

    catalog = apps.get_model("courses", "CatalogPage").objects.first()
    if catalog is None:
        ensure_course_groups(apps)
    else:
        ensure_course_roles(catalog, apps)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_home_catalog_and_tracks"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.RunPython(create_course_roles, migrations.RunPython.noop),
    ]
