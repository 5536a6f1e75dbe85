"""The shared upload pages, under /cms/sheets/. Each app links its own menu to them."""

from django.urls import path
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSet

from . import views


class SheetUploadViewSet(ViewSet):
    name = "sheets"
    url_prefix = "sheets"
    url_namespace = "sheets"

    def get_urlpatterns(self):
        return [
            path("upload/<int:pk>/", views.StatusView.as_view(), name="status"),
            path("<slug:kind>/", views.UploadView.as_view(), name="upload"),
            path("<slug:kind>/sample/", views.SampleView.as_view(), name="sample"),
        ]


@hooks.register("register_admin_viewset")
def register_sheet_upload_viewset():
    return SheetUploadViewSet()
