"""Runs and proposals as the matcher leaves them, for the review and group tests."""

from matching.models import MatchingRun, Proposal


def make_run(**fields):
    fields.setdefault("status", MatchingRun.Status.DONE)
    return MatchingRun.objects.create(**fields)


def propose(run, entrepreneur, expert, score=1.0, **fields):
    fields.setdefault(
        "reasons",
        [
            {
                "criterion": "county",
                "args": {"county": "罗定市", "relation": "same"},
                "contribution": 0.3,
            }
        ],
    )
    return Proposal.objects.create(
        run=run, entrepreneur=entrepreneur, expert=expert, score=score, **fields
    )
