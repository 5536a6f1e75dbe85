"""`python -m benchmarks.registry` generates the national export, imports it twice in
processes of their own and prints what it promises: per file, the reading reference and
both imports with their time, memory, speed and shares, and what each import did (the
second, nothing). Run small on a temporary SQLite database, whatever the suite runs on."""

import os
import re
import subprocess
import sys

from tests.support import ROOT

NUMBER = r"[\d.]+"


def test_the_registry_benchmark_imports_twice_and_prints_its_figures():
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "benchmarks.registry", "--rows", "62"]
    result = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Registry import: 60 members (62 sheet rows), sqlite")
    assert lines[1].split() == [
        "file", "run", "wall_s", "cpu_s", "peak_mb", "base_mb", "rows_s",
        "read", "check", "write", "x_read",
    ]  # fmt: skip
    for kind in ("xlsx", "csv"):
        rows = {line.split()[1]: line for line in lines if line.startswith(kind)}
        assert re.fullmatch(rf"{kind}\s+read(\s+{NUMBER}){{5}}\s*", rows["read"])
        for run in ("first", "again"):
            figures = rows[run].split()[2:]
            assert len(figures) == 9, rows[run]
            assert all(re.fullmatch(rf"{NUMBER}%?", figure) for figure in figures)
            shares = [int(share.rstrip("%")) for share in figures[5:8]]
            assert 98 <= sum(shares) <= 102, rows[run]
    said = [line for line in lines if "建档立卡人员" in line]
    assert len(said) == 4  # what each of the four imports did: first, again, per file

    def counts(line, what):
        return sum(int(n) for n in re.findall(rf"{what} (\d+)", line))

    for first, again in (said[0:2], said[2:4]):
        assert counts(first, "新增") == 60 and counts(first, "未变") == 0
        assert counts(again, "新增") == counts(again, "更新") == 0
        assert counts(again, "未变") == 60 and "没有变化" in again
