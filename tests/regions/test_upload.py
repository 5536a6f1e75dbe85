"""Regions in the CMS: the shared sheet upload, and its full-list variant that
deactivates the villages a county's list no longer has, once someone has seen them."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from regions.models import County, Town, Village
from sheets.models import SheetUpload
from tests.accounts.factories import UserFactory

LIST = "县(市、区),乡(镇),行政村\n罗定市,罗镜镇,水摆村委会\n罗定市,罗镜镇,龙岩村委会\n".encode(
    "gbk"
)


@pytest.fixture
def places(db):
    town = Town.objects.create(county=County.objects.create(name="罗定市"), name="罗镜镇")
    return {
        name: Village.objects.create(town=town, name=name, is_provincial_poor=True)
        for name in ("水摆村", "龙岩村", "旧村")
    }


@pytest.fixture
def staff_client(client, settings, tmp_path):
    settings.PRIVATE_UPLOAD_ROOT = tmp_path
    client.force_login(User.objects.create_superuser(phone="13800138000", password="x"))
    return client


def upload(client, query, django_capture_on_commit_callbacks):
    url = reverse("sheets:upload", args=["regions"]) + query
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": SimpleUploadedFile("云浮.csv", LIST)})
    assert response.status_code == 302
    return SheetUpload.objects.latest("pk")


def confirm(client, sheet, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("sheets:status", args=[sheet.pk]), {"action": "confirm"})
    sheet.refresh_from_db()
    return sheet


@pytest.mark.django_db
def test_a_list_renames_to_the_official_spelling_and_keeps_the_rest(
    places, staff_client, django_capture_on_commit_callbacks
):
    sheet = upload(staff_client, "", django_capture_on_commit_callbacks)
    assert sheet.status == "ready"
    assert Village.objects.get(pk=places["水摆村"].pk).name == "水摆村"  # nothing yet
    assert confirm(staff_client, sheet, django_capture_on_commit_callbacks).status == "done"

    names = dict(Village.objects.values_list("pk", "name"))
    assert names[places["水摆村"].pk] == "水摆村委会"
    assert Village.objects.get(pk=places["旧村"].pk).is_active


@pytest.mark.django_db
def test_the_full_list_shows_what_goes_before_it_goes(
    places, staff_client, django_capture_on_commit_callbacks
):
    page = staff_client.get(reverse("sheets:upload", args=["regions"])).content.decode()
    assert "?sync=1" in page

    sheet = upload(staff_client, "?sync=1", django_capture_on_commit_callbacks)
    assert sheet.options == {"sync": True}
    status = staff_client.get(reverse("sheets:status", args=[sheet.pk])).content.decode()
    assert "罗定市/罗镜镇/旧村" in status
    assert Village.objects.get(pk=places["旧村"].pk).is_active

    confirm(staff_client, sheet, django_capture_on_commit_callbacks)
    gone = Village.objects.get(pk=places["旧村"].pk)
    assert not gone.is_active and gone.is_provincial_poor  # kept, flags and all
    assert not Village.objects.in_coverage_scope().filter(pk=gone.pk).exists()


@pytest.mark.django_db
def test_only_those_who_may_add_villages_upload_regions(client, places):
    clerk = UserFactory()
    clerk.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(clerk)
    assert client.get(reverse("sheets:upload", args=["regions"])).status_code in (302, 403)
    clerk.user_permissions.add(Permission.objects.get(codename="add_village"))
    assert client.get(reverse("sheets:upload", args=["regions"])).status_code == 200
