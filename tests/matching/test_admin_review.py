"""Reviewing a run's proposals in the CMS: approve one, reject one with a reason, approve
all at or above a score, and who may decide."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from matching.models import MentoringGroup, Proposal
from tests.accounts.factories import UserFactory
from tests.matching.factories import make_run, propose
from tests.mentors.factories import make_entrepreneur, make_expert, make_mentoring_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = make_mentoring_staff(real_name="帮带管理员甲")
    client.force_login(user)
    return user


@pytest.fixture
def run():
    return make_run(figures={"matched": 3, "entrepreneurs": 3})


def run_url(run, **params):
    url = reverse("matching_runs:run", args=[run.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def approve_url(proposal):
    return reverse("matching_runs:approve", args=[proposal.run_id, proposal.pk])


def reject_url(proposal):
    return reverse("matching_runs:reject", args=[proposal.run_id, proposal.pk])


def above_url(run):
    return reverse("matching_runs:approve_above", args=[run.pk])


def assert_refused(response):
    """Wagtail answers a refused admin view by sending the user back to the dashboard."""
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response.url == reverse("wagtailadmin_home")


def test_the_run_page_shows_each_proposal_with_its_people_and_reasons(client, staff, run):
    expert = make_expert("李老师", organisation="罗定市电商协会", capacity=3)
    entrepreneur = make_entrepreneur("陈小龙", needs="想开微店卖肉桂")
    propose(run, entrepreneur, expert, score=1.234)

    html = client.get(run_url(run)).content.decode()

    assert "陈小龙" in html and "想开微店卖肉桂" in html and "罗镜镇" in html
    assert "李老师" in html and "罗定市电商协会" in html and "农村电商专家" in html
    assert "空余名额：3 / 3" in html
    assert "1.234" in html
    assert "同在罗定市" in html


def test_approving_one_makes_the_expert_the_mentor_and_creates_the_group(client, staff, run):
    expert = make_expert("李老师")
    entrepreneur = make_entrepreneur("陈小龙")
    proposal = propose(run, entrepreneur, expert)

    response = client.post(approve_url(proposal), follow=True)

    entrepreneur.refresh_from_db()
    proposal.refresh_from_db()
    assert entrepreneur.mentor == expert
    assert proposal.status == Proposal.Status.APPROVED and proposal.decided_by == staff
    assert MentoringGroup.objects.filter(expert=expert).exists()
    assert response.redirect_chain[-1][0] == run_url(run)
    assert "已批准：李老师帮带陈小龙" in response.content.decode()


def test_approving_twice_says_it_is_decided_already(client, staff, run):
    proposal = propose(run, make_entrepreneur(), make_expert())
    client.post(approve_url(proposal))
    response = client.post(approve_url(proposal), follow=True)
    assert "这条匹配建议已经审核过了" in response.content.decode()


def test_the_filter_survives_a_decision(client, staff, run):
    proposal = propose(run, make_entrepreneur(), make_expert())
    response = client.post(approve_url(proposal) + "?status=proposed")
    assert response.url == run_url(run, status="proposed")


def test_rejecting_needs_a_reason_and_changes_nothing_without_one(client, staff, run):
    proposal = propose(run, make_entrepreneur("陈小龙"), make_expert("李老师"))

    response = client.post(reject_url(proposal), {"reason": "   "})

    assert response.status_code == 200
    html = response.content.decode()
    assert "请填写拒绝理由" in html
    assert f'id="id_reject_{proposal.pk}_reason_error"' in html
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PROPOSED and not proposal.decided_by


def test_rejecting_with_a_reason_records_it(client, staff, run):
    entrepreneur = make_entrepreneur()
    proposal = propose(run, entrepreneur, make_expert())

    client.post(reject_url(proposal), {"reason": "专家下半年外出，没空带教"})

    proposal.refresh_from_db()
    entrepreneur.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED
    assert proposal.rejection_reason == "专家下半年外出，没空带教"
    assert entrepreneur.mentor is None
    html = client.get(run_url(run)).content.decode()
    assert "专家下半年外出，没空带教" in html


def test_approve_all_at_or_above_a_score_leaves_the_lower_ones_open(client, staff, run):
    expert = make_expert(capacity=5)
    high = propose(run, make_entrepreneur(), expert, score=2.0)
    exact = propose(run, make_entrepreneur(), expert, score=1.5)
    low = propose(run, make_entrepreneur(), expert, score=1.49)

    response = client.post(above_url(run), {"min_score": "1.5"}, follow=True)

    statuses = {p.pk: p.status for p in Proposal.objects.all()}
    assert statuses[high.pk] == statuses[exact.pk] == Proposal.Status.APPROVED
    assert statuses[low.pk] == Proposal.Status.PROPOSED
    assert "已批准 2 条得分不低于 1.5 的建议" in response.content.decode()


def test_approve_all_reports_the_skipped_ones_with_their_reason(client, staff, run):
    expert = make_expert("李老师", capacity=1)
    propose(run, make_entrepreneur("甲"), expert, score=2.0)
    skipped = propose(run, make_entrepreneur("乙"), expert, score=1.8)

    response = client.post(above_url(run), {"min_score": "1"}, follow=True)

    html = response.content.decode()
    assert "已批准 1 条" in html
    assert "未批准：李老师帮带乙" in html and "名额（1 个）已满" in html
    skipped.refresh_from_db()
    assert skipped.status == Proposal.Status.PROPOSED


@pytest.mark.parametrize("junk", ["abc", "", "1,5", "nan", "inf", "1e999"])
def test_a_junk_score_is_refused_beside_the_field_and_approves_nothing(client, staff, run, junk):
    propose(run, make_entrepreneur(), make_expert(), score=2.0)

    response = client.post(above_url(run), {"min_score": junk})

    assert response.status_code == 200
    html = response.content.decode()
    assert "请输入数字形式的得分" in html
    if junk:
        assert f'value="{junk}"' in html  # what was typed is still there
    assert not Proposal.objects.filter(status=Proposal.Status.APPROVED).exists()


def test_the_status_filter_shows_only_that_status(client, staff, run):
    open_one = propose(run, make_entrepreneur(), make_expert(), score=1.0)
    decided = propose(run, make_entrepreneur(), make_expert(), score=2.0)
    client.post(approve_url(decided))

    html = client.get(run_url(run, status="proposed")).content.decode()
    assert f'data-proposal="{open_one.pk}"' in html
    assert f'data-proposal="{decided.pk}"' not in html
    html = client.get(run_url(run, status="junk")).content.decode()
    assert f'data-proposal="{open_one.pk}"' in html and f'data-proposal="{decided.pk}"' in html


def test_proposals_of_another_run_cannot_be_decided_through_this_one(client, staff, run):
    other = propose(make_run(), make_entrepreneur(), make_expert())
    url = reverse("matching_runs:approve", args=[run.pk, other.pk])
    assert client.post(url).status_code == 404
    assert client.post(reverse("matching_runs:approve", args=[run.pk, 999999])).status_code == 404
    assert client.get(reverse("matching_runs:run", args=[999999])).status_code == 404


def test_decisions_are_post_only(client, staff, run):
    proposal = propose(run, make_entrepreneur(), make_expert())
    assert client.get(approve_url(proposal)).status_code == 405
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PROPOSED


def test_someone_who_may_only_view_runs_sees_no_actions_and_cannot_decide(client, run):
    viewer = UserFactory()
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_matchingrun"])
    )
    client.force_login(viewer)
    proposal = propose(run, make_entrepreneur(), make_expert(), score=2.0)

    html = client.get(run_url(run)).content.decode()
    assert approve_url(proposal) not in html and reject_url(proposal) not in html

    assert_refused(client.post(approve_url(proposal)))
    assert_refused(client.post(reject_url(proposal), {"reason": "不合适"}))
    assert_refused(client.post(above_url(run), {"min_score": "0"}))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PROPOSED


def test_a_cms_user_without_matching_permissions_gets_nowhere(client, run):
    instructor = UserFactory()
    instructor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(instructor)
    proposal = propose(run, make_entrepreneur(), make_expert(), score=2.0)

    for url in (
        reverse("matching_runs:index"),
        run_url(run),
        reverse("matching_groups:index"),
    ):
        assert_refused(client.get(url))
    assert_refused(client.post(reverse("matching_runs:start")))
    assert_refused(client.post(approve_url(proposal)))
    assert_refused(client.post(reject_url(proposal), {"reason": "不合适"}))
    assert_refused(client.post(above_url(run), {"min_score": "0"}))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PROPOSED
    assert run.__class__.objects.count() == 1


def test_someone_not_logged_in_is_sent_to_log_in(client, run):
    proposal = propose(run, make_entrepreneur(), make_expert())
    for response in (
        client.get(run_url(run)),
        client.post(approve_url(proposal)),
        client.post(above_url(run), {"min_score": "0"}),
    ):
        assert response.status_code == 302 and "login" in response.url
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PROPOSED
