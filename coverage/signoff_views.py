"""Pages for the sign-off: county staff submit their county's figures, the bureau reviews."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import signoff
from .access import counties_visible_to, is_bureau, may_see_report, officer_county
from .models import Submission
from .periods import period_from
from .report import coverage_by


def _visible_submissions(user):
    if not may_see_report(user):
        raise PermissionDenied
    return Submission.objects.filter(county__in=counties_visible_to(user)).select_related(
        "county", "submitted_by", "reviewed_by"
    )


@login_required
def submission_list(request):
    submissions = _visible_submissions(request.user)
    return render(
        request,
        "coverage/signoff_list.html",
        {
            "submissions": submissions,
            "county": officer_county(request.user),
            "is_bureau": is_bureau(request.user),
        },
    )


@login_required
@require_POST
def submit_figures(request):
    county = officer_county(request.user)
    if county is None:
        raise PermissionDenied
    try:
        start, end = period_from(request.POST)
    except ValueError:
        messages.error(request, _("Give the period as YYYY-MM-DD, start before end."))
        return redirect("coverage:signoff_list")
    try:
        submission = signoff.submit(county, start, end, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("coverage:signoff_list")
    messages.success(request, _("The figures were submitted to the commerce bureau."))
    return redirect("coverage:signoff_detail", submission.pk)


@login_required
def submission_detail(request, pk):
    submission = get_object_or_404(_visible_submissions(request.user), pk=pk)
    context = {"submission": submission, "is_bureau": is_bureau(request.user)}
    if submission.approved_figures is not None:
        context["compared"] = signoff.compare(submission)
    else:
        context["current"] = coverage_by(
            "village", submission.start, submission.end, submission.county
        )
    return render(request, "coverage/signoff_detail.html", context)


@login_required
@require_POST
def review(request, pk):
    if not is_bureau(request.user):
        raise PermissionDenied
    submission = get_object_or_404(Submission, pk=pk)
    try:
        if request.POST.get("action") == "approve":
            signoff.approve(submission, request.user)
            messages.success(request, _("The figures were approved."))
        else:
            signoff.return_submission(submission, request.user, request.POST.get("comment", ""))
            messages.success(request, _("The figures were returned to the county."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("coverage:signoff_detail", submission.pk)
