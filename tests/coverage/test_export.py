"""The report as CSV, XLSX and JSON: columns, percentages, and names that look like formulas."""

import csv
import datetime
import io
import json

import pytest
from openpyxl import load_workbook

from courses.models import CatalogPage, Track
from coverage.export import COLUMNS, export, neutralise, report_rows
from regions.models import County, Town, Village
from tests.courses.factories import make_course

from .conftest import attend, member, session

YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
EVIL_VILLAGE = '=HYPERLINK("http://evil.example","点我")'


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
    return {"luoding": luoding, "yuncheng": yuncheng, "taiping": taiping, "evil": evil}


@pytest.mark.django_db
def test_village_rows_have_the_columns_and_percentages():
    report_data()
    rows = report_rows("village", *YEAR)
    taiping = next(row for row in rows if row["行政村"] == "太平村")
    assert list(taiping) == list(COLUMNS)
    assert taiping == {
        "县(市、区)": "罗定市",
        "乡(镇)": "罗镜镇",
        "行政村": "太平村",
        "应培训人数": 7,
        "培训人次": 3,
        "培训人数": 3,
        "人次覆盖率": "42.9%",
        "人数覆盖率": "42.9%",
        "是否达标": "否",
    }
    evil = next(row for row in rows if row["行政村"] == EVIL_VILLAGE)
    assert (evil["人次覆盖率"], evil["是否达标"]) == ("50.0%", "是")


@pytest.mark.django_db
def test_town_and_county_levels_leave_the_lower_columns_empty():
    report_data()
    towns = report_rows("town", *YEAR)
    assert {(row["乡(镇)"], row["行政村"]) for row in towns} == {
        ("罗镜镇", ""),
        ("+加号镇", ""),
        ("腰古镇", ""),
    }
    counties = {row["县(市、区)"]: row for row in report_rows("county", *YEAR)}
    assert counties["罗定市"]["乡(镇)"] == counties["罗定市"]["行政村"] == ""
    assert (counties["罗定市"]["应培训人数"], counties["罗定市"]["培训人次"]) == (9, 4)
    assert counties["罗定市"]["人次覆盖率"] == "44.4%"  # 4 / 9, a ratio of sums
    assert counties["云城区"]["人次覆盖率"] == "0.0%"


def test_formula_starters_are_quoted():
    for value in ("=1+1", "+86", "-2", "@SUM(A1)", "\t=1"):
        assert neutralise(value) == "'" + value
    assert neutralise("太平村") == "太平村"
    assert neutralise(7) == 7


@pytest.mark.django_db
def test_csv_has_a_bom_the_header_and_neutralised_names():
    report_data()
    data = export("village", *YEAR, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(COLUMNS)
    evil = next(row for row in rows if "HYPERLINK" in row[2])
    assert evil[:3] == ["罗定市", "'+加号镇", "'" + EVIL_VILLAGE]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.django_db
def test_xlsx_stores_formula_like_names_as_text():
    report_data()
    sheet = load_workbook(io.BytesIO(export("village", *YEAR, "xlsx"))).active
    rows = list(sheet.iter_rows())
    assert [cell.value for cell in rows[0]] == list(COLUMNS)
    evil = next(row for row in rows if "HYPERLINK" in str(row[2].value))
    assert evil[2].value == "'" + EVIL_VILLAGE
    assert evil[2].data_type == "s"
    assert evil[1].value == "'+加号镇"
    assert evil[3].value == 2  # counts stay numbers
    assert all(cell.data_type != "f" for row in rows for cell in row)


@pytest.mark.django_db
def test_json_is_a_list_of_objects_with_numbers():
    report_data()
    rows = json.loads(export("county", *YEAR, "json"))
    luoding = next(row for row in rows if row["县(市、区)"] == "罗定市")
    assert luoding["应培训人数"] == 9
    assert luoding["培训人次"] == 4
    assert luoding["人次覆盖率"] == "44.4%"
