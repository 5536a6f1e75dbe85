"""Which weights the matcher uses: learned from staff decisions and mentees' ratings when
they beat the defaults on held-out decisions (matching.scoring.WeightLearner).

NumPy and matching.scoring (scikit-learn) are imported inside the functions: the CMS
imports this module, and a web process that never matches should not load them.
"""

from .criteria import CRITERIA, DEFAULT_WEIGHTS
from .models import Proposal, Rating, WeightChoice

# A mentee's rating says more than the approval did: 4-5 stars confirm the pair, 1-2
# say it was a poor one, 3 says nothing either way.
GOOD_RATING = 4
POOR_RATING = 2


def decided_pairs():
    """Criterion values and outcomes (1 good, 0 bad) of every decided proposal, as two
    NumPy arrays."""
    import numpy as np

    rows, outcomes = [], []
    ratings = {
        (entrepreneur, expert): stars
        for entrepreneur, expert, stars in Rating.objects.values_list(
            "entrepreneur_id", "expert_id", "stars"
        )
    }
    decided = Proposal.objects.filter(
        status__in=[Proposal.Status.APPROVED, Proposal.Status.REJECTED]
    ).values_list("entrepreneur_id", "expert_id", "status", "criteria")
    for entrepreneur, expert, status, criteria in decided:
        outcome = int(status == Proposal.Status.APPROVED)
        stars = ratings.get((entrepreneur, expert))
        if outcome and stars is not None:
            if stars >= GOOD_RATING:
                outcome = 1
            elif stars <= POOR_RATING:
                outcome = 0
        rows.append([criteria.get(code, 0.0) for code in CRITERIA])
        outcomes.append(outcome)
    return np.array(rows, dtype=np.float64).reshape(-1, len(CRITERIA)), np.array(outcomes)


def learn_weights() -> WeightChoice:
    """Fit the learner on every decision so far and record the weights to use."""
    from .scoring import WeightLearner

    values, outcomes = decided_pairs()
    if not len(outcomes):
        # Nothing decided yet: the defaults, as the learner keeps them below its minimum.
        return WeightChoice.objects.create(
            decisions=0, weights=dict(DEFAULT_WEIGHTS), uses_learned=False
        )
    learner = WeightLearner().fit(values, outcomes)
    return WeightChoice.objects.create(
        decisions=learner.n_decisions_,
        weights=learner.weights_,
        uses_learned=learner.uses_learned_,
        held_out_learned=learner.held_out_learned_,
        held_out_default=learner.held_out_default_,
    )
