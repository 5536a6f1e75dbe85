"""Importing entrepreneur-leaders (带头人) from a county's list: villages found however the
county writes them, products off the list kept as text, accounts linked by phone."""

import pytest
from django.utils import translation

from mentors.entrepreneur_import import HEADER, EntrepreneurFileError, import_entrepreneurs
from mentors.models import Entrepreneur, Product
from regions.models import Village
from tests.accounts.factories import UserFactory
from tests.mentors.factories import make_entrepreneur, make_expert
from tests.mentors.sheets import names, refused
from tests.support import ROOT

SAMPLE = ROOT / "mentors" / "samples" / "entrepreneurs.csv"


def row(n, **cells):
    """An entrepreneur's row; ``cells`` override columns by their header name."""
    values = {
        "姓名": f"黄带头人{n}",
        "手机号": f"1372766{n:04d}",
        "背景": "返乡务工人员",
        "行政村": "罗定市/罗镜镇/水摆村",
        "产品": "沙糖桔、肉桂",
        "经营阶段": "已开店",
        "销售渠道": "淘宝、抖音",
        "需求": "想学直播带货，扩大沙糖桔的销量。",
        "带动贫困户数": "5",
    }
    values.update(cells)
    return [values[column] for column in HEADER]


def phone(n):
    return f"+861372766{n:04d}"


def village(path):
    county, town, name = path.split("/")
    return Village.objects.get(town__county__name=county, town__name=town, name=name)


@pytest.fixture
def sheet(sheet_file):
    def write(rows, *, name="entrepreneurs.csv", encoding="utf-8", header=HEADER):
        return sheet_file(header, rows, name=name, encoding=encoding)

    return write


def problems(path):
    return refused(import_entrepreneurs, EntrepreneurFileError, Entrepreneur, path)


def only_error(path):
    with pytest.raises(EntrepreneurFileError) as excinfo, translation.override("en"):
        import_entrepreneurs(path)
    [error] = excinfo.value.errors
    return error


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("e.csv", "utf-8"), ("e.csv", "utf-8-sig"), ("e.csv", "gbk"), ("e.xlsx", None)],
)
def test_a_good_file_creates_entrepreneurs_in_their_villages(regions, sheet, name, encoding):
    path = sheet(
        [row(1), row(2, 产品="", 销售渠道="", 带动贫困户数="")],
        name=name,
        encoding=encoding or "utf-8",
    )
    result = import_entrepreneurs(path)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    first = Entrepreneur.objects.get(phone=phone(1))
    assert (first.name, first.background, first.stage) == ("黄带头人1", "返乡务工人员", "已开店")
    assert first.village == village("罗定市/罗镜镇/水摆村")
    assert (first.households_helped, first.other_products, first.mentor) == (5, "", None)
    assert names(first.products.all()) == ["沙糖桔", "肉桂"]
    assert names(first.channels.all()) == ["抖音", "淘宝"]
    second = Entrepreneur.objects.get(phone=phone(2))
    assert (second.households_helped, list(second.products.all())) == (0, [])


@pytest.mark.parametrize(
    ("written", "path"),
    [
        ("罗定市/罗镜镇/水摆村", "罗定市/罗镜镇/水摆村"),
        (" 罗定市 / 罗镜镇 / 水摆村 ", "罗定市/罗镜镇/水摆村"),
        ("罗定市／罗镜镇／水摆村", "罗定市/罗镜镇/水摆村"),
        ("罗定市罗镜镇水摆村", "罗定市/罗镜镇/水摆村"),
        ("罗镜镇/龙岩村", "罗定市/罗镜镇/龙岩村"),
        ("郁南县连滩镇张公庙村", "郁南县/连滩镇/张公庙村"),
        ("张公庙村", "郁南县/连滩镇/张公庙村"),
        ("云安区/六都镇/大岗村", "云安区/六都镇/大岗村"),
    ],
)
def test_a_village_is_found_however_the_county_writes_it(regions, sheet, written, path):
    import_entrepreneurs(sheet([row(1, 行政村=written)]))
    assert Entrepreneur.objects.get().village == village(path)


def test_a_village_name_two_villages_share_is_an_error_naming_both(regions, sheet):
    error = only_error(sheet([row(1, 行政村="大岗村")]))
    assert (error.row, error.code, error.name) == (2, "ambiguous_village", "黄带头人1")
    assert "云安区/六都镇/大岗村" in error.message
    assert "罗定市/罗城街道/大岗村" in error.message


def test_products_off_the_list_are_kept_as_text(regions, sheet):
    import_entrepreneurs(sheet([row(1, 产品="沙糖桔、百香果、 竹编；沙糖桔")]))
    entrepreneur = Entrepreneur.objects.get()
    assert names(entrepreneur.products.all()) == ["沙糖桔"]
    assert entrepreneur.other_products == "百香果、竹编"


def test_a_product_staff_added_to_the_list_is_linked(regions, sheet):
    Product.objects.create(name="百香果")
    import_entrepreneurs(sheet([row(1, 产品="百香果")]))
    entrepreneur = Entrepreneur.objects.get()
    assert (names(entrepreneur.products.all()), entrepreneur.other_products) == (["百香果"], "")


@pytest.mark.parametrize("written", ["微店", "微信小店", "微信小店/微店"])
def test_the_wechat_shop_channel_answers_to_each_of_its_names(regions, sheet, written):
    import_entrepreneurs(sheet([row(1, 销售渠道=f"{written}、线下")]))
    assert names(Entrepreneur.objects.get().channels.all()) == ["微信小店/微店", "线下"]


def test_the_sample_sheet_imports_cleanly_into_the_demo_villages(regions):
    result = import_entrepreneurs(SAMPLE)
    assert (result.created, result.updated, result.unchanged) == (30, 0, 0)
    assert Entrepreneur.objects.exclude(other_products="").exists()
    assert Entrepreneur.objects.filter(channels__name="微信小店/微店").exists()
    assert import_entrepreneurs(SAMPLE).unchanged == 30


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        (row(9, 姓名=""), "empty_cell"),
        (row(9, 需求=""), "empty_cell"),
        (row(9, 行政村=""), "empty_cell"),
        (row(9, 销售渠道="；"), "empty_cell"),
        (row(9, 姓名="黄" * 51), "too_long"),
        (row(9, 需求="想" * 1001), "too_long"),
        (row(9, 产品="、".join(f"土特产{n}" for n in range(30))), "too_long"),
        (row(9, 背景="大学生"), "unknown_background"),
        (row(9, 经营阶段="开业"), "unknown_stage"),
        (row(9, 行政村="罗定市/罗镜镇/不存在村"), "unknown_village"),
        (row(9, 行政村="水摆"), "unknown_village"),
        (row(9, 行政村="大塘村"), "ambiguous_village"),
        (row(9, 销售渠道="淘宝、京东"), "unknown_channel"),
        (row(9, 带动贫困户数="-3"), "bad_households"),
        (row(9, 带动贫困户数="五户"), "bad_households"),
        (row(9, 带动贫困户数="100001"), "bad_households"),
        (row(9, 手机号="12345"), "bad_phone"),
        (row(9, 手机号="13727660002"), "duplicate_phone"),
        (row(9) + ["多余"], "too_many_columns"),
    ],
)
def test_each_bad_row_is_reported_with_its_row_number_and_nothing_written(
    regions, sheet, bad, code
):
    assert (4, code) in problems(sheet([row(1), row(2), bad]))


def test_problems_with_the_whole_file(regions, sheet, tmp_path):
    assert problems(sheet([row(1)], header=HEADER[::-1])) == [(1, "bad_header")]
    assert problems(sheet([])) == [(None, "empty_file")]
    assert problems(sheet([row(1)], name="e.xls")) == [(None, "unknown_format")]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK not really")
    assert problems(broken) == [(None, "unreadable")]


def test_an_unknown_channel_lists_the_channels_there_are(regions, sheet):
    error = only_error(sheet([row(1, 销售渠道="京东")]))
    assert "京东" in error.message and "淘宝、拼多多、微信小店/微店、抖音、线下" in error.message


def test_the_same_file_twice_changes_nothing(regions, sheet):
    path = sheet([row(1), row(2)])
    import_entrepreneurs(path)
    before = list(Entrepreneur.objects.values_list("pk", "updated_at"))
    result = import_entrepreneurs(path)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert sorted(Entrepreneur.objects.values_list("pk", "updated_at")) == sorted(before)


def test_a_changed_row_updates_in_place_and_keeps_the_mentor(regions, sheet):
    import_entrepreneurs(sheet([row(1), row(2)]))
    entrepreneur = Entrepreneur.objects.get(phone=phone(1))
    expert = make_expert()
    Entrepreneur.objects.filter(pk=entrepreneur.pk).update(
        mentor=expert, mentor_since="2026-03-01", school="罗定职业技术学院"
    )
    changed = row(
        1, 行政村="新兴县/六祖镇/龙山村", 产品="禽畜、土鸡蛋", 销售渠道="线下", 经营阶段="稳定经营"
    )
    result = import_entrepreneurs(sheet([changed, row(2)], name="again.csv"))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    entrepreneur.refresh_from_db()
    assert entrepreneur.village == village("新兴县/六祖镇/龙山村")
    assert (entrepreneur.stage, entrepreneur.other_products) == ("稳定经营", "土鸡蛋")
    assert names(entrepreneur.products.all()) == ["禽畜"]
    assert names(entrepreneur.channels.all()) == ["线下"]
    assert (entrepreneur.mentor, entrepreneur.school) == (expert, "罗定职业技术学院")
    assert Entrepreneur.objects.count() == 2


def test_an_entrepreneur_is_linked_to_the_user_account_with_their_phone(regions, sheet):
    user = UserFactory(phone=phone(1))
    result = import_entrepreneurs(sheet([row(1), row(2)]))
    assert result.created == 2
    assert Entrepreneur.objects.get(phone=phone(1)).user == user
    assert Entrepreneur.objects.get(phone=phone(2)).user is None


def test_an_account_made_after_the_first_import_is_linked_by_the_next(regions, sheet):
    path = sheet([row(1)])
    import_entrepreneurs(path)
    user = UserFactory(phone=phone(1))
    assert import_entrepreneurs(path).updated == 1
    assert Entrepreneur.objects.get().user == user


def test_an_entrepreneur_linked_to_another_account_is_not_relinked(regions, sheet):
    other = UserFactory()
    make_entrepreneur("黄带头人1", phone=phone(1), user=other)
    UserFactory(phone=phone(1))
    with pytest.raises(EntrepreneurFileError) as excinfo:
        import_entrepreneurs(sheet([row(1)]))
    assert [(e.row, e.code) for e in excinfo.value.errors] == [(2, "account_conflict")]
    assert Entrepreneur.objects.get().user == other


def test_an_account_with_another_profile_is_not_taken_from_it(regions, sheet):
    user = UserFactory(phone=phone(1))
    profile = make_entrepreneur("另一个档案", user=user)
    with pytest.raises(EntrepreneurFileError) as excinfo:
        import_entrepreneurs(sheet([row(1)]))
    assert [(e.row, e.code) for e in excinfo.value.errors] == [(2, "account_conflict")]
    assert Entrepreneur.objects.get() == profile


def test_a_linked_entrepreneur_keeps_the_link_when_no_account_has_the_phone(regions, sheet):
    user = UserFactory()
    make_entrepreneur("黄带头人1", phone=phone(1), user=user)
    assert import_entrepreneurs(sheet([row(1)])).updated == 1
    assert Entrepreneur.objects.get().user == user
