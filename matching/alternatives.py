"""Other experts for an open proposal: the next best ones with a free place, scored and
explained by the run's scorer, so staff can pick one without rejecting and re-running.

The scorer is fitted as the run fitted it: the run's weights, over the run's
entrepreneurs and the active experts. It is fitted on demand, for the proposals a page
shows, never for the whole run in advance.

NumPy and matching.scoring (scikit-learn) are imported inside the functions that score:
the CMS imports this module, and a web process that never matches should not load them.
"""

from dataclasses import dataclass

from django.db.models import Count

from mentors.models import Entrepreneur, Expert

from .criteria import CRITERIA
from .models import Proposal
from .profiles import entrepreneur_profiles, expert_profiles
from .reasons import describe_all

ALTERNATIVES_SHOWN = 2


@dataclass
class Alternative:
    expert: Expert
    score: float
    places_free: int
    reasons: list[dict]

    @property
    def phrases(self) -> list[str]:
        return describe_all(self.reasons)


def open_places(experts, *, for_entrepreneur=None) -> dict[int, int]:
    """Each expert's places neither taken by a mentee nor promised by an open proposal.

    ``for_entrepreneur``'s own mentor place and open proposal do not count as taken: an
    entrepreneur moving to another expert frees the one they hold.
    """
    experts = list(experts)
    mentees = Entrepreneur.objects.filter(mentor__in=experts)
    pending = Proposal.objects.all()
    if for_entrepreneur is not None:
        mentees = mentees.exclude(pk=for_entrepreneur)
        pending = pending.exclude(entrepreneur=for_entrepreneur)
    taken = dict(
        mentees.order_by().values("mentor").annotate(n=Count("pk")).values_list("mentor", "n")
    )
    promised = pending.filter(expert__in=experts).pending_per_expert()
    return {x.pk: max(0, x.capacity - taken.get(x.pk, 0) - promised.get(x.pk, 0)) for x in experts}


def run_scorer(run):
    """The run's scorer (a fitted matching.scoring.PairScorer), fitted again over its
    entrepreneurs and the active experts."""
    from .scoring import PairScorer

    people = entrepreneur_profiles(Entrepreneur.objects.filter(proposals__run=run).distinct())
    experts = Expert.objects.active()
    mentors = expert_profiles(experts, {x.pk: x.capacity for x in experts})
    return PairScorer(weights=run.parameters.get("weights")).fit(people, mentors)


def reasons_of(scorer, person, mentor) -> list[dict]:
    """A pair's reasons as a proposal stores them (see matching.runs._save_proposals)."""
    return [
        {"criterion": r.criterion, "contribution": r.contribution, "args": r.text_args}
        for r in scorer.explain(person, mentor)
    ]


def pair_score(scorer, person, mentor) -> tuple[float, dict]:
    """One pair's score and its unweighted criterion values, as a run stores them."""
    values = scorer.criterion_values([person], [mentor], [[0, 0]])[0]
    score = float(scorer.criterion_contributions([person], [mentor], [[0, 0]]).sum())
    return score, dict(zip(CRITERIA, map(float, values), strict=True))


def alternatives_for(run, proposals, *, count=ALTERNATIVES_SHOWN) -> dict[int, list[Alternative]]:
    """For each open proposal given, the ``count`` best other active experts that have an
    open place and that staff have not rejected for that entrepreneur, best first."""
    import numpy as np

    proposals = [p for p in proposals if p.status == Proposal.Status.PROPOSED]
    if not proposals:
        return {}
    experts = list(Expert.objects.active().order_by("pk"))
    if not experts:
        return {p.pk: [] for p in proposals}
    scorer = run_scorer(run)
    entrepreneur_ids = [p.entrepreneur_id for p in proposals]
    people = {
        person.key: person
        for person in entrepreneur_profiles(Entrepreneur.objects.filter(pk__in=entrepreneur_ids))
    }
    by_pk = {x.pk: x for x in experts}
    # Capacity is not part of the score; free places are counted below.
    mentors = expert_profiles(
        Expert.objects.filter(pk__in=by_pk).order_by("pk"), dict.fromkeys(by_pk, 0)
    )
    scores = scorer.score_matrix([people[i] for i in entrepreneur_ids], mentors)
    rejected = Proposal.objects.filter(entrepreneur__in=entrepreneur_ids).rejected_pairs()
    # Places promised to the shown proposals themselves are freed when they move.
    places = open_places(experts)
    found = {}
    for row, proposal in enumerate(proposals):
        chosen = []
        for column in np.argsort(-scores[row], kind="stable"):
            mentor = mentors[column]
            free = places[mentor.key] + _held_by(proposal, mentor.key)
            if (
                mentor.key == proposal.expert_id
                or (proposal.entrepreneur_id, mentor.key) in rejected
                or free <= 0
            ):
                continue
            person = people[proposal.entrepreneur_id]
            chosen.append(
                Alternative(
                    expert=by_pk[mentor.key],
                    score=float(scores[row, column]),
                    places_free=free,
                    reasons=reasons_of(scorer, person, mentor),
                )
            )
            if len(chosen) == count:
                break
        found[proposal.pk] = chosen
    return found


def _held_by(proposal, expert_id) -> int:
    """The place this proposal's entrepreneur holds with ``expert_id`` as their mentor;
    it is theirs to move to, not taken from them."""
    return int(proposal.entrepreneur.mentor_id == expert_id)
