"""The small forms of the matching admin: start a run, reject a proposal, approve above
a score."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Proposal


class StartRunForm(forms.Form):
    rematch = forms.BooleanField(
        label=_("Re-match"),
        required=False,
        help_text=_("Also propose new mentors to entrepreneurs who already have one."),
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
