"""Sign-off (审核) of a county's figures for a period: county staff submit, the bureau
approves or returns them with a comment.

Approval freezes the county's rows (village, town and county levels) as they were, so a
report that went to the province does not change when records are corrected later;
``compare`` lays them beside today's figures and marks what moved.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import is_bureau, officer_county
from .models import Submission
from .report import AreaFigures, coverage_by, percent

FIGURES = ("eligible", "person_times", "persons")


def figures_snapshot(county, start, end) -> dict:
    """The county's report rows at every level, as plain JSON."""
    return {
        level: [
            {
                "area_id": row.area_id,
                "county": row.county,
                "town": row.town,
                "village": row.village,
                "eligible": row.eligible,
                "person_times": row.person_times,
                "persons": row.persons,
            }
            for row in coverage_by(level, start, end, county=county)
        ]
        for level in ("county", "town", "village")
    }


@transaction.atomic
def submit(county, start, end, by) -> Submission:
    """County staff hand in their county's figures; a returned submission may come again."""
    if officer_county(by) != county:
        raise PermissionDenied(_("Only the county's own staff can submit its figures."))
    if end < start:
        raise ValidationError(_("The period ends before it starts."))
    submission = (
        Submission.objects.select_for_update().filter(county=county, start=start, end=end).first()
    )
    if submission is not None and submission.status != Submission.Status.RETURNED:
        raise ValidationError(_("These figures have already been submitted."))
    submission = submission or Submission(county=county, start=start, end=end)
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_by = by
    submission.submitted_at = timezone.now()
    submission.reviewed_by = None
    submission.reviewed_at = None
    submission.save()
    return submission


def _review(submission, by, status, comment=""):
    if not is_bureau(by):
        raise PermissionDenied(_("Only the commerce bureau can review submissions."))
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status != Submission.Status.SUBMITTED:
        raise ValidationError(_("Only a submission waiting for review can be reviewed."))
    submission.status = status
    submission.reviewed_by = by
    submission.reviewed_at = timezone.now()
    submission.comment = comment
    return submission


@transaction.atomic
def approve(submission, by) -> Submission:
    submission = _review(submission, by, Submission.Status.APPROVED)
    submission.approved_figures = figures_snapshot(
        submission.county, submission.start, submission.end
    )
    submission.save()
    return submission


@transaction.atomic
def return_submission(submission, by, comment) -> Submission:
    if not comment.strip():
        raise ValidationError(_("Say why the figures go back."))
    submission = _review(submission, by, Submission.Status.RETURNED, comment.strip())
    submission.save()
    return submission


@dataclass(frozen=True)
class ComparedRow:
    """An area's approved figures beside today's; either side may be missing."""

    place: str
    approved: AreaFigures | None
    current: AreaFigures | None

    @property
    def changed(self) -> bool:
        if self.approved is None or self.current is None:
            return True
        return any(getattr(self.approved, f) != getattr(self.current, f) for f in FIGURES)

    @property
    def approved_rate(self):
        return percent(self.approved.times_coverage) if self.approved else ""

    @property
    def current_rate(self):
        return percent(self.current.times_coverage) if self.current else ""


def _place(row) -> str:
    return " / ".join(name for name in (row.county, row.town, row.village) if name)


def compare(submission) -> dict[str, list[ComparedRow]]:
    """Per level, the approved rows beside the same areas' figures today."""
    result = {}
    for level, frozen in (submission.approved_figures or {}).items():
        approved = {_place(row): row for row in (AreaFigures(**values) for values in frozen)}
        current = {
            _place(row): row
            for row in coverage_by(level, submission.start, submission.end, submission.county)
        }
        result[level] = [
            ComparedRow(place, approved.get(place), current.get(place))
            for place in sorted(approved.keys() | current.keys())
        ]
    return result
