"""The CMS pages where mentoring staff upload the experts' and the entrepreneurs' sheets:
imported while the page waits, every problem listed in Chinese, nothing written then."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from wagtail.admin.menu import admin_menu

from mentors.entrepreneur_import import HEADER as ENTREPRENEUR_HEADER
from mentors.expert_import import HEADER as EXPERT_HEADER
from mentors.models import Entrepreneur, Expert
from tests.accounts.factories import UserFactory
from tests.mentors.factories import make_mentoring_staff
from tests.support import ROOT

SAMPLES = ROOT / "mentors" / "samples"


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


def upload(client, url_name, content, name="sheet.csv"):
    return client.post(
        reverse(f"mentor_imports:{url_name}"),
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_staff_import_the_fifty_sample_experts_and_see_the_summary(client, regions):
    client.force_login(staff())
    response = upload(client, "experts", (SAMPLES / "experts.csv").read_bytes())
    assert response.status_code == 200
    assert Expert.objects.count() == 50
    assert "专家：新增 50，更新 0，未变 0。" in response.content.decode()


def test_staff_import_the_sample_entrepreneurs_and_see_the_summary(client, regions):
    client.force_login(staff())
    response = upload(client, "entrepreneurs", (SAMPLES / "entrepreneurs.csv").read_bytes())
    assert Entrepreneur.objects.count() == 30
    assert "带头人：新增 30，更新 0，未变 0。" in response.content.decode()


def test_a_bad_sheet_lists_every_problem_in_chinese_and_writes_nothing(client, regions):
    client.force_login(staff())
    content = csv_bytes(
        EXPERT_HEADER, expert_row(1, places="99"), expert_row(2), expert_row(3, places="x")
    )
    response = upload(client, "experts", content)
    page = response.content.decode()
    assert response.status_code == 200
    assert "文件未导入，未写入任何数据：发现 2 个问题。" in page
    assert "第 2 行（梁专家1）" in page and "第 4 行（梁专家3）" in page
    assert "“带教名额”" in page
    assert "help-critical" in page
    assert not Expert.objects.exists()


def test_a_wrong_header_is_shown_with_the_header_expected(client, regions):
    client.force_login(staff())
    page = upload(client, "entrepreneurs", csv_bytes(EXPERT_HEADER, expert_row(1))).content.decode()
    assert "第 1 行" in page and ",".join(ENTREPRENEUR_HEADER) in page
    assert not Entrepreneur.objects.exists()


def test_the_page_names_the_header_and_links_the_sample(client, db):
    client.force_login(staff())
    page = client.get(reverse("mentor_imports:experts")).content.decode()
    assert ",".join(EXPERT_HEADER) in page
    assert reverse("mentor_imports:experts_sample") in page
    assert reverse("mentor_imports:entrepreneurs") in page
    assert 'enctype="multipart/form-data"' in page
    sample = client.get(reverse("mentor_imports:experts_sample"))
    assert b"".join(sample.streaming_content) == (SAMPLES / "experts.csv").read_bytes()
    assert "attachment" in sample["Content-Disposition"]


def refused(response):
    """Wagtail's answer to a CMS user who may not see a page: back to the dashboard,
    with a message saying so (PermissionDenied becomes a redirect in the CMS)."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_each_sheet_needs_its_own_add_permission(client, regions):
    client.force_login(cms_user("add_expert"))
    assert client.get(reverse("mentor_imports:experts")).status_code == 200
    assert refused(client.get(reverse("mentor_imports:entrepreneurs")))
    assert refused(client.get(reverse("mentor_imports:entrepreneurs_sample")))
    content = (SAMPLES / "entrepreneurs.csv").read_bytes()
    assert refused(
        client.post(
            reverse("mentor_imports:entrepreneurs"),
            {"file": SimpleUploadedFile("e.csv", content)},
        )
    )
    assert not Entrepreneur.objects.exists()
    page = client.get(reverse("mentor_imports:experts")).content.decode()
    assert reverse("mentor_imports:entrepreneurs") not in page


def test_a_cms_user_without_the_permission_is_refused_with_a_message(client, regions):
    client.force_login(cms_user("view_expert", "change_expert", "view_entrepreneur"))
    for url_name in ("index", "experts", "entrepreneurs", "experts_sample"):
        assert refused(client.get(reverse(f"mentor_imports:{url_name}")))
    response = upload(client, "experts", (SAMPLES / "experts.csv").read_bytes())
    assert "对不起， 你没有权限访问。" in response.content.decode()
    assert not Expert.objects.exists()


def test_someone_outside_the_cms_is_sent_to_log_in(client, regions):
    client.force_login(UserFactory())
    response = client.get(reverse("mentor_imports:experts"))
    assert response.status_code == 302 and "login" in response.url
    client.post(
        reverse("mentor_imports:experts"),
        {"file": SimpleUploadedFile("e.csv", (SAMPLES / "experts.csv").read_bytes())},
    )
    assert not Expert.objects.exists()


def test_the_menu_entry_leads_to_a_sheet_the_user_may_import(client, db):
    client.force_login(cms_user("add_entrepreneur"))
    response = client.get(reverse("mentor_imports:index"))
    assert response.url == reverse("mentor_imports:entrepreneurs")


def menu_names(user):
    """Every menu entry the user sees, submenus included."""
    request = RequestFactory().get("/cms/")
    request.user = user
    names = []

    def walk(menu):
        for item in menu.menu_items_for_request(request):
            names.append(item.name)
            if hasattr(item, "menu"):
                walk(item.menu)

    walk(admin_menu)
    return names


@pytest.mark.django_db
def test_the_import_menu_item_is_shown_only_to_those_who_may_import():
    assert "mentor-imports" in menu_names(staff())
    assert "mentor-imports" in menu_names(cms_user("add_expert"))
    assert "mentor-imports" not in menu_names(cms_user("view_expert", "view_entrepreneur"))
