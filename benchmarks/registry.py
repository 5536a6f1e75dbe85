"""Speed and memory of the registry import at a city's scale: ``python -m benchmarks.registry``.

It writes the national system's export (全国扶贫开发信息系统, its 26 columns in its own
order, a title line above the header) for Yunfu's real counties, towns and villages (the
statistics bureau's list, regions/data), as XLSX and as GBK CSV, ``--rows`` sheet rows in
all (100,000 by default: SHEETS_MAX_ROWS, the most a file may have). It then imports each
file into a fresh database, and again unchanged, each import in a process of its own, and
prints per run:

- ``wall_s`` and ``cpu_s``: the import's elapsed and processor time (the importing
  process only: the database server's own work shows in ``wall_s``);
- ``peak_mb``: the importing process's peak resident memory (the high-water mark of a
  fresh process, VmHWM, which is ``ru_maxrss`` without what Linux carries over from the
  parent across exec; the interpreter and Django are in it: ``base_mb`` says how much);
- ``rows_s``: members per second of wall time;
- ``read``, ``check``, ``write``: the shares of wall time spent reading the file (the
  sheets layer turning it into rows of text), checking its rows (columns, villages, ID
  numbers, words: everything before the first write) and writing (comparing with the
  database and writing the changes, with the counts before and after);
- ``result``: what the import said it did.

A ``read`` row first reads each file through the sheets layer alone, in a fresh process as
well: the floor any import of that file stands on, the reference the imports are measured
against (``x_read``: the import's wall time over it).

The database is PostgreSQL when DATABASE_URL says so (an empty database: the benchmark
migrates it and refuses one that holds registry members), otherwise a temporary SQLite
file. The demo regions (regions.demo) are loaded into it; the registry table is emptied
between the two files. Targets (issue 16): under 20 s and 300 MB, first time and again.
"""

import argparse
import csv
import datetime
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 20
TARGET_MB = 300
NATIONAL_HEADER = (
    "县(市、区、旗),乡(镇),行政村,自然村,户编号,人编号,姓名,性别,证件号码,人数,与户主关系,"
    "民族,文化程度,在校生状况,健康状况,劳动技能,务工状况,务工时间（月）,是否参加大病医疗,"
    "脱贫属性,贫困户属性,主要致贫原因,危房户,是否解决安全饮用水,人均纯收入,联系电话"
).split(",")
TITLE = "全国扶贫开发信息系统 建档立卡贫困人口基础信息"
# Above the members: the title line and the header.
LINES_ABOVE = 2
# The statistics bureau's area codes of Yunfu's counties, which begin their people's numbers.
AREA_CODES = {"云城区": "445302", "云安区": "445303", "新兴县": "445321", "郁南县": "445322"}
AREA_CODES["罗定市"] = "445381"
SURNAMES = "陈黄李梁罗何邓林张吴冯谢苏彭曾严"
GIVEN = "志强春燕秀英桂芳国华伟明丽娟金凤永红建军"
RELATIONS = ("户主", "配偶", "之子", "之女", "之孙子")
LABOUR = ("普通劳动力", "技能劳动力", "普通劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力")
WORK = ("", "乡（镇）内务工", "乡（镇）外县内务工", "县外省内务工", "省外务工", "其他", "")
EDUCATION = ("小学", "初中", "初中", "高中", "文盲或半文盲")
HEALTH = ("健康", "健康", "健康", "长期慢性病", "残疾")
HOUSEHOLD_KIND = ("一般贫困户", "低保贫困户", "一般贫困户", "特困供养贫困户")
CAUSES = ("缺技术", "缺劳力", "因病", "因残", "缺资金", "因学")
HAMLETS = ("上村", "下村", "东坑", "西塘", "新屋", "大岭")
FIRST_BIRTHDAY = datetime.date(1940, 1, 1)
BIRTHDAYS = 27_000  # 1940 to 2013
FORMATS = ("xlsx", "csv")


def _check_digit(first17: str) -> str:
    from accounts.idcard import check_digit

    return check_digit(first17)


def id_number(area: str, n: int):
    """Member ``n``'s number: unique for each n. About 1 in 100 born before 2000 carries the
    old 15-digit number, and of those 1 in 2 was typed into a number cell (an int here)."""
    birthday = FIRST_BIRTHDAY + datetime.timedelta(days=n % BIRTHDAYS)
    sequence = f"{100 + n // BIRTHDAYS:03d}"
    if birthday.year < 2000 and n % 100 == 7:
        old = f"{area}{birthday:%y%m%d}{sequence}"
        return int(old) if n % 200 == 7 else old
    first17 = f"{area}{birthday:%Y%m%d}{sequence}"
    return first17 + _check_digit(first17)


def members(count: int):
    """``count`` lines of the export: households of one to five, spread over every village
    of the list in its order, villages written as the registry writes them (水摆村)."""
    from regions.demo import official_villages
    from regions.places import place_key

    villages = official_villages()
    n = household = 0
    while n < count:
        county, town, village = villages[household % len(villages)]
        area = AREA_CODES[county]
        size = 1 + household % 5
        household_id = f"{area}{household:010d}"
        for k in range(min(size, count - n)):
            surname = SURNAMES[household % len(SURNAMES)]
            given = GIVEN[(n * 7) % len(GIVEN)] + GIVEN[(n * 3 + 1) % len(GIVEN)]
            yield [
                county,
                town,
                place_key(village),
                HAMLETS[household % len(HAMLETS)],
                household_id,
                f"{household_id}{k + 1:02d}",
                surname + given,
                "男" if n % 2 else "女",
                id_number(area, n),
                str(size),
                RELATIONS[k],
                "汉族" if n % 50 else "瑶族",
                EDUCATION[n % len(EDUCATION)],
                "在校生" if k >= 2 and n % 3 == 0 else "",
                HEALTH[n % len(HEALTH)],
                LABOUR[n % len(LABOUR)],
                WORK[(n // 3) % len(WORK)],
                str(n % 13),
                "是",
                "已脱贫",
                HOUSEHOLD_KIND[household % len(HOUSEHOLD_KIND)],
                CAUSES[household % len(CAUSES)],
                "否",
                "是",
                f"{6000 + household % 4000}.50",
                f"13{(household * 7919) % 10**9:09d}",
            ]
            n += 1
        household += 1


def write_xlsx(path: Path, count: int) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([TITLE])
    sheet.append(NATIONAL_HEADER)
    for line in members(count):
        sheet.append(line)
    workbook.save(path)
    return path


def write_csv(path: Path, count: int) -> Path:
    """As Excel on a Chinese Windows saves it: GBK, CRLF."""
    with path.open("w", encoding="gbk", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow([TITLE])
        writer.writerow(NATIONAL_HEADER)
        writer.writerows(members(count))
    return path


# The measured process.


class TimedRows:
    """The rows of the reading layer, adding the time spent producing them to ``spent``."""

    def __init__(self, rows, spent):
        self.rows, self.spent = iter(rows), spent

    def __iter__(self):
        return self

    def __next__(self):
        start = time.perf_counter()
        try:
            return next(self.rows)
        finally:
            self.spent["read"] += time.perf_counter() - start


def _timed(function, spent, phase):
    def timed(*args, **kwargs):
        start = time.perf_counter()
        result = function(*args, **kwargs)
        spent[phase] += time.perf_counter() - start
        if phase == "read" and not isinstance(result, list):
            return TimedRows(result, spent)
        return result

    return timed


def measure_import(path: str, read_only: bool) -> dict:
    """Import (or only read) the file in this process; its figures."""
    import django

    django.setup()
    base_mb = _peak_mb()
    from coverage import registry_import

    spent = {"read": 0.0, "write": 0.0}
    reader = "read_rows" if hasattr(registry_import, "read_rows") else "read_table"
    read = _timed(getattr(registry_import, reader), spent, "read")
    wall, cpu = time.perf_counter(), time.process_time()
    if read_only:
        rows = sum(1 for _row in read(path))
        lines = [f"{rows} rows read"]
    else:
        setattr(registry_import, reader, read)
        registry_import.save_registry_members = _timed(
            registry_import.save_registry_members, spent, "write"
        )
        lines = registry_import.import_registry(path).summary_lines()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "wall": wall,
        "cpu": cpu,
        "peak_mb": _peak_mb(),
        "base_mb": base_mb,
        "read": spent["read"],
        "write": spent["write"],
        "check": max(wall - spent["read"] - spent["write"], 0.0),
        "lines": lines,
    }


def _peak_mb() -> float:
    """This process's peak resident memory. Linux keeps ``ru_maxrss`` across exec, so a
    process started by a big parent would report the parent's size; the high-water mark
    of its own memory map (VmHWM) starts afresh."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# The driver.


def _run_child(path: Path, read_only: bool) -> dict:
    command = [sys.executable, "-m", "benchmarks.registry", "--measure", str(path)]
    if read_only:
        command.append("--read-only")
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
    if done.returncode:
        raise SystemExit(f"the measured process failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def prepare_database(workdir: Path) -> str:
    """Point Django at the database to use, migrate it, load the demo regions; its vendor."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres", "pgsql")):
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'registry.sqlite3'}"
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection

    from coverage.models import RegistryMember
    from regions.demo import load_demo_regions

    call_command("migrate", verbosity=0)
    if RegistryMember.objects.exists():
        raise SystemExit(
            "The database already holds registry members: point DATABASE_URL at an empty "
            "database (createdb …) for the benchmark."
        )
    load_demo_regions()
    return connection.vendor


def _empty_registry():
    from django.db import connection

    from coverage.models import RegistryMember

    RegistryMember.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {RegistryMember._meta.db_table}")


COLUMNS = (
    ("file", 5, ""),
    ("run", 6, ""),
    ("wall_s", 7, ".1f"),
    ("cpu_s", 6, ".1f"),
    ("peak_mb", 7, ".0f"),
    ("base_mb", 7, ".0f"),
    ("rows_s", 7, ".0f"),
    ("read", 5, ".0%"),
    ("check", 5, ".0%"),
    ("write", 5, ".0%"),
    ("x_read", 6, ".1f"),
)


def _line(values: dict, heading=False) -> str:
    cells = []
    for name, width, spec in COLUMNS:
        value = name if heading else values.get(name, "")
        text = format(value, spec) if spec and not heading and value != "" else str(value)
        cells.append(text.rjust(width) if spec else text.ljust(width))
    return "  ".join(cells)


def _figures(kind, run, measured, members, reference) -> dict:
    wall = measured["wall"]
    values = {
        "file": kind,
        "run": run,
        "wall_s": wall,
        "cpu_s": measured["cpu"],
        "peak_mb": measured["peak_mb"],
        "base_mb": measured["base_mb"],
        "rows_s": members / wall,
    }
    if run != "read":
        values.update(
            read=measured["read"] / wall,
            check=measured["check"] / wall,
            write=measured["write"] / wall,
            x_read=wall / reference,
        )
    return values


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="sheet rows, header included")
    parser.add_argument("--formats", default=",".join(FORMATS), help="xlsx, csv or both")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--read-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yunfu.settings.dev")
    # Debug mode would keep every query in memory and inflate the figures.
    os.environ["DJANGO_DEBUG"] = "False"
    if args.measure:
        print(json.dumps(measure_import(args.measure, args.read_only)))
        return
    formats = [kind.strip() for kind in args.formats.split(",") if kind.strip()]
    count = args.rows - LINES_ABOVE
    with tempfile.TemporaryDirectory(prefix="registry-bench-") as workdir:
        workdir = Path(workdir)
        vendor = prepare_database(workdir)
        writers = {"xlsx": write_xlsx, "csv": write_csv}
        print(
            f"Registry import: {count:,} members ({args.rows:,} sheet rows), {vendor}; "
            f"targets: under {TARGET_SECONDS} s and {TARGET_MB} MB, first time and again.",
            flush=True,
        )
        print(_line({}, heading=True), flush=True)
        for kind in formats:
            path = writers[kind](workdir / f"registry.{kind}", count)
            reference = _run_child(path, read_only=True)
            print(_line(_figures(kind, "read", reference, count, reference["wall"])), flush=True)
            for run in ("first", "again"):
                measured = _run_child(path, read_only=False)
                print(_line(_figures(kind, run, measured, count, reference["wall"])), flush=True)
                print("       " + " ".join(measured["lines"]), flush=True)
            _empty_registry()
            path.unlink()


if __name__ == "__main__":
    main()
