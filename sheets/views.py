"""The CMS pages every sheet import shares: upload, then check, confirm and follow it.

Which kinds exist, and who may upload each, is up to the apps that register them
(sheets.kinds). A page for one upload is shown to those who may upload its kind (and,
for an upload tied to a record, may still see that record), since its report names
people.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import uploads
from .checks import SheetError
from .kinds import KINDS
from .models import SheetUpload

RECENT = 20


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A .csv (UTF-8 or GBK), .xlsx or .xls file."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.xls"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        try:
            uploads.check_upload(file)
        except SheetError as error:
            raise forms.ValidationError([str(problem) for problem in error.errors]) from None
        return file


def allowed_kind(user, slug, query):
    """(kind, options) if the user may upload sheets of this kind for these options."""
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    if not kind.allows(user):
        raise PermissionDenied
    options = kind.options_for(user, query) if kind.options_for else {}
    return kind, options


class UploadView(WagtailAdminTemplateMixin, FormView):
    form_class = UploadForm
    template_name = "sheets/upload.html"
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        self.kind, self.options = allowed_kind(request.user, kwargs["kind"], request.GET)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.kind.title

    def get_page_subtitle(self):
        return self.kind.describe(self.options) if self.kind.describe else ""

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def form_valid(self, form):
        upload = uploads.start_upload(
            self.kind, form.cleaned_data["file"], self.request.user, self.options
        )
        return redirect("sheets:status", upload.pk)

    def get_context_data(self, **kwargs):
        recent = SheetUpload.objects.filter(kind=self.kind.slug).select_related("uploaded_by")
        if self.options:
            recent = recent.filter(options=self.options)
        return super().get_context_data(
            action_url=self.request.get_full_path(),
            submit_button_label=_("Upload and check"),
            submit_button_active_label=_("Uploading…"),
            kind=self.kind,
            columns=self.kind.layout.describe(),
            recent=recent[:RECENT],
            **kwargs,
        )


class StatusView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "sheets/status.html"
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        self.upload = get_object_or_404(SheetUpload, pk=kwargs["pk"])
        self.kind, self.options = allowed_kind(request.user, self.upload.kind, self.upload.options)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.kind.title

    def get_page_subtitle(self):
        return self.upload.file_name

    def get_breadcrumbs_items(self):
        # Without these the header reads only "Home": which kind of upload, which file.
        return self.breadcrumbs_items + [
            {"url": _upload_url(self.kind, self.options), "label": self.get_page_title()},
            {"url": "", "label": self.get_page_subtitle()},
        ]

    def get(self, request, *args, **kwargs):
        # Who confirmed an import follows it here (``?follow``, kept by the page's reload)
        # and, where the kind has one, lands on its page once it is done: a class's
        # sign-in sheet leads to the attendee list. Opened later, this page is the report.
        done = self.upload.status == SheetUpload.Status.DONE
        if "follow" in request.GET and self.kind.landing and done:
            messages.success(request, _("%(file)s is imported.") % {"file": self.upload.file_name})
            return redirect(self.kind.landing(self.options))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        status_url = reverse("sheets:status", args=[self.upload.pk])
        if request.POST.get("action") == "confirm":
            confirmed = uploads.confirm(self.upload, request.user)
            if confirmed and self.kind.landing:
                return redirect(f"{status_url}?follow=1")
        elif request.POST.get("action") == "cancel":
            uploads.cancel(self.upload)
        return redirect(status_url)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            upload=self.upload,
            kind=self.kind,
            about=self.kind.describe(self.options) if self.kind.describe else "",
            upload_url=_upload_url(self.kind, self.options),
            **kwargs,
        )


class SampleView(View):
    def get(self, request, kind):
        kind, _options = allowed_kind(request.user, kind, {})
        if kind.sample is None:
            raise Http404
        return FileResponse(kind.sample.open("rb"), as_attachment=True, filename=kind.sample.name)


def _upload_url(kind, options):
    url = reverse("sheets:upload", args=[kind.slug])
    return f"{url}?{urlencode(options)}" if options else url
