"""Approving and rejecting proposals, and the mentoring groups that approval creates."""

import datetime

import pytest

from accounts import sms
from matching.models import MentoringGroup, Proposal
from matching.review import ReviewError, approve, approve_above, reject
from tests.accounts.factories import UserFactory
from tests.matching.factories import make_run, propose
from tests.mentors.factories import make_entrepreneur, make_expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()


def test_approval_makes_the_expert_the_mentor_and_creates_the_group(
    staff, django_capture_on_commit_callbacks
):
    expert = make_expert("李老师", capacity=2)
    entrepreneur = make_entrepreneur("陈小龙")
    proposal = propose(make_run(), entrepreneur, expert)

    with django_capture_on_commit_callbacks(execute=True):
        approve(proposal, staff)

    entrepreneur.refresh_from_db()
    proposal.refresh_from_db()
    assert entrepreneur.mentor == expert
    assert entrepreneur.mentor_since == datetime.date.today()
    assert proposal.status == Proposal.Status.APPROVED
    assert proposal.decided_by == staff and proposal.decided_at
    assert MentoringGroup.objects.get(expert=expert)


def test_both_sides_are_told_by_text_message_without_each_others_number(
    staff, django_capture_on_commit_callbacks
):
    expert = make_expert("李老师")
    entrepreneur = make_entrepreneur("陈小龙")
    with django_capture_on_commit_callbacks(execute=True):
        approve(propose(make_run(), entrepreneur, expert), staff)

    recipients = {phone: text for phone, text in sms.outbox}
    assert set(recipients) == {expert.phone, entrepreneur.phone}
    assert "李老师" in recipients[entrepreneur.phone]
    assert "陈小龙" in recipients[expert.phone]
    for text in recipients.values():
        assert expert.phone[3:] not in text and entrepreneur.phone[3:] not in text


def test_a_second_approval_extends_the_same_group(staff):
    expert = make_expert(capacity=3)
    run = make_run()
    for entrepreneur in (make_entrepreneur(), make_entrepreneur()):
        approve(propose(run, entrepreneur, expert), staff)
    assert MentoringGroup.objects.count() == 1
    assert expert.mentees.count() == 2


def test_an_expert_with_no_place_left_cannot_take_another(staff):
    expert = make_expert(capacity=1)
    run = make_run()
    approve(propose(run, make_entrepreneur(), expert), staff)
    second = propose(run, make_entrepreneur(), expert)
    with pytest.raises(ReviewError):
        approve(second, staff)
    second.refresh_from_db()
    assert second.status == Proposal.Status.PROPOSED
    assert expert.mentees.count() == 1


def test_a_decided_proposal_cannot_be_decided_again(staff):
    proposal = propose(make_run(), make_entrepreneur(), make_expert())
    approve(proposal, staff)
    with pytest.raises(ReviewError):
        approve(proposal, staff)
    with pytest.raises(ReviewError):
        reject(proposal, "不合适", staff)


def test_approve_all_above_a_score_takes_the_best_first_and_reports_the_rest(staff):
    expert = make_expert(capacity=1)
    run = make_run()
    best = propose(run, make_entrepreneur(), expert, score=0.9)
    full = propose(run, make_entrepreneur(), expert, score=0.8)
    low = propose(run, make_entrepreneur(), make_expert(), score=0.2)

    result = approve_above(run, 0.5, staff)

    assert [p.pk for p in result.approved] == [best.pk]
    assert [p.pk for p, _why in result.skipped] == [full.pk]
    low.refresh_from_db()
    assert low.status == Proposal.Status.PROPOSED


def test_rejecting_needs_a_reason_and_keeps_it(staff):
    proposal = propose(make_run(), make_entrepreneur(), make_expert())
    with pytest.raises(ReviewError):
        reject(proposal, "   ", staff)
    reject(proposal, "专家不服务该县", staff)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED
    assert proposal.rejection_reason == "专家不服务该县"
    assert proposal.entrepreneur.mentor is None


def test_approving_a_rematch_moves_the_entrepreneur_to_the_new_group(staff):
    old, new = make_expert(), make_expert()
    entrepreneur = make_entrepreneur()
    approve(propose(make_run(), entrepreneur, old), staff)
    approve(propose(make_run(rematch=True), entrepreneur, new), staff)
    entrepreneur.refresh_from_db()
    assert entrepreneur.mentor == new
    assert old.mentees.count() == 0
