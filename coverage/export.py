"""The coverage report as a file for the bureau's own reporting: CSV, XLSX or JSON.

The page's export and ``manage.py coverage_report`` both call ``export`` here, so the
same parameters give the same bytes. Place names come from the registry office's sheets;
a name starting with ``=``, ``+``, ``-`` or ``@`` would run as a formula in a
spreadsheet, so every text cell that starts like that gets a leading quote.
"""

import csv
import io
import json

from openpyxl import Workbook

from .report import AreaFigures, coverage_by, percent

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
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
# OWASP's list for CSV injection: the four formula starters, and tab and carriage
# return, which some spreadsheets skip before reading a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell a spreadsheet will show as text, never evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def figures_row(row: AreaFigures) -> dict:
    """One report row under the export's column names; counts stay numbers."""
    return {
        COLUMNS[0]: row.county,
        COLUMNS[1]: row.town,
        COLUMNS[2]: row.village,
        COLUMNS[3]: row.eligible,
        COLUMNS[4]: row.person_times,
        COLUMNS[5]: row.persons,
        COLUMNS[6]: percent(row.times_coverage, empty=""),
        COLUMNS[7]: percent(row.persons_coverage, empty=""),
        COLUMNS[8]: {True: "是", False: "否", None: ""}[row.met],
    }


def report_rows(level, start, end, county=None) -> list[dict]:
    """The report at one level as export rows (town and county levels leave the lower
    place columns empty)."""
    return [figures_row(row) for row in coverage_by(level, start, end, county=county)]


def to_csv(rows) -> bytes:
    # With a byte-order mark, Excel opens UTF-8 as UTF-8 and shows the Chinese.
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([neutralise(row[column]) for column in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "覆盖率"
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([neutralise(row[column]) for column in COLUMNS])
    # openpyxl guesses a formula from a leading "="; say outright that text is text.
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_json(rows) -> bytes:
    return json.dumps(list(rows), ensure_ascii=False, indent=2).encode("utf-8")


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "json": to_json}


def export(level, start, end, file_format, county=None) -> bytes:
    """The report at ``level`` for dates start..end (one county, or all) as a file's bytes."""
    return WRITERS[file_format](report_rows(level, start, end, county=county))


def filename(level, start, end, file_format, county=None) -> str:
    place = f"{county.name}-" if county is not None else ""
    return f"coverage-{place}{level}-{start:%Y%m%d}-{end:%Y%m%d}.{file_format}"
