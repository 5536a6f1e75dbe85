"""Matching runs: score every waiting entrepreneur against every active expert, assign
optimally within the experts' free places, and store the result as proposals.

A run is executed by a Celery task. Executing the same run again (a re-delivered task,
or one whose worker died half-way) changes nothing twice: the proposals are written in
the same transaction that marks the run done, under a lock on the run's row.
"""

import datetime
import time

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentors.models import Entrepreneur, Expert

from .assignment import assign
from .models import MatchingRun, Proposal
from .profiles import entrepreneur_profiles, expert_profiles, free_places
from .scoring import CRITERIA, PairScorer
from .weights import learn_weights


class RunRefused(Exception):
    """A run cannot be started now; the message says why."""


def start_run(by, *, rematch=False) -> MatchingRun:
    """Queue a run for the worker; refuses while another run is still going."""
    # A task that died without a word leaves its run "running"; after the task time
    # limit it cannot still be going, so it no longer blocks a new run.
    stale = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    active = MatchingRun.objects.filter(
        status__in=[MatchingRun.Status.QUEUED, MatchingRun.Status.RUNNING],
        created_at__gt=stale,
    )
    if active.exists():
        raise RunRefused(_("A matching run is still going; wait until it has finished."))
    run = MatchingRun.objects.create(started_by=by, rematch=rematch)
    # Imported here: the task module imports this one to execute runs.
    from .tasks import run_matching_task

    # robust: without a broker the task runs right here, and a run that fails is marked
    # failed on its row; the request that started it should not fail with it.
    transaction.on_commit(lambda: run_matching_task.delay(run.pk), robust=True)
    return run


def execute_run(run_id: int) -> MatchingRun:
    """Execute a queued run (or one that failed or was cut short) and return it."""
    MatchingRun.objects.filter(pk=run_id).exclude(status=MatchingRun.Status.DONE).update(
        status=MatchingRun.Status.RUNNING, started_at=timezone.now(), error=""
    )
    try:
        with transaction.atomic():
            run = MatchingRun.objects.select_for_update().get(pk=run_id)
            if run.status == MatchingRun.Status.DONE:
                return run
            _match(run)
            run.status = MatchingRun.Status.DONE
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "finished_at", "parameters", "figures"])
            return run
    except Exception as error:
        MatchingRun.objects.filter(pk=run_id).update(
            status=MatchingRun.Status.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )
        raise


def _match(run: MatchingRun) -> None:
    began = time.perf_counter()
    entrepreneurs = Entrepreneur.objects.all() if run.rematch else Entrepreneur.objects.waiting()
    entrepreneurs = entrepreneurs.order_by("pk")
    experts = Expert.objects.active().order_by("pk")
    moving = set(entrepreneurs.filter(mentor__isnull=False).values_list("pk", flat=True))
    places = free_places(experts, moving)
    people = entrepreneur_profiles(entrepreneurs)
    mentors = expert_profiles(experts, places)
    choice_of_weights = learn_weights()
    run.parameters = {
        "rematch": run.rematch,
        "weights": choice_of_weights.weights,
        "uses_learned_weights": choice_of_weights.uses_learned,
        "held_out_learned": choice_of_weights.held_out_learned,
        "held_out_default": choice_of_weights.held_out_default,
        "decisions": choice_of_weights.decisions,
    }
    # Open proposals of earlier runs are replaced by this run's.
    Proposal.objects.pending().exclude(run=run).update(status=Proposal.Status.SUPERSEDED)
    run.proposals.all().delete()
    capacity = np.array([m.capacity for m in mentors], dtype=np.int64)
    if not people or not mentors:
        choice = np.full(len(people), -1, dtype=np.int64)
        scores = np.zeros((len(people), len(mentors)))
    else:
        scorer = PairScorer(weights=choice_of_weights.weights).fit(people, mentors)
        scores = scorer.score_matrix(people, mentors)
        _forbid_rejected_pairs(scores, people, mentors)
        choice = assign(scores, capacity)
        _save_proposals(run, scorer, people, mentors, scores, choice)
    run.figures = _figures(scores, choice, capacity, mentors, time.perf_counter() - began)


def _forbid_rejected_pairs(scores, people, mentors) -> None:
    """Staff said no to these pairs once: they are not proposed again."""
    row = {p.key: i for i, p in enumerate(people)}
    column = {m.key: j for j, m in enumerate(mentors)}
    rejected = Proposal.objects.filter(
        status=Proposal.Status.REJECTED, entrepreneur_id__in=row, expert_id__in=column
    ).values_list("entrepreneur_id", "expert_id")
    for entrepreneur, expert in rejected:
        scores[row[entrepreneur], column[expert]] = -np.inf


def _save_proposals(run, scorer, people, mentors, scores, choice) -> None:
    matched = np.flatnonzero(choice >= 0)
    pairs = np.column_stack([matched, choice[matched]])
    values = scorer.criterion_values(people, mentors, pairs)
    proposals = []
    for (i, j), criteria in zip(pairs, values, strict=True):
        reasons = scorer.explain(people[i], mentors[j])
        proposals.append(
            Proposal(
                run=run,
                entrepreneur_id=people[i].key,
                expert_id=mentors[j].key,
                score=float(scores[i, j]),
                reasons=[
                    {
                        "criterion": r.criterion,
                        "contribution": r.contribution,
                        "args": r.text_args,
                    }
                    for r in reasons
                ],
                criteria=dict(zip(CRITERIA, map(float, criteria), strict=True)),
            )
        )
    Proposal.objects.bulk_create(proposals)


def _figures(scores, choice, capacity, mentors, seconds) -> dict:
    matched = np.flatnonzero(choice >= 0)
    total = float(scores[matched, choice[matched]].sum()) if matched.size else 0.0
    load = np.bincount(choice[matched], minlength=len(mentors)) if mentors else np.zeros(0)
    return {
        "entrepreneurs": int(choice.size),
        "experts": len(mentors),
        "places": int(capacity.sum()),
        "matched": int(matched.size),
        "total_score": round(total, 4),
        "mean_score": round(total / matched.size, 4) if matched.size else 0.0,
        "max_load": int(load.max()) if load.size else 0,
        "idle_experts": int((load == 0).sum()),
        "load": {str(m.key): int(n) for m, n in zip(mentors, load, strict=True)},
        "seconds": round(seconds, 3),
    }
