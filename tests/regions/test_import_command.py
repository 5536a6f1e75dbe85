import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from regions.models import Village

ROWS = [
    ("新兴县", "六祖镇", "夏卢村", "是", "否", "是"),
    ("新兴县", "六祖镇", "龙山村", "是", "是", "是"),
]
# Two counties; the sync tests then send a full list of 罗定市 alone.
REGIONS = [
    ("罗定市", "罗镜镇", "水摆村", "是", "是", "否"),
    ("罗定市", "罗镜镇", "龙岩村", "是", "否", "是"),
    ("罗定市", "泗纶镇", "杨绿村", "是", "是", "是"),
    ("云城区", "腰古镇", "水东村", "否", "是", "否"),
]
# 罗定市's full list: 龙岩村 is gone, 大塘村 is new, 水摆村 gets a service point.
LUODING = [
    ("罗定市", "罗镜镇", "水摆村委会", "是", "是", "是"),
    ("罗定市", "泗纶镇", "杨绿村", "是", "是", "是"),
    ("罗定市", "罗镜镇", "大塘村", "是", "否", "否"),
]


def run(path, *args):
    out = io.StringIO()
    call_command("import_regions", str(path), *args, stdout=out)
    return out.getvalue()


def active_villages():
    return dict(Village.objects.values_list("name", "is_active"))


def snapshot():
    return list(Village.objects.order_by("pk").values())


@pytest.fixture
def regions(region_file):
    run(region_file(REGIONS, name="regions.csv"))
    return region_file(LUODING, name="luoding.csv")


@pytest.fixture
def no_prompt(monkeypatch):
    def refuse(prompt=""):
        raise AssertionError(f"asked: {prompt}")

    monkeypatch.setattr("builtins.input", refuse)


@pytest.mark.django_db
def test_command_prints_what_it_created(region_file):
    with translation.override("en"):
        output = run(region_file(ROWS))

    assert "Counties: 1 added, 0 updated, 0 unchanged." in output
    assert "Towns: 1 added, 0 updated, 0 unchanged." in output
    assert "Villages: 2 added, 0 updated, 0 unchanged." in output


@pytest.mark.django_db
def test_command_speaks_chinese_by_default(region_file):
    output = run(region_file(ROWS))

    assert "行政村：新增 2，更新 0，未变 0。" in output


@pytest.mark.django_db
def test_command_reports_problems_in_chinese_by_default(region_file):
    path = region_file([*ROWS, ("新兴县", "", "塔脚村", "是", "否", "否")])

    with pytest.raises(CommandError) as excinfo:
        run(path)

    assert "文件未导入，未写入任何数据：发现 1 个问题。" in str(excinfo.value)
    assert "第 4 行：“乡(镇)”列：为空。" in str(excinfo.value)


@pytest.mark.django_db
def test_command_says_when_a_second_import_changed_nothing(region_file):
    path = region_file(ROWS)
    run(path)

    with translation.override("en"):
        output = run(path)

    assert "Villages: 0 added, 0 updated, 2 unchanged." in output
    assert "Nothing changed" in output


@pytest.mark.django_db
def test_command_fails_listing_every_bad_row_and_writes_nothing(region_file):
    path = region_file(
        [
            *ROWS,
            ("新兴县", "", "塔脚村", "是", "否", "否"),
            ("新兴县", "六祖镇", "古楼村", "是", "对", "否"),
        ]
    )

    with translation.override("en"), pytest.raises(CommandError) as excinfo:
        run(path)

    message = str(excinfo.value)
    assert "2 problems found" in message
    assert "Row 4: “乡(镇)”: empty." in message
    assert "Row 5: “是否省定贫困村”: must be 是 or 否, not “对”." in message
    assert not Village.objects.exists()


@pytest.mark.django_db
def test_help_lists_the_columns_and_their_other_spellings():
    from regions.management.commands.import_regions import Command

    with translation.override("en"):
        text = Command().help

    assert "县(市、区) (县(市、区、旗)" in text
    assert "是否示范县 (示范县) [optional]" in text


@pytest.mark.django_db
def test_dry_run_writes_nothing(region_file):
    with translation.override("en"):
        output = run(region_file(ROWS), "--dry-run")

    assert "Villages: 2 added, 0 updated, 0 unchanged." in output
    assert "Dry run: nothing was written." in output
    assert not Village.objects.exists()


# --sync


@pytest.mark.django_db
def test_sync_with_yes_deactivates_the_absent_villages_of_the_files_counties_only(
    regions, no_prompt
):
    with translation.override("en"):
        output = run(regions, "--sync", "--yes")

    assert active_villages() == {
        "水摆村委会": True,  # 水摆村, renamed
        "杨绿村": True,
        "大塘村": True,  # new
        "龙岩村": False,  # not on 罗定市's list
        "水东村": True,  # 云城区 is not in the file
    }
    assert Village.objects.count() == 5  # nothing deleted
    assert "Not on the list, made inactive: 罗定市/罗镜镇/龙岩村." in output
    assert "Villages: 1 added, 1 updated, 1 unchanged, 1 made inactive." in output


@pytest.mark.django_db
def test_deactivated_village_comes_back_when_a_later_file_lists_it(regions, region_file):
    run(regions, "--sync", "--yes")
    longyan = Village.objects.get(name="龙岩村")

    run(region_file([REGIONS[1]], name="again.csv"))

    longyan.refresh_from_db()
    assert longyan.is_active
    assert Village.objects.filter(name="龙岩村").count() == 1


@pytest.mark.django_db
def test_sync_with_noinput_and_without_yes_refuses_and_writes_nothing(regions, no_prompt):
    before = snapshot()

    with translation.override("en"), pytest.raises(CommandError) as excinfo:
        run(regions, "--sync", "--noinput")

    assert "1 villages would be made inactive; add --yes to confirm." in str(excinfo.value)
    assert snapshot() == before  # not the deactivation, nor the new or renamed village


@pytest.mark.django_db
def test_sync_dry_run_says_what_would_go_and_writes_nothing(regions, no_prompt):
    before = snapshot()

    with translation.override("en"):
        output = run(regions, "--sync", "--dry-run")

    assert "Not on the list, made inactive: 罗定市/罗镜镇/龙岩村." in output
    assert "1 made inactive" in output
    assert "Dry run: nothing was written." in output
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("answer", ["yes", "Y", "是"])
def test_sync_asks_and_deactivates_once_confirmed(regions, monkeypatch, answer):
    prompts = []
    monkeypatch.setattr("builtins.input", lambda prompt="": prompts.append(prompt) or answer)

    with translation.override("en"):
        output = run(regions, "--sync")

    assert len(prompts) == 1
    assert "1 villages" in prompts[0]
    assert "罗定市/罗镜镇/龙岩村" in output  # the list was shown before asking
    assert not active_villages()["龙岩村"]


@pytest.mark.django_db
@pytest.mark.parametrize("answer", ["no", "", "EOF"])
def test_sync_declined_writes_nothing(regions, monkeypatch, answer):
    def reply(prompt=""):
        if answer == "EOF":
            raise EOFError
        return answer

    monkeypatch.setattr("builtins.input", reply)
    before = snapshot()

    with translation.override("en"), pytest.raises(CommandError, match="Nothing was written"):
        run(regions, "--sync")

    assert snapshot() == before


@pytest.mark.django_db
def test_sync_that_deactivates_nothing_does_not_ask(region_file, regions, no_prompt):
    run(regions, "--sync", "--yes")

    run(regions, "--sync", "--noinput")

    assert not active_villages()["龙岩村"]
    assert active_villages()["大塘村"]
