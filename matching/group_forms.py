"""The forms of a mentoring group's pages: logging a meeting, rating the mentor."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .groups import group_began
from .models import Meeting, Rating

# Django's own Chinese for this reads awkwardly.
_TOO_LONG = _("At most %(limit_value)d characters, please; this has %(show_value)d.")


class MeetingForm(forms.Form):
    """A meeting as a mentee logs it: with their mentor, on a day since they joined."""

    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Give the day you met.")},
    )
    way = forms.ChoiceField(
        label=_("How you met"),
        choices=Meeting.Way.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how you met."),
            "invalid_choice": _("Choose how you met."),
        },
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=Meeting._meta.get_field("notes").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you talked about and what comes next."),
        error_messages={"max_length": _TOO_LONG},
    )

    def __init__(self, *args, entrepreneur, **kwargs):
        self.entrepreneur = entrepreneur
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.initial.setdefault("date", timezone.localdate())

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The meeting cannot be in the future."))
        return date

    def earliest(self):
        """The first day a meeting can have been held, and why, or (None, None)."""
        since = self.entrepreneur.mentor_since
        why = _(
            "%(expert)s has been your mentor since %(date)s; the meeting cannot be earlier."
        ) % {
            "expert": self.entrepreneur.mentor.name,
            "date": date_format(since),
        }
        return since, why

    def clean(self):
        cleaned = super().clean()
        date = cleaned.get("date")
        if date is not None and "date" not in self.errors:
            earliest, why = self.earliest()
            if earliest is not None and date < earliest:
                self.add_error("date", why)
        return cleaned


class GroupMeetingForm(MeetingForm):
    """A meeting as the expert logs it: with the whole group or one member of it. Only
    this expert's mentees can be chosen; any other id is refused as a wrong choice."""

    with_whom = forms.ModelChoiceField(
        label=_("With whom"),
        queryset=None,
        required=False,
        empty_label=_("The whole group"),
        error_messages={"invalid_choice": _("Choose the whole group or one of its members.")},
    )

    field_order = ["date", "way", "with_whom", "notes"]

    def __init__(self, *args, expert, **kwargs):
        self.expert = expert
        super().__init__(*args, entrepreneur=None, **kwargs)
        self.fields["with_whom"].queryset = expert.mentees.order_by("mentor_since", "name", "pk")

    def earliest(self):
        if "with_whom" in self.errors:
            return None, None
        member = self.cleaned_data.get("with_whom")
        if member is not None:
            return member.mentor_since, _(
                "%(name)s joined your group on %(date)s; the meeting cannot be earlier."
            ) % {
                "name": member.name,
                "date": date_format(member.mentor_since),
            }
        began = group_began(self.expert)
        if began is None:
            return None, None
        return began, _("Your group began on %(date)s; the meeting cannot be earlier.") % {
            "date": date_format(began)
        }

    def clean(self):
        cleaned = super().clean()
        if "with_whom" not in self.errors and not self.fields["with_whom"].queryset.exists():
            self.add_error("with_whom", _("Your group has no members yet."))
        return cleaned


class RatingForm(forms.Form):
    STARS = [
        (1, _("1 star · not helpful")),
        (2, _("2 stars · a little helpful")),
        (3, _("3 stars · helpful")),
        (4, _("4 stars · very helpful")),
        (5, _("5 stars · extremely helpful")),
    ]

    stars = forms.TypedChoiceField(
        label=_("How much has your mentor helped you?"),
        # A question needs no colon after it.
        label_suffix="",
        choices=STARS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose from 1 to 5 stars."),
            "invalid_choice": _("Choose from 1 to 5 stars."),
        },
    )
    comment = forms.CharField(
        label=_("Your comment"),
        required=False,
        max_length=Rating._meta.get_field("comment").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Your mentor sees it with your name."),
        error_messages={"max_length": _TOO_LONG},
    )
