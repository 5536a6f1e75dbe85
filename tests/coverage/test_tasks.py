"""The registry import task: progress on the row, the report, and a real worker on Redis."""

import pytest
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connection, connections

from accounts.idcard import check_digit
from coverage import registry_import
from coverage.models import RegistryImport, RegistryMember
from coverage.registry_import import HEADER
from coverage.tasks import import_registry_task
from regions.models import County, Town, Village
from tests.accounts.factories import UserFactory
from tests.site.test_celery_worker import REDIS_URL, redis_is_up
from tests.support import require, run_on_real_worker, worker_database_url


def id_number(n):
    first17 = f"44538119850101{n:03d}"
    return first17 + check_digit(first17)


def registry_csv(count, *, bad_rows=()) -> bytes:
    """A registry file of ``count`` people in 罗定市/罗镜镇/太平村; rows numbered in
    ``bad_rows`` get an ID-card number that cannot be one."""
    lines = [",".join(HEADER)]
    for n in range(1, count + 1):
        number = "12345" if n in bad_rows else id_number(n)
        lines.append(
            f"罗定市,罗镜镇,太平村,H{n:03d},村民{n},{number},户主,普通劳动力,乡（镇）内务工"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def village():
    town = Town.objects.create(
        county=County.objects.create(name="罗定市", is_demonstration=True), name="罗镜镇"
    )
    return Village.objects.create(town=town, name="太平村", is_provincial_poor=True)


def new_import(content: bytes, name="registry.csv") -> RegistryImport:
    return RegistryImport.objects.create(
        file=ContentFile(content, name=name), uploaded_by=UserFactory()
    )


@pytest.mark.django_db
def test_the_task_imports_and_reports_progress_every_batch(monkeypatch):
    village()
    registry = new_import(registry_csv(5))
    monkeypatch.setattr(registry_import, "BATCH", 2)
    seen = []
    original = registry_import._report
    monkeypatch.setattr(
        registry_import,
        "_report",
        lambda progress, done, total: (seen.append((done, total)), original(progress, done, total)),
    )
    assert import_registry_task(registry.pk) == "done"
    assert seen == [(2, 5), (4, 5), (5, 5)]
    registry.refresh_from_db()
    assert (registry.status, registry.done, registry.total) == ("done", 5, 5)
    assert "5" in registry.report
    assert RegistryMember.objects.count() == 5


@pytest.mark.django_db
def test_a_bad_file_fails_with_its_row_errors_and_writes_nothing():
    village()
    registry = new_import(registry_csv(4, bad_rows={2, 4}))
    assert import_registry_task(registry.pk) == "failed"
    registry.refresh_from_db()
    assert registry.status == "failed"
    assert "3" in registry.report and "5" in registry.report  # rows 3 and 5 of the file
    assert "村民2" in registry.report and "村民4" in registry.report
    assert (registry.done, registry.total) == (0, 0)
    assert not RegistryMember.objects.exists()


@pytest.mark.django_db
def test_an_unknown_file_type_fails_with_a_report():
    registry = new_import(b"not a sheet", name="registry.pdf")
    assert import_registry_task(registry.pk) == "failed"
    registry.refresh_from_db()
    assert ".pdf" in registry.report


@pytest.mark.django_db
def test_an_unexpected_error_marks_the_import_failed(monkeypatch):
    village()
    registry = new_import(registry_csv(2))

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("coverage.tasks.import_registry", broken)
    with pytest.raises(RuntimeError):
        import_registry_task(registry.pk)
    registry.refresh_from_db()
    assert registry.status == "failed"
    assert "disk on fire" not in registry.report
    assert not RegistryMember.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one connection write at a time: progress shows when the import ends",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_progress_is_visible_to_other_connections_while_the_import_runs(monkeypatch):
    """The status page is another request: it must see done/total before the import's
    own transaction commits."""
    village()
    registry = new_import(registry_csv(5))
    monkeypatch.setattr(registry_import, "BATCH", 2)
    observer = connections.create_connection(DEFAULT_DB_ALIAS)
    seen = []
    original = registry_import._report

    def report_and_look(progress, done, total):
        original(progress, done, total)
        with observer.cursor() as cursor:
            cursor.execute(
                "SELECT done, total FROM coverage_registryimport WHERE id = %s", [registry.pk]
            )
            seen.append(cursor.fetchone())

    monkeypatch.setattr(registry_import, "_report", report_and_look)
    try:
        assert import_registry_task(registry.pk) == "done"
    finally:
        observer.close()
    assert seen == [(2, 5), (4, 5), (5, 5)]


@pytest.mark.worker
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the worker is another process and needs the test database: SQLite's is in memory",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_import_runs_on_a_real_worker_through_redis(tmp_path, settings):
    require(redis_is_up(), "Redis on 127.0.0.1:6379")
    village()
    registry = new_import(registry_csv(30))
    log = tmp_path / "worker.log"
    env = {
        "DATABASE_URL": worker_database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
    }
    status = run_on_real_worker(import_registry_task.name, (registry.pk,), log, env)
    assert status == "done", log.read_text()
    registry.refresh_from_db()
    assert (registry.status, registry.done, registry.total) == ("done", 30, 30)
    assert RegistryMember.objects.filter(village__name="太平村").count() == 30
    assert id_number(1) not in log.read_text()
