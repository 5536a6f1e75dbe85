"""`manage.py run_matching` speaks the coordinators' language: its figures, its refusals
and its help come out in Chinese (LANGUAGE_CODE), from English msgids."""

import re

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.utils import translation

from matching import assignment
from matching.models import MatchingRun
from tests.mentors.factories import make_entrepreneur, make_expert, make_village

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def people():
    luoding = make_village()
    make_expert("王微店", tags=("微店运营",), counties=("罗定市",), capacity=2)
    make_entrepreneur("陈微店", village=luoding, needs="想开微店卖沙糖桔")
    make_entrepreneur("黄黄皮", village=luoding, needs="想学拍短视频")


def no_english_words(text):
    """What is left of the output once numbers, the run's figures and 's' (seconds) go."""
    return re.findall(r"[A-Za-z]{2,}", text)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_figures_are_printed_in_chinese(people, capsys):
    call_command("run_matching")
    out = capsys.readouterr().out
    run = MatchingRun.objects.get()
    assert f"第 {run.pk} 次匹配：2 位带头人中 2 位匹配到 1 位专家（共 2 个名额）" in out, out
    assert "均衡分配已开启" in out, out
    assert no_english_words(out) == [], out


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_unbalanced_run_says_so_in_chinese(people, capsys):
    call_command("run_matching", "--unbalanced")
    out = capsys.readouterr().out
    assert MatchingRun.objects.get().balanced is False
    assert "均衡分配已关闭" in out, out
    assert no_english_words(out) == [], out


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_english_is_still_there_for_whoever_asks(people, capsys):
    with translation.override("en"):
        call_command("run_matching")
    out = capsys.readouterr().out
    assert "2 of 2 entrepreneurs matched to 1 experts (2 places)" in out, out


@pytest.mark.django_db
def test_a_refused_run_is_explained_in_chinese():
    MatchingRun.objects.create(status=MatchingRun.Status.RUNNING)
    with pytest.raises(CommandError) as excinfo:
        call_command("run_matching")
    assert CJK.search(str(excinfo.value)), str(excinfo.value)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_run_is_reported_in_chinese(people, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(assignment, "assign", explode)
    with pytest.raises(CommandError) as excinfo:
        call_command("run_matching")
    assert str(excinfo.value).startswith(f"第 {MatchingRun.objects.get().pk} 次匹配失败"), str(
        excinfo.value
    )


def test_the_help_is_chinese(capsys):
    with pytest.raises(SystemExit):
        ManagementUtility(["manage.py", "run_matching", "--help"]).execute()
    out = capsys.readouterr().out
    assert "开始一次匹配" in out, out
    assert "均衡分配" in out, out
