"""Registry uploads become sheet uploads (sheets.SheetUpload), files out of MEDIA_ROOT.

The history of earlier registry imports is kept as sheet uploads. Their files sat under
MEDIA_ROOT/registry/, where a URL could reach them: they are deleted, not moved (the
imports are over, and the members they held are in the database). The 商务局 group may
now upload because it may add registry members.
"""

from pathlib import Path

from django.conf import settings
from django.db import migrations

from accounts.grants import create_permissions_now
from coverage.roles import ensure_coverage_groups

# An import that was still waiting or running when this migration runs never ends.
STATUS = {"waiting": "failed", "running": "failed", "done": "done", "failed": "refused"}


def registry_imports_to_sheet_uploads(apps, schema_editor):
    RegistryImport = apps.get_model("coverage", "RegistryImport")
    SheetUpload = apps.get_model("sheets", "SheetUpload")
    for old in RegistryImport.objects.all():
        upload = SheetUpload.objects.create(
            kind="registry",
            file_name=Path(old.file.name).name,
            uploaded_by_id=old.uploaded_by_id,
            status=STATUS.get(old.status, "failed"),
            report=old.report,
            done=old.done,
            total=old.total,
        )
        # auto_now_add set it to now; the upload happened then.
        SheetUpload.objects.filter(pk=upload.pk).update(uploaded_at=old.uploaded_at)
        if old.file.name:
            (Path(settings.MEDIA_ROOT) / old.file.name).unlink(missing_ok=True)


def grant_upload_permission(apps, schema_editor):
    create_permissions_now(apps, ["coverage"])
    ensure_coverage_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("coverage", "0004_national_work_status"),
        ("sheets", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(registry_imports_to_sheet_uploads, migrations.RunPython.noop),
        migrations.DeleteModel(name="RegistryImport"),
        migrations.RunPython(grant_upload_permission, migrations.RunPython.noop),
    ]
