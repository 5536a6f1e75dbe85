"""Matching runs: what they propose, their figures, and that re-running duplicates nothing."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from matching import assignment, runs
from matching.models import MatchingRun, Proposal, WeightChoice
from matching.review import reject
from matching.runs import RunRefused, execute_run, start_run
from matching.tasks import run_matching_task
from tests.accounts.factories import UserFactory
from tests.mentors.factories import make_entrepreneur, make_expert, make_village
from tests.site.test_celery_worker import REDIS_URL, redis_is_up
from tests.support import require, run_on_real_worker, worker_database_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    """Two experts, three entrepreneurs; the 微店 one should go to the 微店 expert."""
    luoding, yunan = make_village(), make_village("郁南县", "连滩镇", "西坝村")
    return {
        "weidian": make_expert(
            "王微店", tags=("微店运营",), counties=("罗定市",), capacity=1,
            introduction="专做微信小店和微店运营，教农户拍照写文案。",
        ),
        "cold": make_expert(
            "冷链张", tags=("冷链物流",), counties=("郁南县",), capacity=2,
            introduction="冷链物流和仓储，水果保鲜运输。",
        ),
        "a": make_entrepreneur(
            "陈微店", village=luoding, needs="想开微店卖沙糖桔", channels=("微信小店/微店",)
        ),
        "b": make_entrepreneur(
            "黄黄皮", village=yunan, needs="黄皮运输保鲜难，想学冷链", products=("无核黄皮",)
        ),
        "c": make_entrepreneur("李三", village=yunan, needs="想学冷链发货"),
    }  # fmt: skip


def run_now(**options):
    return execute_run(MatchingRun.objects.create(**options).pk)


def test_a_run_proposes_the_best_assignment_within_the_places(people):
    run = run_now()
    proposals = {p.entrepreneur.name: p.expert.name for p in run.proposals.all()}
    assert proposals == {"陈微店": "王微店", "黄黄皮": "冷链张", "李三": "冷链张"}
    assert run.status == MatchingRun.Status.DONE
    figures = run.figures
    assert (figures["entrepreneurs"], figures["experts"], figures["places"]) == (3, 2, 3)
    assert figures["matched"] == 3 and figures["max_load"] == 2 and figures["idle_experts"] == 0
    assert figures["total_score"] == pytest.approx(
        sum(p.score for p in run.proposals.all()), abs=1e-4
    )
    assert run.parameters["weights"] and run.started_at and run.finished_at


def test_each_proposal_carries_its_reasons_and_criterion_scores(people):
    run = run_now()
    proposal = run.proposals.get(entrepreneur=people["a"])
    criteria = {reason["criterion"]: reason["args"] for reason in proposal.reasons}
    # 王微店's organisation (云浮市电子商务协会) names no county: serving is all we know.
    assert criteria["county"] == {"county": "罗定市", "relation": "serves"}
    assert "微店" in criteria["text"]["need"] and "微店" in criteria["text"]["expertise"]
    assert set(proposal.criteria) == {"text", "county", "product", "channel", "stage"}


def mentor(entrepreneur, expert):
    entrepreneur.mentor, entrepreneur.mentor_since = expert, "2026-10-01"
    entrepreneur.save()


def test_taken_places_reduce_capacity_and_mentored_people_stay_put(people):
    mentor(people["c"], people["cold"])
    run = run_now()
    proposals = {p.entrepreneur.name: p.expert.name for p in run.proposals.all()}
    assert proposals == {"陈微店": "王微店", "黄黄皮": "冷链张"}
    assert run.figures["places"] == 2


def test_a_rematch_includes_mentored_people_and_frees_their_places(people):
    mentor(people["c"], people["cold"])
    mentor(people["b"], people["weidian"])
    run = run_now(rematch=True)
    assert run.figures["entrepreneurs"] == 3 and run.figures["places"] == 3
    assert run.proposals.get(entrepreneur=people["a"]).expert == people["weidian"]


def test_executing_a_run_twice_writes_its_proposals_once(people):
    run = run_now()
    first = list(run.proposals.values_list("pk", flat=True))
    again = execute_run(run.pk)
    assert list(again.proposals.values_list("pk", flat=True)) == first
    assert Proposal.objects.count() == 3


def test_a_run_that_dies_half_way_leaves_nothing_and_can_be_executed_again(people, monkeypatch):
    run = MatchingRun.objects.create()

    def die(*args, **kwargs):
        raise MemoryError("worker killed")

    monkeypatch.setattr(runs, "_figures", die)
    with pytest.raises(MemoryError):
        execute_run(run.pk)
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.FAILED and "worker killed" in run.error
    assert not Proposal.objects.exists()

    monkeypatch.undo()
    assert execute_run(run.pk).status == MatchingRun.Status.DONE
    assert Proposal.objects.count() == 3


def test_a_new_run_replaces_the_open_proposals_of_the_last_one(people):
    first = run_now()
    second = run_now()
    assert set(first.proposals.values_list("status", flat=True)) == {"superseded"}
    assert second.proposals.pending().count() == 3
    assert Proposal.objects.pending().count() == 3


def test_a_rejected_pair_is_not_proposed_again(people):
    proposal = run_now().proposals.get(entrepreneur=people["a"])
    reject(proposal, "不合适", UserFactory())
    again = run_now().proposals.get(entrepreneur=people["a"])
    assert again.expert != proposal.expert


def test_a_run_with_nobody_waiting_is_done_with_nothing_proposed(people):
    for name in ("a", "b", "c"):
        people[name].delete()
    run = run_now()
    assert run.status == MatchingRun.Status.DONE
    assert run.figures["matched"] == 0 and not run.proposals.exists()


def test_a_run_records_the_default_weights_while_decisions_are_few(people):
    run = run_now()
    choice = WeightChoice.objects.get()
    assert not choice.uses_learned and choice.decisions == 0
    assert run.parameters["uses_learned_weights"] is False


def test_start_run_queues_the_task_and_refuses_a_second_run_meanwhile(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = start_run(UserFactory())
    assert run.status == MatchingRun.Status.QUEUED and len(callbacks) == 1
    with pytest.raises(RunRefused):
        start_run(None)
    callbacks[0]()  # the eager task: runs in process
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.DONE


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_command_runs_matching_and_prints_the_figures(people, capsys):
    """Outside a test's transaction the run's task starts on commit, eagerly here."""
    with translation.override("en"):  # in Chinese: tests/matching/test_run_matching_command.py
        call_command("run_matching")
    out = capsys.readouterr().out
    assert "3 of 3 entrepreneurs matched to 2 experts (3 places)" in out


@pytest.mark.worker
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the worker is another process and needs the test database: SQLite's is in memory",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_run_executes_on_a_real_worker_through_redis(people, tmp_path):
    require(redis_is_up(), "Redis on 127.0.0.1:6379")
    run = MatchingRun.objects.create()
    log = tmp_path / "worker.log"
    env = {"DATABASE_URL": worker_database_url(), "CELERY_BROKER_URL": REDIS_URL,
           "CELERY_RESULT_BACKEND": REDIS_URL}  # fmt: skip
    figures = run_on_real_worker(run_matching_task.name, (run.pk,), log, env)
    assert figures["matched"] == 3, log.read_text()
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.DONE
    assert run.proposals.count() == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_run_that_fails_in_process_is_marked_failed_without_failing_its_starter(
    people, monkeypatch
):
    def broken(*args, **kwargs):
        raise ValueError("scores went wrong")

    monkeypatch.setattr(assignment, "assign", broken)
    run = start_run(None)
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.FAILED and "scores went wrong" in run.error


def test_a_large_run_prunes_candidates_and_finds_the_same_assignment(people, settings):
    dense = {p.entrepreneur_id: p.expert_id for p in run_now().proposals.all()}
    reject(Proposal.objects.pending().get(entrepreneur=people["a"]), "不合适", UserFactory())
    settings.MATCHING_DENSE_PAIRS = 0
    run = run_now()
    pruned = {p.entrepreneur_id: p.expert_id for p in run.proposals.all()}
    assert run.parameters["solver"]["method"] == "pruned"
    assert pruned[people["b"].pk] == dense[people["b"].pk]
    assert pruned[people["a"].pk] != dense[people["a"].pk], "a rejected pair came back"
    assert run.figures["total_score"] == pytest.approx(
        sum(p.score for p in run.proposals.all()), abs=1e-4
    )


def test_pruned_and_dense_runs_reach_the_same_total(settings):
    needs = ["想开微店卖沙糖桔", "黄皮保鲜运输难", "想学直播带货", "想做农产品品牌", "缺钱想贷款"]
    villages = [make_village(), make_village("郁南县", "连滩镇", "西坝村")]
    for n in range(40):
        make_entrepreneur(village=villages[n % 2], needs=needs[n % 5])
    tags = [("微店运营",), ("冷链物流",), ("直播带货", "短视频"), ("农产品品牌",), ("财务与融资",)]
    for n in range(6):
        make_expert(tags=tags[n % 5], counties=(("罗定市",), ("郁南县",))[n % 2], capacity=5)
    dense = run_now()
    settings.MATCHING_DENSE_PAIRS = 0
    pruned = run_now()
    solver = pruned.parameters["solver"]
    assert solver["method"] == "pruned" and solver["exact"], solver
    assert pruned.figures["matched"] == dense.figures["matched"] == 30
    assert pruned.figures["total_score"] == pytest.approx(dense.figures["total_score"], abs=1e-3)


def test_a_late_redelivery_of_an_older_run_leaves_the_newer_runs_proposals(people):
    """An old run whose worker died, delivered again after staff started a new one."""
    old = MatchingRun.objects.create()
    new = run_now()
    kept = set(new.proposals.values_list("pk", flat=True))
    assert len(kept) == 3
    run_matching_task.delay(old.pk)  # the late delivery
    old.refresh_from_db()
    assert old.status == MatchingRun.Status.FAILED and str(new.pk) in old.error
    assert not old.proposals.exists()
    assert set(Proposal.objects.pending().values_list("pk", flat=True)) == kept


def test_a_run_that_meets_the_database_away_is_retried_not_failed(people, monkeypatch):
    from django.db import OperationalError

    run = MatchingRun.objects.create()
    real, calls = runs._match, []

    def database_restarting_once(run):
        calls.append(run.pk)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(run)

    monkeypatch.setattr(runs, "_match", database_restarting_once)
    # As a worker runs it: the retry is a new delivery, not an exception for the caller.
    run_matching_task.apply((run.pk,), throw=False)
    run.refresh_from_db()
    assert calls == [run.pk, run.pk]
    assert run.status == MatchingRun.Status.DONE and run.error == ""
    assert run.proposals.count() == 3


def _ago(minutes):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() - timedelta(minutes=minutes)


def test_the_reaper_fails_a_run_lost_past_the_deadline_so_a_new_one_can_start(people, settings):
    lost = MatchingRun.objects.create(status=MatchingRun.Status.RUNNING)
    recent = MatchingRun.objects.create()
    deadline = 2 * settings.CELERY_TASK_TIME_LIMIT // 60
    MatchingRun.objects.filter(pk=lost.pk).update(
        created_at=_ago(deadline + 1), started_at=_ago(deadline + 1)
    )
    requeued = []
    with translation.override("en"):
        assert runs.reap_stuck_runs(requeued.append)["failed"] == 1
    lost.refresh_from_db()
    assert lost.status == MatchingRun.Status.FAILED and "stopped" in lost.error
    assert MatchingRun.objects.get(pk=recent.pk).status == MatchingRun.Status.QUEUED
    assert recent.pk not in requeued
    MatchingRun.objects.filter(pk=recent.pk).update(status=MatchingRun.Status.DONE)
    assert start_run(UserFactory()).status == MatchingRun.Status.QUEUED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="claims are PostgreSQL locks")
def test_the_reaper_requeues_a_run_whose_worker_is_gone_and_spares_one_at_work(people):
    from django.db import DEFAULT_DB_ALIAS, connections

    from sheets import claims

    gone = MatchingRun.objects.create(status=MatchingRun.Status.RUNNING)
    working = MatchingRun.objects.create(status=MatchingRun.Status.RUNNING)
    MatchingRun.objects.filter(pk__in=[gone.pk, working.pk]).update(started_at=_ago(3))
    worker = connections.create_connection(DEFAULT_DB_ALIAS)  # the live worker's session
    try:
        with worker.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [claims.MATCHING_RUN, working.pk])
        requeued = []
        assert runs.reap_stuck_runs(requeued.append) == {"requeued": 1, "failed": 0}
        assert requeued == [gone.pk]
        # A twin delivery of the working run steps aside instead of running it twice.
        assert execute_run(working.pk).status == MatchingRun.Status.RUNNING
        assert not working.proposals.exists()
    finally:
        worker.close()
