"""The mentoring group's own pages: the expert's group and the entrepreneur's mentor.

There are no ids in these URLs: each person sees the one group they belong to, so nobody
can open someone else's by changing a number. Someone who belongs to no group gets a
404; an expert who opens the mentee's page (or the reverse) is sent to their own.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mentors.entrepreneurs import own_profile

from .group_forms import GroupMeetingForm, MeetingForm, RatingForm
from .groups import (
    expert_for,
    flag_for_mentee,
    group_meetings,
    log_meeting,
    meetings_for_mentee,
    members,
    mentee_for,
    rate_mentor,
    rating_summary,
    ratings_of,
)
from .models import Rating


@login_required
def group(request):
    expert = expert_for(request.user)
    if expert is None:
        if mentee_for(request.user) is not None:
            return redirect("matching:mentor")
        raise Http404
    form = GroupMeetingForm(request.POST or None, expert=expert)
    if request.method == "POST" and form.is_valid():
        log_meeting(
            expert=expert,
            by=request.user,
            entrepreneur=form.cleaned_data["with_whom"],
            date=form.cleaned_data["date"],
            way=form.cleaned_data["way"],
            notes=form.cleaned_data["notes"],
        )
        messages.success(request, _("The meeting has been logged."))
        return redirect("matching:group")
    return render(
        request,
        "matching/group.html",
        {
            "expert": expert,
            "members": members(expert),
            "meetings": group_meetings(expert),
            "form": form,
            "ratings": ratings_of(expert),
            "rating_summary": rating_summary(expert),
        },
    )


@login_required
def mentor(request):
    profile = own_profile(request.user)
    if profile is None:
        if expert_for(request.user) is not None:
            return redirect("matching:group")
        raise Http404
    if profile.mentor_id is None:
        return render(request, "matching/group_no_mentor.html", {"profile": profile})
    rating = Rating.objects.filter(entrepreneur=profile, expert_id=profile.mentor_id).first()
    meeting_form = MeetingForm(entrepreneur=profile)
    rating_form = RatingForm(
        initial={"stars": rating.stars, "comment": rating.comment} if rating else None
    )
    if request.method == "POST":
        # The page has two forms; each says which it is.
        which = request.POST.get("form")
        if which == "meeting":
            meeting_form = MeetingForm(request.POST, entrepreneur=profile)
            if meeting_form.is_valid():
                log_meeting(
                    expert=profile.mentor,
                    by=request.user,
                    entrepreneur=profile,
                    **meeting_form.cleaned_data,
                )
                messages.success(request, _("The meeting has been logged."))
                return redirect("matching:mentor")
        elif which == "rating":
            rating_form = RatingForm(request.POST)
            if rating_form.is_valid():
                rate_mentor(profile, **rating_form.cleaned_data)
                messages.success(request, _("Thank you for rating your mentor."))
                return redirect("matching:mentor")
        else:
            return HttpResponseBadRequest()
    return render(
        request,
        "matching/group_mentor.html",
        {
            "profile": profile,
            "mentor": profile.mentor,
            "group_flag": flag_for_mentee(profile),
            "meetings": meetings_for_mentee(profile),
            "meeting_form": meeting_form,
            "rating_form": rating_form,
            "rating": rating,
        },
    )
