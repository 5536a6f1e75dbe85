import pytest
from django.core.management import CommandError, call_command

from accounts.idcard import check_digit, id_number_hash
from coverage.idcrypt import decrypt_id_number
from coverage.models import RegistryMember
from coverage.registry_import import RegistryFileError, import_registry
from regions.models import County, Town, Village
from tests.support import write_sheet

HEADER = (
    "县(市、区)",
    "乡(镇)",
    "行政村",
    "户编号",
    "姓名",
    "证件号码",
    "与户主关系",
    "劳动技能",
    "务工状况",
)


def id_number(n):
    first17 = f"44538119800101{n:03d}"
    return first17 + check_digit(first17)


def row(n, *, village="太平村", labour="普通劳动力", work="在家", name=None, number=None):
    return (
        "罗定市",
        "罗镜镇",
        village,
        f"H{n:03d}",
        f"村民{n}" if name is None else name,
        number or id_number(n),
        "户主",
        labour,
        work,
    )


@pytest.fixture
def villages(db):
    town = Town.objects.create(county=County.objects.create(name="罗定市"), name="罗镜镇")
    return [Village.objects.create(town=town, name=name) for name in ("太平村", "水摆村")]


@pytest.fixture
def registry_file(tmp_path):
    def write(rows, *, name="registry.csv", encoding="utf-8", header=HEADER):
        return write_sheet(tmp_path / name, [header, *rows], encoding)

    return write


def problems(path):
    with pytest.raises(RegistryFileError) as excinfo:
        import_registry(path)
    return [(error.row, error.code) for error in excinfo.value.errors]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "encoding"),
    [("r.csv", "utf-8"), ("r.csv", "utf-8-sig"), ("r.csv", "gbk"), ("r.xlsx", None)],
)
def test_a_good_file_imports_members_with_hash_mask_and_encrypted_number(
    villages, registry_file, name, encoding
):
    rows = [row(1), row(2, work=""), row(3, village="水摆村", labour="丧失劳动力")]
    result = import_registry(registry_file(rows, name=name, encoding=encoding or "utf-8"))
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    member = RegistryMember.objects.get(id_number_hash=id_number_hash(id_number(1)))
    assert member.village == villages[0]
    assert member.id_number_masked == f"4453**********{id_number(1)[-4:]}"
    assert id_number(1) not in member.id_number_encrypted
    assert decrypt_id_number(member.id_number_encrypted) == id_number(1)
    assert RegistryMember.objects.get(name="村民3").labour_category == "丧失劳动力"


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing(villages, registry_file):
    path = registry_file([row(1), row(2)])
    import_registry(path)
    before = list(RegistryMember.objects.order_by("pk").values())
    result = import_registry(path)
    assert (result.created, result.updated, result.unchanged, result.deactivated) == (0, 0, 2, 0)
    assert list(RegistryMember.objects.order_by("pk").values()) == before


@pytest.mark.django_db
def test_a_new_years_file_updates_in_place_and_makes_the_missing_inactive(villages, registry_file):
    import_registry(registry_file([row(1), row(2), row(3)]))
    first_pk = RegistryMember.objects.get(name="村民1").pk
    result = import_registry(
        registry_file([row(1, work="省外务工"), row(2), row(4)], name="2027.csv")
    )
    assert (result.created, result.updated, result.unchanged, result.deactivated) == (1, 1, 1, 1)
    moved = RegistryMember.objects.get(pk=first_pk)
    assert moved.work_status == "省外务工"
    assert RegistryMember.objects.count() == 4, "never deleted"
    assert not RegistryMember.objects.get(name="村民3").is_active
    # Listed again a year later: active again, the same record.
    import_registry(registry_file([row(1), row(2), row(3), row(4)], name="2028.csv"))
    assert RegistryMember.objects.get(name="村民3").is_active


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad", "code"),
    [
        (row(9, village="不存在村"), "unknown_village"),
        (
            row(9, number=id_number(9)[:-1] + ("0" if id_number(9)[-1] != "0" else "1")),
            "bad_id_number",
        ),
        (row(9, number="4453811980"), "bad_id_number"),
        (row(1), "duplicate_id_number"),
        (row(9, labour="壮劳力"), "unknown_labour_category"),
        (row(9, work="外出"), "unknown_work_status"),
        (row(9, name=""), "empty_cell"),
        (row(9) + ("多余",), "too_many_columns"),
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
    wrong = id_number(5)[:-1] + ("0" if id_number(5)[-1] != "0" else "1")
    path = registry_file([row(1), row(2, labour="壮劳力"), row(5, number=wrong)])
    with pytest.raises(RegistryFileError) as excinfo:
        import_registry(path)
    assert [(e.row, e.code) for e in excinfo.value.errors] == [
        (3, "unknown_labour_category"),
        (4, "bad_id_number"),
    ]
    assert wrong not in excinfo.value.report()


@pytest.mark.django_db
def test_a_wrong_header_is_refused(villages, registry_file):
    assert problems(registry_file([row(1)], header=HEADER[:-1])) == [(1, "bad_header")]


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
