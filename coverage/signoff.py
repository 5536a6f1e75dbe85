"""Sign-off (审核) of a county's figures for a period: county staff submit, the bureau
approves or returns them with a comment, and a returned submission may come again.

Submitting stores the county's rows (village, town and county levels) as they are at
that moment; approval signs exactly those and reads nothing from today's records, so
a correction or a re-import after the county submitted never changes what is signed
(the county's submitted 402/104 stays 402/104). ``compare`` lays the snapshot beside
today's figures and marks what moved. Every step is kept as a ``SubmissionEvent``.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import is_bureau, officer_county
from .export import figures_xlsx
from .models import Submission, SubmissionEvent
from .periods import Period, validate_within_limits
from .report import AreaFigures, coverage_by, percent

FIGURES = ("eligible", "person_times", "persons")
LEVELS = ("county", "town", "village")


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
        for level in LEVELS
    }


def snapshot_rows(submission, level) -> list[AreaFigures]:
    """The rows of one level as the county submitted them (empty if none were stored)."""
    return [AreaFigures(**values) for values in (submission.figures or {}).get(level, [])]


@transaction.atomic
def submit(county, start, end, by, comment="") -> Submission:
    """County staff hand in their county's figures, which are stored as they are now; a
    returned submission may come again, with a new snapshot (the old one stays in its
    history)."""
    if officer_county(by) != county:
        raise PermissionDenied(_("Only the county's own staff can submit its figures."))
    if end < start:
        raise ValidationError(_("The period ends before it starts."))
    validate_within_limits(start)
    validate_within_limits(end)
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
    submission.comment = ""
    submission.figures = figures_snapshot(county, start, end)
    try:
        # Two first submissions of the same period at once: the second finds none to
        # lock, and the unique constraint stops it.
        with transaction.atomic():
            submission.save()
    except IntegrityError:
        raise ValidationError(_("These figures have already been submitted.")) from None
    SubmissionEvent.objects.create(
        submission=submission,
        action=SubmissionEvent.Action.SUBMITTED,
        by=by,
        at=submission.submitted_at,
        comment=comment.strip(),
        figures=submission.figures,
    )
    return submission


def _waiting_for_review(submission, by) -> Submission:
    """The submission, locked until the review is recorded, if ``by`` may review it and
    it is waiting for review."""
    if not is_bureau(by):
        raise PermissionDenied(_("Only the commerce bureau can review submissions."))
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status != Submission.Status.SUBMITTED:
        raise ValidationError(_("Only a submission waiting for review can be reviewed."))
    return submission


def _record_review(submission, by, status, comment) -> Submission:
    submission.status = status
    submission.reviewed_by = by
    submission.reviewed_at = timezone.now()
    submission.comment = comment
    submission.save()
    SubmissionEvent.objects.create(
        submission=submission, action=status, by=by, at=submission.reviewed_at, comment=comment
    )
    return submission


@transaction.atomic
def approve(submission, by, comment="") -> Submission:
    """The bureau signs the figures as submitted: nothing is read from today's records."""
    submission = _waiting_for_review(submission, by)
    if submission.figures is None:
        raise ValidationError(
            _(
                "This submission was made before submitted figures were stored: return it "
                "so that the county submits again."
            )
        )
    return _record_review(submission, by, Submission.Status.APPROVED, comment.strip())


@transaction.atomic
def return_submission(submission, by, comment) -> Submission:
    submission = _waiting_for_review(submission, by)
    if not comment.strip():
        raise ValidationError(_("Say why the figures go back."))
    return _record_review(submission, by, Submission.Status.RETURNED, comment.strip())


@dataclass(frozen=True)
class Step:
    """A step in a submission's history; ``totals`` is the county's row of the figures a
    submitted step stored (None for reviews, and for submissions before snapshots)."""

    event: SubmissionEvent
    totals: AreaFigures | None


def history(submission) -> list[Step]:
    """The submission's steps, oldest first, with who took them and what was submitted."""
    steps = []
    for event in submission.events.select_related("by"):
        county_rows = (event.figures or {}).get("county") or [None]
        totals = AreaFigures(**county_rows[0]) if county_rows[0] else None
        steps.append(Step(event, totals))
    return steps


@dataclass(frozen=True)
class ComparedRow:
    """An area's figures as submitted beside today's; either side may be missing (an
    area with no eligible member then, or now)."""

    place: str
    submitted: AreaFigures | None
    current: AreaFigures | None

    @property
    def changed(self) -> bool:
        if self.submitted is None or self.current is None:
            return True
        return any(getattr(self.submitted, f) != getattr(self.current, f) for f in FIGURES)

    @property
    def submitted_rate(self):
        return percent(self.submitted.times_coverage) if self.submitted else ""

    @property
    def current_rate(self):
        return percent(self.current.times_coverage) if self.current else ""


def _place(row) -> str:
    return " / ".join(name for name in (row.county, row.town, row.village) if name)


def compare(submission) -> dict[str, list[ComparedRow]]:
    """Per level (county, town, village), the rows as submitted beside the same areas'
    figures today; empty if the submission stored no figures."""
    if submission.figures is None:
        return {}
    result = {}
    for level in LEVELS:
        submitted = {_place(row): row for row in snapshot_rows(submission, level)}
        current = {
            _place(row): row
            for row in coverage_by(level, submission.start, submission.end, submission.county)
        }
        result[level] = [
            ComparedRow(place, submitted.get(place), current.get(place))
            for place in sorted(submitted.keys() | current.keys())
        ]
    return result


@dataclass(frozen=True)
class CountySignoff:
    """Where one county's sign-off of a period stands: ``status`` is approved, submitted,
    returned or none; ``submission`` is None when nothing was submitted."""

    county: object
    submission: Submission | None

    @property
    def status(self) -> str:
        return self.submission.status if self.submission is not None else "none"


@dataclass(frozen=True)
class PeriodSignoff:
    start: object
    end: object
    counties: list[CountySignoff]

    @property
    def all_approved(self) -> bool:
        return bool(self.counties) and all(c.status == "approved" for c in self.counties)


def period_signoff(counties, start, end) -> PeriodSignoff:
    """Whether each county's figures for exactly this period have been signed off.

    For a report page: pass the counties it shows and its period, and put the result in
    the context as ``signoff_status`` for ``coverage/includes/signoff_status.html``.
    Per county (in the order given): ``status`` (approved / submitted / returned / none)
    and the ``submission`` with who submitted and reviewed it, and when. A submission
    for another period (a single year within the plan, say) does not sign this one off.
    One query for the submissions, whatever the number of counties.
    """
    counties = list(counties)
    submissions = {
        submission.county_id: submission
        for submission in Submission.objects.filter(
            county__in=counties, start=start, end=end
        ).select_related("submitted_by", "reviewed_by")
    }
    return PeriodSignoff(
        start, end, [CountySignoff(county, submissions.get(county.pk)) for county in counties]
    )


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def approved_title_lines(submission) -> list[str]:
    """Who submitted and who signed the figures, and when (figures_xlsx adds the period,
    the county and the definition; the file's own words are Chinese, as every export's)."""
    return [
        "已审核的上报数据：审核通过的是县级上报时的数字，之后记录变化不影响本表",
        f"上报人 {submission.submitted_by}，上报时间 {_when(submission.submitted_at)}",
        f"审核人 {submission.reviewed_by}，审核时间 {_when(submission.reviewed_at)}",
    ]


def approved_xlsx(submission, level="village") -> bytes:
    """One level of an approved snapshot as XLSX, with the period and the sign-off on it."""
    return figures_xlsx(
        snapshot_rows(submission, level),
        level=level,
        period=Period(submission.start, submission.end),
        title_lines=approved_title_lines(submission),
        place=submission.county.name,
    )


def approved_filename(submission, level="village") -> str:
    return (
        f"coverage-signed-{submission.county.name}-{level}-"
        f"{submission.start:%Y%m%d}-{submission.end:%Y%m%d}.xlsx"
    )
