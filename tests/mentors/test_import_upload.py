"""The CMS pages where mentoring staff upload the experts' and the entrepreneurs' sheets.

They are the shared upload (sheets) for the kinds "experts" and "entrepreneurs": the
sheet is checked first and nothing is written (the page shows what the import will do,
or every problem in Chinese); it is imported once confirmed.
"""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from wagtail.admin.menu import admin_menu

from mentors.entrepreneur_import import HEADER as ENTREPRENEUR_HEADER
from mentors.expert_import import HEADER as EXPERT_HEADER
from mentors.models import Entrepreneur, Expert
from sheets.models import SheetUpload
from tests.accounts.factories import UserFactory
from tests.mentors.factories import make_mentoring_staff
from tests.support import ROOT

SAMPLES = ROOT / "mentors" / "samples"
EXPERTS = reverse("sheets:upload", args=["experts"])
ENTREPRENEURS = reverse("sheets:upload", args=["entrepreneurs"])
EXPERTS_SAMPLE = reverse("sheets:sample", args=["experts"])
ENTREPRENEURS_SAMPLE = reverse("sheets:sample", args=["entrepreneurs"])


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_UPLOAD_ROOT = tmp_path / "private"


def csv_bytes(header, *rows):
    return "\n".join(",".join(cells) for cells in (header, *rows)).encode()


def expert_row(n, places="3"):
    return [
        f"梁专家{n}",
        "农村电商专家",
        "云浮市电子商务协会",
        "商协会",
        "开网店",
        "",
        "罗定市",
        places,
        f"1390766{n:04d}",
    ]


def cms_user(*codenames):
    """Someone who may use the CMS, with these mentors permissions only."""
    user = UserFactory()
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *(Permission.objects.filter(content_type__app_label="mentors", codename__in=codenames)),
    )
    return user


def staff():
    return make_mentoring_staff()


def status_url(upload):
    return reverse("sheets:status", args=[upload.pk])


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """``send(url, content)``: upload a sheet, its check run; the status page's text."""

    def upload(url, content, name="sheet.csv"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 302
        return client.get(response.url).content.decode()

    return upload


@pytest.fixture
def confirm(client, django_capture_on_commit_callbacks):
    """``confirm(upload)``: press 确认导入 on its status page; the page's text."""

    def press(upload, action="confirm"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(status_url(upload), {"action": action})
        assert response.status_code == 302
        return client.get(response.url).content.decode()

    return press


def test_staff_check_then_import_the_fifty_sample_experts(client, send, confirm, regions):
    user = staff()
    client.force_login(user)

    checked = send(EXPERTS, (SAMPLES / "experts.csv").read_bytes())

    upload = SheetUpload.objects.get()
    assert (upload.kind, upload.status) == ("experts", SheetUpload.Status.READY)
    assert "专家：新增 50，更新 0，未变 0。" in checked
    assert 'value="confirm"' in checked
    assert not Expert.objects.exists(), "the check writes nothing"

    done = confirm(upload)

    upload.refresh_from_db()
    assert (upload.status, upload.confirmed_by) == (SheetUpload.Status.DONE, user)
    assert Expert.objects.count() == 50
    assert "已导入" in done and "专家：新增 50，更新 0，未变 0。" in done
    assert 'value="confirm"' not in done


def test_staff_check_then_import_the_sample_entrepreneurs(client, send, confirm, regions):
    client.force_login(staff())

    checked = send(ENTREPRENEURS, (SAMPLES / "entrepreneurs.csv").read_bytes())

    assert "带头人：新增 30，更新 0，未变 0。" in checked
    assert not Entrepreneur.objects.exists(), "the check writes nothing"

    done = confirm(SheetUpload.objects.get())

    assert Entrepreneur.objects.count() == 30
    assert "带头人：新增 30，更新 0，未变 0。" in done


def test_cancelling_a_checked_sheet_imports_nothing(client, send, confirm, regions):
    client.force_login(staff())
    send(EXPERTS, (SAMPLES / "experts.csv").read_bytes())
    upload = SheetUpload.objects.get()

    confirm(upload, action="cancel")
    confirm(upload)

    upload.refresh_from_db()
    assert upload.status == SheetUpload.Status.CANCELLED
    assert not Expert.objects.exists()


def test_a_bad_sheet_lists_every_problem_in_chinese_and_writes_nothing(
    client, send, confirm, regions
):
    client.force_login(staff())
    content = csv_bytes(
        EXPERT_HEADER, expert_row(1, places="99"), expert_row(2), expert_row(3, places="x")
    )

    page = send(EXPERTS, content)

    upload = SheetUpload.objects.get()
    assert upload.status == SheetUpload.Status.REFUSED
    assert "文件未导入，未写入任何数据：发现 2 个问题。" in page
    assert "第 2 行（梁专家1）：“带教名额”" in page
    assert "第 4 行（梁专家3）：“带教名额”" in page
    assert "梁专家2" not in upload.report
    assert "help-critical" in page
    assert 'value="confirm"' not in page
    # Nothing to confirm: a forged confirmation imports nothing either.
    confirm(upload)
    assert not Expert.objects.exists()


def test_a_sheet_of_the_other_kind_is_refused_naming_the_missing_columns(client, send, regions):
    client.force_login(staff())

    page = send(ENTREPRENEURS, csv_bytes(EXPERT_HEADER, expert_row(1)))

    missing = [heading for heading in ENTREPRENEUR_HEADER if heading not in EXPERT_HEADER]
    assert f"发现 {len(missing)} 个问题" in page
    for heading in missing:
        assert f"第 1 行：缺少“{heading}”列" in page
    assert not Entrepreneur.objects.exists()


def test_the_page_shows_the_columns_and_notes_and_links_the_sample(client, db):
    client.force_login(staff())

    page = client.get(EXPERTS).content.decode()

    assert 'enctype="multipart/form-data"' in page
    for heading in EXPERT_HEADER:
        assert f"<td>{heading}</td>" in page
    assert "专家姓名" in page, "the other spellings accepted are shown"
    assert "专家以手机号码识别" in page, "the kind's notes are shown"
    assert EXPERTS_SAMPLE in page
    sample = client.get(EXPERTS_SAMPLE)
    assert b"".join(sample.streaming_content) == (SAMPLES / "experts.csv").read_bytes()
    assert "attachment" in sample["Content-Disposition"]


def test_the_entrepreneurs_page_links_its_own_sample(client, db):
    client.force_login(staff())

    page = client.get(ENTREPRENEURS).content.decode()

    assert ENTREPRENEURS_SAMPLE in page and EXPERTS_SAMPLE not in page
    sample = client.get(ENTREPRENEURS_SAMPLE)
    assert b"".join(sample.streaming_content) == (SAMPLES / "entrepreneurs.csv").read_bytes()


def refused(response):
    """Wagtail's answer to a CMS user who may not see a page: back to the dashboard,
    with a message saying so (PermissionDenied becomes a redirect in the CMS)."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_each_sheet_needs_its_own_add_permission(client, send, regions):
    client.force_login(staff())
    send(ENTREPRENEURS, (SAMPLES / "entrepreneurs.csv").read_bytes())
    staffs_upload = SheetUpload.objects.get()
    client.force_login(cms_user("add_expert"))

    assert client.get(EXPERTS).status_code == 200
    assert refused(client.get(ENTREPRENEURS))
    assert refused(client.get(ENTREPRENEURS_SAMPLE))
    content = (SAMPLES / "entrepreneurs.csv").read_bytes()
    assert refused(client.post(ENTREPRENEURS, {"file": SimpleUploadedFile("e.csv", content)}))
    # The report of an entrepreneurs' sheet names people: not for them either.
    assert refused(client.get(status_url(staffs_upload)))
    assert refused(client.post(status_url(staffs_upload), {"action": "confirm"}))

    assert SheetUpload.objects.get() == staffs_upload
    staffs_upload.refresh_from_db()
    assert staffs_upload.status == SheetUpload.Status.READY
    assert not Entrepreneur.objects.exists()


def test_a_cms_user_without_the_permission_is_refused_with_a_message(client, regions):
    client.force_login(cms_user("view_expert", "change_expert", "view_entrepreneur"))

    for url in (EXPERTS, ENTREPRENEURS, EXPERTS_SAMPLE, ENTREPRENEURS_SAMPLE):
        assert refused(client.get(url)), url
    content = (SAMPLES / "experts.csv").read_bytes()
    response = client.post(EXPERTS, {"file": SimpleUploadedFile("e.csv", content)}, follow=True)

    assert "对不起， 你没有权限访问。" in response.content.decode()
    assert not SheetUpload.objects.exists()
    assert not Expert.objects.exists()


def test_someone_outside_the_cms_is_sent_to_log_in(client, regions):
    client.force_login(UserFactory())

    response = client.get(EXPERTS)
    content = (SAMPLES / "experts.csv").read_bytes()
    client.post(EXPERTS, {"file": SimpleUploadedFile("e.csv", content)})

    assert response.status_code == 302 and "login" in response.url
    assert not SheetUpload.objects.exists()
    assert not Expert.objects.exists()


def menu_urls(user):
    """The address of every menu entry the user sees, submenus included."""
    request = RequestFactory().get("/cms/")
    request.user = user
    urls = set()

    def walk(menu):
        for item in menu.menu_items_for_request(request):
            urls.add(item.url)
            if hasattr(item, "menu"):
                walk(item.menu)

    walk(admin_menu)
    return urls


@pytest.mark.django_db
def test_the_menu_shows_each_import_to_those_who_may_upload_it():
    assert {EXPERTS, ENTREPRENEURS} <= menu_urls(staff())
    assert menu_urls(cms_user("add_expert")) & {EXPERTS, ENTREPRENEURS} == {EXPERTS}
    assert not menu_urls(cms_user("view_expert", "view_entrepreneur")) & {EXPERTS, ENTREPRENEURS}
