"""Sign-off: county staff submit their county, which stores the figures as they are; the
bureau approves exactly those (never today's) or returns them with a comment; a returned
submission comes again with a new snapshot, and every step stays in the history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from classes.models import ClassSession
from coverage import signoff
from coverage.models import Submission, SubmissionEvent
from tests.accounts.factories import UserFactory
from tests.coverage.test_export import attend, member, report_data
from tests.coverage.test_export_views import bureau_user, county_staff

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


@pytest.fixture
def places(db):
    return report_data()


def one_more_trained(places):
    """Records change: one more eligible person in 太平村, who attended the class."""
    attend(ClassSession.objects.get(), member(places["taiping"]))


def county_row(figures):
    (row,) = figures["county"]
    return (row["eligible"], row["person_times"], row["persons"])


def test_submitting_stores_every_village_row_who_and_when(places):
    staff = county_staff(places["luoding"])
    before = timezone.now()
    submission = signoff.submit(places["luoding"], START, END, staff, "  首次上报 ")
    submission = Submission.objects.get(pk=submission.pk)
    assert (submission.submitted_by, submission.status) == (staff, Submission.Status.SUBMITTED)
    assert before <= submission.submitted_at <= timezone.now()
    villages = {row["village"]: row for row in submission.figures["village"]}
    assert set(villages) == {"太平村", places["evil"].name}
    assert (villages["太平村"]["eligible"], villages["太平村"]["person_times"]) == (7, 3)
    assert villages["太平村"]["area_id"] == places["taiping"].pk
    assert {row["town"] for row in submission.figures["town"]} == {"罗镜镇", "+加号镇"}
    assert county_row(submission.figures) == (9, 4, 4)
    # Only this county: 云城区 is not in 罗定市's figures.
    assert {row["county"] for rows in submission.figures.values() for row in rows} == {"罗定市"}
    (event,) = submission.events.all()
    assert (event.action, event.by, event.at, event.comment) == (
        SubmissionEvent.Action.SUBMITTED,
        staff,
        submission.submitted_at,
        "首次上报",
    )
    assert event.figures == submission.figures


def test_approval_signs_the_submitted_figures_not_todays(places):
    """The issue's bug: the county submitted 402/104 and an approved 413/106 came out,
    because approval counted again. Here 9 eligible / 4 person-times are submitted, a
    class is recorded after, and 9/4 is what gets approved."""
    submission = signoff.submit(places["luoding"], START, END, county_staff(places["luoding"]))
    one_more_trained(places)
    bureau = bureau_user()
    approved = signoff.approve(submission, bureau)
    approved = Submission.objects.get(pk=approved.pk)
    assert (approved.status, approved.reviewed_by) == (Submission.Status.APPROVED, bureau)
    assert county_row(approved.figures) == (9, 4, 4)
    assert [r.person_times for r in signoff.snapshot_rows(approved, "county")] == [4]
    assert [step.event.action for step in signoff.history(approved)] == ["submitted", "approved"]

    compared = signoff.compare(approved)
    county = compared["county"][0]
    assert (county.submitted.eligible, county.submitted.person_times) == (9, 4)
    assert (county.current.eligible, county.current.person_times) == (10, 5)
    assert county.changed
    villages = {row.place: row for row in compared["village"]}
    assert villages["罗定市 / 罗镜镇 / 太平村"].changed
    assert (villages["罗定市 / 罗镜镇 / 太平村"].submitted_rate) == "42.9%"  # 3 / 7
    assert (villages["罗定市 / 罗镜镇 / 太平村"].current_rate) == "50.0%"  # 4 / 8
    assert not villages[f"罗定市 / +加号镇 / {places['evil'].name}"].changed


def test_county_staff_submit_their_own_county_only(places):
    staff = county_staff(places["luoding"])
    signoff.submit(places["luoding"], START, END, staff)
    with pytest.raises(PermissionDenied):
        signoff.submit(places["yuncheng"], START, END, staff)
    with pytest.raises(PermissionDenied):
        signoff.submit(places["luoding"], START, END, bureau_user())
    with pytest.raises(ValidationError):
        signoff.submit(places["luoding"], START, END, staff)  # already waiting
    assert SubmissionEvent.objects.count() == 1


def test_a_second_first_submission_at_the_same_moment_is_refused_not_an_error(places, monkeypatch):
    """Two officers submit the same new period at once: neither finds a row to lock; the
    one that saves second is told the figures are already in."""
    first, second = county_staff(places["luoding"]), county_staff(places["luoding"])
    counting = signoff.figures_snapshot

    def counting_while_the_other_saves(county, start, end):
        Submission.objects.create(
            county=county,
            start=start,
            end=end,
            status=Submission.Status.SUBMITTED,
            submitted_by=first,
            submitted_at=timezone.now(),
            figures=counting(county, start, end),
        )
        return counting(county, start, end)

    monkeypatch.setattr(signoff, "figures_snapshot", counting_while_the_other_saves)
    with pytest.raises(ValidationError):
        signoff.submit(places["luoding"], START, END, second)
    # (The other officer's row went with this transaction here; in life it is theirs.)
    assert not SubmissionEvent.objects.filter(by=second).exists()


def test_only_the_bureau_reviews(places):
    staff = county_staff(places["luoding"])
    submission = signoff.submit(places["luoding"], START, END, staff)
    for someone in (staff, county_staff(places["yuncheng"]), UserFactory()):
        with pytest.raises(PermissionDenied):
            signoff.approve(submission, someone)
        with pytest.raises(PermissionDenied):
            signoff.return_submission(submission, someone, "不对")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.events.count() == 1


def test_returned_with_a_comment_then_resubmitted_keeps_both_in_the_history(places):
    staff = county_staff(places["luoding"])
    bureau = bureau_user()
    first = signoff.submit(places["luoding"], START, END, staff, "第一次")
    with pytest.raises(ValidationError):
        signoff.return_submission(first, bureau, "  ")
    returned = signoff.return_submission(first, bureau, "太平村人数有误")
    assert (returned.status, returned.comment) == (Submission.Status.RETURNED, "太平村人数有误")
    with pytest.raises(ValidationError):
        signoff.approve(returned, bureau)  # returned: nothing waiting to approve

    one_more_trained(places)
    again = signoff.submit(places["luoding"], START, END, staff, "已更正")
    assert (again.pk, again.status) == (first.pk, Submission.Status.SUBMITTED)
    assert (again.reviewed_by, again.comment) == (None, "")
    assert county_row(again.figures) == (10, 5, 5)  # the new snapshot
    approved = signoff.approve(again, bureau, "同意")
    assert county_row(approved.figures) == (10, 5, 5)
    with pytest.raises(ValidationError):
        signoff.submit(places["luoding"], START, END, staff)  # approved stays approved

    steps = signoff.history(approved)
    assert [(s.event.action, s.event.by, s.event.comment) for s in steps] == [
        ("submitted", staff, "第一次"),
        ("returned", bureau, "太平村人数有误"),
        ("submitted", staff, "已更正"),
        ("approved", bureau, "同意"),
    ]
    # The earlier snapshot stays as it was submitted.
    assert [(s.totals.eligible, s.totals.person_times) for s in steps if s.totals] == [
        (9, 4),
        (10, 5),
    ]
    times = [s.event.at for s in steps]
    assert times == sorted(times)


def test_a_submission_without_stored_figures_is_returned_not_approved(places):
    """Submissions made before snapshots were stored (migration 0006) have none: approving
    would sign figures nobody submitted."""
    staff = county_staff(places["luoding"])
    old = Submission.objects.create(
        county=places["luoding"],
        start=START,
        end=END,
        status=Submission.Status.SUBMITTED,
        submitted_by=staff,
        submitted_at=timezone.now(),
    )
    with pytest.raises(ValidationError):
        signoff.approve(old, bureau_user())
    assert signoff.compare(old) == {}
    signoff.return_submission(old, bureau_user(), "请重新上报")
    again = signoff.submit(places["luoding"], START, END, staff)
    assert county_row(again.figures) == (9, 4, 4)


def test_period_signoff_says_where_each_county_stands(places, django_assert_num_queries):
    luoding, yuncheng = places["luoding"], places["yuncheng"]
    approved = signoff.approve(
        signoff.submit(luoding, START, END, county_staff(luoding)), bureau_user()
    )
    # 云城区 submitted 2026's first half only: that does not sign off the whole year.
    signoff.submit(yuncheng, START, datetime.date(2026, 6, 30), county_staff(yuncheng))

    counties = [luoding, yuncheng]
    with django_assert_num_queries(1):
        status = signoff.period_signoff(counties, START, END)
    assert [(c.county, c.status) for c in status.counties] == [
        (luoding, "approved"),
        (yuncheng, "none"),
    ]
    assert status.counties[0].submission == approved
    assert status.counties[0].submission.reviewed_by == approved.reviewed_by
    assert not status.all_approved
    assert signoff.period_signoff([luoding], START, END).all_approved

    half = signoff.period_signoff(counties, START, datetime.date(2026, 6, 30))
    assert [c.status for c in half.counties] == ["none", "submitted"]
    waiting = half.counties[1].submission
    signoff.return_submission(waiting, bureau_user(), "缺少数据")
    returned = signoff.period_signoff([yuncheng], START, datetime.date(2026, 6, 30))
    assert returned.counties[0].status == "returned"
    assert returned.counties[0].submission.comment == "缺少数据"
    assert not signoff.period_signoff([], START, END).all_approved


# serialized_rollback as the suite's other transactional tests: the flush after it then
# leaves the database empty rather than re-creating content types, which the next of
# those tests loads again.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_approved_figures_and_stores_none_for_the_others():
    """Approved figures become the snapshot; a waiting submission gets no figures (today's
    are not what the county saw); each gets its history from its own row."""
    executor = MigrationExecutor(connection)
    before = [("coverage", "0005_registry_uploads_are_sheet_uploads")]
    after = [("coverage", "0006_submissions_store_their_figures")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    County = apps.get_model("regions", "County")
    User = apps.get_model("accounts", "User")
    Submission_ = apps.get_model("coverage", "Submission")
    county = County.objects.create(name="罗定市", is_demonstration=True)
    staff = User.objects.create(phone="+8613900000001", password="!")
    bureau = User.objects.create(phone="+8613900000002", password="!")
    at = timezone.now()
    frozen = {
        "county": [
            {
                "area_id": county.pk,
                "county": "罗定市",
                "town": "",
                "village": "",
                "eligible": 402,
                "person_times": 104,
                "persons": 90,
            }
        ],
        "town": [],
        "village": [],
    }
    approved = Submission_.objects.create(
        county=county,
        start=START,
        end=END,
        status="approved",
        submitted_by=staff,
        submitted_at=at,
        reviewed_by=bureau,
        reviewed_at=at,
        approved_figures=frozen,
    )
    waiting = Submission_.objects.create(
        county=county,
        start=START,
        end=datetime.date(2026, 6, 30),
        status="submitted",
        submitted_by=staff,
        submitted_at=at,
    )
    returned = Submission_.objects.create(
        county=county,
        start=START,
        end=datetime.date(2026, 3, 31),
        status="returned",
        submitted_by=staff,
        submitted_at=at,
        reviewed_by=bureau,
        reviewed_at=at,
        comment="不对",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    apps = executor.loader.project_state(after).apps
    Submission_ = apps.get_model("coverage", "Submission")
    Event = apps.get_model("coverage", "SubmissionEvent")
    assert Submission_.objects.get(pk=approved.pk).figures == frozen
    assert Submission_.objects.get(pk=waiting.pk).figures is None
    assert Submission_.objects.get(pk=returned.pk).figures is None

    def steps(submission):
        events = Event.objects.filter(submission_id=submission.pk).order_by("at", "pk")
        return [(e.action, e.by_id, e.comment, e.figures) for e in events]

    assert steps(approved) == [
        ("submitted", staff.pk, "", frozen),
        ("approved", bureau.pk, "", None),
    ]
    assert steps(waiting) == [("submitted", staff.pk, "", None)]
    assert steps(returned) == [
        ("submitted", staff.pk, "", None),
        ("returned", bureau.pk, "不对", None),
    ]

    # And back: the figures of the approved one are its approved figures again.
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Submission_ = apps.get_model("coverage", "Submission")
    assert Submission_.objects.get(pk=approved.pk).approved_figures == frozen
    assert Submission_.objects.get(pk=waiting.pk).approved_figures is None
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
