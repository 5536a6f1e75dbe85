"""The report as CSV, XLSX and JSON: numbers as numbers, percentages rounded once, a totals
row of sums, the period and definition in the file, a town's villages alone, and names
that look like formulas kept as text."""

import csv
import datetime
import io
import json

import pytest
from openpyxl import load_workbook

from courses.models import CatalogPage, Track
from coverage.export import (
    COLUMNS,
    export,
    figures_csv,
    figures_json,
    figures_xlsx,
    filename,
    neutralise,
)
from coverage.report import AreaFigures
from regions.models import County, Town, Village
from tests.courses.factories import make_course

from .conftest import attend, member, session

YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
PLAN = (datetime.date(2018, 1, 1), datetime.date(2020, 12, 31))
EVIL_VILLAGE = '=HYPERLINK("http://evil.example","点我")'
DEFINITION_WORDS = ("培训人次÷应培训人数", "建档立卡", "50%", "线上学习完成")


def report_data():
    """Two demonstration counties: 罗定市 (3 of 7 trained in 太平村; one of two in a village
    and town with formula-like names) and 云城区 (nobody trained)."""
    luoding = County.objects.create(name="罗定市", is_demonstration=True)
    yuncheng = County.objects.create(name="云城区", is_demonstration=True)
    luojing = Town.objects.create(county=luoding, name="罗镜镇")
    plus = Town.objects.create(county=luoding, name="+加号镇")
    taiping = Village.objects.create(town=luojing, name="太平村", is_provincial_poor=True)
    evil = Village.objects.create(town=plus, name=EVIL_VILLAGE, is_provincial_poor=True)
    shuidong = Village.objects.create(
        town=Town.objects.create(county=yuncheng, name="腰古镇"),
        name="水东村",
        is_provincial_poor=True,
    )
    course = make_course(CatalogPage.objects.get(), Track.objects.first(), "开设网店")
    lesson = session(course, taiping, datetime.date(2026, 4, 1))
    trained = [member(taiping) for _ in range(7)][:3]
    for person in trained:
        attend(lesson, person)
    evil_members = [member(evil), member(evil)]
    attend(lesson, evil_members[0])
    member(shuidong)
    member(shuidong)
    return {
        "luoding": luoding,
        "yuncheng": yuncheng,
        "luojing": luojing,
        "plus": plus,
        "taiping": taiping,
        "evil": evil,
    }


def figures(village, eligible, person_times, persons, town="罗镜镇"):
    return AreaFigures(None, "罗定市", town, village, eligible, person_times, persons)


# 50/241 is 20.747…%: shown 20.7% (rounded once), never 20.75% → 20.8%.
ROUNDING = [figures("太平村", 241, 50, 40), figures("杨绿村", 0, 0, 0)]
# 1/2 and 1/8: the mean of the ratios is 31.25%; the ratio of the sums 2/10 is 20%.
UNEVEN = [figures("太平村", 2, 1, 1), figures("杨绿村", 8, 1, 1, town="泗纶镇")]


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the BOM
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_rows(data: bytes, sheet=None) -> list[list]:
    book = load_workbook(io.BytesIO(data))
    return [list(row) for row in (book[sheet] if sheet else book.active).iter_rows()]


def test_xlsx_percentages_are_numeric_cells_rounded_once_from_the_fraction():
    rows = xlsx_rows(figures_xlsx(ROUNDING, level="village", period=PLAN))
    taiping = rows[1]
    assert [cell.value for cell in taiping[3:6]] == [241, 50, 40]
    assert all(cell.data_type == "n" for cell in taiping[3:8])
    assert taiping[6].value == 0.207  # not 0.20747…, and not 0.208
    assert taiping[6].number_format == "0.0%"
    assert taiping[7].value == 0.166  # 40/241 = 16.597…%
    assert taiping[8].value == "否"
    nobody = rows[2]
    assert nobody[2].value == "杨绿村"
    assert (nobody[6].value, nobody[7].value, nobody[8].value) == (None, None, None)


def test_met_comes_from_the_fraction_not_the_rounded_percentage():
    """5,000 of 10,001 shows as 50.0% and is short of the target."""
    rows = [figures("太平村", 10_001, 5_000, 5_000), figures("杨绿村", 10, 5, 5)]
    cells = xlsx_rows(figures_xlsx(rows, level="village", period=PLAN))
    assert (cells[1][6].value, cells[1][8].value) == (0.5, "否")
    assert cells[2][8].value == "是"
    text = csv_rows(figures_csv(rows, level="village", period=PLAN))
    assert (text[1][6], text[1][8]) == ("50.0%", "否")


def test_totals_row_is_sums_and_the_ratio_of_the_sums():
    text = csv_rows(figures_csv(UNEVEN, level="village", period=PLAN))
    assert text[3] == ["合计", "", "", "10", "2", "2", "20.0%", "20.0%", "否"]
    cells = xlsx_rows(figures_xlsx(UNEVEN, level="village", period=PLAN))
    assert [cell.value for cell in cells[3]] == ["合计", None, None, 10, 2, 2, 0.2, 0.2, "否"]
    total = json.loads(figures_json(UNEVEN, level="village", period=PLAN))["total"]
    assert (total["应培训人数"], total["培训人次"], total["人次覆盖率"]) == (10, 2, 20.0)
    assert total["人次覆盖率分数"] == "2/10"


def test_csv_has_the_header_first_then_rows_total_and_the_notes():
    text = csv_rows(figures_csv(ROUNDING, level="village", period=PLAN))
    assert text[0] == list(COLUMNS)
    assert text[1] == ["罗定市", "罗镜镇", "太平村", "241", "50", "40", "20.7%", "16.6%", "否"]
    assert text[2][6:] == ["", "", ""]  # nobody eligible: no percentage, no verdict
    assert text[3][0] == "合计"
    assert text[4] == []
    notes = [row[0] for row in text[5:]]
    assert notes[0] == "统计期间 2018-01-01 至 2020-12-31"
    assert all(word in notes[-1] for word in DEFINITION_WORDS)


def test_xlsx_has_the_notes_below_and_on_a_second_sheet_with_title_lines():
    approval = "审核人 张主任 审核时间 2021-01-15 10:30"
    data = figures_xlsx(UNEVEN, level="village", period=PLAN, title_lines=[approval])
    main = [row[0].value for row in xlsx_rows(data)]
    assert main[4] is None  # a blank row after 合计
    assert main[5] == "统计期间 2018-01-01 至 2020-12-31"
    assert approval in main
    assert all(word in main[-1] for word in DEFINITION_WORDS)
    about = [row[0].value for row in xlsx_rows(data, "说明")]
    assert about == main[5:]


def test_xlsx_freezes_the_header_and_sets_widths_for_the_chinese():
    sheet = load_workbook(io.BytesIO(figures_xlsx(ROUNDING, level="village", period=PLAN))).active
    assert sheet.freeze_panes == "A2"
    # 县(市、区) is 4 wide characters and 3 narrow: wider than Excel's default 8.43.
    assert sheet.column_dimensions["A"].width >= 11
    assert all(sheet.column_dimensions[letter].width >= 10 for letter in "ABCDEFGHI")
    assert sheet["A1"].font.bold


def test_json_is_an_object_with_period_definition_rows_and_total():
    document = json.loads(figures_json(ROUNDING, level="village", period=PLAN))
    assert document["period"] == {"start": "2018-01-01", "end": "2020-12-31"}
    assert all(word in document["definition"] for word in DEFINITION_WORDS)
    taiping, nobody = document["rows"]
    assert taiping["应培训人数"] == 241
    assert taiping["人次覆盖率"] == 20.7
    assert taiping["人次覆盖率分数"] == "50/241"
    assert taiping["是否达标"] is False
    assert (nobody["人次覆盖率"], nobody["是否达标"]) == (None, None)
    assert document["total"]["县(市、区)"] == "合计"


@pytest.mark.django_db
def test_village_rows_from_the_database():
    report_data()
    text = csv_rows(export("village", *YEAR, "csv"))
    taiping = next(row for row in text if row[2:3] == ["太平村"])
    assert taiping == ["罗定市", "罗镜镇", "太平村", "7", "3", "3", "42.9%", "42.9%", "否"]
    evil = next(row for row in text if "HYPERLINK" in "".join(row[2:3]))
    assert (evil[6], evil[8]) == ("50.0%", "是")
    assert text[text.index([]) - 1] == ["合计", "", "", "11", "4", "4", "36.4%", "36.4%", "否"]


@pytest.mark.django_db
def test_town_and_county_levels_leave_the_lower_columns_empty():
    report_data()
    towns = json.loads(export("town", *YEAR, "json"))["rows"]
    assert {(row["乡(镇)"], row["行政村"]) for row in towns} == {
        ("罗镜镇", ""),
        ("+加号镇", ""),
        ("腰古镇", ""),
    }
    rows = json.loads(export("county", *YEAR, "json"))["rows"]
    counties = {row["县(市、区)"]: row for row in rows}
    assert counties["罗定市"]["乡(镇)"] == counties["罗定市"]["行政村"] == ""
    assert (counties["罗定市"]["应培训人数"], counties["罗定市"]["培训人次"]) == (9, 4)
    assert counties["罗定市"]["人次覆盖率"] == 44.4  # 4 / 9, a ratio of sums
    assert counties["云城区"]["人次覆盖率"] == 0.0


@pytest.mark.django_db
def test_a_towns_export_has_only_its_villages_and_says_where():
    places = report_data()
    text = csv_rows(export("village", *YEAR, "csv", town=places["luojing"]))
    villages = [row[2] for row in text[1 : text.index([]) - 1]]
    assert villages == ["太平村"]
    assert text[text.index([]) - 1][3:5] == ["7", "3"]  # the total is the town's
    assert "范围 罗定市 罗镜镇，按行政村列出" in [row[0] for row in text if row]
    assert filename("village", *YEAR, "csv", town=places["luojing"]) == (
        "coverage-罗定市-罗镜镇-village-20260101-20261231.csv"
    )


@pytest.mark.django_db
def test_the_period_is_in_every_format():
    report_data()
    period = "统计期间 2026-01-01 至 2026-12-31"
    assert period in export("county", *YEAR, "csv").decode("utf-8-sig")
    assert period in [row[0].value for row in xlsx_rows(export("county", *YEAR, "xlsx"))]
    assert json.loads(export("county", *YEAR, "json"))["period"]["start"] == "2026-01-01"


def test_formula_starters_are_quoted():
    for value in ("=1+1", "+86", "-2", "@SUM(A1)", "\t=1"):
        assert neutralise(value) == "'" + value
    assert neutralise("太平村") == "太平村"
    assert neutralise(7) == 7


@pytest.mark.django_db
def test_csv_neutralises_formula_like_names():
    report_data()
    rows = csv_rows(export("village", *YEAR, "csv"))
    evil = next(row for row in rows if "HYPERLINK" in "".join(row[2:3]))
    assert evil[:3] == ["罗定市", "'+加号镇", "'" + EVIL_VILLAGE]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.django_db
def test_xlsx_stores_formula_like_names_as_text():
    report_data()
    rows = xlsx_rows(export("village", *YEAR, "xlsx"))
    assert [cell.value for cell in rows[0]] == list(COLUMNS)
    evil = next(row for row in rows if "HYPERLINK" in str(row[2].value))
    assert evil[2].value == "'" + EVIL_VILLAGE
    assert evil[2].data_type == "s"
    assert evil[1].value == "'+加号镇"
    assert evil[3].value == 2  # counts stay numbers
    assert all(cell.data_type != "f" for row in rows for cell in row)


def test_title_lines_that_look_like_formulas_are_neutralised():
    data = figures_xlsx(UNEVEN, level="village", period=PLAN, title_lines=["=cmd|' /C calc'!A0"])
    notes = [row[0] for row in xlsx_rows(data) if row[0].value]
    assert "'=cmd|' /C calc'!A0" in [cell.value for cell in notes]
    assert all(cell.data_type == "s" for cell in notes)
