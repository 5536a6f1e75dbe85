"""The records behind a village's numbers as CSV and XLSX: the page's list under the
page's rules (names masked unless the viewer may see them, and then audited; ID numbers
always masked), with the period and the definition in the file."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from coverage.drilldown import village_units
from coverage.export import RECORD_COLUMNS
from coverage.models import PersonalDataView, RegistryMember
from learning.certificates import mask_name
from tests.coverage.conftest import YEAR

PERIOD = {"start": "2026-01-01", "end": "2026-12-31"}
FULL_ID = re.compile(r"\d{17}[\dX]")


def url(village, **query):
    return reverse("coverage:village_records_export", args=[village.pk]), PERIOD | query


def csv_rows(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def table(rows):
    """The data rows: between the header and the blank line before the notes."""
    return rows[1 : rows.index([])]


def rename_a_member(village, name):
    someone = RegistryMember.objects.eligible().filter(village=village).first()
    RegistryMember.objects.filter(pk=someone.pk).update(name=name)
    return someone


def test_county_staff_get_masked_names_and_no_audit_row(client, data, places, officer):
    rename_a_member(places["v1"], "黄小梅")
    client.force_login(officer)
    response = client.get(*url(places["v1"], format="csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert rows[0] == list(RECORD_COLUMNS)
    units = village_units(places["v1"], *YEAR)
    assert len(table(rows)) == len(units) == 5
    assert "黄小梅" not in response.content.decode("utf-8-sig")
    assert "黄*梅" in [row[0] for row in table(rows)]
    assert {row[0] for row in table(rows)} == {mask_name(unit.member.name) for unit in units}
    assert not FULL_ID.search(response.content.decode("utf-8-sig"))
    assert not PersonalDataView.objects.exists()


def test_the_bureau_gets_full_names_and_an_audit_row(client, data, places, bureau):
    rename_a_member(places["v1"], "黄小梅")
    client.force_login(bureau)
    response = client.get(*url(places["v1"], format="csv"))
    rows = table(csv_rows(response))
    assert "黄小梅" in [row[0] for row in rows]
    # ID numbers are masked in every file, whoever asks.
    assert all(re.fullmatch(r"\d{4}\*{10}[\dX]{4}", row[1]) for row in rows)
    assert not FULL_ID.search(response.content.decode("utf-8-sig"))
    audit = PersonalDataView.objects.get()
    assert (audit.viewer, audit.record_type, audit.record_id) == (
        bureau,
        "regions.village",
        places["v1"].pk,
    )
    assert "exported" in audit.context


def test_rows_say_the_kind_course_date_and_venue(client, data, places, bureau):
    client.force_login(bureau)
    rows = table(csv_rows(client.get(*url(places["v1"], format="csv"))))
    kinds = sorted((row[2], row[4], row[5]) for row in rows)
    assert kinds == [
        ("现场培训", "2026-03-01", "杨绿村"),
        ("现场培训", "2026-03-02", "杨绿村"),
        ("现场培训", "2026-03-02", "杨绿村"),
        ("现场培训", "2026-03-03", "杨绿村"),
        ("线上结业", "2026-06-01", ""),
    ]
    assert {row[3] for row in rows} == {"农村电商入门"}


def test_the_file_has_the_period_place_and_definition(client, data, places, officer):
    client.force_login(officer)
    rows = csv_rows(client.get(*url(places["v1"], format="csv")))
    notes = [row[0] for row in rows[rows.index([]) + 1 :]]
    assert notes[0] == "统计期间 2026-01-01 至 2026-12-31"
    assert "罗定市 罗镜镇 太平村" in notes[1] and "5 个培训人次" in notes[1]
    assert "姓名已遮蔽" in notes[2]
    assert "培训人次÷应培训人数" in notes[-1]


def test_xlsx_has_dates_as_dates_and_the_notes(client, data, places, bureau):
    client.force_login(bureau)
    response = client.get(*url(places["v1"], format="xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "training-records-" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert [cell.value for cell in sheet[1]] == list(RECORD_COLUMNS)
    assert sheet.freeze_panes == "A2"
    dates = [sheet.cell(row=n, column=5) for n in range(2, 7)]
    assert all(cell.is_date and cell.number_format == "yyyy-mm-dd" for cell in dates)
    assert min(cell.value for cell in dates).date() == datetime.date(2026, 3, 1)
    assert "统计期间 2026-01-01 至 2026-12-31" in [cell.value for cell in book["说明"]["A"]]


def test_formula_like_names_are_neutralised(client, data, places, bureau):
    rename_a_member(places["v1"], '=HYPERLINK("http://evil.example","点我")')
    client.force_login(bureau)
    rows = table(csv_rows(client.get(*url(places["v1"], format="csv"))))
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert "'=HYPERLINK" in "".join(row[0] for row in rows)
    sheet = load_workbook(io.BytesIO(client.get(*url(places["v1"], format="xlsx")).content)).active
    names = [cell for cell in sheet["A"] if "HYPERLINK" in str(cell.value)]
    assert names and all(c.value.startswith("'") and c.data_type == "s" for c in names)


def test_another_countys_village_is_not_found(client, data, places, other_officer):
    client.force_login(other_officer)
    assert client.get(*url(places["v1"], format="csv")).status_code == 404
    assert client.get(*url(places["elsewhere"], format="csv")).status_code == 200


def test_trainees_are_refused_and_strangers_sent_to_log_in(client, data, places, trainee):
    assert client.get(*url(places["v1"])).status_code == 302
    client.force_login(trainee)
    assert client.get(*url(places["v1"])).status_code == 403


@pytest.mark.parametrize(
    "query",
    [{"format": "json"}, {"format": "pdf"}, {"start": "2026-13-01"}, {"end": "2025-01-01"}],
)
def test_bad_parameters_are_a_bad_request(client, data, places, bureau, query):
    client.force_login(bureau)
    assert client.get(*url(places["v1"], **query)).status_code == 400
    assert not PersonalDataView.objects.exists()


def test_the_records_page_links_its_downloads(client, data, places, officer):
    client.force_login(officer)
    html = client.get(
        reverse("coverage:village_records", args=[places["v1"].pk]), PERIOD
    ).content.decode()
    link = reverse("coverage:village_records_export", args=[places["v1"].pk])
    assert f'href="{link}?start=2026-01-01&amp;end=2026-12-31&amp;format=csv"' in html
    assert f'href="{link}?start=2026-01-01&amp;end=2026-12-31&amp;format=xlsx"' in html
