"""Hostile spreadsheets fired at every kind of import, through the worker's own tasks.

Issue 13, finding 6: a 1 MB XLSX unpacking to a 1 GB cell drove a worker to 2.7 GB, a zip
bomb held the only worker for 25 minutes, and a file of 480,000 bad rows stored a 20 MB
report. Each file here is written in the test, streamed (a bomb's sheet is one deflate
block repeated), and given to ``check_upload_task`` and ``import_upload_task`` in a forked
child: the child's peak memory is measured from a reset high-water mark, under an
address-space cap so a regression fails the test instead of the machine.
"""

import json
import os
import random
import resource
import signal
import zlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import translation

from classes.models import Attendance, ClassSession
from courses.models import CatalogPage, Track
from coverage.models import RegistryMember
from mentors.models import Entrepreneur, Expert
from regions.models import County, Town, Village
from sheets import storage
from sheets.kinds import KINDS
from sheets.models import SheetUpload
from sheets.tasks import check_upload_task, import_upload_task
from tests.accounts.factories import UserFactory
from tests.courses.factories import make_course

MB = 1024 * 1024
# How much more memory checking a hostile file may take than the worker had before.
MEMORY_BOUND_MB = 300
# A regression must fail here, not take the machine's memory or an hour.
CHILD_EXTRA_ADDRESS_SPACE = 1536 * MB
CHILD_SECONDS = 120
MODELS = (RegistryMember, Attendance, Expert, Entrepreneur, County, Town, Village)
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


# Writing workbooks by hand: a zip of deflate streams, so a bomb costs a kilobyte.


class Deflated:
    """A zip member's content as raw deflate data, written piece by piece. Each piece is
    flushed on its own (Z_FULL_FLUSH), so one compressed piece can be repeated."""

    def __init__(self):
        self.parts, self.crc, self.size = [], 0, 0

    def add(self, data: bytes, times: int = 1):
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        block = compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)
        self.parts.append(block * times)
        for _ in range(times):
            self.crc = zlib.crc32(data, self.crc)
        self.size += len(data) * times
        return self

    def finished(self) -> bytes:
        return b"".join(self.parts) + zlib.compressobj(9, zlib.DEFLATED, -15).flush()


def write_zip(path: Path, members: dict):
    """A zip file of ``members`` (name -> bytes or Deflated), without zip64."""
    import struct

    local, central = [], []
    offset = 0
    for name, content in members.items():
        if isinstance(content, bytes):
            content = Deflated().add(content)
        data, encoded = content.finished(), name.encode()
        sizes = (content.crc, len(data), content.size)
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, *sizes, len(encoded), 0)
        local.append(header + encoded + data)
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                *sizes,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
        offset += len(local[-1])
    directory = b"".join(central)
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory), offset, 0
    )
    path.write_bytes(b"".join(local) + directory + end)
    return path


PACKAGE = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{PACKAGE}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEET}.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{SPREADSHEET}.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    f'ContentType="{SPREADSHEET}.sharedStrings+xml"/>'
    "</Types>"
).encode()
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
).encode()
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="{OFFICE}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
).encode()
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
).encode()


def cell(ref: str, text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{escaped}</t></is></c>'


def row_xml(number: int, cells) -> str:
    return f'<row r="{number}">' + "".join(cells) + "</row>"


def write_workbook(path, sheet: Deflated, strings: tuple = ()):
    shared = f'<sst xmlns="{NS}" count="{len(strings)}" uniqueCount="{len(strings)}">'
    shared += "".join(f"<si><t>{text}</t></si>" for text in strings) + "</sst>"
    return write_zip(
        path,
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": ROOT_RELS,
            "xl/workbook.xml": WORKBOOK,
            "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
            "xl/sharedStrings.xml": shared.encode(),
            "xl/worksheets/sheet1.xml": sheet,
        },
    )


def sheet_start(dimension: str | None = None) -> bytes:
    dimension = f'<dimension ref="{dimension}"/>' if dimension else ""
    start = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">'
    return f"{start}{dimension}<sheetData>".encode()


SHEET_END = b"</sheetData></worksheet>"


# The hostile files.


def header_of(kind) -> list[str]:
    return [heading for heading, _aliases, _required in kind.layout.describe()]


def zip_bomb(path, kind, megabytes):
    """A sheet whose second row is one cell of ``megabytes`` MB of zeros: ~1 KB a GB."""
    header = row_xml(1, [cell("A1", text) for text in header_of(kind)[:1]])
    sheet = Deflated().add(
        sheet_start() + header.encode() + b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
    )
    sheet.add(b"0" * MB, times=megabytes).add(b"</t></is></c></row>" + SHEET_END)
    return write_workbook(path, sheet)


def huge_cell(path, kind, *, shared: bool):
    """A header and one row whose second cell holds 200,000 random Chinese characters, which
    no compression shrinks: inline in the sheet, or in the shared strings."""
    rng = random.Random(13)
    text = "".join(chr(0x4E00 + rng.randrange(20000)) for _ in range(200_000))
    headings = header_of(kind)
    row = [cell(f"{chr(65 + i)}2", "张三") for i in range(len(headings))]
    row[1] = '<c r="B2" t="s"><v>0</v></c>' if shared else cell("B2", text)
    sheet = Deflated().add(
        sheet_start()
        + row_xml(1, [cell(f"{chr(65 + i)}1", h) for i, h in enumerate(headings)]).encode()
        + row_xml(2, row).encode()
        + SHEET_END
    )
    return write_workbook(path, sheet, strings=(text,) if shared else ())


def many_rows_xlsx(path, kind, rows, *, dimension: bool):
    """``rows`` rows of the kind's header's width; rows and cells need not say where they
    are, so one compressed block of a thousand rows is repeated."""
    headings = header_of(kind)
    width = len(headings)
    last = f"{chr(64 + width)}{rows + 1}"
    sheet = Deflated().add(
        sheet_start(f"A1:{last}" if dimension else None)
        + row_xml(1, [cell(f"{chr(65 + i)}1", h) for i, h in enumerate(headings)]).encode()
    )
    # Random numbers, so the block packs like a real sheet (about 10 times), not a bomb.
    rng = random.Random(6)
    block = "".join(
        "<row>" + "".join(f"<c><v>{rng.randrange(100)}</v></c>" for _ in headings) + "</row>"
        for _ in range(1000)
    )
    sheet.add(block.encode(), times=rows // 1000).add(SHEET_END)
    return write_workbook(path, sheet)


def many_rows_csv(path, kind, rows):
    headings = header_of(kind)
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write(",".join(headings) + "\n")
        line = ",".join("1" for _ in headings) + "\n"
        for _ in range(rows // 1000):
            file.write(line * 1000)
    return path


def bad_rows_csv(path, kind, rows):
    """Every row wrong: a first cell of nonsense and the others empty."""
    headings = header_of(kind)
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write(",".join(headings) + "\n")
        file.write("".join(f"坏{n}" + "," * (len(headings) - 1) + "\n" for n in range(rows)))
    return path


# Running the worker's tasks in a child, and what they did.


def peak_growth_in_child(work):
    """``work()``'s JSON-able result and how many MB the child's resident memory grew at
    its peak. The child is a fork: it has this process's database (SQLite in memory),
    and its high-water mark is reset (clear_refs 5) before the work starts."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(reader)
        try:
            status = Path("/proc/self/status")
            resource.setrlimit(
                resource.RLIMIT_AS, (_kib(status, "VmSize") * 1024 + CHILD_EXTRA_ADDRESS_SPACE,) * 2
            )
            signal.alarm(CHILD_SECONDS)
            Path("/proc/self/clear_refs").write_text("5")
            before = _kib(status, "VmRSS")
            outcome = {"result": work()}
            outcome["peak_mb"] = (_kib(status, "VmHWM") - before) / 1024
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails
            outcome = {"error": repr(exc)[:2000]}
        with os.fdopen(writer, "w") as pipe:
            pipe.write(json.dumps(outcome))
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader) as pipe:
        text = pipe.read()
    _pid, code = os.waitpid(pid, 0)
    assert code == 0 and text, f"the child died (wait status {code}): a bound did not hold"
    outcome = json.loads(text)
    assert "error" not in outcome, outcome["error"]
    print(f"peak memory growth: {outcome['peak_mb']:.0f} MB")  # shown with pytest -s
    return outcome["result"], outcome["peak_mb"]


def _kib(status: Path, field: str) -> int:
    line = next(line for line in status.read_text().splitlines() if line.startswith(field))
    return int(line.split()[1])


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def options_of(db):
    """The options an upload of each kind carries (a sign-in sheet is for a session)."""
    county = County.objects.create(name="罗定市")
    village = Village.objects.create(
        town=Town.objects.create(county=county, name="罗镜镇"), name="水摆村"
    )
    course = make_course(CatalogPage.objects.get(), Track.objects.first(), "网店开设实操")
    session = ClassSession.objects.create(
        course=course,
        date="2026-12-01",
        start_time="09:00",
        end_time="12:00",
        venue=village,
        hours=3,
        instructor=UserFactory(),
    )
    return lambda kind: {"session": session.pk} if kind == "attendance" else {}


def uploads_of(path, kind, options):
    """The file uploaded twice, as the upload page stores it: once waiting for its check,
    once confirmed and waiting for its import (as if the check had let it through)."""
    user = UserFactory()
    return [
        SheetUpload.objects.create(
            kind=kind,
            options=options,
            file_name=path.name,
            stored=storage.store(ContentFile(path.read_bytes())),
            uploaded_by=user,
            confirmed_by=user,
            status=status,
        ).pk
        for status in ("checking", "importing")
    ]


def run_tasks(path, kind, options):
    """The worker's two tasks on the uploaded file, in a child; what they did."""
    checking, importing = uploads_of(path, kind, options)

    def work():
        before = counts()
        outcome = {}
        for task, pk, step in (
            (check_upload_task, checking, "checking"),
            (import_upload_task, importing, "importing"),
        ):
            task(pk)
            upload = SheetUpload.objects.get(pk=pk)
            outcome[step] = {
                "status": upload.status,
                "report": upload.report,
                "stored": upload.stored,
            }
        outcome["written"] = {name: n for name, n in counts().items() if n != before[name]}
        return outcome

    return peak_growth_in_child(work)


def assert_refused(outcome, *phrases):
    for step in ("checking", "importing"):
        done = outcome[step]
        assert done["status"] == "refused", (step, done)
        assert done["stored"] == "", "a refused file is deleted"
        for phrase in phrases:
            assert phrase in done["report"], (step, done["report"][:500])
    assert outcome["written"] == {}


KIND_SLUGS = sorted(KINDS)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_every_kind_of_import_is_fired_at():
    assert set(KIND_SLUGS) >= {"registry", "attendance", "experts", "entrepreneurs", "regions"}


@pytest.mark.parametrize("kind", KIND_SLUGS)
def test_a_zip_bomb_over_the_unpacked_limit_is_refused_before_it_is_unpacked(
    kind, options_of, tmp_path
):
    path = zip_bomb(tmp_path / "bomb.xlsx", KINDS[kind], megabytes=1024)
    assert path.stat().st_size < 2 * MB  # a 1 GB cell in a 1 MB file, as in the finding
    outcome, peak = run_tasks(path, kind, options_of(kind))
    assert_refused(outcome, "SHEETS_MAX_UNCOMPRESSED_BYTES", "1.0\xa0GB")
    assert peak < MEMORY_BOUND_MB


@pytest.mark.parametrize("kind", KIND_SLUGS)
def test_a_zip_bomb_within_the_unpacked_limit_is_refused_by_its_ratio(kind, options_of, tmp_path):
    path = zip_bomb(tmp_path / "bomb.xlsx", KINDS[kind], megabytes=150)
    outcome, peak = run_tasks(path, kind, options_of(kind))
    assert_refused(outcome, "xl/worksheets/sheet1.xml", "zip bomb")
    assert peak < MEMORY_BOUND_MB


@pytest.mark.parametrize("shared", [False, True], ids=["inline", "shared-string"])
@pytest.mark.parametrize("kind", KIND_SLUGS)
def test_a_cell_over_the_cell_limit_is_refused_by_row_and_column(
    kind, shared, options_of, tmp_path
):
    path = huge_cell(tmp_path / "cell.xlsx", KINDS[kind], shared=shared)
    outcome, peak = run_tasks(path, kind, options_of(kind))
    assert_refused(
        outcome,
        "Row 2: Column B: the cell holds more than 5000 characters",
        "SHEETS_MAX_CELL_CHARS",
    )
    assert peak < MEMORY_BOUND_MB


@pytest.mark.parametrize("kind", KIND_SLUGS)
def test_500000_rows_of_csv_are_refused_at_the_row_limit(kind, options_of, tmp_path):
    path = many_rows_csv(tmp_path / "rows.csv", KINDS[kind], 500_000)
    outcome, peak = run_tasks(path, kind, options_of(kind))
    assert_refused(outcome, "more than 100000 rows", "SHEETS_MAX_ROWS")
    assert peak < MEMORY_BOUND_MB


@pytest.mark.parametrize("kind", KIND_SLUGS)
def test_500000_rows_of_xlsx_are_refused_by_the_declared_dimension(kind, options_of, tmp_path):
    path = many_rows_xlsx(tmp_path / "rows.xlsx", KINDS[kind], 500_000, dimension=True)
    outcome, peak = run_tasks(path, kind, options_of(kind))
    assert_refused(outcome, "500001 rows", "SHEETS_MAX_ROWS")
    assert peak < MEMORY_BOUND_MB


def test_rows_past_the_limit_are_refused_when_the_sheet_declares_no_dimension(
    options_of, tmp_path, settings
):
    """Reading stops at the first row past the limit: refused, never cut short."""
    settings.SHEETS_MAX_ROWS = 2_000
    path = many_rows_xlsx(tmp_path / "rows.xlsx", KINDS["regions"], 500_000, dimension=False)
    outcome, peak = run_tasks(path, "regions", {})
    assert_refused(outcome, "more than 2000 rows", "SHEETS_MAX_ROWS")
    assert peak < MEMORY_BOUND_MB


@pytest.mark.parametrize("kind", KIND_SLUGS)
def test_a_file_of_bad_rows_keeps_a_short_report(kind, options_of, tmp_path):
    path = bad_rows_csv(tmp_path / "bad.csv", KINDS[kind], 5_000)
    outcome, peak = run_tasks(path, kind, options_of(kind))
    assert_refused(outcome, "more problems not listed")
    for step in ("checking", "importing"):
        lines = outcome[step]["report"].splitlines()
        assert len(lines) == 1 + 200 + 1, (step, lines[:3])
        assert lines[1].startswith("Row 2") and "Row 5001" not in outcome[step]["report"]
        total = int(lines[0].split(": ")[1].split()[0])
        assert total >= 5_000 and lines[-1] == f"…and {total - 200} more problems not listed."
    assert peak < MEMORY_BOUND_MB


# The upload page: no parsing in the request beyond the bounded checks.


@pytest.fixture
def uploader(db):
    from django.contrib.auth.models import Permission

    user = UserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "add_village"])
    )
    return user


def post_file(client, user, path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with path.open("rb") as file:
        upload = SimpleUploadedFile(path.name, file.read())
    response = client.post(reverse("sheets:upload", args=["regions"]), {"file": upload})
    return response.status_code, response.content.decode()


def stored_files(root):
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_zip_bomb_posted_to_the_upload_page_is_refused_by_the_form(
    client, uploader, tmp_path, private_root, settings
):
    """Without a broker the check runs inside the request, once it commits: the bomb was
    unpacked right there, in a web worker. The form reads its zip directory only."""
    path = zip_bomb(tmp_path / "bomb.xlsx", KINDS["regions"], megabytes=150)
    assert path.stat().st_size < settings.SHEETS_INLINE_MAX_BYTES
    (status, html), peak = peak_growth_in_child(lambda: post_file(client, uploader, path))
    assert status == 200 and "zip bomb" in html
    assert peak < MEMORY_BOUND_MB
    assert not SheetUpload.objects.exists() and stored_files(private_root) == []


def test_a_file_over_the_size_limit_is_refused_before_it_is_stored(
    client, uploader, tmp_path, private_root, settings
):
    settings.SHEETS_MAX_UPLOAD_BYTES = 100 * 1024
    path = many_rows_csv(tmp_path / "big.csv", KINDS["regions"], 20_000)
    status, html = post_file(client, uploader, path)
    assert status == 200 and "SHEETS_MAX_UPLOAD_BYTES" in html and "100.0\xa0KB" in html
    assert not SheetUpload.objects.exists() and stored_files(private_root) == []


def test_without_a_worker_a_file_over_the_inline_limit_is_refused_with_why(
    client, uploader, tmp_path, private_root, settings, monkeypatch
):
    settings.SHEETS_INLINE_MAX_BYTES = 10_000
    path = many_rows_csv(tmp_path / "big.csv", KINDS["regions"], 2_000)
    assert check_upload_task.app.conf.task_always_eager  # the test settings have no broker
    status, html = post_file(client, uploader, path)
    assert status == 200 and "no background worker" in html and "SHEETS_INLINE_MAX_BYTES" in html
    assert not SheetUpload.objects.exists() and stored_files(private_root) == []

    # With a worker, the same file is stored and queued for its check.
    monkeypatch.setitem(check_upload_task.app.conf, "task_always_eager", False)
    status, _html = post_file(client, uploader, path)
    assert status == 302
    assert SheetUpload.objects.get().status == "checking" and len(stored_files(private_root)) == 1


def test_the_status_page_of_a_file_of_bad_rows_stays_small(client, uploader, tmp_path):
    """480,000 bad rows made a 42 MB page; the report now lists 200 problems."""
    path = bad_rows_csv(tmp_path / "bad.csv", KINDS["regions"], 20_000)
    checking, _importing = uploads_of(path, "regions", {})
    assert check_upload_task(checking) == "refused"
    client.force_login(uploader)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    from django.urls import reverse

    html = client.get(reverse("sheets:status", args=[checking])).content.decode()
    assert "40000 problems found" in html and "39800 more problems not listed" in html
    assert len(html.encode()) < 100_000


# The reading layer alone: XLS, long CSV cells, and the import commands.


def refusal(path):
    from sheets.checks import SheetError
    from sheets.reading import read_table

    with pytest.raises(SheetError) as excinfo:
        read_table(path)
    return excinfo.value


def test_an_xls_is_refused_by_its_sheets_size_before_its_cells_are_read(tmp_path, settings):
    import xlwt

    settings.SHEETS_MAX_ROWS = 100
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Sheet1")
    for row in range(150):
        sheet.write(row, 0, "水摆村")
    workbook.save(str(tmp_path / "rows.xls"))
    error = refusal(tmp_path / "rows.xls")
    assert [problem.code for problem in error.errors] == ["too_many_rows"]
    assert "150 rows" in error.report() and "SHEETS_MAX_ROWS" in error.report()


@pytest.mark.parametrize("length", [5_001, 200_000], ids=["over-ours", "over-csv-module's"])
def test_a_long_csv_cell_is_refused_by_its_row(tmp_path, length):
    path = tmp_path / "long.csv"
    path.write_text(f"县(市、区),简介\n罗定市,好\n云安区,{'长' * length}\n", encoding="utf-8")
    error = refusal(path)
    assert [(problem.row, problem.code) for problem in error.errors] == [(3, "cell_too_long")]
    assert "more than 5000 characters" in error.report()


def test_the_import_commands_refuse_a_bomb_with_the_same_message(tmp_path, db):
    from django.core.management import CommandError, call_command

    path = zip_bomb(tmp_path / "bomb.xlsx", KINDS["regions"], megabytes=1024)
    with pytest.raises(CommandError, match="SHEETS_MAX_UNCOMPRESSED_BYTES"):
        call_command("import_regions", str(path))
    assert not Village.objects.exists()


def test_a_workbook_of_more_shared_strings_than_its_rows_can_show_is_refused(tmp_path, settings):
    """openpyxl keeps every shared string in memory before the first row is read."""
    settings.SHEETS_MAX_ROWS = 100
    strings = tuple(f"村{n}" for n in range(5_000))
    sheet = Deflated().add(sheet_start() + row_xml(1, [cell("A1", "行政村")]).encode() + SHEET_END)
    error = refusal(write_workbook(tmp_path / "strings.xlsx", sheet, strings=strings))
    assert "more than 2000 different texts" in error.report()


def test_a_sheet_part_is_scanned_whatever_its_name(tmp_path):
    """The workbook's relations, not the part's name, tell openpyxl where the sheet is:
    a sheet saved as ``sheet1.dat`` is held to its declared size all the same."""
    sheet = Deflated().add(
        sheet_start("A1:B500001")
        + row_xml(1, [cell("A1", "县(市、区)"), cell("B1", "简介")]).encode()
        + row_xml(2, [cell("A2", "罗定市"), cell("B2", "好")]).encode()
        + SHEET_END
    )
    members = {
        "[Content_Types].xml": CONTENT_TYPES.replace(b"sheet1.xml", b"sheet1.dat"),
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.replace(b"sheet1.xml", b"sheet1.dat"),
        "xl/worksheets/sheet1.dat": sheet,
    }
    error = refusal(write_zip(tmp_path / "odd.xlsx", members))
    assert "500001 rows" in error.report() and "SHEETS_MAX_ROWS" in error.report()


def test_a_real_sized_export_is_read_whole(tmp_path):
    """The limits refuse hostile files, not real ones: 5,000 rows of the national
    system's 26 columns (names, ID and phone numbers all different) pass every check."""
    import openpyxl

    from sheets.reading import read_table

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([f"列{n}" for n in range(26)])
    rng = random.Random(26)
    for n in range(5_000):
        sheet.append(
            ["罗定市", "罗镜镇", "水摆村", f"户{n // 4}", f"张{n}", f"4453811990{n:08d}"]
            + ["普通劳动力", "省外务工", str(rng.randrange(10**4))] * 6
            + [f"138{n:08d}", "是"]
        )
    workbook.save(tmp_path / "registry.xlsx")
    table = read_table(tmp_path / "registry.xlsx")
    assert len(table) == 5_001 and len(table[-1]) == 26


# The sheet that is read is checked as it is parsed (sheets.xlsx), not scanned first.


def test_a_sheet_that_declares_entities_is_refused_before_they_expand(tmp_path):
    """ElementTree's parser expands internal entities: a billion laughs in the sheet read."""
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10 if n else "ha"}">' for n in range(10))
    sheet = Deflated().add(
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{laughs}]>'.encode()
        + sheet_start()[len(b'<?xml version="1.0" encoding="UTF-8"?>') :]
        + row_xml(1, [cell("A1", "县(市、区)")]).encode()
        + b'<row r="2"><c r="A2" t="inlineStr"><is><t>&l9;</t></is></c></row>'
        + SHEET_END
    )
    error = refusal(write_workbook(tmp_path / "laughs.xlsx", sheet))
    assert [problem.code for problem in error.errors] == ["unreadable"]


def test_a_relation_pointing_openpyxl_at_the_sheet_is_refused_unparsed(tmp_path):
    """openpyxl parses shared strings whole: a sheet given as them would escape its checks."""
    sheet = Deflated().add(sheet_start() + row_xml(1, [cell("A1", "行政村")]).encode() + SHEET_END)
    members = {
        "[Content_Types].xml": CONTENT_TYPES.replace(
            b"/xl/sharedStrings.xml", b'/xl/worksheets/sheet1.xml" x="'
        ),
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet,
    }
    error = refusal(write_zip(tmp_path / "pointed.xlsx", members))
    assert [problem.code for problem in error.errors] == ["unreadable"]
    assert "not a valid XLSX workbook" in error.report()


def test_a_cell_past_the_column_limit_is_refused_by_row_and_column(tmp_path):
    sheet = Deflated().add(
        sheet_start()
        + row_xml(1, [cell("A1", "县(市、区)")]).encode()
        + row_xml(2, [cell("A2", "罗定市"), cell("IW2", "")]).encode()
        + SHEET_END
    )
    error = refusal(write_workbook(tmp_path / "wide.xlsx", sheet))
    assert [(problem.row, problem.code) for problem in error.errors] == [(2, "too_many_columns")]
    assert "Column IW is past the last column read (256 columns" in error.report()


def test_a_row_of_cells_too_many_is_refused_while_it_is_parsed(tmp_path):
    """300,000 cells in one row, each naming column A: never past the column limit by its
    references, yet the row is refused long before the parser holds it whole."""
    rng = random.Random(8)
    block = "".join(f'<c r="A1" s="{rng.randrange(10**6)}"/>' for _ in range(1000)).encode()
    sheet = Deflated().add(sheet_start() + b'<row r="1">').add(block, times=300)
    error = refusal(write_workbook(tmp_path / "cells.xlsx", sheet.add(b"</row>" + SHEET_END)))
    assert [(problem.row, problem.code) for problem in error.errors] == [(1, "too_many_columns")]


def test_a_text_past_the_cell_limit_is_refused_before_the_parser_holds_it(tmp_path):
    """20 MB of text that packs only twice, split by comments so no run of it is long:
    refused by its row and column once a cell's worth of it is parsed. Held whole (the
    file, the text's pieces and the text joined) it would take over 50 MB."""
    text = os.urandom(10 * MB).hex()
    split = "<!-- -->".join(text[start : start + 1000] for start in range(0, len(text), 1000))
    sheet = Deflated().add(
        sheet_start()
        + row_xml(1, [cell("A1", "县(市、区)")]).encode()
        + b'<row r="2"><c r="C2" t="inlineStr"><is><t>'
        + split.encode()
        + b"</t></is></c></row>"
        + SHEET_END
    )
    path = write_workbook(tmp_path / "long.xlsx", sheet)
    report, peak = peak_growth_in_child(lambda: refusal(path).report())
    assert "Row 2: Column C: the cell holds more than 5000 characters" in report
    assert peak < 30
