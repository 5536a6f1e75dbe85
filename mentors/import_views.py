"""CMS pages where mentoring staff upload the experts' or the entrepreneurs' sheet.

The sheets are a few hundred rows at most, so they are imported while the page waits,
unlike the registry. The viewset is registered in the mentors' menu group
(wagtail_hooks.py).
"""

from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from sheets.checks import SheetError

from . import entrepreneur_import, expert_import
from .models import Entrepreneur, Expert

SAMPLES = Path(__file__).resolve().parent / "samples"


class SheetUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Sheet"),
        help_text=gettext_lazy("A .csv (UTF-8 or GBK) or .xlsx file."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class Sheet:
    """One kind of sheet: who may import it, how, and what it looks like."""

    def __init__(self, url_name, model, module, run, title, sample, notes):
        self.url_name = url_name
        self.policy = ModelPermissionPolicy(model)
        self.header = ",".join(module.HEADER)
        self.run = run
        self.title = title
        self.sample = sample
        self.notes = notes

    def allows(self, user):
        return self.policy.user_has_permission(user, "add")

    @property
    def url(self):
        return reverse(f"mentor_imports:{self.url_name}")

    @property
    def sample_url(self):
        return reverse(f"mentor_imports:{self.url_name}_sample")


EXPERTS = Sheet(
    "experts",
    Expert,
    expert_import,
    expert_import.import_experts,
    gettext_lazy("Import experts"),
    "experts.csv",
    [
        gettext_lazy(
            "List several expertise tags or counties in one cell separated by 、 (a full-width "
            "comma ， or a semicolon also works). Every tag must be on the expertise list, "
            "and every county in the regions."
        ),
        gettext_lazy(
            "Experts are known by their mobile number: importing the same sheet again "
            "changes nothing, and a changed row updates that expert, tags and counties "
            "replaced."
        ),
    ],
)
ENTREPRENEURS = Sheet(
    "entrepreneurs",
    Entrepreneur,
    entrepreneur_import,
    entrepreneur_import.import_entrepreneurs,
    gettext_lazy("Import entrepreneurs"),
    "entrepreneurs.csv",
    [
        gettext_lazy(
            "Write the village as county/town/village, for example 罗定市/罗镜镇/水摆村; "
            "the village's name alone is enough where no other village has it."
        ),
        gettext_lazy(
            "List several products or sales channels in one cell separated by 、. Products "
            "not on the product list are kept as other products; 微店 and 微信小店 both "
            "mean the channel 微信小店/微店."
        ),
        gettext_lazy(
            "Entrepreneurs are known by their mobile number: importing the same sheet again "
            "changes nothing, a changed row updates them and keeps their mentor, and one "
            "who has a user account with that number is linked to it."
        ),
    ],
)
SHEETS = (EXPERTS, ENTREPRENEURS)


class SheetPermissionMixin:
    sheet = None

    def dispatch(self, request, *args, **kwargs):
        if not self.sheet.allows(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SheetUploadView(SheetPermissionMixin, WagtailAdminTemplateMixin, FormView):
    form_class = SheetUploadForm
    template_name = "mentors/admin/import_upload.html"
    header_icon = "upload"

    def get_page_title(self):
        return self.sheet.title

    def form_valid(self, form):
        try:
            result = self.sheet.run(form.cleaned_data["file"])
        except SheetError as error:
            return self.render_to_response(self.get_context_data(form=form, sheet_error=error))
        messages.success(self.request, str(result))
        return redirect(self.request.path)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path,
            submit_button_label=_("Upload and import"),
            submit_button_active_label=_("Importing…"),
            sheet=self.sheet,
            other_sheets=[
                other
                for other in SHEETS
                if other is not self.sheet and other.allows(self.request.user)
            ],
            **kwargs,
        )


class SampleView(SheetPermissionMixin, View):
    def get(self, request):
        return FileResponse(
            (SAMPLES / self.sheet.sample).open("rb"),
            as_attachment=True,
            filename=self.sheet.sample,
            content_type="text/csv; charset=utf-8",
        )


class FirstSheetView(View):
    """Where the menu item leads: the first sheet the user may import."""

    def get(self, request):
        for sheet in SHEETS:
            if sheet.allows(request.user):
                return redirect(f"mentor_imports:{sheet.url_name}")
        raise PermissionDenied


class MentorImportViewSet(ViewSet):
    icon = "upload"
    menu_label = gettext_lazy("Import sheets")
    # Named in ASCII: a name made from the Chinese label would be empty.
    menu_name = "mentor-imports"
    url_prefix = "mentors/import"
    url_namespace = "mentor_imports"

    def get_urlpatterns(self):
        urls = [path("", FirstSheetView.as_view(), name="index")]
        for sheet in SHEETS:
            urls += [
                path(
                    f"{sheet.url_name}/",
                    SheetUploadView.as_view(sheet=sheet),
                    name=sheet.url_name,
                ),
                path(
                    f"{sheet.url_name}/sample/",
                    SampleView.as_view(sheet=sheet),
                    name=f"{sheet.url_name}_sample",
                ),
            ]
        return urls

    @property
    def menu_item_class(self):
        def is_shown(_self, request):
            return any(sheet.allows(request.user) for sheet in SHEETS)

        return type("MentorImportMenuItem", (MenuItem,), {"is_shown": is_shown})
