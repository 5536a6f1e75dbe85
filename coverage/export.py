"""The coverage report, and the records behind a village's numbers, as files: CSV, XLSX
or JSON.

The page's download and ``manage.py coverage_report`` both call ``export`` here, so the
same parameters give the same bytes; the sign-off exports an approved snapshot with
``figures_xlsx``. Every file carries its rows, a totals row (合计: sums, and the ratios
of those sums, never a mean), the period and the definition of the figure, so a sheet
forwarded on its own still says what it counts.

Numbers stay numbers. In XLSX the counts are numeric cells and the two percentages are
numeric cells formatted ``0.0%`` whose value is the percentage the page shows, rounded
once from the exact fraction (50/241 is stored as 0.207 and shown as 20.7%), so a sum or
a chart in Excel starts from the signed figure and never from a second rounding. CSV
has no types: a percentage is written as the text ``20.7%``, which Excel (and LibreOffice)
read as the number 0.207 with a percent format; the file is UTF-8 with a byte-order mark
so that Excel shows the Chinese. The CSV's first line is the header, as scripts expect;
after the rows and the totals row come a blank line and the notes (period, place,
definition), one cell each. JSON is an object: ``period``, ``level``, ``place``,
``definition``, ``rows`` and ``total``, percentages as numbers of percent (20.7), the exact
fractions as text ("50/241") and 是否达标 as true, false or null.

Place names come from the registry office's sheets; a name starting with ``=``, ``+``,
``-`` or ``@`` would run as a formula in a spreadsheet, so every text cell that starts
like that gets a leading quote.
"""

import csv
import datetime
import io
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .drilldown import TrainingUnit, area_rows, total_of
from .report import AreaFigures, percent, target

COLUMNS = (
    "县(市、区)",
    "乡(镇)",
    "行政村",
    "应培训人数",
    "培训人次",
    "培训人数",
    "人次覆盖率",
    "人数覆盖率",
    "是否达标",
)
RECORD_COLUMNS = ("姓名", "身份证号", "培训类型", "课程", "日期", "上课地点")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
RECORD_FORMATS = ("csv", "xlsx")
TOTAL = "合计"
MET = {True: "是", False: "否", None: ""}
LEVEL_NAMES = {"county": "县(市、区)", "town": "乡(镇)", "village": "行政村"}
# OWASP's list for CSV injection: the four formula starters, and tab and carriage
# return, which some spreadsheets skip before reading a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"


def neutralise(value):
    """A text cell a spreadsheet will show as text, never evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def definition() -> str:
    """The figure in two sentences (DESIGN.md, "The coverage figure, exactly")."""
    goal = percent(target()).replace(".0%", "%")
    return (
        f"培训覆盖率＝培训人次÷应培训人数（合计行为各项之和相除，不取平均），目标不低于{goal}，"
        "是否达标按精确分数判断，百分比由精确分数四舍五入一次、保留一位小数。"
        "应培训人数指示范县省定贫困村中有劳动能力（技能劳动力、普通劳动力、弱劳动力或半劳动力）"
        "且不在县外务工的建档立卡人员；培训人次指其在统计期间内每参加一次线下培训课，"
        "或完全通过线上学习完成一门课程，计一人次（以线下课时完成的课程不另计）。"
    )


def period_line(period) -> str:
    start, end = period
    return f"统计期间 {start:%Y-%m-%d} 至 {end:%Y-%m-%d}"


def shown_percent(ratio: Fraction | None) -> Decimal | None:
    """The percentage the page shows, as a number of percent (50/241 → 20.7): the one
    rounding of ``report.percent``, read back; None where nobody is eligible."""
    shown = percent(ratio, empty="")
    return Decimal(shown.removesuffix("%")) if shown else None


@dataclass(frozen=True)
class Share:
    """A percentage cell: the exact ratio, written as each format writes a percentage."""

    ratio: Fraction | None


@dataclass(frozen=True)
class Table:
    """What a CSV or XLSX export holds: headings, rows of plain values (str, int, date,
    ``Share``, None), and the notes that go below them."""

    sheet_name: str
    columns: Sequence[str]
    rows: list[list]
    notes: list[str]


def figures_cells(row: AreaFigures, first_column: str | None = None) -> list:
    """One report row in the column order of COLUMNS; ``first_column`` replaces the
    county (合计 for the totals row)."""
    return [
        row.county if first_column is None else first_column,
        row.town,
        row.village,
        row.eligible,
        row.person_times,
        row.persons,
        Share(row.times_coverage),
        Share(row.persons_coverage),
        MET[row.met],
    ]


def figures_notes(level, period, title_lines=(), place="") -> list[str]:
    scope = place or "全部示范县"
    return [
        period_line(period),
        f"范围 {scope}，按{LEVEL_NAMES[level]}列出",
        *title_lines,
        f"口径 {definition()}",
    ]


def figures_table(rows, *, level, period, title_lines=(), place="") -> Table:
    return Table(
        sheet_name="覆盖率",
        columns=COLUMNS,
        rows=[figures_cells(row) for row in rows] + [figures_cells(total_of(rows), TOTAL)],
        notes=figures_notes(level, period, title_lines, place),
    )


# CSV


def csv_cell(value):
    if isinstance(value, Share):
        return percent(value.ratio, empty="")
    if isinstance(value, datetime.date):
        return f"{value:%Y-%m-%d}"
    if value is None:
        return ""
    return neutralise(value)


def table_csv(table: Table) -> bytes:
    # With a byte-order mark, Excel opens UTF-8 as UTF-8 and shows the Chinese.
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([csv_cell(value) for value in row])
    writer.writerow([])
    for note in table.notes:
        writer.writerow([neutralise(note)])
    return out.getvalue().encode("utf-8-sig")


# XLSX


def display_width(value) -> int:
    """Columns a value takes in a spreadsheet: a Chinese character counts as two."""
    text = csv_cell(value)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in str(text))


def _write_cell(sheet, row, column, value):
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, Share):
        shown = shown_percent(value.ratio)
        cell.value = None if shown is None else float(shown / 100)
        cell.number_format = PERCENT_FORMAT
    elif isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        cell.value = neutralise(value)
        # openpyxl guesses a formula from a leading "="; say outright that text is text.
        if isinstance(value, str):
            cell.data_type = "s"
    return cell


def table_xlsx(table: Table) -> bytes:
    """The table on its first sheet (header frozen, columns wide enough for the Chinese,
    totals and notes below), and the notes again on a second sheet, 说明."""
    # Imported here: openpyxl (which loads NumPy when it is installed) costs a web
    # worker ~30 MB, and only a download needs it.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = table.sheet_name
    bold = Font(bold=True)
    for column, heading in enumerate(table.columns, start=1):
        _write_cell(sheet, 1, column, heading).font = bold
    for number, row in enumerate(table.rows, start=2):
        for column, value in enumerate(row, start=1):
            _write_cell(sheet, number, column, value)
    if table.rows and table.rows[-1][0] == TOTAL:
        for cell in sheet[len(table.rows) + 1]:
            cell.font = bold
    notes_start = len(table.rows) + 3  # one blank row between the table and the notes
    for offset, note in enumerate(table.notes):
        _write_cell(sheet, notes_start + offset, 1, note)
    for column, heading in enumerate(table.columns, start=1):
        values = [heading, *(row[column - 1] for row in table.rows)]
        widest = max(display_width(value) for value in values)
        letter = sheet.cell(row=1, column=column).column_letter
        sheet.column_dimensions[letter].width = min(max(widest, 8) + 2, 50)
    sheet.freeze_panes = "A2"

    about = book.create_sheet("说明")
    about.column_dimensions["A"].width = 100
    for number, note in enumerate(table.notes, start=1):
        _write_cell(about, number, 1, note).alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# The report's rows in each format


def figures_csv(
    rows: list[AreaFigures], *, level: str, period, title_lines: Sequence[str] = (), place=""
) -> bytes:
    """The rows as CSV: header first, the rows, 合计, a blank line, then the notes."""
    return table_csv(
        figures_table(rows, level=level, period=period, title_lines=title_lines, place=place)
    )


def figures_xlsx(
    rows: list[AreaFigures], *, level: str, period, title_lines: Sequence[str] = (), place=""
) -> bytes:
    """The rows as an XLSX workbook, the layout of the page's download: header row
    (frozen), the rows, 合计, then the period, the place, ``title_lines`` (such as
    "审核人 … 审核时间 …") and the definition; the same notes on the sheet 说明."""
    return table_xlsx(
        figures_table(rows, level=level, period=period, title_lines=title_lines, place=place)
    )


def figures_object(row: AreaFigures, first_column: str | None = None) -> dict:
    """One row for JSON: the column names as keys, numbers as numbers."""
    values = dict(zip(COLUMNS, figures_cells(row, first_column), strict=True))
    for column, ratio, counted in (
        ("人次覆盖率", row.times_coverage, row.person_times),
        ("人数覆盖率", row.persons_coverage, row.persons),
    ):
        shown = shown_percent(ratio)
        values[column] = None if shown is None else float(shown)
        # The fraction as counted (50/241), not reduced: it can be checked against the rows.
        values[f"{column}分数"] = None if ratio is None else f"{counted}/{row.eligible}"
    values["是否达标"] = row.met
    return values


def figures_json(
    rows: list[AreaFigures], *, level: str, period, title_lines: Sequence[str] = (), place=""
) -> bytes:
    start, end = period
    document = {
        "period": {"start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"},
        "level": level,
        "place": place,
        "notes": list(title_lines),
        "definition": definition(),
        "rows": [figures_object(row) for row in rows],
        "total": figures_object(total_of(rows), TOTAL),
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


WRITERS = {"csv": figures_csv, "xlsx": figures_xlsx, "json": figures_json}


def place_name(county=None, town=None) -> str:
    if town is not None:
        return f"{town.county.name} {town.name}"
    return county.name if county is not None else ""


def export(level, start, end, file_format, county=None, town=None) -> bytes:
    """The report at ``level`` for dates start..end (one town's villages, one county, or
    every county) as a file's bytes."""
    rows = area_rows(level, start, end, county=county, town=town)
    return WRITERS[file_format](
        rows, level=level, period=(start, end), place=place_name(county, town)
    )


def filename(level, start, end, file_format, county=None, town=None) -> str:
    place = place_name(county, town).replace(" ", "-")
    place = f"{place}-" if place else ""
    return f"coverage-{place}{level}-{start:%Y%m%d}-{end:%Y%m%d}.{file_format}"


# The records behind a village's numbers


def record_cells(unit: TrainingUnit, full_names: bool) -> list:
    return [
        unit.member.name if full_names else unit.masked_name,
        unit.member.id_number_masked,
        "现场培训" if unit.is_class else "线上结业",
        unit.course,
        unit.date,
        unit.venue,
    ]


def records_table(units: list[TrainingUnit], *, full_names: bool, period, village) -> Table:
    place = f"{village.town.county.name} {village.town.name} {village.name}"
    notes = [
        period_line(period),
        f"范围 {place}，共 {len(units)} 个培训人次，每行一个",
        "身份证号已遮蔽" + ("" if full_names else "，姓名已遮蔽"),
        f"口径 {definition()}",
    ]
    return Table(
        sheet_name="培训记录",
        columns=RECORD_COLUMNS,
        rows=[record_cells(unit, full_names) for unit in units],
        notes=notes,
    )


def records_file(units, file_format, *, full_names: bool, period, village) -> bytes:
    """The village's training records (``drilldown.village_units``) as CSV or XLSX."""
    table = records_table(units, full_names=full_names, period=period, village=village)
    return {"csv": table_csv, "xlsx": table_xlsx}[file_format](table)


def records_filename(village, start, end, file_format) -> str:
    place = f"{village.town.county.name}-{village.town.name}-{village.name}"
    return f"training-records-{place}-{start:%Y%m%d}-{end:%Y%m%d}.{file_format}"
