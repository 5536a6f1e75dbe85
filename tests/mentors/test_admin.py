"""The CMS's 讲师团与带头人 menu: who may open it, its filters, its spreadsheets, the
instructor role that follows an expert's tick."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from openpyxl import load_workbook

from courses.roles import INSTRUCTORS
from mentors import entrepreneur_import, expert_import
from mentors.instructors import sync_instructor_role
from mentors.models import (
    Background,
    Entrepreneur,
    Expert,
    ExpertiseTag,
    ExpertType,
    OrganisationKind,
    Product,
    SalesChannel,
    Stage,
)
from regions.models import County
from tests.accounts.factories import UserFactory
from tests.mentors.factories import (
    make_entrepreneur,
    make_expert,
    make_mentoring_staff,
    make_photo,
    make_village,
)

pytestmark = pytest.mark.django_db

EXPERTS = reverse("mentor_experts:index")
ENTREPRENEURS = reverse("mentor_entrepreneurs:index")


@pytest.fixture
def staff(client):
    user = make_mentoring_staff(real_name="帮带管理员甲")
    client.force_login(user)
    return user


def listed(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the BOM to read Chinese"
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [
        ["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)
    ]


# Who may open it


def test_mentoring_staff_see_the_menu(client, staff):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '"name": "mentors"' in html
    for url in (
        EXPERTS,
        ENTREPRENEURS,
        reverse("sheets:upload", args=["experts"]),
        reverse("sheets:upload", args=["entrepreneurs"]),
    ):
        assert url in html


def test_the_menu_is_hidden_from_an_instructor(client):
    instructor = UserFactory()
    instructor.groups.add(Group.objects.get(name=INSTRUCTORS))
    client.force_login(instructor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert EXPERTS not in html


@pytest.mark.parametrize("role", ["trainee", "instructor", "anonymous"])
@pytest.mark.parametrize(
    "url",
    [
        EXPERTS,
        EXPERTS + "?export=csv",
        ENTREPRENEURS + "?export=xlsx",
        reverse("mentor_experts:add"),
        reverse("mentor_products:index"),
        reverse("mentors_user_chooser:choose"),
    ],
)
def test_others_are_refused(client, role, url):
    make_expert("某专家", phone="+8613900001111")
    UserFactory(real_name="某学员")
    if role != "anonymous":
        user = UserFactory()
        if role == "instructor":
            user.groups.add(Group.objects.get(name=INSTRUCTORS))
        client.force_login(user)
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert b"13900001111" not in b"".join(
        getattr(response, "streaming_content", [response.content])
    )


# Experts: listing and filters


def test_the_expert_list_shows_the_phone_masked(client, staff):
    make_expert("谢专家", phone="+8613912345678", capacity=4)
    html = listed(client, EXPERTS)
    assert "谢专家" in html
    assert "139****5678" in html
    assert "13912345678" not in html


@pytest.mark.parametrize(
    "params, shown, hidden",
    [
        ({"expert_type": ExpertType.AGRICULTURE}, "甲老师", "乙老师"),
        ({"organisation_kind": OrganisationKind.UNIVERSITY}, "甲老师", "乙老师"),
        ({"active": "false"}, "乙老师", "甲老师"),
        ({"active": "true"}, "甲老师", "乙老师"),
        ({"has_free_places": "true"}, "甲老师", "乙老师"),
        ({"has_free_places": "false"}, "乙老师", "甲老师"),
    ],
)
def test_each_expert_filter_narrows_the_list(client, staff, params, shown, hidden):
    make_expert(
        "甲老师",
        expert_type=ExpertType.AGRICULTURE,
        organisation_kind=OrganisationKind.UNIVERSITY,
        capacity=2,
    )
    busy = make_expert(
        "乙老师",
        expert_type=ExpertType.RURAL_ECOMMERCE,
        organisation_kind=OrganisationKind.COMPANY,
        capacity=1,
        is_active=False,
    )
    make_entrepreneur(mentor=busy, mentor_since="2026-03-01")
    html = listed(client, EXPERTS, **params)
    assert shown in html
    assert hidden not in html


def test_a_yes_no_filter_reads_in_chinese_above_the_list(client, staff):
    make_expert("甲老师")
    html = listed(client, EXPERTS, has_free_places="true")
    assert re.search(r"有空余名额：\s*</span>\s*<b[^>]*>是</b>", html)


def test_the_county_filter(client, staff):
    make_expert("罗定专家", counties=("罗定市",))
    make_expert("新兴专家", counties=("新兴县",))
    html = listed(client, EXPERTS, county=County.objects.get(name="新兴县").pk)
    assert "新兴专家" in html
    assert "罗定专家" not in html


def test_the_tag_filter(client, staff):
    make_expert("直播专家", tags=("直播带货",))
    make_expert("种植专家", tags=("种植技术",))
    html = listed(client, EXPERTS, tag=ExpertiseTag.objects.get(name="种植技术").pk)
    assert "种植专家" in html
    assert "直播专家" not in html


def test_free_places_count_in_the_list_after_a_county_filter(client, staff):
    """The county join must not multiply the mentees counted against the capacity."""
    expert = make_expert("两县专家", counties=("罗定市", "新兴县"), capacity=3)
    make_entrepreneur(mentor=expert, mentor_since="2026-03-01")
    response = client.get(
        EXPERTS, {"county": County.objects.get(name="罗定市").pk, "export": "csv"}
    )
    heading, *rows = csv_rows(response)
    assert [row[heading.index("空余名额")] for row in rows] == ["2"]


def test_search_finds_name_organisation_and_introduction(client, staff):
    make_expert("甲", organisation="郁南县电商协会", introduction="擅长无核黄皮的网店运营")
    make_expert("乙", organisation="新兴县培训学校", introduction="教直播")
    assert "郁南县电商协会" in listed(client, EXPERTS, q="无核黄皮")
    assert "新兴县培训学校" not in listed(client, EXPERTS, q="无核黄皮")
    assert "新兴县培训学校" in listed(client, EXPERTS, q="新兴县")


# Experts: export


def test_experts_export_as_csv_with_chinese_headings_and_full_phone(client, staff):
    expert = make_expert(
        "钟专家",
        phone="+8613912345678",
        organisation='=HYPERLINK("http://x")',
        tags=("开网店", "短视频"),
        counties=("罗定市",),
        capacity=3,
    )
    make_entrepreneur(mentor=expert, mentor_since="2026-03-01")
    make_expert("别的专家", expert_type=ExpertType.STARTUP)
    response = client.get(EXPERTS, {"export": "csv", "expert_type": ExpertType.RURAL_ECOMMERCE})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    heading, *rows = csv_rows(response)
    assert tuple(heading[:9]) == expert_import.HEADER
    assert len(rows) == 1, "the export follows the filters"
    row = dict(zip(heading, rows[0], strict=True))
    assert row["姓名"] == "钟专家"
    assert row["专家类型"] == "农村电商专家"
    assert row["擅长领域"] == "开网店、短视频"
    assert row["服务县区"] == "罗定市"
    assert row["空余名额"] == "2"
    assert row["手机号"] == "13912345678"
    assert row["单位"].startswith("'="), "a formula typed into a field is not run by Excel"


def test_an_exported_sheet_cut_to_the_import_header_imports_again(client, staff, tmp_path):
    make_expert("钟专家", phone="+8613912345678", tags=("开网店", "短视频"), capacity=3)
    heading, *rows = csv_rows(client.get(EXPERTS, {"export": "csv"}))
    rows[0][heading.index("带教名额")] = "5"
    sheet = tmp_path / "experts.csv"
    with sheet.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(row[:9] for row in [heading, *rows])
    expert_import.import_experts(str(sheet))
    expert = Expert.objects.get()
    assert expert.capacity == 5
    assert sorted(tag.name for tag in expert.tags.all()) == ["开网店", "短视频"]


def test_experts_export_as_xlsx(client, staff):
    make_expert("钟专家", phone="+8613912345678", tags=("开网店",), counties=("罗定市", "郁南县"))
    response = client.get(EXPERTS, {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    heading, row = xlsx_rows(response)
    row = dict(zip(heading, row, strict=True))
    assert row["姓名"] == "钟专家"
    assert row["服务县区"] in ("罗定市、郁南县", "郁南县、罗定市")
    assert row["手机号"] == "13912345678"


# Experts: the form


def expert_form(**changes):
    data = {
        "name": "新专家",
        "phone": "139 1234 5678",
        "expert_type": ExpertType.STARTUP,
        "capacity": "4",
        "organisation": "云浮市创业协会",
        "organisation_kind": OrganisationKind.ASSOCIATION,
        "photo": "",
        "introduction": "辅导返乡青年创业。",
        "tags": [ExpertiseTag.objects.get(name="开网店").pk],
        "counties": [make_village().town.county.pk],
        "is_active": "on",
        "user": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_staff_add_an_expert_with_photo_tags_and_counties(client, staff):
    photo = make_photo()
    response = client.post(reverse("mentor_experts:add"), expert_form(photo=photo.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    expert = Expert.objects.get()
    assert expert.phone == "+8613912345678"
    assert expert.photo == photo
    assert [tag.name for tag in expert.tags.all()] == ["开网店"]
    assert [county.name for county in expert.counties.all()] == ["罗定市"]


def test_the_form_offers_tags_and_counties_as_checkboxes(client, staff):
    make_village()
    html = listed(client, reverse("mentor_experts:add"))
    assert 'type="checkbox" name="tags"' in html
    assert 'type="checkbox" name="counties"' in html


def test_a_bad_phone_comes_back_with_a_chinese_error_and_the_input_kept(client, staff):
    response = client.post(reverse("mentor_experts:add"), expert_form(phone="12345"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "请输入有效的中国大陆手机号" in html
    assert 'value="12345"' in html
    assert 'value="云浮市创业协会"' in html
    assert not Expert.objects.exists()


def test_instructor_without_account_is_refused(client, staff):
    response = client.post(reverse("mentor_experts:add"), expert_form(is_instructor="on"))
    assert response.status_code == 200
    assert "请先关联用户账号" in response.content.decode()
    assert not Expert.objects.exists()


# The instructor role


def instructors():
    return Group.objects.get(name=INSTRUCTORS).user_set


def test_ticking_instructor_in_the_admin_gives_the_account_the_role(client, staff):
    account = UserFactory(real_name="何老师")
    response = client.post(
        reverse("mentor_experts:add"), expert_form(user=account.pk, is_instructor="on")
    )
    assert response.status_code == 302
    assert instructors().filter(pk=account.pk).exists()

    expert = Expert.objects.get()
    response = client.post(
        reverse("mentor_experts:edit", args=[expert.pk]), expert_form(user=account.pk)
    )
    assert response.status_code == 302
    assert not instructors().filter(pk=account.pk).exists()


def test_sync_adds_and_removes_the_role():
    account = UserFactory()
    expert = make_expert(user=account, is_instructor=True)
    assert instructors().filter(pk=account.pk).exists()
    expert.is_instructor = False
    sync_instructor_role(expert)
    assert not instructors().filter(pk=account.pk).exists()


def test_moving_the_link_to_another_account_moves_the_role():
    first, second = UserFactory(), UserFactory()
    expert = make_expert(user=first, is_instructor=True)
    expert.user = second
    expert.save()
    assert list(instructors().filter(pk__in=[first.pk, second.pk])) == [second]


def test_deleting_an_instructor_expert_takes_the_role_away():
    account = UserFactory()
    expert = make_expert(user=account, is_instructor=True)
    expert.delete()
    assert not instructors().filter(pk=account.pk).exists()


def test_an_expert_who_is_not_an_instructor_leaves_the_group_alone():
    account = UserFactory()
    make_expert(user=account)
    assert not instructors().filter(pk=account.pk).exists()


def test_the_group_is_created_when_missing():
    Group.objects.filter(name=INSTRUCTORS).delete()
    account = UserFactory()
    make_expert(user=account, is_instructor=True)
    assert instructors().filter(pk=account.pk).exists()


# The user chooser


def test_staff_find_an_account_by_name_in_the_chooser(client, staff):
    UserFactory(real_name="林晓红", phone="+8613811112222")
    UserFactory(real_name="陈大文")
    response = client.get(reverse("mentors_user_chooser:choose_results"), {"q": "晓红"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "林晓红" in html
    assert "陈大文" not in html


def test_staff_find_an_account_by_phone_in_the_chooser(client, staff):
    UserFactory(real_name="林晓红", phone="+8613811112222")
    UserFactory(real_name="陈大文")
    html = listed(client, reverse("mentors_user_chooser:choose_results"), q="1381111")
    assert "林晓红" in html
    assert "陈大文" not in html


# Entrepreneurs


@pytest.fixture
def two_entrepreneurs():
    mentor = make_expert("马老师")
    make_entrepreneur(
        "罗定带头人",
        village=make_village("罗定市", "罗镜镇", "水摆村"),
        background=Background.GRADUATE,
        school="罗定职业技术学院",
        graduation_year=2020,
        stage=Stage.OPEN,
        products=("沙糖桔",),
        channels=("淘宝",),
        mentor=mentor,
        mentor_since="2026-03-01",
        phone="+8613711112222",
        needs="想学直播",
        households_helped=5,
    )
    make_entrepreneur(
        "郁南带头人",
        village=make_village("郁南县", "连滩镇", "西坝村"),
        background=Background.MIGRANT,
        stage=Stage.IDEA,
        products=("无核黄皮",),
        channels=("抖音",),
        other_products="腐竹",
        needs="缺少包装设计",
    )


@pytest.mark.parametrize(
    "params, shown, hidden",
    [
        ({"background": Background.MIGRANT}, "郁南带头人", "罗定带头人"),
        ({"stage": Stage.OPEN}, "罗定带头人", "郁南带头人"),
        ({"has_mentor": "true"}, "罗定带头人", "郁南带头人"),
        ({"has_mentor": "false"}, "郁南带头人", "罗定带头人"),
        ({"q": "包装"}, "郁南带头人", "罗定带头人"),
        ({"q": "腐竹"}, "郁南带头人", "罗定带头人"),
    ],
)
def test_each_entrepreneur_filter_narrows_the_list(
    client, staff, two_entrepreneurs, params, shown, hidden
):
    html = listed(client, ENTREPRENEURS, **params)
    assert shown in html
    assert hidden not in html


def test_staff_see_the_entrepreneurs_full_phone(client, staff, two_entrepreneurs):
    assert "13711112222" in listed(client, ENTREPRENEURS)


@pytest.mark.parametrize(
    "param, model, name, shown, hidden",
    [
        ("county", County, "郁南县", "郁南带头人", "罗定带头人"),
        ("product", Product, "沙糖桔", "罗定带头人", "郁南带头人"),
        ("channel", SalesChannel, "抖音", "郁南带头人", "罗定带头人"),
    ],
)
def test_entrepreneur_filters_by_county_product_and_channel(
    client, staff, two_entrepreneurs, param, model, name, shown, hidden
):
    html = listed(client, ENTREPRENEURS, **{param: model.objects.get(name=name).pk})
    assert shown in html
    assert hidden not in html


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_entrepreneurs_export_with_chinese_headings(client, staff, two_entrepreneurs, export):
    Entrepreneur.objects.get(name="罗定带头人").products.add(Product.objects.get(name="南药"))
    response = client.get(ENTREPRENEURS, {"export": export, "has_mentor": "true"})
    assert response.status_code == 200
    heading, *rows = csv_rows(response) if export == "csv" else xlsx_rows(response)
    assert tuple(heading[:9]) == entrepreneur_import.HEADER
    assert len(rows) == 1
    row = dict(zip(heading, rows[0], strict=True))
    assert row["姓名"] == "罗定带头人"
    assert row["手机号"] == "13711112222"
    assert row["背景"] == "返乡大学生"
    assert row["行政村"] == "罗定市/罗镜镇/水摆村"
    assert row["产品"] in ("沙糖桔、南药", "南药、沙糖桔")
    assert row["销售渠道"] == "淘宝"
    assert row["经营阶段"] == "已开店"
    assert str(row["带动贫困户数"]) == "5"
    assert row["帮带专家"] == "马老师"


def test_the_short_lists_are_kept_in_the_admin(client, staff):
    response = client.post(reverse("mentor_products:add"), {"name": "腐竹", "sort_order": "9"})
    assert response.status_code == 302
    assert Product.objects.get(name="腐竹").sort_order == 9
    assert "腐竹" in listed(client, reverse("mentor_products:index"))
    assert "直播带货" in listed(client, reverse("mentor_expertise:index"))
    assert "拼多多" in listed(client, reverse("mentor_channels:index"))
