"""The report pages: the hand-computed figures at each level, the period, the chart."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regions.models import Village
from tests.coverage.conftest import attend, member, session

PERIOD = {"start": "2026-01-01", "end": "2026-12-31"}


def figures(response):
    return {
        row.name: (row.figures.eligible, row.figures.person_times, row.figures.persons)
        for row in response.context["rows"]
    }


def test_county_level_shows_ratio_of_sums(client, data, bureau):
    client.force_login(bureau)
    response = client.get(reverse("coverage:report"), PERIOD)
    assert figures(response) == {"罗定市": (14, 6, 4)}
    html = response.content.decode()
    # 6/14 and 4/14, one decimal; not met against 50%.
    assert "42.9%" in html and "28.6%" in html
    assert "未达标" in html
    assert "应培训人数" in html and "人次覆盖率" in html and "人数覆盖率" in html
    total = response.context["total"].figures
    assert (total.eligible, total.person_times, total.persons) == (14, 6, 4)


def test_town_and_village_levels(client, data, places, bureau):
    client.force_login(bureau)
    county = client.get(reverse("coverage:county", args=[places["demo"].pk]), PERIOD)
    assert figures(county) == {"罗镜镇": (4, 5, 3), "泗纶镇": (10, 1, 1)}
    assert f'href="{reverse("coverage:town", args=[places["v1"].town.pk])}?start=2026-01-01' in (
        county.content.decode()
    )
    town = client.get(reverse("coverage:town", args=[places["v1"].town.pk]), PERIOD)
    assert figures(town) == {"太平村": (4, 5, 3)}
    html = town.content.decode()
    assert "125.0%" in html and "75.0%" in html and "达标" in html
    records = reverse("coverage:village_records", args=[places["v1"].pk])
    assert f'href="{records}?start=2026-01-01&amp;end=2026-12-31">5</a>' in html


def test_the_period_defaults_to_the_plan(client, data, bureau):
    client.force_login(bureau)
    response = client.get(reverse("coverage:report"))
    assert response.context["start"] == datetime.date(2018, 1, 1)
    assert response.context["end"] == datetime.date(2020, 12, 31)


def test_any_range_is_allowed(client, data, bureau):
    client.force_login(bureau)
    response = client.get(reverse("coverage:report"), {"start": "2025-12-01", "end": "2026-03-02"})
    # 2025-12-31 and 2026-03-01/02 for three_classes, 03-02 for sheet_only, 03-01 in v2.
    assert figures(response) == {"罗定市": (14, 5, 3)}


@pytest.mark.parametrize(
    "params, field",
    [
        ({"start": "2026-13-01", "end": "2026-12-31"}, "start"),
        ({"start": "2026-01-01", "end": "yesterday"}, "end"),
        ({"start": "2026-06-01", "end": "2026-05-31"}, "end"),
    ],
)
def test_a_bad_period_is_shown_beside_its_field(client, data, bureau, params, field):
    client.force_login(bureau)
    response = client.get(reverse("coverage:report"), params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert f'id="id_{field}-error"' in html
    assert "rows" not in response.context
    message = response.context["form"].errors[field][0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message


def test_the_chart_draws_a_bar_per_area_against_the_target(client, data, places, bureau):
    client.force_login(bureau)
    response = client.get(reverse("coverage:county", args=[places["demo"].pk]), PERIOD)
    html = response.content.decode()
    # 罗镜镇 at 125% sets the scale: its bar fills the chart, the 50% line sits at 40%.
    assert response.context["target_at"] == 40
    assert 'style="--target: 40.0%"' in html
    assert 'style="width: 100.0%"' in html  # 罗镜镇, 125%
    assert 'style="width: 8.0%"' in html  # 泗纶镇, 10% of 125%
    chart = html.split('class="coverage-chart"')[1].split("</section>")[0]
    assert chart.count('class="bar"') == 2
    assert "<script" not in chart


def test_query_count_does_not_grow_with_villages(client, places, course, bureau):
    """The same number of queries for 3 villages as for 30, on every level's page (the
    report one query per level; the dashboard's parts a fixed number each)."""

    def add_villages(count):
        for n in range(count):
            village = Village.objects.create(
                town=places["v1"].town, name=f"新村{count}-{n}", is_provincial_poor=True
            )
            attend(session(course, village, datetime.date(2026, 4, 1)), member(village))

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, PERIOD)
        assert response.status_code == 200
        return len(captured), response

    client.force_login(bureau)
    client.get(reverse("coverage:report"))  # Wagtail makes the user's profile on a first visit.
    urls = (
        reverse("coverage:report"),
        reverse("coverage:county", args=[places["demo"].pk]),
        reverse("coverage:town", args=[places["v1"].town.pk]),
    )
    add_villages(3)
    few = [queries(url)[0] for url in urls]
    add_villages(27)
    many = [queries(url) for url in urls]
    assert [count for count, _ in many] == few
    assert len(many[-1][1].context["rows"]) == 30


def test_areas_outside_the_scope_are_listed_apart_and_never_counted(client, data, places, bureau):
    client.force_login(bureau)
    report = client.get(reverse("coverage:report"), PERIOD)
    assert report.context["outside_scope"] == ["云城区"]
    assert figures(report) == {"罗定市": (14, 6, 4)}
    town = client.get(reverse("coverage:town", args=[places["v1"].town.pk]), PERIOD)
    assert town.context["outside_scope"] == ["富裕村"]
    assert figures(town) == {"太平村": (4, 5, 3)}
    assert "富裕村" in town.content.decode().split('class="coverage-outside"')[1]
    other = places["elsewhere"].town.county
    county = client.get(reverse("coverage:county", args=[other.pk]), PERIOD)
    assert county.context["outside_scope"] == ["腰古镇"]
    assert figures(county) == {}


def test_the_page_links_to_the_download_of_its_figures(client, data, places, bureau):
    """A town page's download is that town's (the exports' ``town=``), a county page's
    that county's, the main page's every county the user sees."""
    client.force_login(bureau)
    export = f"{reverse('coverage:export')}?start=2026-01-01&amp;end=2026-12-31"
    pages = [
        (reverse("coverage:report"), f'{export}&amp;level=county&amp;format=csv"'),
        (
            reverse("coverage:county", args=[places["demo"].pk]),
            f'{export}&amp;level=town&amp;format=csv&amp;county={places["demo"].pk}"',
        ),
        (
            reverse("coverage:town", args=[places["v1"].town.pk]),
            f'{export}&amp;level=village&amp;format=csv&amp;town={places["v1"].town.pk}"',
        ),
    ]
    for page, link in pages:
        assert f'href="{link}' in client.get(page, PERIOD).content.decode(), page
    csv = client.get(pages[2][1].rstrip('"').replace("&amp;", "&"))
    assert csv.status_code == 200
    text = csv.content.decode("utf-8-sig")
    # 罗镜镇's only poor village; 杨绿村 is in the county's other town.
    assert "太平村" in text and "杨绿村" not in text


def test_the_form_reads_in_chinese(client, data, bureau):
    """Our labels, not Wagtail's translation of the same English words."""
    client.force_login(bureau)
    html = client.get(reverse("coverage:report"), PERIOD).content.decode()
    assert "开始日期" in html and "结束日期" in html and "查询" in html


def test_the_default_period_is_the_whole_plan(client, data, bureau):
    client.force_login(bureau)
    html = client.get(reverse("coverage:report")).content.decode()
    assert 'value="2018-01-01"' in html and 'value="2020-12-31"' in html
