"""``manage.py import_experts`` and ``import_entrepreneurs``: a summary on success, every
problem and a non-zero exit status on failure, nothing written then."""

import io

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import connections

from mentors.entrepreneur_import import HEADER as ENTREPRENEUR_HEADER
from mentors.expert_import import HEADER as EXPERT_HEADER
from mentors.models import Entrepreneur, Expert
from tests.support import ROOT, write_sheet

SAMPLES = ROOT / "mentors" / "samples"


def run(command, path):
    out = io.StringIO()
    call_command(command, str(path), stdout=out)
    return out.getvalue()


def test_import_experts_prints_what_it_did(regions):
    assert run("import_experts", SAMPLES / "experts.csv").splitlines() == [
        "专家：新增 50，更新 0，未变 0。"
    ]
    assert run("import_experts", SAMPLES / "experts.csv").splitlines() == [
        "专家：新增 0，更新 0，未变 50。",
        "没有变化：数据库已与文件一致。",
    ]


def test_import_entrepreneurs_prints_what_it_did(regions):
    assert run("import_entrepreneurs", SAMPLES / "entrepreneurs.csv").splitlines() == [
        "带头人：新增 30，更新 0，未变 0。"
    ]
    assert Entrepreneur.objects.count() == 30


def test_import_experts_fails_with_every_bad_row_and_writes_nothing(regions, tmp_path):
    good = [
        "梁专家1",
        "农村电商专家",
        "某协会",
        "商协会",
        "开网店",
        "",
        "罗定市",
        "3",
        "13907660001",
    ]
    bad_type = [*good[:1], "专家", *good[2:8], "13907660002"]
    bad_phone = [*good[:8], "1234"]
    path = write_sheet(tmp_path / "e.csv", [EXPERT_HEADER, good, bad_type, bad_phone])
    with pytest.raises(CommandError) as excinfo:
        run("import_experts", path)
    report = str(excinfo.value)
    assert "发现 2 个问题" in report
    assert "第 3 行（梁专家1）" in report and "第 4 行（梁专家1）" in report
    assert "1234" not in report
    assert not Expert.objects.exists()


def test_import_entrepreneurs_fails_with_every_bad_row_and_writes_nothing(regions, tmp_path):
    row = [
        "黄某",
        "13727660001",
        "返乡大学生",
        "龙岩村委会",
        "沙糖桔",
        "已开店",
        "淘宝",
        "想学开网店",
        "",
    ]
    path = write_sheet(tmp_path / "e.csv", [ENTREPRENEUR_HEADER, row])
    with pytest.raises(CommandError) as excinfo:
        run("import_entrepreneurs", path)
    assert "第 2 行（黄某）" in str(excinfo.value)
    assert "罗定市/罗镜镇/龙岩村委会" in str(excinfo.value)
    assert not Entrepreneur.objects.exists()


def test_a_missing_file_is_reported_not_a_traceback(regions, tmp_path):
    with pytest.raises(CommandError) as excinfo:
        run("import_experts", tmp_path / "missing.csv")
    assert "missing.csv" in str(excinfo.value)


def test_the_command_exits_non_zero_on_a_bad_file(regions, tmp_path, capsys, monkeypatch):
    """As from the shell: Django turns the CommandError into exit status 1 and stderr."""
    # Run from the shell, the command closes its connections at the end; here that would
    # close the test's own connection, which still holds the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    path = write_sheet(tmp_path / "e.csv", [EXPERT_HEADER, ["只有名字"]])
    with pytest.raises(SystemExit) as excinfo:
        ManagementUtility(["manage.py", "import_experts", str(path)]).execute()
    assert excinfo.value.code == 1
    assert "第 2 行（只有名字）" in capsys.readouterr().err
    assert not Expert.objects.exists()
