"""The public 讲师团 page: anyone may read it, so phone numbers on it are always masked."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .team import by_type, team_counties, team_experts


class CountyFilterForm(forms.Form):
    county = forms.ModelChoiceField(
        queryset=team_counties(),
        required=False,
        empty_label=_("All counties"),
        label=_("County"),
    )


def team(request):
    form = CountyFilterForm(request.GET)
    # A county that is unknown, or no longer served, shows the whole team rather than an error.
    county = form.cleaned_data["county"] if form.is_valid() else None
    experts = list(team_experts(county))
    return render(
        request,
        "mentors/team.html",
        {
            "form": form,
            "county": county,
            "groups": by_type(experts),
            "expert_count": len(experts),
        },
    )
