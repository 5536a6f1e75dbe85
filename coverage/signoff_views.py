"""Pages for the sign-off: county staff submit their county's figures, the bureau reviews
them, and an approved snapshot downloads as a spreadsheet."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import signoff
from .access import counties_visible_to, is_bureau, may_see_report, officer_county
from .drilldown import PeriodForm
from .export import FORMATS
from .models import Submission
from .periods import DATE_FORMAT, plan_period


def _visible_submissions(user):
    if not may_see_report(user):
        raise PermissionDenied
    return Submission.objects.filter(county__in=counties_visible_to(user)).select_related(
        "county", "submitted_by", "reviewed_by"
    )


class SubmissionForm(PeriodForm):
    """County staff's submission: the period (the plan's by default) and a note."""

    comment = forms.CharField(
        label=gettext_lazy("Note for the bureau (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewForm(forms.Form):
    """The bureau's comment on a review (a CharField refuses NUL, which PostgreSQL would)."""

    comment = forms.CharField(required=False)


def submission_form(data=None) -> SubmissionForm:
    """The form on the list page (ids submit-start, …); a date posted empty is the plan's
    first or last day."""
    plan = plan_period()
    if data is None:
        return SubmissionForm(initial={"start": plan.start, "end": plan.end}, auto_id="submit-%s")
    data = {
        "start": data.get("start") or f"{plan.start:{DATE_FORMAT}}",
        "end": data.get("end") or f"{plan.end:{DATE_FORMAT}}",
        "comment": data.get("comment", ""),
    }
    return SubmissionForm(data, auto_id="submit-%s")


def _list_page(request, form):
    return render(
        request,
        "coverage/signoff_list.html",
        {
            "submissions": _visible_submissions(request.user),
            "county": officer_county(request.user),
            "form": form,
            "is_bureau": is_bureau(request.user),
        },
    )


@login_required
def submission_list(request):
    return _list_page(request, submission_form())


@login_required
@require_POST
def submit_figures(request):
    """A period refused (not a date, outside the limits, already submitted) shows the
    list page again with the reason beside the field and the note kept."""
    county = officer_county(request.user)
    if county is None:
        raise PermissionDenied
    form = submission_form(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            submission = signoff.submit(
                county, data["start"], data["end"], request.user, data["comment"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The figures were submitted to the commerce bureau."))
            return redirect("coverage:signoff_detail", submission.pk)
    return _list_page(request, form)


@login_required
def submission_detail(request, pk):
    submission = get_object_or_404(_visible_submissions(request.user), pk=pk)
    compared = signoff.compare(submission)
    return render(
        request,
        "coverage/signoff_detail.html",
        {
            "submission": submission,
            "compared": compared,
            "differences": sum(row.changed for rows in compared.values() for row in rows),
            "history": signoff.history(submission),
            "is_bureau": is_bureau(request.user),
            "is_submitter": officer_county(request.user) == submission.county,
        },
    )


@login_required
@require_POST
def review(request, pk):
    if not is_bureau(request.user):
        raise PermissionDenied
    submission = get_object_or_404(Submission, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("coverage:signoff_detail", submission.pk)
    comment = form.cleaned_data["comment"]
    try:
        if request.POST.get("action") == "approve":
            signoff.approve(submission, request.user, comment)
            messages.success(request, _("The figures were approved."))
        else:
            signoff.return_submission(submission, request.user, comment)
            messages.success(request, _("The figures were returned to the county."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("coverage:signoff_detail", submission.pk)


@login_required
def export_approved(request, pk):
    """The approved snapshot as XLSX, one level (``?level=``, villages by default)."""
    submission = get_object_or_404(
        _visible_submissions(request.user), pk=pk, status=Submission.Status.APPROVED
    )
    level = request.GET.get("level") or "village"
    if level not in signoff.LEVELS:
        return HttpResponseBadRequest(_("Unknown level or format."))
    response = HttpResponse(signoff.approved_xlsx(submission, level), content_type=FORMATS["xlsx"])
    response["Content-Disposition"] = content_disposition_header(
        True, signoff.approved_filename(submission, level)
    )
    return response
