from celery import shared_task
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils.translation import gettext as _

from .models import RegistryImport
from .registry_import import RegistryFileError, import_registry


class _ProgressWriter:
    """Writes an import's done/total as the import goes.

    The import writes all members in one transaction (a bad file, or a failure half-way,
    leaves nothing behind), so updates made inside it would only show when it ends. The
    status page should see the progress: it is written through a connection of its own,
    committed at once. SQLite lets only one connection write at a time and the import
    holds it, so there the row is updated in the import's transaction; on one machine
    the task runs inside the upload's request anyway.
    """

    def __init__(self, import_id):
        self.import_id = import_id
        self.own = None
        if connection.vendor != "sqlite":
            self.own = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, done, total):
        if self.own is None:
            RegistryImport.objects.filter(pk=self.import_id).update(done=done, total=total)
            return
        table = self.own.ops.quote_name(RegistryImport._meta.db_table)
        with self.own.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET done = %s, total = %s WHERE id = %s",
                [done, total, self.import_id],
            )

    def close(self):
        if self.own is not None:
            self.own.close()


@shared_task
def import_registry_task(import_id: int) -> str:
    """Import an uploaded registry file (a RegistryImport row); returns its final status."""
    registry_import = RegistryImport.objects.get(pk=import_id)
    RegistryImport.objects.filter(pk=import_id).update(
        status=RegistryImport.Status.RUNNING, done=0, total=0, report=""
    )
    progress = _ProgressWriter(import_id)
    try:
        with registry_import.file.open("rb") as source:
            result = import_registry(source, progress=progress)
    except RegistryFileError as error:
        status, report = RegistryImport.Status.FAILED, error.report()
    except Exception:
        # Whatever went wrong, the page must not say "running" for ever; the worker's
        # log has the traceback.
        RegistryImport.objects.filter(pk=import_id).update(
            status=RegistryImport.Status.FAILED,
            report=_("The import stopped because of an unexpected error; nothing was written."),
        )
        raise
    else:
        status, report = RegistryImport.Status.DONE, str(result)
    finally:
        progress.close()
    updates = {"status": status, "report": report}
    if status == RegistryImport.Status.DONE:
        total = result.created + result.updated + result.deactivated
        updates.update(done=total, total=total)
    RegistryImport.objects.filter(pk=import_id).update(**updates)
    return status
