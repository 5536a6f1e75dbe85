from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from courses.models import CoursePage
from courses.roles import INSTRUCTORS
from regions.models import Village

from .roles import manages_all_sessions


class ClassSessionForm(WagtailAdminModelForm):
    """A session in the CMS. An instructor's sessions are their own: the field is not shown."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Plain lists rather than Wagtail's choosers: the page chooser would let an
        # instructor wander the page tree, and the village chooser needs snippet rights.
        self.fields["course"].queryset = CoursePage.objects.order_by("title")
        self.fields["course"].widget = forms.Select(choices=self.fields["course"].choices)
        self.fields["venue"].queryset = Village.objects.selectable(self.instance.venue_id)
        self.fields["venue"].widget = forms.Select(choices=self.fields["venue"].choices)
        if "instructor" not in self.fields:
            return
        if self.for_user is not None and not manages_all_sessions(self.for_user):
            del self.fields["instructor"]
            if self.instance.instructor_id is None:
                self.instance.instructor = self.for_user
        else:
            self.fields["instructor"].queryset = (
                get_user_model().objects.filter(groups__name=INSTRUCTORS).order_by("real_name")
            )


class MarkAttendanceForm(forms.Form):
    """The instructor's 'add a person' form on the session page."""

    name = forms.CharField(label=_("Full name"), max_length=50, required=False)
    id_number = forms.CharField(label=_("ID-card number"), max_length=30, required=False)
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        required=False,
        help_text=_("A trainee with an account needs only their mobile number."),
    )
