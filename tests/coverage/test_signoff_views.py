"""The sign-off pages: a county submits from the list, the bureau reviews the submitted
figures beside today's, the history with names and comments, the approved snapshot as
XLSX and on paper, and the sign-off box a report page includes."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import load_workbook

from classes.models import ClassSession
from coverage import signoff
from coverage.models import Submission
from tests.accounts.factories import UserFactory
from tests.coverage.test_export import attend, member, report_data
from tests.coverage.test_export_views import bureau_user, county_staff

from .test_signoff import END, START

LIST = "/coverage/signoff/"
YEAR = {"start": "2026-01-01", "end": "2026-12-31"}


@pytest.fixture
def places(db):
    return report_data()


def named(user, name):
    user.real_name = name
    user.save()
    return user


@pytest.fixture
def staff(places):
    return named(county_staff(places["luoding"]), "县员李")


@pytest.fixture
def bureau(db):
    return named(bureau_user(), "局长王")


def detail(submission):
    return f"/coverage/signoff/{submission.pk}/"


def one_more_trained(places):
    attend(ClassSession.objects.get(), member(places["taiping"]))


def test_county_staff_submit_the_plan_period_from_the_list(client, staff):
    client.force_login(staff)
    page = client.get(LIST).content.decode()
    assert 'name="start" value="2018-01-01"' in page
    assert 'name="end" value="2020-12-31"' in page
    response = client.post(f"{LIST}submit/", {"start": "", "end": "", "comment": "请审核"})
    submission = Submission.objects.get()
    assert response.url == detail(submission)
    assert (str(submission.start), str(submission.end)) == ("2018-01-01", "2020-12-31")
    assert submission.events.get().comment == "请审核"
    page = client.get(detail(submission)).content.decode()
    assert "太平村" in page and "县员李" in page
    # Waiting: the same county and period cannot be submitted again.
    client.post(f"{LIST}submit/", {"start": "2018-01-01", "end": "2020-12-31"})
    assert Submission.objects.get().events.count() == 1
    assert "2018-01-01 – 2020-12-31" in client.get(LIST).content.decode()


def test_a_bad_period_is_an_error_beside_the_field_not_a_500(client, staff):
    client.force_login(staff)
    response = client.post(f"{LIST}submit/", {"start": "2026-13-01", "end": "2026-12-31"})
    assert response.status_code == 200
    assert 'id="submit-start-error">输入一个有效的日期' in response.content.decode()
    response = client.post(f"{LIST}submit/", {"start": "2026-12-31", "end": "2026-01-01"})
    assert response.status_code == 200
    assert 'id="submit-end-error">结束日期不能早于开始日期' in response.content.decode()
    assert not Submission.objects.exists()


def test_the_review_page_marks_rows_that_differ_and_approval_keeps_the_submitted(
    client, places, staff, bureau
):
    client.force_login(staff)
    client.post(f"{LIST}submit/", YEAR)
    submission = Submission.objects.get()
    one_more_trained(places)

    client.force_login(bureau)
    page = client.get(detail(submission)).content.decode()
    assert page.count('<tr class="changed">') == 3  # the county, 罗镜镇 and 太平村
    taiping_row = next(r for r in page.split("<tr") if "罗镜镇 / 太平村" in r)
    assert 'class="changed"' in taiping_row
    assert "42.9%" in taiping_row and "50.0%" in taiping_row  # 3/7 submitted, 4/8 today
    evil_row = next(r for r in page.split("<tr") if "+加号镇 / " in r)
    assert "changed" not in evil_row
    assert 'value="approve"' in page

    client.post(f"{detail(submission)}review/", {"action": "approve", "comment": ""})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED
    assert submission.figures["county"][0]["person_times"] == 4  # submitted, not today's 5
    page = client.get(detail(submission)).content.decode()
    assert "局长王" in page and "县员李" in page
    assert 'value="approve"' not in page
    assert "/export/?level=village" in page


def test_only_the_bureau_reviews_on_the_page(client, places, staff):
    submission = signoff.submit(places["luoding"], START, END, staff)
    review = f"{detail(submission)}review/"
    client.force_login(staff)
    assert 'value="approve"' not in client.get(detail(submission)).content.decode()
    assert client.post(review, {"action": "approve"}).status_code == 403
    client.force_login(county_staff(places["yuncheng"]))
    assert client.get(detail(submission)).status_code == 404
    assert client.post(review, {"action": "approve"}).status_code == 403
    client.force_login(UserFactory())
    assert client.get(detail(submission)).status_code == 403
    assert client.get(LIST).status_code == 403
    assert client.post(f"{LIST}submit/", YEAR).status_code == 403
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED


def test_return_with_a_comment_then_resubmit_shows_both_in_the_history(
    client, places, staff, bureau
):
    submission = signoff.submit(places["luoding"], START, END, staff, "第一次上报")
    client.force_login(bureau)
    review = f"{detail(submission)}review/"
    client.post(review, {"action": "return", "comment": ""})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED  # a return needs a reason
    client.post(review, {"action": "return", "comment": "太平村人数有误"})
    submission.refresh_from_db()
    assert (submission.status, submission.comment) == ("returned", "太平村人数有误")

    one_more_trained(places)
    client.force_login(staff)
    page = client.get(detail(submission)).content.decode()
    assert 'id="resubmit-comment"' in page  # the county may submit again
    client.post(f"{LIST}submit/", {**YEAR, "comment": "已更正太平村"})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED

    page = client.get(detail(submission)).content.decode()
    history = page[page.index('class="signoff-history"') :]
    for text in ("第一次上报", "太平村人数有误", "已更正太平村", "县员李", "局长王"):
        assert text in history
    assert history.index("第一次上报") < history.index("太平村人数有误")
    assert history.index("太平村人数有误") < history.index("已更正太平村")
    # Each snapshot's county totals stay: 9 eligible and 4 person-times first, then 10 and 5.
    items = history.split("<li")[1:]
    assert len(items) == 3
    totals = [
        re.findall(r"\d+", item.split('class="meta">')[1].split("<")[0])
        for item in items
        if 'class="meta"' in item
    ]
    assert totals == [["9", "4", "4"], ["10", "5", "5"]]


def test_a_submission_without_stored_figures_says_so(client, places, staff, bureau):
    old = Submission.objects.create(
        county=places["luoding"],
        start=START,
        end=END,
        status=Submission.Status.SUBMITTED,
        submitted_by=staff,
        submitted_at=timezone.now(),
    )
    client.force_login(bureau)
    page = client.get(detail(old)).content.decode()
    assert 'class="signoff-missing"' in page
    assert 'value="approve"' not in page and 'value="return"' in page
    client.post(f"{detail(old)}review/", {"action": "approve"})
    old.refresh_from_db()
    assert old.status == Submission.Status.SUBMITTED


def approved_submission(places, staff, bureau):
    submission = signoff.submit(places["luoding"], START, END, staff)
    return signoff.approve(submission, bureau)


def xlsx_text(content) -> tuple[list, str]:
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    values = (cell.value for ws in book.worksheets for row in ws.iter_rows() for cell in row)
    text = "\n".join(str(value) for value in values if value is not None)
    return rows, text


def test_the_approved_snapshot_exports_with_period_definition_approver_and_submitter(
    client, places, staff, bureau
):
    submission = approved_submission(places, staff, bureau)
    one_more_trained(places)  # after approval: the file still has the signed figures
    client.force_login(staff)
    response = client.get(f"{detail(submission)}export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows, text = xlsx_text(response.content)
    taiping = next(row for row in rows if row[2] == "太平村")
    assert taiping[3:6] == [7, 3, 3]  # as submitted; today 8, 4, 4
    assert "统计期间 2026-01-01 至 2026-12-31" in text
    assert "罗定市" in text
    assert "审核人 局长王" in text and "上报人 县员李" in text
    reviewed = timezone.localtime(submission.reviewed_at)
    assert f"审核时间 {reviewed:%Y-%m-%d %H:%M}" in text
    assert "口径 培训覆盖率" in text  # the definition

    rows, _text = xlsx_text(client.get(f"{detail(submission)}export/?level=county").content)
    assert rows[1][:6] == ["罗定市", None, None, 9, 4, 4]


def test_only_an_approved_snapshot_exports(client, places, staff, bureau):
    waiting = signoff.submit(places["luoding"], START, END, staff)
    client.force_login(bureau)
    assert client.get(f"{detail(waiting)}export/").status_code == 404
    approved = signoff.approve(waiting, bureau)
    assert client.get(f"{detail(approved)}export/?level=nation").status_code == 400
    client.force_login(county_staff(places["yuncheng"]))
    assert client.get(f"{detail(approved)}export/").status_code == 404
    client.force_login(UserFactory())
    assert client.get(f"{detail(approved)}export/").status_code == 403


def test_the_detail_page_links_a_print_stylesheet_that_leaves_out_navigation_and_forms(
    client, places, staff, bureau
):
    submission = approved_submission(places, staff, bureau)
    client.force_login(bureau)
    page = client.get(detail(submission)).content.decode()
    assert '<link rel="stylesheet" href="/static/coverage/signoff-print.css" media="print">' in page
    assert 'class="signoff signoff-approved"' in page
    assert "signoff-definition" in page
    css = Path(finders.find("coverage/signoff-print.css")).read_text()
    hidden = css[: css.index("{ display: none")]
    for selector in (".site-header", ".site-footer", "form", "button", "nav", ".no-print"):
        assert selector in hidden
    assert ".signoff-approved .today" in css


def test_the_signoff_box_says_who_signed_the_period(places, staff, bureau):
    luoding, yuncheng = places["luoding"], places["yuncheng"]
    approved = approved_submission(places, staff, bureau)
    html = render_to_string(
        "coverage/includes/signoff_status.html",
        {"signoff_status": signoff.period_signoff([luoding, yuncheng], START, END)},
    )
    luoding_item = html[html.index("罗定市") : html.index("云城区")]
    assert "局长王" in luoding_item and "县员李" in luoding_item
    assert f'href="/coverage/signoff/{approved.pk}/"' in luoding_item
    assert 'class="signoff-none"' in html
    assert "all-approved" not in html
    only_luoding = render_to_string(
        "coverage/includes/signoff_status.html",
        {"signoff_status": signoff.period_signoff([luoding], START, END)},
    )
    assert "all-approved" in only_luoding
    assert render_to_string("coverage/includes/signoff_status.html", {}).strip() == ""
