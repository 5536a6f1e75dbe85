"""The small forms of the matching admin: start a run, reject a proposal, approve above
a score, filter a run's proposals, and have a proposal name another expert."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from mentors.models import County, Expert

from .models import Proposal


class StartRunForm(forms.Form):
    rematch = forms.BooleanField(
        label=_("Re-match"),
        required=False,
        help_text=_("Also propose new mentors to entrepreneurs who already have one."),
    )
    balanced = forms.BooleanField(
        label=_("Balanced load"),
        required=False,
        initial=True,
        help_text=_(
            "Prefer spreading entrepreneurs over experts to piling them on a few; the run "
            "page shows what it costs in score."
        ),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        max_length=Proposal._meta.get_field("rejection_reason").max_length,
        error_messages={"required": _("Say why the proposal is rejected.")},
    )

    def __init__(self, *args, proposal, **kwargs):
        # One form per open proposal on the page: the ids must not collide.
        super().__init__(*args, auto_id=f"id_reject_{proposal.pk}_%s", **kwargs)
        self.proposal = proposal


class ApproveAboveForm(forms.Form):
    min_score = forms.FloatField(
        label=_("Approve every open proposal scoring at least"),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        error_messages={
            "invalid": _("Enter a score as a number, such as 1.2."),
            "required": _("Enter a score as a number, such as 1.2."),
        },
    )


class ProposalFilterSet(WagtailFilterSet):
    """A run's proposals by the entrepreneur's county, the expert, a lowest score and status.

    A value that is not valid (a county that is gone, a score that is not a number) is
    reported beside its field and leaves the list unfiltered by it.
    """

    county = django_filters.ModelChoiceFilter(
        field_name="entrepreneur__village__town__county",
        queryset=County.objects.all(),
        label=_("Entrepreneur's county"),
        empty_label=_("All counties"),
    )
    expert = django_filters.ModelChoiceFilter(
        queryset=Expert.objects.order_by("name"), label=_("Expert"), empty_label=_("All experts")
    )
    min_score = django_filters.NumberFilter(
        field_name="score",
        lookup_expr="gte",
        label=_("Score at least"),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        error_messages={"invalid": _("Enter a score as a number, such as 1.2.")},
    )
    status = django_filters.ChoiceFilter(
        choices=Proposal.Status.choices, label=_("Status"), empty_label=_("All")
    )

    class Meta:
        model = Proposal
        fields = ["county", "expert", "min_score", "status"]

    def __init__(self, data=None, queryset=None, *, run=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        if run is not None:
            # Only the experts this run proposes, not the whole lecturer team.
            self.filters["expert"].queryset = (
                Expert.objects.filter(proposals__run=run).distinct().order_by("name")
            )


class ChangeExpertForm(forms.Form):
    expert = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("Choose one of the experts shown."),
            "required": _("Choose one of the experts shown."),
        },
    )
