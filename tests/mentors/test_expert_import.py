"""Importing the lecturer team (讲师团) from the experts' sheet: columns found by heading,
every row checked before anything is written, experts known by their mobile number."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation

from mentors.expert_import import HEADER, import_experts
from mentors.models import Expert, ExpertiseTag
from sheets.checks import SheetError
from tests.mentors.factories import make_entrepreneur, make_expert
from tests.mentors.sheets import names, refused
from tests.support import ROOT, write_sheet

SAMPLE = ROOT / "mentors" / "samples" / "experts.csv"


def row(n, **cells):
    """An expert's row; ``cells`` override columns by their header name."""
    values = {
        "姓名": f"梁专家{n}",
        "专家类型": "农村电商专家",
        "单位": "云浮市电子商务协会",
        "单位类型": "商协会",
        "擅长领域": "开网店、直播带货",
        "简介": "从事农村电商培训多年。",
        "服务县区": "罗定市、郁南县",
        "带教名额": "4",
        "手机号": f"1390766{n:04d}",
    }
    values.update(cells)
    return [values[column] for column in HEADER]


def phone(n):
    return f"+861390766{n:04d}"


def counts(result):
    tally = result.tally("experts")
    return tally.created, tally.updated, tally.unchanged


@pytest.fixture
def sheet(sheet_file):
    def write(rows, *, name="experts.csv", encoding="utf-8", header=HEADER):
        return sheet_file(header, rows, name=name, encoding=encoding)

    return write


def problems(path):
    return refused(import_experts, SheetError, Expert, path)


def only_error(path):
    with pytest.raises(SheetError) as excinfo, translation.override("en"):
        import_experts(path)
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
def test_a_good_file_creates_experts_with_their_tags_and_counties(regions, sheet, name, encoding):
    path = sheet([row(1), row(2, 简介="")], name=name, encoding=encoding or "utf-8")
    result = import_experts(path)
    assert counts(result) == (2, 0, 0)
    expert = Expert.objects.get(phone=phone(1))
    assert (expert.name, expert.expert_type, expert.organisation_kind) == (
        "梁专家1",
        "农村电商专家",
        "商协会",
    )
    assert (expert.capacity, expert.is_active) == (4, True)
    assert names(expert.tags.all()) == ["开网店", "直播带货"]
    assert names(expert.counties.all()) == ["罗定市", "郁南县"]
    assert Expert.objects.get(phone=phone(2)).introduction == ""


def test_a_gbk_csv_reads_its_chinese_cells(regions, sheet):
    """Excel on a Chinese Windows saves GBK: read as UTF-8 it would be mojibake or refused."""
    path = sheet([row(1)], encoding="gbk")
    assert path.read_bytes().decode("gbk").startswith("姓名")
    import_experts(path)
    assert Expert.objects.get().organisation == "云浮市电子商务协会"


def test_an_uploaded_file_imports_like_a_path(regions, sheet):
    upload = SimpleUploadedFile("experts.csv", sheet([row(1)]).read_bytes())
    assert counts(import_experts(upload)) == (1, 0, 0)


def test_an_xlsx_with_the_phone_and_places_as_number_cells_imports(regions, tmp_path):
    cells = row(1)
    cells[HEADER.index("带教名额")], cells[HEADER.index("手机号")] = 5, 13907660001
    import_experts(write_sheet(tmp_path / "e.xlsx", [HEADER, cells]))
    assert Expert.objects.get(phone=phone(1)).capacity == 5


def test_columns_in_another_order_with_an_extra_column_import(regions, sheet):
    header = ("序号", *reversed(HEADER), "备注")
    lines = [("1", *reversed(row(1)), "已联系"), ("2", *reversed(row(2)), "")]
    import_experts(sheet(lines, header=header))
    expert = Expert.objects.get(phone=phone(1))
    assert (expert.name, expert.organisation, expert.capacity) == (
        "梁专家1",
        "云浮市电子商务协会",
        4,
    )
    assert names(expert.counties.all()) == ["罗定市", "郁南县"]
    assert Expert.objects.count() == 2


@pytest.mark.parametrize(
    ("canonical", "alias"),
    [
        ("手机号", "联系电话"),
        ("手机号", "手机号码"),
        ("手机号", "手机"),
        ("服务县区", "服务县(市、区)"),
        ("服务县区", "服务县（市、区）"),
        ("带教名额", "名额"),
        ("擅长领域", "专长"),
    ],
)
def test_a_column_may_be_headed_by_another_usual_name(regions, sheet, canonical, alias):
    header = tuple(alias if column == canonical else column for column in HEADER)
    import_experts(sheet([row(1)], header=header))
    expert = Expert.objects.get(phone=phone(1))
    assert (expert.capacity, names(expert.counties.all())) == (4, ["罗定市", "郁南县"])


def test_list_cells_accept_other_separators_and_spaces(regions, sheet):
    path = sheet(
        [
            row(1, 擅长领域="开网店 ，直播带货；短视频; 开网店", 服务县区=" 新兴县 ; 罗定市 、"),
            row(2, 手机号="139 0766 0002"),
        ]
    )
    import_experts(path)
    expert = Expert.objects.get(phone=phone(1))
    assert names(expert.tags.all()) == ["开网店", "直播带货", "短视频"]
    assert names(expert.counties.all()) == ["新兴县", "罗定市"]
    assert Expert.objects.filter(phone=phone(2)).exists()


def test_the_sample_sheet_of_fifty_experts_imports_cleanly(regions):
    assert counts(import_experts(SAMPLE)) == (50, 0, 0)
    assert Expert.objects.filter(counties__isnull=False).distinct().count() == 50
    assert Expert.objects.filter(tags__isnull=False).distinct().count() == 50
    assert set(Expert.objects.values_list("expert_type", flat=True)) == {
        "创业指导专家",
        "农村电商专家",
        "农业技术专家",
        "电商企业家",
    }
    assert len(set(Expert.objects.values_list("organisation_kind", flat=True))) == 5
    assert counts(import_experts(SAMPLE)) == (0, 0, 50)


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        (row(9, 姓名=""), "empty_cell"),
        (row(9, 服务县区=""), "empty_cell"),
        (row(9, 擅长领域="、"), "empty_cell"),
        (row(9, 姓名="梁" * 51), "too_long"),
        (row(9, 单位="协会" * 51), "too_long"),
        (row(9, 专家类型="电商专家"), "unknown_value"),
        (row(9, 单位类型="政府"), "unknown_value"),
        (row(9, 擅长领域="开网店、茶艺"), "unknown_tag"),
        (row(9, 服务县区="罗定市、阳春市"), "unknown_county"),
        (row(9, 带教名额="51"), "bad_number"),
        (row(9, 带教名额="-1"), "bad_number"),
        (row(9, 带教名额="三"), "bad_number"),
        (row(9, 手机号="0766-8888888"), "bad_phone"),
        (row(9, 手机号="1390766"), "bad_phone"),
        (row(9, 手机号="1.39077E+10"), "number_lost_digits"),
        (row(9, 手机号="13907660001"), "duplicate"),
        (row(9) + ["多余"], "too_many_columns"),
    ],
)
def test_each_bad_row_is_reported_with_its_row_number_and_nothing_written(
    regions, sheet, bad, code
):
    assert problems(sheet([row(1), row(2), bad])) == [(4, code)]


def test_every_bad_row_is_reported_at_once_in_row_order(regions, sheet):
    path = sheet([row(1, 专家类型="?"), row(2), row(3, 带教名额="99", 单位类型="?")])
    assert problems(path) == [
        (2, "unknown_value"),
        (4, "unknown_value"),
        (4, "bad_number"),
    ]


def test_problems_with_the_whole_file(regions, sheet, tmp_path):
    assert problems(sheet([row(1)], header=HEADER[:-1])) == [(1, "missing_column")]
    assert problems(sheet([])) == [(None, "empty_file")]
    assert problems(sheet([["", "", ""]])) == [(None, "empty_file")]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    assert problems(broken) == [(None, "unreadable")]


def test_a_missing_column_is_named_with_its_other_spellings(regions, sheet):
    error = only_error(sheet([row(1)], header=HEADER[:-1]))
    assert "“手机号”" in error.message and "联系电话" in error.message


def test_a_csv_under_another_file_name_is_read_by_its_content(regions, sheet):
    assert counts(import_experts(sheet([row(1)], name="experts.txt"))) == (1, 0, 0)


def test_an_unknown_tag_is_named_and_staff_are_told_they_can_add_it(regions, sheet):
    error = only_error(sheet([row(1, 擅长领域="开网店、茶艺")]))
    assert (error.row, error.name) == (2, "梁专家1")
    assert "茶艺" in error.message and "add it to the list" in error.message
    assert error.message.startswith("“擅长领域”")


def test_a_wrong_choice_lists_the_allowed_values(regions, sheet):
    error = only_error(sheet([row(1, 单位类型="政府")]))
    assert "商协会、培训机构、高校、职业院校、企业" in error.message
    assert "政府" in error.message


def test_a_bad_phone_number_is_never_repeated_in_the_report(regions, sheet):
    error = only_error(sheet([row(1, 手机号="139076600012")]))
    assert error.code == "bad_phone"
    assert "139076600012" not in str(error)
    assert "梁专家1" in str(error)


def test_a_duplicate_phone_names_the_row_it_first_appeared_in(regions, sheet):
    error = only_error(sheet([row(1), row(2, 手机号="+86 139 0766 0001")]))
    assert (error.row, error.code) == (3, "duplicate")
    assert "row 2 (梁专家1)" in error.message
    assert "0766" not in str(error)


def test_a_tag_staff_added_to_the_list_is_accepted(regions, sheet):
    ExpertiseTag.objects.create(name="茶艺")
    import_experts(sheet([row(1, 擅长领域="茶艺")]))
    assert names(Expert.objects.get().tags.all()) == ["茶艺"]


def test_the_same_file_twice_changes_nothing(regions, sheet):
    path = sheet([row(1), row(2)])
    import_experts(path)
    before = list(Expert.objects.values_list("pk", "updated_at"))
    result = import_experts(path)
    assert counts(result) == (0, 0, 2)
    assert not result.changed_anything
    assert list(Expert.objects.values_list("pk", "updated_at")) == before


def test_a_changed_row_updates_the_expert_in_place_and_replaces_tags_and_counties(regions, sheet):
    import_experts(sheet([row(1), row(2)]))
    expert = Expert.objects.get(phone=phone(1))
    mentee = make_entrepreneur(mentor=expert, mentor_since="2026-03-01")
    Expert.objects.filter(pk=expert.pk).update(is_active=False)
    changed = row(1, 姓名="梁志强", 擅长领域="短视频", 服务县区="新兴县", 带教名额="6")
    result = import_experts(sheet([changed, row(2)], name="again.csv"))
    assert counts(result) == (0, 1, 1)
    expert.refresh_from_db()
    assert (expert.name, expert.capacity) == ("梁志强", 6)
    assert names(expert.tags.all()) == ["短视频"]
    assert names(expert.counties.all()) == ["新兴县"]
    # What the sheet does not hold stays as staff left it.
    assert expert.is_active is False
    assert list(expert.mentees.all()) == [mentee]
    assert Expert.objects.count() == 2


def test_an_expert_entered_in_the_cms_is_updated_not_duplicated(regions, sheet):
    existing = make_expert("梁专家1", phone=phone(1), tags=("包装设计",))
    result = import_experts(sheet([row(1, 手机号="+86 139-0766-0001")]))
    assert counts(result)[:2] == (0, 1)
    assert Expert.objects.get().pk == existing.pk
    assert names(existing.tags.all()) == ["开网店", "直播带货"]


def test_a_bad_row_leaves_a_known_expert_as_it_was(regions, sheet):
    import_experts(sheet([row(1)]))
    with pytest.raises(SheetError):
        import_experts(sheet([row(1, 姓名="改名"), row(2, 带教名额="x")], name="bad.csv"))
    assert Expert.objects.get().name == "梁专家1"
    assert Expert.objects.count() == 1


def test_a_dry_run_counts_what_it_would_do_and_writes_nothing(regions, sheet):
    import_experts(sheet([row(1)]))
    path = sheet([row(1, 姓名="改名"), row(2)], name="new.csv")
    result = import_experts(path, dry_run=True)
    assert counts(result) == (1, 1, 0)
    assert result.dry_run
    assert list(Expert.objects.values_list("name", flat=True)) == ["梁专家1"]


def test_the_command_with_dry_run_prints_the_figures_and_writes_nothing(regions, sheet):
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_experts", str(sheet([row(1), row(2)])), "--dry-run", stdout=out)
    assert "Experts: 2 added, 0 updated, 0 unchanged." in out.getvalue()
    assert "Dry run: nothing was written." in out.getvalue()
    assert not Expert.objects.exists()
