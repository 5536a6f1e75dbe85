"""Staff decisions on proposals: approve one, approve all above a score, reject one,
or have one propose another expert.

Approving makes the expert the entrepreneur's mentor, creates or extends the expert's
mentoring group (帮带小组) and tells both by text message once the decision is saved.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.tasks import queue_sms
from mentors.models import Entrepreneur, Expert

from .alternatives import open_places, pair_score, reasons_of, run_scorer
from .models import Proposal
from .profiles import entrepreneur_profiles, expert_profiles


class ReviewError(Exception):
    """The decision cannot be taken; the message says why, for the reviewer."""


@dataclass
class BulkApproval:
    approved: list[Proposal] = field(default_factory=list)
    # (proposal, why) for each that could not be approved
    skipped: list[tuple[Proposal, str]] = field(default_factory=list)


def approve(proposal: Proposal, by) -> Proposal:
    """Approve ``proposal``; raises ReviewError if it is decided already or the expert
    has no free place left (places can go while staff review)."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != Proposal.Status.PROPOSED:
            raise ReviewError(_("This proposal has already been decided."))
        # Locking the expert serialises approvals into one group, so two reviewers
        # cannot both take its last place.
        expert = Expert.objects.select_for_update().get(pk=proposal.expert_id)
        entrepreneur = Entrepreneur.objects.select_for_update().get(pk=proposal.entrepreneur_id)
        if not expert.is_active:
            raise ReviewError(_("%(expert)s is no longer active.") % {"expert": expert})
        if entrepreneur.mentor_id != expert.pk:
            taken = Entrepreneur.objects.filter(mentor=expert).count()
            if taken >= expert.capacity:
                raise ReviewError(
                    _("%(expert)s has no free place left (%(capacity)d).")
                    % {"expert": expert, "capacity": expert.capacity}
                )
            entrepreneur.mentor = expert
            entrepreneur.mentor_since = datetime.date.today()
            entrepreneur.save(update_fields=["mentor", "mentor_since", "updated_at"])
        proposal.status = Proposal.Status.APPROVED
        proposal.decided_by = by
        proposal.decided_at = timezone.now()
        proposal.save(update_fields=["status", "decided_by", "decided_at"])
        transaction.on_commit(lambda: _tell_both(expert, entrepreneur))
    return proposal


def approve_above(run, min_score: float, by) -> BulkApproval:
    """Approve the run's open proposals scoring at least ``min_score``, best first; those
    that cannot be approved are listed with the reason and stay open."""
    result = BulkApproval()
    for proposal in run.proposals.pending().filter(score__gte=min_score).order_by("-score", "pk"):
        try:
            result.approved.append(approve(proposal, by))
        except ReviewError as error:
            result.skipped.append((proposal, str(error)))
    return result


def change_expert(proposal: Proposal, expert_id: int) -> Proposal:
    """Make an open proposal propose another expert, with that pair's score and reasons.

    The proposal stays open: approving it is still what makes the expert the mentor.
    Raises ReviewError if the proposal is decided, or the expert is inactive, was
    rejected for this entrepreneur, or has no open place left at this moment.
    """
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("run").get(pk=proposal.pk)
        if proposal.status != Proposal.Status.PROPOSED:
            raise ReviewError(_("This proposal has already been decided."))
        # The same locks, in the same order, as approving: a place cannot be given twice.
        expert = Expert.objects.select_for_update().filter(pk=expert_id).first()
        if expert is None or not expert.is_active:
            raise ReviewError(_("This expert is no longer active."))
        if expert.pk == proposal.expert_id:
            raise ReviewError(_("%(expert)s is already the proposed expert.") % {"expert": expert})
        rejected = Proposal.objects.filter(
            entrepreneur=proposal.entrepreneur_id, expert=expert
        ).rejected_pairs()
        if rejected:
            raise ReviewError(
                _("%(expert)s was rejected for this entrepreneur before.") % {"expert": expert}
            )
        free = open_places([expert], for_entrepreneur=proposal.entrepreneur_id)[expert.pk]
        if free <= 0:
            raise ReviewError(
                _("%(expert)s has no free place left (%(capacity)d).")
                % {"expert": expert, "capacity": expert.capacity}
            )
        scorer = run_scorer(proposal.run)
        people = Entrepreneur.objects.filter(pk=proposal.entrepreneur_id)
        (person,) = entrepreneur_profiles(people)
        (mentor,) = expert_profiles(Expert.objects.filter(pk=expert.pk), {expert.pk: free})
        proposal.score, proposal.criteria = pair_score(scorer, person, mentor)
        proposal.reasons = reasons_of(scorer, person, mentor)
        proposal.expert = expert
        proposal.save(update_fields=["expert", "score", "criteria", "reasons"])
    return proposal


def reject(proposal: Proposal, reason: str, by) -> Proposal:
    reason = reason.strip()
    if not reason:
        raise ReviewError(_("Say why the proposal is rejected."))
    updated = Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.PROPOSED).update(
        status=Proposal.Status.REJECTED,
        rejection_reason=reason[: Proposal._meta.get_field("rejection_reason").max_length],
        decided_by=by,
        decided_at=timezone.now(),
    )
    if not updated:
        raise ReviewError(_("This proposal has already been decided."))
    proposal.refresh_from_db()
    return proposal


def _tell_both(expert, entrepreneur):
    # Only names: a message body may be logged by the SMS backend, phone numbers must not.
    queue_sms(
        entrepreneur.phone,
        _(
            "[Yunfu E-commerce Training] %(expert)s (%(organisation)s) is now your mentor. "
            "Log in to see how to reach them."
        )
        % {"expert": expert.name, "organisation": expert.organisation},
    )
    queue_sms(
        expert.phone,
        _(
            "[Yunfu E-commerce Training] %(entrepreneur)s of %(village)s has joined your "
            "mentoring group. Log in to see their needs and how to reach them."
        )
        % {"entrepreneur": entrepreneur.name, "village": entrepreneur.village.full_name},
    )
