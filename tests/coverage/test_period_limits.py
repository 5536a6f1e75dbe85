"""A period beyond the plan's years (or this one) and a margin is refused: beside the
field on a page, as a 400 for a download, and by the sign-off itself.

Before, ``?start=0001-01-01&end=9999-12-31`` was a 500 on the report page (OverflowError
in the dashboard's months), a silent report of all time as a download, and a county's
submission for 0001-01-01 – 9999-12-31 was stored and sent to the bureau.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from coverage import signoff
from coverage.models import Submission
from coverage.periods import Period, PeriodError, period_from, period_limits
from tests.coverage.test_export import report_data
from tests.coverage.test_export_views import bureau_user, county_staff

D = datetime.date
ABSURD = {"start": "0001-01-01", "end": "9999-12-31"}
THIS_YEAR = timezone.localdate().year
# The limits with the plan of 2018–2020 and the margin of 5 years (site/settings/base.py).
FIRST, LAST = D(2013, 1, 1), D(max(2020, THIS_YEAR) + 5, 12, 31)
REFUSED = f"请填写 {FIRST} 至 {LAST} 之间的日期。"


@pytest.fixture
def places(db):
    return report_data()


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


@pytest.fixture
def officer(client, places):
    client.force_login(county_staff(places["luoding"]))
    return client


def test_the_limits_are_the_plans_years_and_this_one_widened_by_the_margin(settings):
    assert period_limits() == Period(FIRST, LAST)
    settings.COVERAGE_PERIOD_MARGIN_YEARS = 0
    assert period_limits() == Period(D(2018, 1, 1), D(max(2020, THIS_YEAR), 12, 31))
    settings.COVERAGE_PLAN_START, settings.COVERAGE_PLAN_END = "2030-07-01", "2040-06-30"
    settings.COVERAGE_PERIOD_MARGIN_YEARS = 2
    assert period_limits() == Period(D(2028, 1, 1), D(2042, 12, 31))


@pytest.mark.parametrize(
    "query",
    [ABSURD, {"start": "0001-01-01"}, {"end": "9999-12-31"}, {"start": "2012-12-31"}],
)
def test_period_from_refuses_a_day_beyond_the_limits_in_words(query):
    with pytest.raises(PeriodError) as refused:
        period_from(query)
    assert str(refused.value) == REFUSED


def test_period_from_takes_the_limits_themselves():
    assert period_from({"start": f"{FIRST}", "end": f"{LAST}"}) == Period(FIRST, LAST)


def field_errors(html: str, field_id: str) -> str:
    """The text of the error span the period form puts beside a field."""
    marker = f'id="{field_id}-error">'
    assert marker in html, f"no error beside {field_id}"
    return html.split(marker, 1)[1].split("<", 1)[0]


@pytest.mark.parametrize("page", ["report", "county", "town", "records"])
def test_a_report_page_shows_the_refusal_beside_each_field(officer, places, page):
    path = {
        "report": "/coverage/",
        "county": f"/coverage/county/{places['luoding'].pk}/",
        "town": f"/coverage/town/{places['luojing'].pk}/",
        "records": f"/coverage/village/{places['taiping'].pk}/records/",
    }[page]
    response = officer.get(path, ABSURD)
    assert response.status_code == 200
    html = response.content.decode()
    assert field_errors(html, "id_start") == REFUSED
    assert field_errors(html, "id_end") == REFUSED
    assert "rows" not in response.context and "units" not in response.context


def test_a_report_page_within_the_limits_shows_its_figures(officer):
    response = officer.get("/coverage/", {"start": f"{FIRST}", "end": f"{LAST}"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "-error" not in html and "罗定市" in html


@pytest.mark.parametrize(
    "path",
    ["/coverage/export/", "/coverage/export/?format=xlsx", "records-export"],
)
def test_a_download_beyond_the_limits_is_a_400_saying_why(officer, places, path):
    if path == "records-export":
        path = f"/coverage/village/{places['taiping'].pk}/records/export/"
    response = officer.get(path, ABSURD)
    assert response.status_code == 400
    assert response.content.decode() == REFUSED
    assert "Content-Disposition" not in response


def test_the_audit_log_filter_refuses_days_beyond_the_limits(client, db):
    client.force_login(bureau_user())
    html = client.get("/coverage/audit/", ABSURD).content.decode()
    assert field_errors(html, "id_start") == REFUSED
    assert field_errors(html, "id_end") == REFUSED


def test_a_submission_beyond_the_limits_is_refused_beside_the_field_and_keeps_the_note(
    officer,
):
    response = officer.post("/coverage/signoff/submit/", ABSURD | {"comment": "全部年份"})
    assert response.status_code == 200
    html = response.content.decode()
    assert field_errors(html, "submit-start") == REFUSED
    assert field_errors(html, "submit-end") == REFUSED
    assert "全部年份</textarea>" in html
    assert not Submission.objects.exists()


def test_the_signoff_itself_refuses_a_period_beyond_the_limits(places):
    staff = county_staff(places["luoding"])
    with pytest.raises(ValidationError) as refused:
        signoff.submit(places["luoding"], D(1, 1, 1), D(9999, 12, 31), staff)
    assert refused.value.messages == [REFUSED]
    assert not Submission.objects.exists()


def test_the_report_command_refuses_a_period_beyond_the_limits(places):
    with pytest.raises(CommandError, match=f"within {FIRST} – {LAST}"):
        call_command("coverage_report", "--start", "0001-01-01", "--end", "9999-12-31")
