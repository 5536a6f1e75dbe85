"""The report's periods: the plan as the default, its years as presets, and the preset
links above the period form (coverage/includes/period_form.html), which keep the page."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from coverage.drilldown import period_form
from coverage.periods import Period, period_from, plan_period, preset_of, presets
from coverage.templatetags.coverage_tags import period_choices

D = datetime.date
PLAN = Period(D(2018, 1, 1), D(2020, 12, 31))


def test_the_presets_are_the_whole_plan_then_each_year():
    assert plan_period() == PLAN
    assert [(str(p.label), p.period) for p in presets()] == [
        ("整个规划期", PLAN),
        ("2018年", Period(D(2018, 1, 1), D(2018, 12, 31))),
        ("2019年", Period(D(2019, 1, 1), D(2019, 12, 31))),
        ("2020年", Period(D(2020, 1, 1), D(2020, 12, 31))),
    ]


def test_a_plan_that_starts_and_ends_mid_year_cuts_its_first_and_last_years(settings):
    settings.COVERAGE_PLAN_START = "2019-07-01"
    settings.COVERAGE_PLAN_END = "2020-06-30"
    assert [p.period for p in presets()] == [
        Period(D(2019, 7, 1), D(2020, 6, 30)),
        Period(D(2019, 7, 1), D(2019, 12, 31)),
        Period(D(2020, 1, 1), D(2020, 6, 30)),
    ]


def test_preset_of_names_a_preset_or_none_for_a_custom_range():
    assert preset_of(PLAN).period == PLAN
    assert str(preset_of(Period(D(2019, 1, 1), D(2019, 12, 31))).label) == "2019年"
    assert preset_of(Period(D(2019, 1, 1), D(2019, 12, 30))) is None


def test_period_from_defaults_to_the_plan_and_refuses_bad_dates():
    assert period_from({}) == PLAN
    assert period_from({"start": "2019-03-01", "end": ""}) == Period(D(2019, 3, 1), PLAN.end)
    for bad in ({"start": "2019-02-30"}, {"start": "2020-01-02", "end": "2020-01-01"}):
        with pytest.raises(ValueError):
            period_from(bad)


def test_preset_links_keep_the_path_and_other_parameters_but_not_the_page():
    query = QueryDict("start=2019-01-01&end=2019-12-31&town=7&page=3")
    choices = period_choices("/coverage/county/4/", query, Period(D(2019, 1, 1), D(2019, 12, 31)))
    assert [link.href for link in choices.links] == [
        "/coverage/county/4/?start=2018-01-01&end=2020-12-31&town=7",
        "/coverage/county/4/?start=2018-01-01&end=2018-12-31&town=7",
        "/coverage/county/4/?start=2019-01-01&end=2019-12-31&town=7",
        "/coverage/county/4/?start=2020-01-01&end=2020-12-31&town=7",
    ]
    assert [link.current for link in choices.links] == [False, False, True, False]
    assert not choices.custom
    assert choices.kept == [("town", "7")]


def render_form(path="/coverage/", **query):
    request = RequestFactory().get(path, query)
    html = render_to_string(
        "coverage/includes/period_form.html", {"form": period_form(request.GET)}, request
    )
    return BeautifulSoup(html, "html.parser")


def presets_in(soup):
    return [
        (a.get_text(strip=True), a["href"], a.get("aria-current"))
        for a in soup.select(".period-presets a")
    ]


def test_the_whole_plan_is_the_default_and_marked_current():
    soup = render_form()
    assert presets_in(soup) == [
        ("整个规划期", "/coverage/?start=2018-01-01&end=2020-12-31", "true"),
        ("2018年", "/coverage/?start=2018-01-01&end=2018-12-31", None),
        ("2019年", "/coverage/?start=2019-01-01&end=2019-12-31", None),
        ("2020年", "/coverage/?start=2020-01-01&end=2020-12-31", None),
    ]
    assert soup.select_one(".period-custom").get("aria-current") is None
    assert soup.select_one("#id_start")["value"] == "2018-01-01"


def test_a_year_chosen_is_marked_current_on_any_page():
    soup = render_form("/coverage/town/12/", start="2020-01-01", end="2020-12-31")
    current = [(label, href) for label, href, mark in presets_in(soup) if mark]
    assert current == [("2020年", "/coverage/town/12/?start=2020-01-01&end=2020-12-31")]


def test_a_custom_range_marks_the_custom_fields_not_a_preset():
    soup = render_form(start="2019-03-01", end="2019-09-30")
    assert [mark for _label, _href, mark in presets_in(soup)] == [None] * 4
    assert soup.select_one(".period-custom")["aria-current"] == "true"
    assert soup.select_one("#id_end")["value"] == "2019-09-30"


def test_a_bad_period_marks_nothing_and_keeps_its_error():
    soup = render_form(start="2019-09-30", end="2019-03-01")
    assert [mark for _label, _href, mark in presets_in(soup)] == [None] * 4
    assert soup.select_one(".period-custom").get("aria-current") is None
    assert soup.select_one("#id_end-error").get_text() == "结束日期不能早于开始日期。"


def test_the_custom_range_form_carries_the_pages_other_parameters():
    soup = render_form(start="2019-01-01", end="2019-12-31", town="7", page="2")
    hidden = {i["name"]: i["value"] for i in soup.select('form input[type="hidden"]')}
    assert hidden == {"town": "7"}


def test_the_records_page_offers_presets_to_its_own_path(client, bureau, places):
    client.force_login(bureau)
    url = reverse("coverage:village_records", args=[places["v1"].pk])
    response = client.get(url, {"start": "2018-01-01", "end": "2018-12-31"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert [(label, href, mark) for label, href, mark in presets_in(soup)][1] == (
        "2018年",
        f"{url}?start=2018-01-01&end=2018-12-31",
        "true",
    )


def test_the_report_offers_the_presets_with_the_plan_current_by_default(client, officer):
    client.force_login(officer)
    response = client.get(reverse("coverage:report"))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert presets_in(soup)[0] == (
        "整个规划期",
        "/coverage/?start=2018-01-01&end=2020-12-31",
        "true",
    )
