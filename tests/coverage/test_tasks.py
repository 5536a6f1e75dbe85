"""The registry's check and import on the worker (sheets.tasks with the "registry" kind):
the dry run's preview, progress, reports, late deliveries, failures, and a real worker.

The helpers at the top write the national system's export (26 columns, its own order)
and are shared by the registry upload tests.
"""

import types

import pytest
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import translation

from accounts.idcard import check_digit
from coverage import registry_import
from coverage.models import RegistryMember
from coverage.wagtail_hooks import REGISTRY_SHEET
from regions.models import County, Town, Village
from sheets import storage, tasks, uploads
from sheets.models import SheetUpload
from sheets.tasks import check_upload_task, import_upload_task
from tests.accounts.factories import UserFactory
from tests.site.test_celery_worker import REDIS_URL, redis_is_up
from tests.support import require, run_on_real_worker, worker_database_url

# The national system's (全国扶贫开发信息系统) export, in its own order.
NATIONAL_HEADER = (
    "县(市、区、旗),乡(镇),行政村,自然村,户编号,人编号,姓名,性别,证件号码,人数,与户主关系,"
    "民族,文化程度,在校生状况,健康状况,劳动技能,务工状况,务工时间（月）,是否参加大病医疗,"
    "脱贫属性,贫困户属性,主要致贫原因,危房户,是否解决安全饮用水,人均纯收入,联系电话"
).split(",")
SURNAMES = "罗陈黄李梁何邓林"
GIVEN = "春燕秀英志强桂芳"


def id_number(n: int) -> str:
    """A valid 18-digit number of 罗定市 (445381), a different one for each ``n``."""
    first17 = f"44538119850101{n:03d}"
    return first17 + check_digit(first17)


def member_name(n: int) -> str:
    return SURNAMES[n % 8] + GIVEN[(n // 8) % 8] + "玲"


def person(n, *, village="水摆村", labour="普通劳动力", work="乡（镇）内务工", number=None):
    """Member ``n`` of 罗定市/罗镜镇, as a line of the national export (a dict by heading).
    The registry writes a village 水摆村 where the statistics bureau has 水摆村委会."""
    return {
        "县(市、区、旗)": "罗定市",
        "乡(镇)": "罗镜镇",
        "行政村": village,
        "自然村": "上村",
        "户编号": f"44538110{n:05d}",
        "人编号": f"44538110{n:05d}01",
        "姓名": member_name(n),
        "性别": "女",
        "证件号码": id_number(n) if number is None else number,
        "人数": "1",
        "与户主关系": "户主",
        "民族": "汉族",
        "文化程度": "初中",
        "健康状况": "健康",
        "劳动技能": labour,
        "务工状况": work,
        "务工时间（月）": "0",
        "是否参加大病医疗": "是",
        "脱贫属性": "已脱贫",
        "贫困户属性": "一般贫困户",
        "主要致贫原因": "缺技术",
        "危房户": "否",
        "是否解决安全饮用水": "是",
        "人均纯收入": "8123.50",
        "联系电话": f"139{n:08d}",
    }


def national_csv(people, encoding="utf-8") -> bytes:
    """The people as the national export saves them: a CSV (GBK when asked)."""
    lines = [NATIONAL_HEADER, *([p.get(column, "") for column in NATIONAL_HEADER] for p in people)]
    return "".join(",".join(line) + "\r\n" for line in lines).encode(encoding)


def shuibai() -> Village:
    """罗定市/罗镜镇/水摆村委会: a provincial poor village of a demonstration county, named
    as the statistics bureau names it."""
    county, _created = County.objects.get_or_create(name="罗定市", is_demonstration=True)
    town, _created = Town.objects.get_or_create(county=county, name="罗镜镇")
    village, _created = Village.objects.get_or_create(
        town=town, name="水摆村委会", is_provincial_poor=True
    )
    return village


def stored_upload(content: bytes, name="registry.csv", **fields) -> SheetUpload:
    """A registry upload as the upload view leaves it: stored, waiting for its check."""
    return SheetUpload.objects.create(
        kind=REGISTRY_SHEET.slug,
        file_name=name,
        stored=storage.store(ContentFile(content)),
        uploaded_by=UserFactory(),
        **fields,
    )


def stored_files(root) -> list:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def progress_seen(monkeypatch):
    """Every (done, total) the import tells its ProgressWriter."""
    seen = []

    class Recording(tasks.ProgressWriter):
        def __call__(self, done, total):
            seen.append((done, total))
            super().__call__(done, total)

    monkeypatch.setattr(tasks, "ProgressWriter", Recording)
    return seen


@pytest.mark.django_db
def test_the_check_says_what_will_change_and_writes_nothing(private_root):
    shuibai()
    people = [person(1), person(2), person(3, work="省外务工")]  # the migrant is not eligible
    upload = stored_upload(national_csv(people, "gbk"))
    assert check_upload_task(upload.pk) == "ready"
    upload.refresh_from_db()
    assert upload.preview.splitlines() == [
        "Registry members in 罗定市: 3 added, 0 updated, 0 unchanged.",
        "罗定市: eligible for the 50% figure 0 → 2.",
        "Dry run: nothing was written.",
    ]
    assert not RegistryMember.objects.exists()
    assert stored_files(private_root) == [private_root / upload.stored]  # kept for the import


@pytest.mark.django_db
def test_the_import_writes_reports_progress_every_batch_and_deletes_the_file(
    monkeypatch, progress_seen, private_root
):
    shuibai()
    upload = stored_upload(national_csv([person(n) for n in range(1, 6)]))
    check_upload_task(upload.pk)
    monkeypatch.setattr(registry_import, "BATCH", 2)
    assert uploads.confirm(upload, UserFactory())
    assert import_upload_task(upload.pk) == "done"
    assert progress_seen == [(2, 5), (4, 5), (5, 5)]
    upload.refresh_from_db()
    assert (upload.status, upload.done, upload.total) == ("done", 5, 5)
    assert upload.report.splitlines()[:2] == [
        "Registry members in 罗定市: 5 added, 0 updated, 0 unchanged.",
        "罗定市: eligible for the 50% figure 0 → 5.",
    ]
    assert RegistryMember.objects.eligible().count() == 5
    assert upload.stored == "" and stored_files(private_root) == []


@pytest.mark.django_db
def test_a_bad_file_is_refused_with_every_row_error_and_its_file_deleted(private_root):
    shuibai()
    people = [
        person(1),
        person(2, number="44538119850101"),  # row 3: too short
        person(3, village="无名村"),  # row 4: no such village
        person(4, labour="会飞"),  # row 5: not a word of the registry
        person(5),
    ]
    upload = stored_upload(national_csv(people))
    assert check_upload_task(upload.pk) == "refused"
    upload.refresh_from_db()
    assert upload.status == "refused" and upload.preview == ""
    lines = upload.report.splitlines()
    assert lines[0] == "The file was not imported, nothing was written: 3 problems found."
    assert [line.split(":")[0] for line in lines[1:]] == [
        f"Row 3 ({member_name(2)})",
        f"Row 4 ({member_name(3)})",
        f"Row 5 ({member_name(4)})",
    ]
    assert "无名村" in lines[2] and "会飞" in lines[3]
    assert "44538119850101" not in upload.report  # ID numbers are never repeated
    assert not RegistryMember.objects.exists()
    assert upload.stored == "" and stored_files(private_root) == []


@pytest.mark.django_db
def test_a_file_that_is_no_sheet_is_refused_by_name():
    upload = stored_upload(b"%PDF-1.7\n\x00\x01\x02\xff\xfe", name="罗定市.pdf")
    assert check_upload_task(upload.pk) == "refused"
    upload.refresh_from_db()
    assert "罗定市.pdf" in upload.report


@pytest.mark.django_db
def test_an_unexpected_error_fails_the_import_writes_nothing_and_deletes_the_file(
    monkeypatch, private_root
):
    """The error happens after the members were written: they are rolled back, and the
    upload says failed instead of importing for ever."""
    shuibai()
    upload = stored_upload(national_csv([person(1), person(2)]))
    check_upload_task(upload.pk)
    uploads.confirm(upload, UserFactory())
    counted = registry_import._eligible_by_county
    calls = []

    def after_the_writes(counties):
        calls.append(counties)
        if len(calls) == 2:
            assert RegistryMember.objects.count() == 2
            raise RuntimeError("disk on fire")
        return counted(counties)

    monkeypatch.setattr(registry_import, "_eligible_by_county", after_the_writes)
    with pytest.raises(RuntimeError):  # raised again, for the worker's log
        import_upload_task(upload.pk)
    upload.refresh_from_db()
    assert upload.status == "failed"
    assert "unexpected error" in upload.report and "disk on fire" not in upload.report
    assert not RegistryMember.objects.exists()
    assert upload.stored == "" and stored_files(private_root) == []


@pytest.mark.django_db
def test_an_unexpected_error_in_the_check_fails_the_upload(monkeypatch, private_root):
    shuibai()
    upload = stored_upload(national_csv([person(1)]))

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(registry_import, "save_registry_members", broken)
    with pytest.raises(RuntimeError):
        check_upload_task(upload.pk)
    upload.refresh_from_db()
    assert upload.status == "failed" and "disk on fire" not in upload.report
    assert stored_files(private_root) == []


@pytest.mark.django_db
def test_tasks_delivered_again_late_change_nothing(settings, private_root):
    """A broker may deliver a task twice. With the file kept, a second import would undo
    what happened since; an import before confirmation would skip the staff's decision."""
    settings.KEEP_IMPORTED_FILES = True
    shuibai()
    upload = stored_upload(national_csv([person(1), person(2)]))
    assert check_upload_task(upload.pk) == "ready"
    assert import_upload_task(upload.pk) == "ready"  # not confirmed: not imported
    assert not RegistryMember.objects.exists()
    assert check_upload_task(upload.pk) == "ready"

    uploads.confirm(upload, UserFactory())
    assert import_upload_task(upload.pk) == "done"
    upload.refresh_from_db()
    report = upload.report
    # Since then a newer file dropped member 1.
    RegistryMember.objects.filter(name=member_name(1)).update(is_active=False)

    assert import_upload_task(upload.pk) == "done"
    assert check_upload_task(upload.pk) == "done"
    upload.refresh_from_db()
    assert (upload.status, upload.report) == ("done", report)
    assert not RegistryMember.objects.get(name=member_name(1)).is_active
    assert RegistryMember.objects.count() == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one connection write at a time: progress shows when the import ends",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_progress_is_visible_to_other_connections_while_the_import_runs(monkeypatch):
    """The status page is another request: it must see done/total before the import's
    own transaction commits."""
    shuibai()
    upload = stored_upload(national_csv([person(n) for n in range(1, 6)]))
    check_upload_task(upload.pk)
    SheetUpload.objects.filter(pk=upload.pk).update(status="importing")
    monkeypatch.setattr(registry_import, "BATCH", 2)
    observer = connections.create_connection(DEFAULT_DB_ALIAS)
    seen = []

    class Observed(tasks.ProgressWriter):
        def __call__(self, done, total):
            super().__call__(done, total)
            with observer.cursor() as cursor:
                cursor.execute(
                    "SELECT done, total FROM sheets_sheetupload WHERE id = %s", [upload.pk]
                )
                seen.append(cursor.fetchone())

    monkeypatch.setattr(tasks, "ProgressWriter", Observed)
    try:
        assert import_upload_task(upload.pk) == "done"
    finally:
        observer.close()
    assert seen == [(2, 5), (4, 5), (5, 5)]


@pytest.mark.worker
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the worker is another process and needs the test database: SQLite's is in memory",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_check_and_the_import_run_on_a_real_worker_through_redis(
    tmp_path, monkeypatch, private_root
):
    require(redis_is_up(), "Redis on 127.0.0.1:6379")
    shuibai()
    upload = stored_upload(national_csv([person(n) for n in range(1, 31)], "gbk"))
    env = {
        "DATABASE_URL": worker_database_url(),
        "PRIVATE_UPLOAD_ROOT": str(private_root),
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
    }
    check_log, import_log = tmp_path / "check.log", tmp_path / "import.log"

    status = run_on_real_worker(check_upload_task.name, (upload.pk,), check_log, env)
    assert status == "ready", check_log.read_text()
    upload.refresh_from_db()
    assert "罗定市" in upload.preview and "30" in upload.preview
    assert not RegistryMember.objects.exists()

    # Confirming queues the import; here it goes to the real worker, not in-process.
    queued = []
    monkeypatch.setattr(uploads, "import_upload_task", types.SimpleNamespace(delay=queued.append))
    assert uploads.confirm(upload, UserFactory())
    assert queued == [upload.pk]
    status = run_on_real_worker(import_upload_task.name, (upload.pk,), import_log, env)
    assert status == "done", import_log.read_text()
    upload.refresh_from_db()
    assert (upload.status, upload.done, upload.total) == ("done", 30, 30)
    assert RegistryMember.objects.filter(village__name="水摆村委会").count() == 30
    assert stored_files(private_root) == []
    for log in (check_log, import_log):
        assert id_number(1) not in log.read_text()
