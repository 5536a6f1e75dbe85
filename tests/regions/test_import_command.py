import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from regions.models import Village

ROWS = [
    ("新兴县", "六祖镇", "夏卢村", "是", "否", "是"),
    ("新兴县", "六祖镇", "龙山村", "是", "是", "是"),
]


def run(path):
    out = []

    class Out:
        def write(self, text):
            out.append(text)

        def flush(self):
            pass

    call_command("import_regions", str(path), stdout=Out())
    return "".join(out)


@pytest.mark.django_db
def test_command_prints_what_it_created(region_file):
    with translation.override("en"):
        output = run(region_file(ROWS))

    assert "Counties: 1 created, 0 updated, 0 unchanged." in output
    assert "Towns: 1 created, 0 updated, 0 unchanged." in output
    assert "Villages: 2 created, 0 updated, 0 unchanged." in output


@pytest.mark.django_db
def test_command_speaks_chinese_by_default(region_file):
    output = run(region_file(ROWS))

    assert "行政村：新建 2 个，更新 0 个，未变 0 个。" in output


@pytest.mark.django_db
def test_command_says_when_a_second_import_changed_nothing(region_file):
    path = region_file(ROWS)
    run(path)

    with translation.override("en"):
        output = run(path)

    assert "Villages: 0 created, 0 updated, 2 unchanged." in output
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

    with pytest.raises(CommandError) as excinfo:
        run(path)

    message = str(excinfo.value)
    assert "2 个问题" in message
    assert "第 4 行：“乡(镇)”为空。" in message
    assert "第 5 行：“是否省定贫困村”只能填“是”或“否”，不能填“对”。" in message
    assert not Village.objects.exists()
