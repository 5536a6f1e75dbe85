"""CMS views for the poverty registry: upload a file, then watch its import run."""

from django import forms
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permission_policies import ModelPermissionPolicy

from .models import RegistryImport
from .registry_import import HEADER
from .tasks import import_registry_task

imports_policy = ModelPermissionPolicy(RegistryImport)


class RegistryUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Registry file"),
        help_text=gettext_lazy("A .csv (UTF-8 or GBK) or .xlsx file."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


def start_import(upload, by) -> RegistryImport:
    """Keep the file and queue its import, once the row is committed for the worker to see."""
    registry_import = RegistryImport.objects.create(file=upload, uploaded_by=by)
    transaction.on_commit(lambda: import_registry_task.delay(registry_import.pk))
    return registry_import


class RegistryUploadView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    permission_policy = imports_policy
    permission_required = "add"
    form_class = RegistryUploadForm
    template_name = "coverage/admin/registry_upload.html"
    page_title = gettext_lazy("Upload the registry")
    header_icon = "upload"

    def form_valid(self, form):
        registry_import = start_import(form.cleaned_data["file"], self.request.user)
        return redirect("registry_imports:status", registry_import.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path,
            submit_button_label=_("Upload and import"),
            submit_button_active_label=_("Uploading…"),
            header=",".join(HEADER),
            imports=RegistryImport.objects.select_related("uploaded_by")[:20],
            **kwargs,
        )


class RegistryImportStatusView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_policy = imports_policy
    permission_required = "view"
    template_name = "coverage/admin/registry_status.html"
    page_title = gettext_lazy("Registry import")
    header_icon = "upload"

    def get_context_data(self, **kwargs):
        registry_import = get_object_or_404(RegistryImport, pk=self.kwargs["pk"])
        finished = registry_import.status in (
            RegistryImport.Status.DONE,
            RegistryImport.Status.FAILED,
        )
        percent = (
            round(100 * registry_import.done / registry_import.total)
            if registry_import.total
            else 0
        )
        return super().get_context_data(
            registry_import=registry_import, finished=finished, percent=percent, **kwargs
        )
