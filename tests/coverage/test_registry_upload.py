"""The registry upload in the CMS: bureau staff upload, the import runs as a task after
commit, and a status page shows its progress and report."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.admin.menu import admin_menu

from coverage.models import RegistryImport, RegistryMember
from coverage.registry_import import import_registry
from coverage.roles import BUREAU, COUNTY_STAFF
from tests.accounts.factories import UserFactory
from tests.coverage.test_tasks import id_number, registry_csv, village


def bureau_user():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=BUREAU))
    return user


def cms_user_without_registry():
    """Someone who may use the CMS (an instructor, say) but not the registry."""
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def upload(client, content, name="registry.csv"):
    return client.post(
        reverse("registry_imports:upload"), {"file": SimpleUploadedFile(name, content)}
    )


@pytest.mark.django_db
def test_upload_queues_the_import_after_commit_and_shows_its_result(
    client, django_capture_on_commit_callbacks
):
    village()
    client.force_login(bureau_user())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(client, registry_csv(5))
    assert len(callbacks) == 1
    registry = RegistryImport.objects.get()
    assert response.url == reverse("registry_imports:status", args=[registry.pk])
    assert (registry.status, registry.done, registry.total) == ("done", 5, 5)
    assert RegistryMember.objects.count() == 5
    page = client.get(response.url).content.decode()
    assert "5 / 5" in page
    assert registry.report in page
    assert 'http-equiv="refresh"' not in page  # finished: no more reloading


@pytest.mark.django_db
def test_nothing_runs_until_the_upload_commits(client, django_capture_on_commit_callbacks):
    village()
    client.force_login(bureau_user())
    with django_capture_on_commit_callbacks(execute=False):
        response = upload(client, registry_csv(3))
    registry = RegistryImport.objects.get()
    assert registry.status == "waiting"
    page = client.get(response.url).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "0 / 0" in page


@pytest.mark.django_db
def test_a_bad_file_shows_every_row_error_and_writes_nothing(
    client, django_capture_on_commit_callbacks
):
    village()
    client.force_login(bureau_user())
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, registry_csv(3, bad_rows={1, 3}))
    registry = RegistryImport.objects.get()
    assert registry.status == "failed"
    page = client.get(response.url).content.decode()
    assert "村民1" in page and "村民3" in page
    assert "help-critical" in page
    assert not RegistryMember.objects.exists()


@pytest.mark.django_db
def test_only_the_bureau_uploads(client):
    for user in (UserFactory(), cms_user_without_registry()):
        client.force_login(user)
        assert upload(client, registry_csv(1)).status_code in (302, 403)
        assert client.get(reverse("registry_imports:upload")).status_code in (302, 403)
    county = UserFactory()
    county.groups.add(Group.objects.get(name=COUNTY_STAFF))
    client.force_login(county)
    assert client.get(reverse("registry_imports:upload")).status_code in (302, 403)
    assert not RegistryImport.objects.exists()


def menu_names(user):
    request = RequestFactory().get("/cms/")
    request.user = user
    return [item.name for item in admin_menu.menu_items_for_request(request)]


@pytest.mark.django_db
def test_the_registry_menu_is_for_the_bureau_and_superusers():
    assert "registry" in menu_names(bureau_user())
    assert "registry" in menu_names(UserFactory(is_superuser=True))
    assert "registry" not in menu_names(cms_user_without_registry())


@pytest.mark.django_db
def test_members_are_listed_masked_and_cannot_be_edited(client):
    village()
    import_registry(SimpleUploadedFile("r.csv", registry_csv(2)))
    member = RegistryMember.objects.get(name="村民1")
    client.force_login(bureau_user())
    page = client.get(reverse("registry_members:index")).content.decode()
    assert "村民1" in page and member.id_number_masked in page
    assert id_number(1) not in page
    assert client.get(reverse("registry_members:add")).status_code in (302, 403)
    assert client.get(reverse("registry_members:edit", args=[member.pk])).status_code in (
        302,
        403,
    )
    inspect = client.get(reverse("registry_members:inspect", args=[member.pk]))
    assert inspect.status_code == 200
    assert id_number(1) not in inspect.content.decode()
    filtered = client.get(reverse("registry_members:index"), {"labour_category": "无劳动力"})
    assert "村民1" not in filtered.content.decode()


@pytest.mark.django_db
def test_the_member_list_reads_villages_with_the_members(client, django_assert_max_num_queries):
    """Each row shows 县/镇/村: without a join that is three queries per member."""
    village()
    import_registry(SimpleUploadedFile("r.csv", registry_csv(2)))
    client.force_login(bureau_user())
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("registry_members:index"))
    import_registry(SimpleUploadedFile("r.csv", registry_csv(20)))
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("registry_members:index"))


@pytest.mark.django_db
def test_the_upload_page_names_the_header_and_lists_recent_imports(client):
    user = bureau_user()
    RegistryImport.objects.create(file="registry/old.csv", uploaded_by=user, status="done")
    client.force_login(user)
    page = client.get(reverse("registry_imports:upload")).content.decode()
    assert "县(市、区),乡(镇),行政村,户编号,姓名,证件号码,与户主关系,劳动技能,务工状况" in page
    assert reverse("registry_imports:status", args=[RegistryImport.objects.get().pk]) in page
    assert 'enctype="multipart/form-data"' in page
