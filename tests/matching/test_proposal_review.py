"""Reviewing a run's proposals: filters by county, expert, score and status; the next
best experts with free places for each open proposal; and 改为此专家, which re-checks the
place and changes the proposal without making anyone a mentor."""

import datetime
import threading

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse

from matching.alternatives import alternatives_for, pair_score, run_scorer
from matching.models import Proposal
from matching.profiles import entrepreneur_profiles, expert_profiles
from matching.review import ReviewError, change_expert
from mentors.models import Entrepreneur, Expert
from tests.accounts.factories import UserFactory
from tests.matching.factories import make_run, propose
from tests.mentors.factories import (
    make_entrepreneur,
    make_expert,
    make_mentoring_staff,
    make_village,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = make_mentoring_staff(real_name="帮带管理员乙")
    client.force_login(user)
    return user


@pytest.fixture
def run():
    return make_run(figures={"matched": 2, "entrepreneurs": 2})


def run_url(run, **params):
    url = reverse("matching_runs:run", args=[run.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def change_url(proposal):
    return reverse("matching_runs:change_expert", args=[proposal.run_id, proposal.pk])


def shown(response):
    """The entrepreneurs whose proposals the page lists."""
    return {p.entrepreneur.name for p in response.context["proposals"]}


# Filters ---------------------------------------------------------------------------


@pytest.fixture
def spread(run):
    """Three proposals: two counties, two experts, three scores, two statuses."""
    li, wang = make_expert("李老师"), make_expert("王老师")
    luoding = make_entrepreneur("陈罗定", village=make_village("罗定市", "罗镜镇", "水摆村"))
    xinxing = make_entrepreneur("黄新兴", village=make_village("新兴县", "六祖镇", "夏卢村"))
    yunan = make_entrepreneur("林罗定", village=make_village("罗定市", "船步镇", "双莲村"))
    propose(run, luoding, li, score=1.5)
    propose(run, xinxing, wang, score=0.9)
    propose(run, yunan, wang, score=0.4, status=Proposal.Status.REJECTED)
    return li, wang


def test_the_county_filter_keeps_the_entrepreneurs_of_that_county(client, staff, run, spread):
    county = Entrepreneur.objects.get(name="黄新兴").village.town.county
    response = client.get(run_url(run, county=county.pk))
    assert shown(response) == {"黄新兴"}
    luoding = Entrepreneur.objects.get(name="陈罗定").village.town.county
    assert shown(client.get(run_url(run, county=luoding.pk))) == {"陈罗定", "林罗定"}


def test_the_expert_filter_keeps_that_experts_proposals(client, staff, run, spread):
    li, wang = spread
    assert shown(client.get(run_url(run, expert=wang.pk))) == {"黄新兴", "林罗定"}
    assert shown(client.get(run_url(run, expert=li.pk))) == {"陈罗定"}


def test_the_score_filter_keeps_scores_at_or_above(client, staff, run, spread):
    assert shown(client.get(run_url(run, min_score="0.9"))) == {"陈罗定", "黄新兴"}
    assert shown(client.get(run_url(run, min_score="1.5"))) == {"陈罗定"}


def test_the_status_filter_combines_with_the_others(client, staff, run, spread):
    li, wang = spread
    response = client.get(run_url(run, expert=wang.pk, status="rejected"))
    assert shown(response) == {"林罗定"}
    # The chips count within the other filters and keep them in their links.
    chips = {chip["value"]: chip for chip in response.context["status_filters"]}
    assert chips[""]["count"] == 2 and chips["proposed"]["count"] == 1
    assert f"expert={wang.pk}" in chips["proposed"]["query"]


def test_junk_filter_values_are_explained_and_not_applied(client, staff, run, spread):
    response = client.get(run_url(run, min_score="abc", county="999999"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "请输入数字形式的得分" in html
    assert shown(response) == {"陈罗定", "黄新兴", "林罗定"}


# Alternatives ----------------------------------------------------------------------


@pytest.fixture
def choice(run):
    """An entrepreneur wanting a 微店 for their 沙糖桔, proposed to a poor fit, and experts
    from good to poor."""
    person = make_entrepreneur("陈小龙", needs="想开微店卖沙糖桔", channels=("微信小店/微店",))
    proposed = make_expert("包装师", tags=("包装设计",), counties=("郁南县",))
    best = make_expert(
        "微店高手",
        tags=("微店运营", "种植技术"),
        introduction="专做沙糖桔微店运营，帮农户开微店。",
    )
    good = make_expert("电商老师", tags=("微店运营",))
    fair = make_expert("直播老师", tags=("直播带货",), counties=("新兴县",))
    poor = make_expert("会计", tags=("财务",), counties=("云城区",), introduction="做账报税。")
    proposal = propose(run, person, proposed, score=0.2)
    return proposal, best, good, fair, poor


def brute_force(run, proposal, count=2):
    """Every other expert scored by the run's scorer, the free and not rejected ones kept."""
    scorer = run_scorer(run)
    (person,) = entrepreneur_profiles(Entrepreneur.objects.filter(pk=proposal.entrepreneur_id))
    rejected = Proposal.objects.rejected_pairs()
    rows = []
    for expert in Expert.objects.active().with_places():
        taken = expert.places_taken + Proposal.objects.pending().filter(expert=expert).count()
        if expert.pk == proposal.expert_id or (person.key, expert.pk) in rejected:
            continue
        if taken >= expert.capacity:
            continue
        (mentor,) = expert_profiles(Expert.objects.filter(pk=expert.pk), {expert.pk: 1})
        rows.append((pair_score(scorer, person, mentor)[0], expert.name))
    return [name for _, name in sorted(rows, key=lambda row: -row[0])[:count]]


def names(run, proposal):
    proposal = Proposal.objects.select_related("entrepreneur").get(pk=proposal.pk)
    return [a.expert.name for a in alternatives_for(run, [proposal])[proposal.pk]]


def test_the_alternatives_are_the_next_best_two_with_free_places(run, choice):
    proposal, best, good, *_ = choice
    assert names(run, proposal) == brute_force(run, proposal) == ["微店高手", "电商老师"]
    alternative = alternatives_for(run, [proposal])[proposal.pk][0]
    assert alternative.phrases and alternative.places_free == 3


def test_a_full_expert_is_skipped(run, choice):
    proposal, best, good, fair, poor = choice
    Expert.objects.filter(pk=best.pk).update(capacity=2)
    make_entrepreneur("学员甲", mentor=best, mentor_since=datetime.date.today())
    # A place another open proposal promises is not free either.
    propose(make_run(), make_entrepreneur("学员乙"), best)
    assert "微店高手" not in names(run, proposal)
    assert names(run, proposal) == brute_force(run, proposal)
    assert names(run, proposal)[0] == "电商老师"


def test_a_rejected_pair_is_skipped(run, choice):
    proposal, best, *_ = choice
    propose(make_run(), proposal.entrepreneur, best, status=Proposal.Status.REJECTED, score=2.0)
    assert "微店高手" not in names(run, proposal)
    assert names(run, proposal) == brute_force(run, proposal)


def test_the_page_shows_alternatives_only_for_open_proposals(client, staff, run, choice):
    proposal, *_ = choice
    decided = propose(
        run, make_entrepreneur("已定者"), make_expert("某老师"), status=Proposal.Status.APPROVED
    )
    response = client.get(run_url(run))
    by_pk = {p.pk: p for p in response.context["proposals"]}
    assert [a.expert.name for a in by_pk[proposal.pk].alternatives] == ["微店高手", "电商老师"]
    assert by_pk[decided.pk].alternatives == []
    assert "改为此专家" in response.content.decode()


# 改为此专家 -------------------------------------------------------------------------


def test_changing_the_expert_rescores_and_leaves_the_proposal_open(client, staff, run, choice):
    proposal, best, *_ = choice
    response = client.post(change_url(proposal), {"expert": best.pk}, follow=True)

    proposal.refresh_from_db()
    proposal.entrepreneur.refresh_from_db()
    assert proposal.expert == best and proposal.status == Proposal.Status.PROPOSED
    assert proposal.entrepreneur.mentor is None and proposal.decided_by is None
    expected = alternatives_for(run, [proposal])  # now from the new expert: not itself
    assert best.pk not in [a.expert.pk for a in expected[proposal.pk]]
    scorer = run_scorer(run)
    (person,) = entrepreneur_profiles(Entrepreneur.objects.filter(pk=proposal.entrepreneur_id))
    (mentor,) = expert_profiles(Expert.objects.filter(pk=best.pk), {best.pk: 1})
    assert proposal.score == pytest.approx(pair_score(scorer, person, mentor)[0])
    assert proposal.score > 0.2 and proposal.reasons
    assert "陈小龙现建议由微店高手帮带" in response.content.decode()


def test_changing_is_refused_when_the_expert_filled_up_meanwhile(client, staff, run, choice):
    proposal, best, *_ = choice
    Expert.objects.filter(pk=best.pk).update(capacity=1)
    page = client.get(run_url(run))
    assert best in [a.expert for a in page.context["proposals"][0].alternatives]
    make_entrepreneur(
        "抢先者", mentor=best, mentor_since=datetime.date.today()
    )  # approved elsewhere while staff read

    response = client.post(change_url(proposal), {"expert": best.pk}, follow=True)

    assert response.status_code == 200
    assert "微店高手的带教名额（1 个）已满" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.expert.name == "包装师" and proposal.score == 0.2


def test_changing_to_a_rejected_or_inactive_or_unknown_expert_is_refused(run, choice):
    proposal, best, good, fair, poor = choice
    propose(make_run(), proposal.entrepreneur, good, status=Proposal.Status.REJECTED)
    Expert.objects.filter(pk=fair.pk).update(is_active=False)
    for expert_id in (good.pk, fair.pk, 999999, proposal.expert_id):
        with pytest.raises(ReviewError):
            change_expert(proposal, expert_id)
    proposal.refresh_from_db()
    assert proposal.expert.name == "包装师"


def test_a_decided_proposal_cannot_change(client, staff, run, choice):
    proposal, best, *_ = choice
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.REJECTED)
    response = client.post(change_url(proposal), {"expert": best.pk}, follow=True)
    assert "这条匹配建议已经审核过了" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.expert.name == "包装师"


def test_a_junk_expert_gets_a_message_not_an_error_page(client, staff, run, choice):
    proposal, *_ = choice
    response = client.post(change_url(proposal), {"expert": "abc"}, follow=True)
    assert response.status_code == 200
    assert "请选择列出的专家之一" in response.content.decode()


def test_changing_needs_the_permission_to_decide(client, run, choice):
    proposal, best, *_ = choice
    from django.contrib.auth.models import Permission

    viewer = UserFactory()
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_matchingrun"),
    )
    client.force_login(viewer)
    response = client.post(change_url(proposal), {"expert": best.pk})
    assert response.status_code in (302, 403)
    proposal.refresh_from_db()
    assert proposal.expert.name == "包装师"
    assert client.get(change_url(proposal)).status_code in (302, 403, 405)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_place_is_rechecked_under_the_experts_row_lock(run, choice):
    """An approval holding the expert's row fills the last place; 改为此专家 waits for it
    and then refuses, rather than reading the place as free before the approval commits."""
    proposal, best, *_ = choice
    Expert.objects.filter(pk=best.pk).update(capacity=1)
    outcome = {}

    def change():
        try:
            change_expert(proposal, best.pk)
            outcome["result"] = "changed"
        except ReviewError as error:
            outcome["result"] = str(error)
        finally:
            connections.close_all()

    with transaction.atomic():
        Expert.objects.select_for_update().get(pk=best.pk)
        worker = threading.Thread(target=change)
        worker.start()
        worker.join(timeout=1.0)
        assert worker.is_alive(), f"did not wait for the lock: {outcome}"
        make_entrepreneur("抢先者", mentor=best, mentor_since=datetime.date.today())
    worker.join(timeout=30)

    assert outcome["result"] != "changed"
    proposal.refresh_from_db()
    assert proposal.expert.name == "包装师"
