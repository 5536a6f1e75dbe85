from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses.models import CoursePage

from .certificates import (
    certificate_picture,
    certificates_visible_to,
    find_certificate,
    issue_certificate,
    mask_name,
    may_issue,
    normalize_code,
)
from .enrolment import enrol, is_enrolled, leave, my_learning
from .forms import CertificateNameForm


def _open_course(course_id):
    return get_object_or_404(CoursePage.objects.live().public(), pk=course_id)


def _back_to(request, default):
    """Where a form asked to return (a lesson enrolled from), if it is on this site."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_POST
def enrol_in_course(request, course_id):
    course = _open_course(course_id)
    back = _back_to(request, course.url)
    # A session that expired while the page was open: log in, then back to the page.
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    enrol(request.user, course)
    messages.success(request, _("You are enrolled in %(course)s.") % {"course": course.title})
    return redirect(back)


@require_http_methods(["GET", "POST"])
@login_required
def leave_course(request, course_id):
    """Leaving asks first (a page of its own, so it works without JavaScript)."""
    course = _open_course(course_id)
    if request.method == "GET":
        if not is_enrolled(request.user, course):
            return redirect(course.url)
        return render(request, "learning/leave_confirm.html", {"course": course})
    if leave(request.user, course):
        messages.success(
            request,
            _("You have left %(course)s. The hours you studied are kept.")
            % {"course": course.title},
        )
    return redirect(course.url)


@require_GET
@login_required
def my_learning_page(request):
    return render(request, "learning/my_learning.html", {"learning": my_learning(request.user)})


def _visible_certificate(request, code):
    return get_object_or_404(
        certificates_visible_to(request.user).select_related("user", "course"),
        certificate_code=code,
    )


def _verify_url(request, code):
    return request.build_absolute_uri(reverse("verify_code", args=[code]))


@login_required
def certificate(request, code):
    """The printable certificate; before it is issued, its holder is asked for their name."""
    completion = _visible_certificate(request, code)
    if completion.is_issued:
        return render(
            request,
            "learning/certificate.html",
            {"completion": completion, "verify_url": _verify_url(request, code)},
        )
    if not may_issue(request.user, completion):
        return render(request, "learning/certificate_not_issued.html", {"completion": completion})
    form = CertificateNameForm(request.POST or None, initial={"real_name": request.user.real_name})
    if request.method == "POST" and form.is_valid():
        issue_certificate(completion, form.cleaned_data["real_name"])
        return redirect("certificate", code=code)
    return render(
        request, "learning/certificate_name.html", {"completion": completion, "form": form}
    )


@require_GET
@login_required
def certificate_image(request, code):
    completion = _visible_certificate(request, code)
    if not completion.is_issued:
        raise Http404
    png = certificate_picture(completion, _verify_url(request, code))
    response = HttpResponse(png, content_type="image/png")
    # Personal data: no shared cache may keep it.
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = f'inline; filename="certificate-{code}.png"'
    return response


@require_GET
def verify(request):
    code = normalize_code(request.GET.get("code", ""))
    if code:
        return redirect("verify_code", code=code)
    return render(request, "learning/verify.html", {})


@require_GET
def verify_code(request, code):
    completion = find_certificate(code)
    if completion is None:
        return render(
            request, "learning/verify.html", {"code": code, "not_found": True}, status=404
        )
    # Only what the paper shows, the name masked: never the user, so never the phone or ID.
    return render(
        request,
        "learning/verify.html",
        {
            "valid": True,
            "code": completion.certificate_code,
            "course_title": completion.course.title,
            "completed_at": completion.completed_at,
            "hours": completion.hours,
            "masked_name": mask_name(completion.holder_name),
        },
    )
