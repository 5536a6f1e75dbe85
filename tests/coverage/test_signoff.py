"""Sign-off: county staff submit their county, the bureau approves (freezing the figures)
or returns with a comment; a returned submission can come again."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from classes.models import ClassSession
from coverage import signoff
from coverage.models import Submission
from tests.accounts.factories import UserFactory
from tests.coverage.test_export import attend, member, report_data
from tests.coverage.test_export_views import bureau_user, county_staff

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


@pytest.fixture
def places(db):
    return report_data()


def test_county_staff_submit_their_own_county_only(places):
    staff = county_staff(places["luoding"])
    submission = signoff.submit(places["luoding"], START, END, staff)
    assert (submission.status, submission.submitted_by) == (Submission.Status.SUBMITTED, staff)
    with pytest.raises(PermissionDenied):
        signoff.submit(places["yuncheng"], START, END, staff)
    with pytest.raises(PermissionDenied):
        signoff.submit(places["luoding"], START, END, bureau_user())
    with pytest.raises(ValidationError):
        signoff.submit(places["luoding"], START, END, staff)  # already waiting


def test_approval_freezes_the_figures(places):
    submission = signoff.submit(places["luoding"], START, END, county_staff(places["luoding"]))
    bureau = bureau_user()
    submission = signoff.approve(submission, bureau)
    assert (submission.status, submission.reviewed_by) == (Submission.Status.APPROVED, bureau)
    frozen = Submission.objects.get().approved_figures
    assert set(frozen) == {"county", "town", "village"}
    assert [(r["county"], r["eligible"], r["person_times"]) for r in frozen["county"]] == [
        ("罗定市", 9, 4)
    ]
    assert {r["village"] for r in frozen["village"]} == {"太平村", places["evil"].name}

    # Records change after approval: one more person in 太平村, one more class attended.
    newcomer = member(places["taiping"])
    attend(ClassSession.objects.get(), newcomer)
    submission.refresh_from_db()
    assert submission.approved_figures == frozen
    compared = signoff.compare(submission)
    county_row = compared["county"][0]
    assert (county_row.approved.eligible, county_row.approved.person_times) == (9, 4)
    assert (county_row.current.eligible, county_row.current.person_times) == (10, 5)
    assert county_row.changed
    villages = {row.place: row for row in compared["village"]}
    assert villages["罗定市 / 罗镜镇 / 太平村"].changed
    assert not villages[f"罗定市 / +加号镇 / {places['evil'].name}"].changed


def test_only_the_bureau_reviews(places):
    staff = county_staff(places["luoding"])
    submission = signoff.submit(places["luoding"], START, END, staff)
    for someone in (staff, UserFactory()):
        with pytest.raises(PermissionDenied):
            signoff.approve(submission, someone)
        with pytest.raises(PermissionDenied):
            signoff.return_submission(submission, someone, "不对")


def test_returned_with_a_comment_then_resubmitted(places):
    staff = county_staff(places["luoding"])
    submission = signoff.submit(places["luoding"], START, END, staff)
    with pytest.raises(ValidationError):
        signoff.return_submission(submission, bureau_user(), "  ")
    submission = signoff.return_submission(submission, bureau_user(), "太平村人数有误")
    assert (submission.status, submission.comment) == (Submission.Status.RETURNED, "太平村人数有误")
    with pytest.raises(ValidationError):
        signoff.approve(submission, bureau_user())  # returned: nothing to approve
    again = signoff.submit(places["luoding"], START, END, staff)
    assert again.pk == submission.pk
    assert again.status == Submission.Status.SUBMITTED
    assert signoff.approve(again, bureau_user()).status == Submission.Status.APPROVED
    with pytest.raises(ValidationError):
        signoff.submit(places["luoding"], START, END, staff)  # approved stays approved


def test_pages_submit_review_and_show_both_figures(client, places):
    staff = county_staff(places["luoding"])
    client.force_login(staff)
    response = client.post(
        "/coverage/signoff/submit/", {"start": "2026-01-01", "end": "2026-12-31"}
    )
    submission = Submission.objects.get()
    assert response.url == f"/coverage/signoff/{submission.pk}/"
    assert client.get("/coverage/signoff/").status_code == 200
    assert "太平村" in client.get(response.url).content.decode()
    # County staff cannot review.
    review = f"/coverage/signoff/{submission.pk}/review/"
    assert client.post(review, {"action": "approve"}).status_code == 403

    client.force_login(bureau_user())
    client.post(review, {"action": "approve"})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED
    attend_again = member(places["taiping"])
    attend(ClassSession.objects.get(), attend_again)
    page = client.get(f"/coverage/signoff/{submission.pk}/").content.decode()
    assert 'class="changed"' in page
    assert "44.4%" in page and "50.0%" in page  # approved 4/9, now 5/10


def test_pages_refuse_others(client, places):
    submission = signoff.submit(places["luoding"], START, END, county_staff(places["luoding"]))
    detail = f"/coverage/signoff/{submission.pk}/"
    client.force_login(county_staff(places["yuncheng"]))
    assert client.get(detail).status_code == 404
    assert client.post(f"{detail}review/", {"action": "approve"}).status_code == 403
    client.force_login(UserFactory())
    assert client.get(detail).status_code == 403
    assert client.get("/coverage/signoff/").status_code == 403
    assert client.post("/coverage/signoff/submit/", {"start": "2026-01-01"}).status_code == 403


def test_returning_on_the_page_needs_a_comment(client, places):
    submission = signoff.submit(places["luoding"], START, END, county_staff(places["luoding"]))
    client.force_login(bureau_user())
    review = f"/coverage/signoff/{submission.pk}/review/"
    client.post(review, {"action": "return", "comment": ""})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    client.post(review, {"action": "return", "comment": "请核对"})
    submission.refresh_from_db()
    assert (submission.status, submission.comment) == (Submission.Status.RETURNED, "请核对")
