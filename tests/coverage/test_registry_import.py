"""The registry import: the national system's export as county offices send it."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from accounts.idcard import check_digit, id_number_hash
from coverage.idcrypt import decrypt_id_number
from coverage.models import RegistryMember
from coverage.registry_import import import_registry
from regions.models import County, Town, Village
from sheets.checks import SheetError
from tests.coverage.conftest import NATIONAL_HEADER
from tests.coverage.conftest import REGISTRY_HEADER as SHORT_HEADER
from tests.support import write_sheet


def id_number(n, birth="19800101"):
    first17 = f"445381{birth}{n:03d}"
    return first17 + check_digit(first17)


def old_id_number(n):
    """The same person's 15-digit number of 1989: no century, no check digit."""
    return id_number(n)[:6] + id_number(n)[8:17]


def row(
    n,
    *,
    county="罗定市",
    town="罗镜镇",
    village="太平村",
    labour="普通劳动力",
    work="",
    name=None,
    number=None,
):
    """One member as the nine-column sheet has them."""
    return (
        county,
        town,
        village,
        f"H{n:03d}",
        f"村民{n}" if name is None else name,
        number or id_number(n),
        "户主",
        labour,
        work,
    )


def national(short):
    """The same member as a line of the national export: 26 columns in its order."""
    county, town, village, household, name, number, relation, labour, work = short
    values = dict(zip(SHORT_HEADER, short, strict=True)) | {"县(市、区)": None}
    line = {
        "县(市、区、旗)": county,
        "自然村": "上村",
        "人编号": f"P{household}",
        "性别": "男",
        "人数": 4,
        "民族": "汉族",
        "文化程度": "初中",
        "健康状况": "健康",
        "务工时间（月）": 0,
        "贫困户属性": "一般贫困户",
        "主要致贫原因": "缺技术",
        "人均纯收入": 5123.5,
        "联系电话": "13800000000",
    }
    return tuple(line.get(column, values.get(column, "")) for column in NATIONAL_HEADER)


@pytest.fixture
def villages(db):
    county = County.objects.create(name="罗定市", is_demonstration=True)
    town = Town.objects.create(county=county, name="罗镜镇")
    return [
        Village.objects.create(town=town, name=name, is_provincial_poor=True)
        for name in ("太平村", "水摆村委会")
    ]


@pytest.fixture
def other_county(db):
    """新兴县, with a member already imported from its own file."""
    town = Town.objects.create(
        county=County.objects.create(name="新兴县", is_demonstration=True), name="六祖镇"
    )
    Village.objects.create(town=town, name="夏卢村民委员会", is_provincial_poor=True)
    return town


@pytest.fixture
def registry_file(tmp_path):
    def write(rows, *, name="registry.csv", encoding="utf-8", header=SHORT_HEADER, title=None):
        lines = [header, *rows]
        if title:
            lines.insert(0, (title,))
        return write_sheet(tmp_path / name, lines, encoding)

    return write


def problems(path):
    with pytest.raises(SheetError) as excinfo:
        import_registry(path)
    return [(error.row, error.code) for error in excinfo.value.errors]


def counts(result, county="罗定市"):
    tally = result.tallies[County.objects.get(name=county).pk]
    return (tally.created, tally.updated, tally.unchanged, tally.deactivated)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("r.csv", "utf-8"),
        ("r.csv", "utf-8-sig"),
        ("r.csv", "gbk"),
        ("r.xlsx", None),
        ("r.xls", None),
    ],
)
def test_a_good_file_imports_members_with_hash_mask_and_encrypted_number(
    villages, registry_file, name, encoding
):
    rows = [row(1), row(2, work=""), row(3, village="水摆村", labour="丧失劳动力")]
    result = import_registry(registry_file(rows, name=name, encoding=encoding or "utf-8"))
    assert counts(result) == (3, 0, 0, 0)
    member = RegistryMember.objects.get(id_number_hash=id_number_hash(id_number(1)))
    assert member.village == villages[0]
    assert member.id_number_masked == f"4453**********{id_number(1)[-4:]}"
    assert id_number(1) not in member.id_number_encrypted
    assert decrypt_id_number(member.id_number_encrypted) == id_number(1)
    assert RegistryMember.objects.get(name="村民3").labour_category == "丧失劳动力"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "encoding"), [("n.csv", "gbk"), ("n.xls", None), ("n.xlsx", None)]
)
def test_the_national_export_imports_as_it_comes(villages, registry_file, name, encoding):
    """26 columns in the system's order, a title line above the header, 县(市、区、旗),
    the registry's 水摆村 for the statistics bureau's 水摆村委会, national words."""
    rows = [
        national(row(1, work="乡（镇）内务工")),
        national(row(2, village="水摆村", work="县外省内务工")),
        national(row(3, work="乡(镇)外县内务工", labour="技能劳动力")),
        national(row(4, work="其他", labour="弱劳动力或半劳动力")),
    ]
    path = registry_file(
        rows,
        name=name,
        encoding=encoding or "utf-8",
        header=NATIONAL_HEADER,
        title="建档立卡贫困人口基础信息",
    )
    result = import_registry(path)
    assert counts(result) == (4, 0, 0, 0)
    statuses = dict(RegistryMember.objects.values_list("name", "work_status"))
    assert statuses == {
        "村民1": "乡（镇）内务工",
        "村民2": "县外省内务工",
        "村民3": "乡（镇）外县内务工",
        "村民4": "其他",
    }
    assert RegistryMember.objects.get(name="村民2").village == villages[1]
    # Only 县外省内务工 is a migrant worker among them.
    assert RegistryMember.objects.eligible().count() == 3


@pytest.mark.django_db
def test_the_eligible_count_equals_an_independent_count_of_the_file(villages, registry_file):
    """Counted straight from the rows by the definition in DESIGN.md, not by our code."""
    labours = ["技能劳动力", "普通劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力"]
    works = ["乡（镇）内务工", "乡（镇）外县内务工", "县外省内务工", "省外务工", "其他", ""]
    rows = [
        national(
            row(n, labour=labours[n % 5], work=works[n % 6], village=("太平村", "水摆村")[n % 2])
        )
        for n in range(1, 61)
    ]
    import_registry(registry_file(rows, name="n.csv", header=NATIONAL_HEADER, encoding="gbk"))
    by_hand = sum(
        1
        for line in rows
        if line[NATIONAL_HEADER.index("劳动技能")] in labours[:3]
        and line[NATIONAL_HEADER.index("务工状况")] not in ("县外省内务工", "省外务工")
    )
    assert by_hand == 24  # 36 with capacity, of whom 12 work outside the county
    assert RegistryMember.objects.eligible().count() == by_hand


@pytest.mark.django_db
def test_old_words_and_half_width_brackets_are_read_as_the_national_words(villages, registry_file):
    rows = [
        row(1, work="省内县外务工"),
        row(2, work="在家"),
        row(3, work="乡(镇)内务工"),
        row(4, work="县内务工"),
    ]
    import_registry(registry_file(rows))
    assert dict(RegistryMember.objects.values_list("name", "work_status")) == {
        "村民1": "县外省内务工",
        "村民2": "",
        "村民3": "乡（镇）内务工",
        "村民4": "乡（镇）外县内务工",
    }


@pytest.mark.django_db
def test_a_15_digit_number_is_the_same_person_as_the_18_digit_one(villages, registry_file):
    import_registry(registry_file([row(1, number=old_id_number(1)), row(2)]))
    member = RegistryMember.objects.get(name="村民1")
    assert member.id_number_hash == id_number_hash(id_number(1))
    assert decrypt_id_number(member.id_number_encrypted) == id_number(1)
    # Next year's file writes the new number: the same member, nothing added.
    result = import_registry(registry_file([row(1), row(2)], name="next.csv"))
    assert counts(result) == (0, 0, 2, 0)


@pytest.mark.django_db
def test_a_file_listing_someone_twice_by_old_and_new_number_is_refused(villages, registry_file):
    assert problems(registry_file([row(1), row(2, number=old_id_number(1))])) == [
        (3, "duplicate_id_number")
    ]


@pytest.mark.django_db
def test_id_numbers_excel_stored_as_numbers(villages, registry_file):
    """15 digits fit in a number cell; 18 do not, and the clerk is told what to do."""
    ok = row(1, number=int(old_id_number(1)))
    lost = row(
        2, number=int(id_number(2)[:17] + "0") if id_number(2)[-1] == "X" else int(id_number(2))
    )
    path = registry_file([ok, lost], name="numbers.xlsx")
    with pytest.raises(SheetError) as excinfo, translation.override("zh-hans"):
        import_registry(path)
    assert [(e.row, e.code) for e in excinfo.value.errors] == [(3, "number_lost_digits")]
    with translation.override("zh-hans"):
        message = str(excinfo.value.errors[0])
    assert "证件号码" in message and "文本" in message
    import_registry(registry_file([ok], name="fifteen.xlsx"))
    assert RegistryMember.objects.get().id_number_hash == id_number_hash(id_number(1))


@pytest.mark.django_db
def test_a_county_file_leaves_other_counties_alone(villages, other_county, registry_file):
    import_registry(
        registry_file([row(7, county="新兴县", town="六祖镇", village="夏卢村")], name="x.csv")
    )
    import_registry(registry_file([row(1), row(2)]))
    result = import_registry(registry_file([row(1)], name="again.csv"))

    assert counts(result) == (0, 0, 1, 1)
    assert County.objects.get(name="新兴县").pk not in result.tallies
    assert RegistryMember.objects.get(name="村民7").is_active
    assert not RegistryMember.objects.get(name="村民2").is_active


@pytest.mark.django_db
def test_a_member_moving_between_counties_follows_the_newer_file(
    villages, other_county, registry_file
):
    import_registry(registry_file([row(1)]))
    result = import_registry(
        registry_file([row(1, county="新兴县", town="六祖镇", village="夏卢村")], name="x.csv")
    )
    assert counts(result, "新兴县") == (0, 1, 0, 0)
    assert RegistryMember.objects.get().village.town == other_county


@pytest.mark.django_db
def test_a_dry_run_reports_the_real_figures_and_writes_nothing(villages, registry_file):
    import_registry(registry_file([row(1), row(2), row(3, work="省外务工")]))
    before = list(RegistryMember.objects.order_by("pk").values())
    path = registry_file([row(1, work="省外务工"), row(3), row(4)], name="next.csv")

    with translation.override("en"):
        dry = import_registry(path, dry_run=True)
        assert list(RegistryMember.objects.order_by("pk").values()) == before
        real = import_registry(path)

    assert counts(dry) == counts(real) == (1, 2, 0, 1)
    with translation.override("en"):
        lines = dry.summary_lines()
        assert "罗定市: eligible for the 50% figure 2 → 2." in lines
        assert lines[-1] == "Dry run: nothing was written."
        assert "罗定市: eligible for the 50% figure 2 → 2." in real.summary_lines()


@pytest.mark.django_db
def test_the_command_has_a_dry_run(villages, registry_file, capsys):
    call_command("import_registry", str(registry_file([row(1), row(2)])), "--dry-run")
    assert not RegistryMember.objects.exists()
    with translation.override("en"):
        call_command("import_registry", str(registry_file([row(1)], name="b.csv")), "--dry-run")
    out = capsys.readouterr().out
    assert "1 added" in out and "Dry run" in out


@pytest.mark.django_db
def test_villages_match_by_any_official_spelling_and_ambiguity_names_the_candidates(
    villages, registry_file
):
    town = villages[0].town
    Village.objects.create(town=town, name="龙岩村民委员会")
    Village.objects.create(town=town, name="龙岩村委会")
    with pytest.raises(SheetError) as excinfo:
        import_registry(registry_file([row(1, village="太平村民委员会"), row(2, village="龙岩村")]))
    (error,) = excinfo.value.errors
    assert (error.row, error.code) == (3, "ambiguous_village")
    assert "龙岩村民委员会" in error.message and "龙岩村委会" in error.message


@pytest.mark.django_db
def test_an_unknown_village_suggests_the_nearest_names_in_its_town(villages, registry_file):
    with pytest.raises(SheetError) as excinfo:
        import_registry(registry_file([row(1, village="水拜村")]))
    (error,) = excinfo.value.errors
    assert error.code == "unknown_village"
    assert "水摆村委会" in error.message


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing(villages, registry_file):
    path = registry_file([row(1), row(2)])
    import_registry(path)
    before = list(RegistryMember.objects.order_by("pk").values())
    result = import_registry(path)
    assert counts(result) == (0, 0, 2, 0)
    assert list(RegistryMember.objects.order_by("pk").values()) == before


@pytest.mark.django_db
def test_a_new_years_file_updates_in_place_and_makes_the_missing_inactive(villages, registry_file):
    import_registry(registry_file([row(1), row(2), row(3)]))
    first_pk = RegistryMember.objects.get(name="村民1").pk
    result = import_registry(
        registry_file([row(1, work="省外务工"), row(2), row(4)], name="2027.csv")
    )
    assert counts(result) == (1, 1, 1, 1)
    assert RegistryMember.objects.get(pk=first_pk).work_status == "省外务工"
    assert RegistryMember.objects.count() == 4, "never deleted"
    assert not RegistryMember.objects.get(name="村民3").is_active
    # Listed again a year later: active again, the same record.
    import_registry(registry_file([row(1), row(2), row(3), row(4)], name="2028.csv"))
    assert RegistryMember.objects.get(name="村民3").is_active


def _wrong_check_digit(n):
    return id_number(n)[:-1] + ("0" if id_number(n)[-1] != "0" else "1")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad", "code"),
    [
        (row(9, village="不存在村"), "unknown_village"),
        (row(9, number=_wrong_check_digit(9)), "bad_id_number"),
        (row(9, number="4453811980"), "bad_id_number"),
        (row(1), "duplicate_id_number"),
        (row(9, labour="壮劳力"), "unknown_value"),
        (row(9, work="外出"), "unknown_value"),
        (row(9, name=""), "empty_cell"),
        (row(9) + ("", "多余"), "too_many_columns"),
    ],
)
def test_each_bad_row_is_reported_with_its_row_number_and_nothing_written(
    villages, registry_file, bad, code
):
    path = registry_file([row(1), row(2), bad])
    assert (4, code) in problems(path)
    assert not RegistryMember.objects.exists()


@pytest.mark.django_db
def test_every_bad_row_is_reported_at_once_without_the_id_number(villages, registry_file):
    wrong = _wrong_check_digit(5)
    path = registry_file([row(1), row(2, labour="壮劳力"), row(5, number=wrong)])
    with pytest.raises(SheetError) as excinfo:
        import_registry(path)
    assert [(e.row, e.code) for e in excinfo.value.errors] == [
        (3, "unknown_value"),
        (4, "bad_id_number"),
    ]
    assert wrong not in excinfo.value.report()


@pytest.mark.django_db
def test_a_missing_column_is_named_with_what_was_found(villages, registry_file):
    header = tuple("身份号" if column == "证件号码" else column for column in SHORT_HEADER)
    assert problems(registry_file([row(1)], header=header)) == [(1, "missing_column")]
    with pytest.raises(SheetError) as excinfo, translation.override("zh-hans"):
        import_registry(registry_file([row(1)], header=header, name="b.csv"))
    with translation.override("zh-hans"):
        message = str(excinfo.value.errors[0])
    assert "缺少“证件号码”列" in message
    assert "“身份号”" in message


@pytest.mark.django_db
def test_columns_in_any_order_with_other_spellings_and_extra_columns(villages, registry_file):
    header = (
        "序号",
        "身份证号码",
        "姓名",
        "县（市、区）",
        "镇(乡)",
        "行政村",
        "户编号",
        "与户主关系",
        "劳动能力",
        "务工情况",
        "备注",
    )
    member = row(1, work="省外务工")
    line = (
        1,
        member[5],
        member[4],
        *member[:4][:3],
        member[3],
        member[6],
        member[7],
        member[8],
        "无",
    )
    import_registry(registry_file([line], header=header))
    assert RegistryMember.objects.get().work_status == "省外务工"


@pytest.mark.django_db
def test_the_command_reports_counts_and_fails_with_every_bad_row(villages, registry_file):
    call_command("import_registry", str(registry_file([row(1)])))
    assert RegistryMember.objects.count() == 1
    with pytest.raises(CommandError) as excinfo:
        call_command("import_registry", str(registry_file([row(2, labour="?")], name="b.csv")))
    assert "第 2 行" in str(excinfo.value) or "Row 2" in str(excinfo.value)
    assert RegistryMember.objects.count() == 1


@pytest.mark.django_db
def test_progress_is_reported_while_writing(villages, registry_file):
    seen = []
    import_registry(
        registry_file([row(n) for n in range(1, 6)]), progress=lambda *p: seen.append(p)
    )
    assert seen[-1] == (5, 5)


@pytest.mark.django_db
def test_members_of_a_village_no_longer_on_the_list_are_not_eligible(villages, registry_file):
    """A regions sync made the village inactive: it no longer counts, though it is still
    flagged poor and its members are kept."""
    import_registry(registry_file([row(1), row(2, village="水摆村")]))
    assert RegistryMember.objects.eligible().count() == 2
    Village.objects.filter(pk=villages[1].pk).update(is_active=False)
    assert list(RegistryMember.objects.eligible().values_list("name", flat=True)) == ["村民1"]
