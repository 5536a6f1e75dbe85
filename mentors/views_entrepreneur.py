"""An entrepreneur's own pages (join, status, edit) and the profile as others see it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .entrepreneurs import (
    entrepreneur_status,
    has_profile,
    own_profile,
    phone_for,
    start_profile,
    visible_entrepreneurs,
)
from .forms import EntrepreneurForm


@login_required
def join(request):
    if has_profile(request.user):
        return redirect("mentors:status")
    profile = start_profile(request.user)
    if profile is None:
        return render(request, "mentors/entrepreneur_taken.html", status=409)
    return _profile_form(
        request,
        profile,
        template="mentors/entrepreneur_join.html",
        done=_("Thank you! Your profile is saved; a mentor will be matched with you."),
    )


@login_required
def edit(request):
    profile = own_profile(request.user)
    if profile is None:
        return redirect("mentors:join")
    return _profile_form(
        request,
        profile,
        template="mentors/entrepreneur_edit.html",
        done=_("Your profile has been saved."),
    )


def _profile_form(request, profile, *, template, done):
    form = EntrepreneurForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:
            # A second click of the button raced the first, which saved the profile.
            return redirect("mentors:status")
        messages.success(request, done)
        return redirect("mentors:status")
    return render(request, template, {"form": form, "profile": profile})


@login_required
def status(request):
    profile = own_profile(request.user)
    if profile is None:
        return redirect("mentors:join")
    return render(
        request,
        "mentors/entrepreneur_status.html",
        {"profile": profile, "status": entrepreneur_status(profile)},
    )


@login_required
def entrepreneur_detail(request, pk):
    # 404 rather than 403 for someone else's profile: its existence is not theirs to know.
    entrepreneur = get_object_or_404(visible_entrepreneurs(request.user), pk=pk)
    return render(
        request,
        "mentors/entrepreneur_detail.html",
        {
            "entrepreneur": entrepreneur,
            "status": entrepreneur_status(entrepreneur),
            "phone": phone_for(request.user, entrepreneur),
        },
    )
