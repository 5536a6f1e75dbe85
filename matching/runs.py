"""Matching runs: score every waiting entrepreneur against every active expert, assign
optimally within the experts' free places, and store the result as proposals.

A run is executed by a Celery task. Executing the same run again (a re-delivered task,
or one whose worker died half-way) changes nothing twice: the proposals are written in
the same transaction that marks the run done, under a lock on the run's row.

NumPy, matching.scoring (scikit-learn) and matching.assignment (OR-Tools) are imported
inside the functions that compute: the CMS imports this module to start runs, and a web
process that never matches should not carry them (see tests/site/test_imports.py).
"""

from __future__ import annotations

import datetime
import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentors.models import Entrepreneur, Expert
from sheets import claims

from .models import MatchingRun, Proposal
from .profiles import entrepreneur_profiles, expert_profiles, free_places
from .weights import learn_weights

if TYPE_CHECKING:
    import numpy as np


class RunRefused(Exception):
    """A run cannot be started now; the message says why."""


def start_run(by, *, rematch=False, balanced=True) -> MatchingRun:
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
    run = MatchingRun.objects.create(started_by=by, rematch=rematch, balanced=balanced)
    # Imported here: the task module imports this one to execute runs.
    from .tasks import run_matching_task

    # robust: without a broker the task runs right here, and a run that fails is marked
    # failed on its row; the request that started it should not fail with it.
    transaction.on_commit(lambda: run_matching_task.delay(run.pk), robust=True)
    return run


def execute_run(run_id: int) -> MatchingRun:
    """Execute a queued run (or one that failed or was cut short) and return it.

    The run is claimed while it executes (sheets.claims), so a twin delivery steps aside
    and the reaper can see the run is alive. A run that a newer one has overtaken (a
    late redelivery after its worker died and staff started again) writes nothing: its
    proposals would replace the newer run's.
    """
    MatchingRun.objects.filter(pk=run_id).exclude(status=MatchingRun.Status.DONE).update(
        status=MatchingRun.Status.RUNNING, started_at=timezone.now(), error=""
    )
    try:
        with transaction.atomic():
            if not claims.claim(claims.MATCHING_RUN, run_id):
                return MatchingRun.objects.get(pk=run_id)
            run = MatchingRun.objects.select_for_update().get(pk=run_id)
            if run.status == MatchingRun.Status.DONE:
                return run
            newer = run.newer_runs().first()
            if newer is not None:
                run.status = MatchingRun.Status.FAILED
                run.finished_at = timezone.now()
                run.error = _("Run %(newer)s was started after this one; this one was dropped.") % {
                    "newer": newer.pk
                }
                run.save(update_fields=["status", "finished_at", "error"])
                return run
            _match(run)
            run.status = MatchingRun.Status.DONE
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "finished_at", "parameters", "figures"])
            return run
    except (OperationalError, InterfaceError):
        raise  # the database is away: the task comes back later, the run stays as it is
    except Exception as error:
        MatchingRun.objects.filter(pk=run_id).update(
            status=MatchingRun.Status.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )
        raise


def reap_stuck_runs(requeue, now=None) -> dict[str, int]:
    """Runs left queued or running by a lost task: queued again (``requeue(pk)``), or
    failed with a reason once past twice the task time limit. A run its task holds a
    claim on is at work and left alone. See sheets.reaping, which does the same for uploads."""
    now = now or timezone.now()
    deadline = now - datetime.timedelta(seconds=2 * settings.CELERY_TASK_TIME_LIMIT)
    requeue_before = now - datetime.timedelta(minutes=settings.SHEETS_REQUEUE_AFTER_MINUTES)
    waiting = list(
        MatchingRun.objects.filter(
            status__in=[MatchingRun.Status.QUEUED, MatchingRun.Status.RUNNING]
        ).values_list("pk", "status", "created_at", "started_at")
    )
    busy = claims.claimed(claims.MATCHING_RUN, [row[0] for row in waiting])
    done = {"requeued": 0, "failed": 0}
    for pk, status, created_at, started_at in waiting:
        if pk in busy:
            continue
        if created_at < deadline:
            done["failed"] += MatchingRun.objects.filter(pk=pk, status=status).update(
                status=MatchingRun.Status.FAILED,
                finished_at=now,
                error=_("The run did not finish: the background worker stopped. Start a new run."),
            )
        elif claims.supported() and (
            # Running with no claim: its worker is gone (a minute's grace for the claim).
            (
                status == MatchingRun.Status.RUNNING
                and started_at < now - datetime.timedelta(minutes=1)
            )
            or created_at < requeue_before
        ):
            requeue(pk)
            done["requeued"] += 1
    return done


def _match(run: MatchingRun) -> None:
    import numpy as np

    from .scoring import PairScorer

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
        "balanced": run.balanced,
        "balance_penalty": settings.MATCHING_BALANCE_PENALTY,
    }
    # Open proposals of earlier runs are replaced by this run's.
    Proposal.objects.pending().exclude(run=run).update(status=Proposal.Status.SUPERSEDED)
    run.proposals.all().delete()
    capacity = np.array([m.capacity for m in mentors], dtype=np.int64)
    nobody = np.full(len(people), -1, dtype=np.int64)
    optima, scorer = {True: (nobody, 0.0), False: (nobody, 0.0)}, None
    if people and mentors:
        scorer = PairScorer(weights=choice_of_weights.weights).fit(people, mentors)
        rejected = _rejected(people, mentors)
        # Both optima are computed, so the run page can say what balancing cost.
        penalty = balance_penalty(choice_of_weights.weights)
        run.parameters["balance_penalty_per_place"] = penalty
        optima, solvers = _assign(scorer, people, mentors, capacity, rejected, penalty)
        run.parameters["solver"] = solvers[run.balanced]
        run.parameters["solver_other"] = solvers[not run.balanced]
    choice = optima[run.balanced][0]
    chosen = _save_proposals(run, scorer, people, mentors, choice)
    run.figures = _figures(chosen, choice, capacity, mentors, time.perf_counter() - began)
    run.figures |= _balance_figures(optima, len(mentors))


def balance_penalty(weights) -> float:
    """The balancing cost of each further entrepreneur of an expert, in score units."""
    from .assignment import penalty_in_score_units

    return penalty_in_score_units(settings.MATCHING_BALANCE_PENALTY, weights)


def _balance_figures(optima, n_experts) -> dict:
    """Total score, most entrepreneurs per expert, idle experts and the load histogram
    (how many experts have 0, 1, 2, … entrepreneurs) of both optima."""
    import numpy as np

    found = {}
    for balanced, (choice, total) in optima.items():
        load = np.bincount(choice[choice >= 0], minlength=n_experts)
        found["balanced" if balanced else "unbalanced"] = {
            "total_score": round(float(total), 4),
            "max_load": int(load.max(initial=0)),
            "idle_experts": int((load == 0).sum()),
            "histogram": np.bincount(load).tolist() if load.size else [],
        }
    found["total_score_unbalanced"] = found["unbalanced"]["total_score"]
    found["total_score_balanced"] = found["balanced"]["total_score"]
    # Side by side for the run page: row k says how many experts have k entrepreneurs.
    both = (found["balanced"]["histogram"], found["unbalanced"]["histogram"])
    found["load_histogram"] = [
        {"load": k, "balanced": _at(both[0], k), "unbalanced": _at(both[1], k)}
        for k in range(max(map(len, both)))
    ]
    return found


def _at(counts, k) -> int:
    return counts[k] if k < len(counts) else 0


def _rejected(people, mentors) -> dict[int, list[int]]:
    """Staff said no to these pairs once: they are not proposed again. Row → columns."""
    row = {p.key: i for i, p in enumerate(people)}
    column = {m.key: j for j, m in enumerate(mentors)}
    pairs = Proposal.objects.filter(
        status=Proposal.Status.REJECTED, entrepreneur_id__in=row, expert_id__in=column
    ).values_list("entrepreneur_id", "expert_id")
    rejected: dict[int, list[int]] = {}
    for entrepreneur, expert in pairs:
        rejected.setdefault(row[entrepreneur], []).append(column[expert])
    return rejected


def _assign(scorer, people, mentors, capacity, rejected, penalty) -> tuple[dict, dict]:
    """The optimal choice per entrepreneur with balancing (key True) and without (False):
    each with its total score; and how each was found.

    Up to MATCHING_DENSE_PAIRS pairs the whole score matrix is held and solved exactly;
    beyond, rows are scored on demand and the solver keeps candidate lists, proving its
    result exact or reporting its certified gap (matching.assignment.assign_pruned, which
    balances the same way, with the gap on the score minus the balancing cost).
    """
    import numpy as np

    from .assignment import assign, assign_pruned, factor_score_rows, total_score

    optima, solvers = {}, {}
    if len(people) * len(mentors) <= settings.MATCHING_DENSE_PAIRS:
        scores = scorer.score_matrix(people, mentors)
        for i, columns in rejected.items():
            scores[i, columns] = -np.inf
        for balanced in (True, False):
            choice = assign(scores, capacity, penalty=penalty if balanced else 0.0)
            optima[balanced] = (choice, total_score(scores, choice))
            solvers[balanced] = {"method": "dense", "exact": True}
        return optima, solvers
    # Single precision with its rounding bound (the solver adds it to its certificate),
    # rejected pairs forbidden in the source itself; the solver may stop at a certified
    # gap of MATCHING_MAX_GAP (0.1% unless the settings say otherwise).
    source = factor_score_rows(
        scorer.transform_entrepreneurs(people),
        scorer.transform_experts(mentors),
        np.float32,
        forbidden=rejected,
    )
    max_gap = settings.MATCHING_MAX_GAP
    for balanced in (True, False):
        result = assign_pruned(
            source,
            len(people),
            capacity,
            penalty=penalty if balanced else 0.0,
            max_gap=max_gap,
        )
        optima[balanced] = (result.choice, result.total)
        solvers[balanced] = {"method": "pruned", "exact": bool(result.exact), "gap": result.gap}
    return optima, solvers


def _save_proposals(run, scorer, people, mentors, choice) -> np.ndarray:
    """Store a proposal per matched entrepreneur, with its reasons; their scores."""
    import numpy as np

    from .scoring import CRITERIA

    matched = np.flatnonzero(choice >= 0)
    if not matched.size:
        return np.zeros(0)
    pairs = np.column_stack([matched, choice[matched]])
    # One batch: the reasons are read off the same per-pair products as the values.
    values, explained = scorer.explain_pairs(people, mentors, pairs)
    scores = values @ np.array([scorer.weights_[c] for c in CRITERIA])
    proposals = []
    for (i, j), criteria, score, reasons in zip(pairs, values, scores, explained, strict=True):
        proposals.append(
            Proposal(
                run=run,
                entrepreneur_id=people[i].key,
                expert_id=mentors[j].key,
                score=float(score),
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
    return scores


def _figures(scores, choice, capacity, mentors, seconds) -> dict:
    """``scores`` are those of the matched entrepreneurs, in their order."""
    import numpy as np

    matched = np.flatnonzero(choice >= 0)
    total = float(scores.sum())
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
