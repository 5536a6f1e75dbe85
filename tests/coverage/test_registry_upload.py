"""The registry upload in the CMS, as bureau staff use it: upload, see what the import
will change, confirm or cancel, read the result; and who may, and where the file goes.

The upload is the shared sheet upload (sheets) for the kind "registry"; its pages are
/cms/sheets/registry/ and /cms/sheets/upload/<pk>/.
"""

import importlib.util
import sys

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.admin.menu import admin_menu

from coverage.models import RegistryMember
from coverage.registry_import import import_registry
from coverage.roles import BUREAU, COUNTY_STAFF, ensure_coverage_groups
from sheets import storage
from sheets.models import SheetUpload
from tests.accounts.factories import UserFactory
from tests.coverage.test_tasks import (
    id_number,
    member_name,
    national_csv,
    person,
    shuibai,
    stored_files,
)
from tests.support import ROOT

UPLOAD = reverse("sheets:upload", args=["registry"])
MIGRANT = "省外务工"  # works outside the county: not eligible for the 50% figure


def status_url(upload):
    return reverse("sheets:status", args=[upload.pk])


def in_group(name):
    user = UserFactory()
    user.groups.add(ensure_coverage_groups()[name])
    return user


def cms_user(*codenames):
    """Someone who may use the CMS (an instructor, say) with these permissions only."""
    user = UserFactory()
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codenames]))
    return user


def three_people(encoding="utf-8"):
    """Three members of 水摆村, one of them a migrant worker."""
    return national_csv([person(1), person(2), person(3, work=MIGRANT)], encoding)


def upload(client, content, name="罗定市建档立卡.csv"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def refreshes(html) -> bool:
    return 'http-equiv="refresh"' in html


def has_buttons(html) -> bool:
    return 'value="confirm"' in html or 'value="cancel"' in html


@pytest.fixture(autouse=True)
def english(client):
    """Pages in English (the messages' msgids); tasks run after commit in the test's own
    thread, so it speaks English too."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def bureau_client(client, db):
    shuibai()
    client.force_login(in_group(BUREAU))
    return client


@pytest.fixture
def client_factory():
    def make(user):
        client = Client(headers={"accept-language": "en"})
        client.force_login(user)
        return client

    return make


@pytest.fixture
def checked(bureau_client, django_capture_on_commit_callbacks):
    """An upload of three people, checked and waiting for confirmation."""
    with django_capture_on_commit_callbacks(execute=True):
        upload(bureau_client, three_people())
    return SheetUpload.objects.get()


def test_the_check_is_queued_after_commit_and_shows_what_will_change(
    bureau_client, django_capture_on_commit_callbacks, private_root
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(bureau_client, three_people("gbk"))
    sheet = SheetUpload.objects.get()
    assert response.url == status_url(sheet)
    assert (sheet.kind, sheet.file_name, sheet.status) == (
        "registry",
        "罗定市建档立卡.csv",
        "checking",
    )
    assert len(callbacks) == 1  # nothing ran before the upload was committed
    waiting = page(bureau_client, response.url)
    assert '<meta http-equiv="refresh" content="2">' in waiting and not has_buttons(waiting)

    callbacks[0]()
    sheet.refresh_from_db()
    assert sheet.status == "ready"
    html = page(bureau_client, response.url)
    assert "Registry members in 罗定市: 3 added, 0 updated, 0 unchanged." in html
    assert "罗定市: eligible for the 50% figure 0 → 2." in html
    assert 'name="action" value="confirm"' in html and 'name="action" value="cancel"' in html
    assert not refreshes(html)
    assert f'href="{UPLOAD}"' in html  # the header leads back to the registry's upload
    assert not RegistryMember.objects.exists()
    assert len(stored_files(private_root)) == 1


def test_confirming_imports_and_shows_the_result(
    bureau_client, checked, django_capture_on_commit_callbacks, private_root
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = bureau_client.post(status_url(checked), {"action": "confirm"})
    assert response.url == status_url(checked) and len(callbacks) == 1
    checked.refresh_from_db()
    assert (checked.status, checked.done, checked.total) == ("done", 3, 3)
    assert RegistryMember.objects.count() == 3
    assert RegistryMember.objects.eligible().count() == 2
    html = page(bureau_client, response.url)
    assert "What the import did" in html and "3 / 3" in html
    assert "Registry members in 罗定市: 3 added, 0 updated, 0 unchanged." in html
    assert "罗定市: eligible for the 50% figure 0 → 2." in html
    assert not refreshes(html) and not has_buttons(html)
    assert f'href="{UPLOAD}"' in html  # upload another file
    assert stored_files(private_root) == []


def test_cancelling_deletes_the_file_and_writes_nothing(
    bureau_client, checked, django_capture_on_commit_callbacks, private_root
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        bureau_client.post(status_url(checked), {"action": "cancel"})
    assert callbacks == []
    checked.refresh_from_db()
    assert (checked.status, checked.stored) == ("cancelled", "")
    assert stored_files(private_root) == []
    html = page(bureau_client, status_url(checked))
    assert not has_buttons(html) and not refreshes(html)

    # Confirming it afterwards (an old tab, a double click) does nothing.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        bureau_client.post(status_url(checked), {"action": "confirm"})
    assert callbacks == []
    checked.refresh_from_db()
    assert checked.status == "cancelled" and checked.confirmed_by is None
    assert not RegistryMember.objects.exists()


def test_confirming_twice_imports_once(
    bureau_client, client_factory, checked, django_capture_on_commit_callbacks
):
    first = bureau_client.session["_auth_user_id"]
    other = client_factory(in_group(BUREAU))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        bureau_client.post(status_url(checked), {"action": "confirm"})
        other.post(status_url(checked), {"action": "confirm"})  # while it is importing
    assert len(callbacks) == 1
    checked.refresh_from_db()
    assert checked.status == "importing"
    html = page(bureau_client, status_url(checked))
    assert refreshes(html) and not has_buttons(html)
    callbacks[0]()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        other.post(status_url(checked), {"action": "confirm"})  # once it is done
    assert callbacks == []
    checked.refresh_from_db()
    assert checked.status == "done" and str(checked.confirmed_by_id) == first
    assert RegistryMember.objects.count() == 3


def test_a_bad_file_is_refused_with_every_row_error_and_nothing_written(
    bureau_client, django_capture_on_commit_callbacks, private_root
):
    people = [
        person(1),
        person(2, number="4453811985"),
        person(3),
        person(4, village="无名村"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(bureau_client, national_csv(people, "gbk"))
    sheet = SheetUpload.objects.get()
    assert sheet.status == "refused"
    html = page(bureau_client, response.url)
    assert "help-critical" in html
    assert "2 problems found" in html
    assert f"Row 3 ({member_name(2)}): “证件号码”" in html
    assert f"Row 5 ({member_name(4)}): “行政村”" in html and "无名村" in html
    assert "4453811985" not in html
    assert not has_buttons(html) and not refreshes(html)
    assert not RegistryMember.objects.exists()
    assert sheet.stored == "" and stored_files(private_root) == []


def test_an_import_that_failed_is_shown_as_failed_not_importing(bureau_client, checked):
    """A worker that raised left the row failed: the page must stop waiting."""
    SheetUpload.objects.filter(pk=checked.pk).update(
        status="failed", report="The import stopped because of an unexpected error."
    )
    html = page(bureau_client, status_url(checked))
    assert 'data-status="failed"' in html
    assert "The import stopped because of an unexpected error." in html
    assert not refreshes(html) and not has_buttons(html)
    assert "The import is running" not in html


# Privacy: the file is a list of names and ID-card numbers.


def test_the_file_is_kept_encrypted_outside_media_until_the_import(
    bureau_client, django_capture_on_commit_callbacks, settings, private_root
):
    content = three_people("gbk")
    with django_capture_on_commit_callbacks(execute=False):
        upload(bureau_client, content)
    sheet = SheetUpload.objects.get()
    (path,) = stored_files(private_root)
    assert path == private_root / sheet.stored
    assert settings.MEDIA_ROOT not in path.parents and stored_files(settings.MEDIA_ROOT) == []
    assert path.stat().st_mode & 0o077 == 0  # only the site's own user may read it
    data = path.read_bytes()
    for n in (1, 2, 3):
        for encoding in ("gbk", "utf-8"):
            assert member_name(n).encode(encoding) not in data
        assert id_number(n).encode() not in data
        assert id_number(n)[6:14].encode() not in data  # not even the birth date
    assert storage.open_stored(sheet.stored).read() == content


def test_the_file_is_deleted_after_the_import_unless_the_settings_keep_it(
    client_factory, django_capture_on_commit_callbacks, settings, private_root, db
):
    shuibai()
    bureau = client_factory(in_group(BUREAU))
    content = three_people()
    for keep in (False, True):
        settings.KEEP_IMPORTED_FILES = keep
        with django_capture_on_commit_callbacks(execute=True):
            response = upload(bureau, content)
        sheet = SheetUpload.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[1])
        with django_capture_on_commit_callbacks(execute=True):
            bureau.post(status_url(sheet), {"action": "confirm"})
        sheet.refresh_from_db()
        assert sheet.status == "done"
        if keep:
            assert stored_files(private_root) == [private_root / sheet.stored]
            data = (private_root / sheet.stored).read_bytes()
            assert id_number(1).encode() not in data and member_name(1).encode() not in data
            assert storage.open_stored(sheet.stored).read() == content
        else:
            assert sheet.stored == "" and stored_files(private_root) == []


@pytest.fixture
def dev_urls(settings):
    """The URL conf as ``make run`` (runserver, dev settings, DEBUG) builds it, with
    MEDIA_ROOT served under /media/; the test settings have DEBUG off."""
    settings.DEBUG = True
    spec = importlib.util.spec_from_file_location("dev_urls_under_test", ROOT / "site" / "urls.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules[spec.name] = module
    settings.DEBUG = False
    settings.ROOT_URLCONF = spec.name
    yield
    del sys.modules[spec.name]


def test_no_url_reaches_an_uploaded_registry(
    dev_urls, bureau_client, django_capture_on_commit_callbacks, settings
):
    # Where the old upload put registries: the dev server serves whatever is there.
    old = settings.MEDIA_ROOT / "registry" / "旧名单.csv"
    old.parent.mkdir(parents=True)
    old.write_bytes(three_people())
    assert bureau_client.get("/media/registry/旧名单.csv").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        upload(bureau_client, three_people(), name="罗定市建档立卡.csv")
    sheet = SheetUpload.objects.get()
    assert sheet.status == "ready"
    guesses = [
        "/media/registry/罗定市建档立卡.csv",
        "/media/罗定市建档立卡.csv",
        f"/media/registry/{sheet.stored}",
        f"/media/{sheet.stored}",
        f"/media/../private/{sheet.stored}",
        f"/media/%2E%2E/private/{sheet.stored}",
    ]
    for url in guesses:
        response = bureau_client.get(url)
        assert response.status_code in (400, 404), url  # 400: a path that leaves MEDIA_ROOT
    assert stored_files(settings.MEDIA_ROOT) == [old]


# Who may upload.


@pytest.mark.django_db
def test_only_the_bureau_may_upload_or_see_an_upload(
    client, django_capture_on_commit_callbacks, settings
):
    shuibai()
    bureau = in_group(BUREAU)
    client.force_login(bureau)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, three_people())
    sheet = SheetUpload.objects.get()
    client.logout()
    # Wagtail sends those without CMS access to log in, and CMS users to its home page.
    elsewhere = (settings.WAGTAILADMIN_LOGIN_URL, reverse("wagtailadmin_home"))
    someone = {
        "anonymous": None,
        "county staff": in_group(COUNTY_STAFF),
        "trainee": UserFactory(),
        "CMS user": cms_user(),
        "members viewer": cms_user("view_registrymember"),
    }
    for who, user in someone.items():
        if user is not None:
            client.force_login(user)
        for response in (
            client.get(UPLOAD),
            upload(client, three_people()),
            client.get(status_url(sheet)),
            client.post(status_url(sheet), {"action": "confirm"}),
            client.post(status_url(sheet), {"action": "cancel"}),
        ):
            assert response.status_code in (302, 403), who
            if response.status_code == 302:
                assert response.url.split("?")[0] in elsewhere, who
        client.logout()
    sheet.refresh_from_db()
    assert sheet.status == "ready" and SheetUpload.objects.count() == 1
    assert not RegistryMember.objects.exists()


def test_unknown_kinds_and_uploads_are_not_found(bureau_client, checked):
    assert bureau_client.get(reverse("sheets:upload", args=["no-such-kind"])).status_code == 404
    assert bureau_client.get(reverse("sheets:status", args=[checked.pk + 1])).status_code == 404
    # The registry has no sample sheet to download.
    assert bureau_client.get(reverse("sheets:sample", args=["registry"])).status_code == 404


def menu_labels(user) -> dict:
    """The CMS menu's 建档立卡 section as the user sees it: {label: url}."""
    request = RequestFactory().get("/cms/")
    request.user = user
    with translation.override("zh-hans"):
        for item in admin_menu.menu_items_for_request(request):
            if item.name == "registry":
                return {
                    str(entry.label): entry.url
                    for entry in item.menu.menu_items_for_request(request)
                }
    return {}


@pytest.mark.django_db
def test_the_menu_offers_the_upload_to_those_who_may_upload():
    for user in (in_group(BUREAU), UserFactory(is_superuser=True)):
        assert menu_labels(user).get("上传建档立卡名单") == UPLOAD
    viewer = menu_labels(cms_user("view_registrymember"))
    assert viewer and "上传建档立卡名单" not in viewer
    assert menu_labels(cms_user()) == {}
    assert menu_labels(in_group(COUNTY_STAFF)) == {}


def test_the_upload_page_names_the_columns_and_lists_recent_uploads(bureau_client, checked):
    html = page(bureau_client, UPLOAD)
    assert 'enctype="multipart/form-data"' in html
    for heading in ("县(市、区)", "乡(镇)", "行政村", "户编号", "姓名", "证件号码", "劳动技能"):
        assert f"<td>{heading}</td>" in html
    assert "县(市、区、旗)" in html  # the national system's spelling is accepted
    assert f'href="{status_url(checked)}"' in html and "罗定市建档立卡.csv" in html


# The members the import writes, as the CMS lists them.


def test_members_are_listed_masked_and_cannot_be_edited(bureau_client):
    import_registry(SimpleUploadedFile("r.csv", national_csv([person(1), person(2)])))
    member = RegistryMember.objects.get(name=member_name(1))
    html = page(bureau_client, reverse("registry_members:index"))
    assert member_name(1) in html and member.id_number_masked in html
    assert id_number(1) not in html
    for url in (
        reverse("registry_members:add"),
        reverse("registry_members:edit", args=[member.pk]),
    ):
        assert bureau_client.get(url).status_code in (302, 403)
    inspect = page(bureau_client, reverse("registry_members:inspect", args=[member.pk]))
    assert member_name(1) in inspect and id_number(1) not in inspect
    filtered = bureau_client.get(reverse("registry_members:index"), {"work_status": MIGRANT})
    assert member_name(1) not in filtered.content.decode()


def test_the_member_list_reads_villages_with_the_members(
    bureau_client, django_assert_max_num_queries
):
    """Each row shows 县/镇/村: without a join that is three queries per member."""
    import_registry(SimpleUploadedFile("r.csv", national_csv([person(1), person(2)])))
    with CaptureQueriesContext(connection) as few:
        bureau_client.get(reverse("registry_members:index"))
    import_registry(SimpleUploadedFile("r.csv", national_csv([person(n) for n in range(1, 21)])))
    with django_assert_max_num_queries(len(few)):
        bureau_client.get(reverse("registry_members:index"))
