"""``manage.py coverage_report`` writes the very file the report page exports."""

import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from coverage.roles import BUREAU
from regions.models import Town
from tests.accounts.factories import UserFactory
from tests.coverage.test_export import report_data

PERIOD = ["--start", "2026-01-01", "--end", "2026-12-31"]


def run(*args) -> str:
    out = io.StringIO()
    call_command("coverage_report", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("level", ["county", "town", "village"])
def test_csv_equals_the_page_export(client, tmp_path, level):
    report_data()
    user = UserFactory()
    user.groups.add(Group.objects.get(name=BUREAU))
    client.force_login(user)
    page = client.get(
        f"/coverage/export/?start=2026-01-01&end=2026-12-31&level={level}&format=csv"
    ).content
    assert run(*PERIOD, "--level", level, "--format", "csv").encode("utf-8") == page
    output = tmp_path / "report.csv"
    run(*PERIOD, "--level", level, "--output", str(output))
    assert output.read_bytes() == page


@pytest.mark.django_db
def test_one_county_as_json():
    report_data()
    document = json.loads(
        run(*PERIOD, "--level", "village", "--format", "json", "--county", "云城区")
    )
    assert [row["行政村"] for row in document["rows"]] == ["水东村"]
    assert document["total"]["应培训人数"] == 2
    assert document["period"] == {"start": "2026-01-01", "end": "2026-12-31"}


@pytest.mark.django_db
def test_one_town_is_the_town_pages_download(client):
    places = report_data()
    user = UserFactory()
    user.groups.add(Group.objects.get(name=BUREAU))
    client.force_login(user)
    page = client.get(
        f"/coverage/export/?start=2026-01-01&end=2026-12-31&town={places['luojing'].pk}"
    ).content
    assert run(*PERIOD, "--town", "罗镜镇").encode("utf-8") == page
    assert run(*PERIOD, "--town", "罗镜镇", "--county", "罗定市").encode("utf-8") == page
    document = json.loads(run(*PERIOD, "--town", "罗镜镇", "--format", "json"))
    assert [row["行政村"] for row in document["rows"]] == ["太平村"]


@pytest.mark.django_db
def test_a_town_name_two_counties_share_needs_the_county():
    places = report_data()
    Town.objects.create(county=places["yuncheng"], name="罗镜镇")
    with pytest.raises(CommandError, match="more than one town “罗镜镇”: give --county"):
        run(*PERIOD, "--town", "罗镜镇")
    assert "太平村" in run(*PERIOD, "--town", "罗镜镇", "--county", "罗定市")
    assert "太平村" not in run(*PERIOD, "--town", "罗镜镇", "--county", "云城区")


@pytest.mark.django_db
def test_xlsx_to_a_file(tmp_path):
    report_data()
    output = tmp_path / "report.xlsx"
    assert run(*PERIOD, "--format", "xlsx", "--output", str(output)) == ""
    sheet = load_workbook(output).active
    assert sheet["A1"].value == "县(市、区)"
    assert sheet["G2"].number_format == "0.0%"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        (["--start", "2026-02-30", "--end", "2026-12-31"], "“2026-02-30” is not a date"),
        (["--start", "2026-05-01", "--end", "2026-04-01"], "--end is before --start"),
        ([*PERIOD, "--level", "province"], "--level must be one of county, town, village"),
        ([*PERIOD, "--format", "pdf"], "--format must be one of csv, xlsx, json"),
        ([*PERIOD, "--county", "火星县"], "There is no county “火星县”"),
        ([*PERIOD, "--town", "火星镇"], "There is no town “火星镇”"),
        ([*PERIOD, "--town", "罗镜镇", "--level", "town"], "lists its villages: --level village"),
        ([*PERIOD, "--format", "xlsx"], "XLSX is binary: give --output FILE"),
    ],
)
def test_bad_arguments_are_command_errors(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
