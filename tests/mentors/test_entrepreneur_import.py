"""Importing entrepreneur-leaders (带头人) from a county's list: columns found by heading,
villages found however the county writes them, products off the list kept as text,
accounts linked by phone."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from mentors.entrepreneur_import import HEADER, import_entrepreneurs
from mentors.models import Entrepreneur, Product
from regions.models import Village
from sheets.checks import SheetError
from tests.accounts.factories import UserFactory
from tests.mentors.factories import make_entrepreneur, make_expert
from tests.mentors.sheets import names, refused
from tests.support import ROOT, write_sheet

SAMPLE = ROOT / "mentors" / "samples" / "entrepreneurs.csv"


def row(n, **cells):
    """An entrepreneur's row; ``cells`` override columns by their header name. The
    village is written as the county does, 水摆村; the regions list says 水摆村委会."""
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


def official_village():
    """Where the factories would make a second 水摆村 beside the official 水摆村委会."""
    return village("罗定市/罗镜镇/水摆村委会")


def counts(result):
    tally = result.tally("entrepreneurs")
    return tally.created, tally.updated, tally.unchanged


@pytest.fixture
def sheet(sheet_file):
    def write(rows, *, name="entrepreneurs.csv", encoding="utf-8", header=HEADER):
        return sheet_file(header, rows, name=name, encoding=encoding)

    return write


def problems(path):
    return refused(import_entrepreneurs, SheetError, Entrepreneur, path)


def only_error(path):
    with pytest.raises(SheetError) as excinfo, translation.override("en"):
        import_entrepreneurs(path)
    [error] = excinfo.value.errors
    return error


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("e.csv", "utf-8"),
        ("e.csv", "utf-8-sig"),
        ("e.csv", "gbk"),
        ("e.xlsx", None),
        ("e.xls", None),
    ],
)
def test_a_good_file_creates_entrepreneurs_in_their_villages(regions, sheet, name, encoding):
    path = sheet(
        [row(1), row(2, 产品="", 销售渠道="", 带动贫困户数="")],
        name=name,
        encoding=encoding or "utf-8",
    )
    result = import_entrepreneurs(path)
    assert counts(result) == (2, 0, 0)
    first = Entrepreneur.objects.get(phone=phone(1))
    assert (first.name, first.background, first.stage) == ("黄带头人1", "返乡务工人员", "已开店")
    assert first.village == village("罗定市/罗镜镇/水摆村委会")
    assert (first.households_helped, first.other_products, first.mentor) == (5, "", None)
    assert names(first.products.all()) == ["沙糖桔", "肉桂"]
    assert names(first.channels.all()) == ["抖音", "淘宝"]
    second = Entrepreneur.objects.get(phone=phone(2))
    assert (second.households_helped, list(second.products.all())) == (0, [])


@pytest.mark.parametrize(
    ("written", "path"),
    [
        ("罗定市/罗镜镇/水摆村", "罗定市/罗镜镇/水摆村委会"),
        ("罗定市/罗镜镇/水摆村委会", "罗定市/罗镜镇/水摆村委会"),
        ("罗定市/罗镜镇/水摆村民委员会", "罗定市/罗镜镇/水摆村委会"),
        (" 罗定市 / 罗镜镇 / 水摆村 ", "罗定市/罗镜镇/水摆村委会"),
        ("罗定市／罗镜镇／水摆村", "罗定市/罗镜镇/水摆村委会"),
        ("罗定市罗镜镇水摆村", "罗定市/罗镜镇/水摆村委会"),
        ("罗定市罗镜镇水摆村委会", "罗定市/罗镜镇/水摆村委会"),
        ("罗镜镇/龙岩村", "罗定市/罗镜镇/龙岩村委会"),
        ("罗镜镇龙岩村", "罗定市/罗镜镇/龙岩村委会"),
        ("水摆村", "罗定市/罗镜镇/水摆村委会"),
        ("新兴县/六祖镇/夏卢村", "新兴县/六祖镇/夏卢村民委员会"),
        ("郁南县连滩镇逍遥村", "郁南县/连滩镇/逍遥村委会"),
        ("州背社区", "新兴县/新城镇/州背社区居民委员会"),
    ],
)
def test_a_village_is_found_however_the_county_writes_it(regions, sheet, written, path):
    import_entrepreneurs(sheet([row(1, 行政村=written)]))
    assert Entrepreneur.objects.get().village == village(path)


def test_a_village_name_two_villages_share_is_an_error_naming_both(regions, sheet):
    error = only_error(sheet([row(1, 行政村="龙岩村")]))
    assert (error.row, error.code, error.name) == (2, "ambiguous_village", "黄带头人1")
    assert "罗定市/罗镜镇/龙岩村委会" in error.message
    assert "郁南县/连滩镇/龙岩村委会" in error.message


def test_a_shared_name_finds_the_one_village_still_on_the_official_list(regions, sheet):
    Village.objects.filter(pk=village("郁南县/连滩镇/龙岩村委会").pk).update(is_active=False)
    import_entrepreneurs(sheet([row(1, 行政村="龙岩村")]))
    assert Entrepreneur.objects.get().village == village("罗定市/罗镜镇/龙岩村委会")


@pytest.mark.parametrize("written", ["罗定市/罗镜镇/水摆村", "水摆村"])
def test_a_village_no_longer_on_the_official_list_is_refused(regions, sheet, written):
    Village.objects.filter(pk=village("罗定市/罗镜镇/水摆村委会").pk).update(is_active=False)
    error = only_error(sheet([row(1, 行政村=written)]))
    assert (error.row, error.code) == (2, "inactive_village")


@pytest.mark.parametrize("written", ["罗定市/罗镜镇/水摆", "水摆"])
def test_an_unknown_village_comes_with_the_nearest_names(regions, sheet, written):
    error = only_error(sheet([row(1, 行政村=written)]))
    assert error.code == "unknown_village"
    assert "水摆村委会" in error.message


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
    assert counts(import_entrepreneurs(SAMPLE)) == (30, 0, 0)
    assert Entrepreneur.objects.exclude(other_products="").exists()
    assert Entrepreneur.objects.filter(channels__name="微信小店/微店").exists()
    assert counts(import_entrepreneurs(SAMPLE)) == (0, 0, 30)


def test_columns_in_another_order_with_an_extra_column_import(regions, sheet):
    header = ("序号", *reversed(HEADER), "备注")
    import_entrepreneurs(sheet([("1", *reversed(row(1)), "已回访")], header=header))
    entrepreneur = Entrepreneur.objects.get()
    assert (entrepreneur.name, entrepreneur.phone, entrepreneur.households_helped) == (
        "黄带头人1",
        phone(1),
        5,
    )
    assert entrepreneur.village == village("罗定市/罗镜镇/水摆村委会")


@pytest.mark.parametrize(
    ("canonical", "alias"),
    [
        ("手机号", "联系电话"),
        ("手机号", "手机号码"),
        ("行政村", "所在村"),
        ("行政村", "村"),
        ("带动贫困户数", "带动贫困户"),
    ],
)
def test_a_column_may_be_headed_by_another_usual_name(regions, sheet, canonical, alias):
    header = tuple(alias if column == canonical else column for column in HEADER)
    import_entrepreneurs(sheet([row(1)], header=header))
    entrepreneur = Entrepreneur.objects.get(phone=phone(1))
    assert (entrepreneur.village.name, entrepreneur.households_helped) == ("水摆村委会", 5)


def test_an_xlsx_with_the_phone_as_a_number_cell_imports(regions, tmp_path):
    cells = row(1)
    cells[HEADER.index("手机号")], cells[HEADER.index("带动贫困户数")] = 13727660001, 5
    import_entrepreneurs(write_sheet(tmp_path / "e.xlsx", [HEADER, cells]))
    assert Entrepreneur.objects.get(phone=phone(1)).households_helped == 5


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
        (row(9, 背景="大学生"), "unknown_value"),
        (row(9, 经营阶段="开业"), "unknown_value"),
        (row(9, 行政村="罗定市/罗镜镇/不存在村"), "unknown_village"),
        (row(9, 行政村="水摆"), "unknown_village"),
        (row(9, 行政村="大塘村"), "ambiguous_village"),
        (row(9, 销售渠道="淘宝、京东"), "unknown_channel"),
        (row(9, 带动贫困户数="-3"), "bad_number"),
        (row(9, 带动贫困户数="五户"), "bad_number"),
        (row(9, 带动贫困户数="100001"), "bad_number"),
        (row(9, 手机号="12345"), "bad_phone"),
        (row(9, 手机号="13727660002"), "duplicate"),
        (row(9) + ["多余"], "too_many_columns"),
    ],
)
def test_each_bad_row_is_reported_with_its_row_number_and_nothing_written(
    regions, sheet, bad, code
):
    assert problems(sheet([row(1), row(2), bad])) == [(4, code)]


def test_problems_with_the_whole_file(regions, sheet, tmp_path):
    without_village = tuple(column for column in HEADER if column != "行政村")
    assert problems(sheet([row(1)[:8]], header=without_village)) == [(1, "missing_column")]
    assert problems(sheet([])) == [(None, "empty_file")]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    assert problems(broken) == [(None, "unreadable")]


def test_an_unknown_channel_lists_the_channels_there_are(regions, sheet):
    error = only_error(sheet([row(1, 销售渠道="京东")]))
    assert "京东" in error.message and "淘宝、拼多多、微信小店/微店、抖音、线下" in error.message


def test_the_same_file_twice_changes_nothing(regions, sheet):
    path = sheet([row(1), row(2)])
    import_entrepreneurs(path)
    before = list(Entrepreneur.objects.values_list("pk", "updated_at"))
    result = import_entrepreneurs(path)
    assert counts(result) == (0, 0, 2)
    assert sorted(Entrepreneur.objects.values_list("pk", "updated_at")) == sorted(before)


def test_a_changed_row_updates_in_place_and_keeps_the_mentor(regions, sheet):
    import_entrepreneurs(sheet([row(1), row(2)]))
    entrepreneur = Entrepreneur.objects.get(phone=phone(1))
    expert = make_expert()
    Entrepreneur.objects.filter(pk=entrepreneur.pk).update(
        mentor=expert, mentor_since="2026-03-01", school="罗定职业技术学院"
    )
    changed = row(
        1,
        行政村="新兴县/六祖镇/龙山塘村",
        产品="禽畜、土鸡蛋",
        销售渠道="线下",
        经营阶段="稳定经营",
    )
    result = import_entrepreneurs(sheet([changed, row(2)], name="again.csv"))
    assert counts(result) == (0, 1, 1)
    entrepreneur.refresh_from_db()
    assert entrepreneur.village == village("新兴县/六祖镇/龙山塘村民委员会")
    assert (entrepreneur.stage, entrepreneur.other_products) == ("稳定经营", "土鸡蛋")
    assert names(entrepreneur.products.all()) == ["禽畜"]
    assert names(entrepreneur.channels.all()) == ["线下"]
    assert (entrepreneur.mentor, entrepreneur.school) == (expert, "罗定职业技术学院")
    assert Entrepreneur.objects.count() == 2


def test_a_dry_run_counts_what_it_would_do_and_writes_nothing(regions, sheet):
    import_entrepreneurs(sheet([row(1)]))
    path = sheet([row(1, 经营阶段="稳定经营"), row(2)], name="new.csv")
    result = import_entrepreneurs(path, dry_run=True)
    assert counts(result) == (1, 1, 0)
    assert list(Entrepreneur.objects.values_list("stage", flat=True)) == ["已开店"]


def test_the_command_with_dry_run_prints_the_figures_and_writes_nothing(regions, sheet):
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_entrepreneurs", str(sheet([row(1)])), "--dry-run", stdout=out)
    assert "Entrepreneurs: 1 added, 0 updated, 0 unchanged." in out.getvalue()
    assert "Dry run: nothing was written." in out.getvalue()
    assert not Entrepreneur.objects.exists()


def test_an_entrepreneur_is_linked_to_the_user_account_with_their_phone(regions, sheet):
    user = UserFactory(phone=phone(1))
    assert counts(import_entrepreneurs(sheet([row(1), row(2)])))[0] == 2
    assert Entrepreneur.objects.get(phone=phone(1)).user == user
    assert Entrepreneur.objects.get(phone=phone(2)).user is None


def test_an_account_made_after_the_first_import_is_linked_at_once(regions, sheet):
    # Linked as the account's number is verified (mentors.account_links), not at the
    # next import, which then has nothing to change.
    path = sheet([row(1)])
    import_entrepreneurs(path)
    user = UserFactory(phone=phone(1))
    assert Entrepreneur.objects.get().user == user
    assert counts(import_entrepreneurs(path))[2] == 1


def test_an_entrepreneur_linked_to_another_account_is_not_relinked(regions, sheet):
    other = UserFactory()
    make_entrepreneur("黄带头人1", phone=phone(1), user=other, village=official_village())
    UserFactory(phone=phone(1))
    with pytest.raises(SheetError) as excinfo:
        import_entrepreneurs(sheet([row(1)]))
    assert [(e.row, e.code) for e in excinfo.value.errors] == [(2, "account_conflict")]
    assert Entrepreneur.objects.get().user == other


def test_an_account_with_another_profile_is_not_taken_from_it(regions, sheet):
    user = UserFactory(phone=phone(1))
    profile = make_entrepreneur("另一个档案", user=user, village=official_village())
    with pytest.raises(SheetError) as excinfo:
        import_entrepreneurs(sheet([row(1)]))
    assert [(e.row, e.code) for e in excinfo.value.errors] == [(2, "account_conflict")]
    assert Entrepreneur.objects.get() == profile


def test_a_linked_entrepreneur_keeps_the_link_when_no_account_has_the_phone(regions, sheet):
    user = UserFactory()
    make_entrepreneur("黄带头人1", phone=phone(1), user=user, village=official_village())
    assert counts(import_entrepreneurs(sheet([row(1)])))[1] == 1
    assert Entrepreneur.objects.get().user == user
