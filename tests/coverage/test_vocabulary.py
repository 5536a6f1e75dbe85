"""The registry's words: sheet spellings read as the national system's words, the
migrant default in those words, and the migration that rewrites the old words."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from coverage.models import LabourCategory, RegistryMember, WorkStatus
from coverage.vocabulary import (
    LABOUR_CATEGORY_WORDS,
    WORK_STATUS_WORDS,
    canonical_labour_category,
    canonical_work_status,
)
from tests.coverage.conftest import member

NATIONAL_WORK_STATUSES = [
    "乡（镇）内务工",
    "乡（镇）外县内务工",
    "县外省内务工",
    "省外务工",
    "其他",
]
migration = importlib.import_module("coverage.migrations.0004_national_work_status")
initial = importlib.import_module("coverage.migrations.0001_initial")


def test_work_statuses_are_stored_as_the_national_system_writes_them():
    assert WorkStatus.values == [*NATIONAL_WORK_STATUSES, ""]
    assert list(WORK_STATUS_WORDS) == NATIONAL_WORK_STATUSES


def test_labour_categories_are_the_national_words():
    assert list(LABOUR_CATEGORY_WORDS) == [
        "技能劳动力",
        "普通劳动力",
        "弱劳动力或半劳动力",
        "丧失劳动力",
        "无劳动力",
    ]


@pytest.mark.parametrize("word", NATIONAL_WORK_STATUSES)
def test_a_national_work_status_reads_as_itself(word):
    assert canonical_work_status(word) == word


@pytest.mark.parametrize("word", LabourCategory.values)
def test_a_national_labour_category_reads_as_itself(word):
    assert canonical_labour_category(word) == word


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ("乡(镇)内务工", "乡（镇）内务工"),
        ("乡(镇)外县内务工", "乡（镇）外县内务工"),
        ("乡（镇)内务工", "乡（镇）内务工"),
        (" 乡（镇）外县内务工 ", "乡（镇）外县内务工"),
        ("乡 (镇) 外县内务工\n", "乡（镇）外县内务工"),
        ("\u3000县外省内务工\u3000", "县外省内务工"),
        ("省外 务工", "省外务工"),
        ("\t其他", "其他"),
    ],
)
def test_work_status_brackets_and_whitespace_do_not_matter(cell, stored):
    assert canonical_work_status(cell) == stored


@pytest.mark.parametrize(
    ("cell", "stored"),
    [(" 普通劳动力", "普通劳动力"), ("弱劳动力或\u3000半劳动力", "弱劳动力或半劳动力")],
)
def test_labour_category_whitespace_does_not_matter(cell, stored):
    assert canonical_labour_category(cell) == stored


@pytest.mark.parametrize(
    ("old", "national"),
    [
        ("省内县外务工", "县外省内务工"),
        ("县内务工", "乡（镇）外县内务工"),
        ("乡镇内务工", "乡（镇）内务工"),
        ("镇内务工", "乡（镇）内务工"),
        ("在家", ""),
        (" 在家 ", ""),
        ("乡镇外县内务工", "乡（镇）外县内务工"),
    ],
)
def test_old_work_status_words_read_as_the_national_ones(old, national):
    assert canonical_work_status(old) == national


@pytest.mark.parametrize("half", ["弱劳动力", "半劳动力", " 半劳动力 "])
def test_half_of_the_weak_labour_word_reads_as_the_whole(half):
    assert canonical_labour_category(half) == "弱劳动力或半劳动力"


@pytest.mark.parametrize("cell", ["", "   ", "\u3000", None])
def test_a_blank_work_status_is_blank_and_a_blank_labour_category_is_unknown(cell):
    assert canonical_work_status(cell) == ""
    assert canonical_labour_category(cell) is None


@pytest.mark.parametrize(
    "cell", ["外出务工", "省内务工", "县外务工", "乡（镇）务工", "务工", "其它x"]
)
def test_an_unknown_work_status_is_none(cell):
    assert canonical_work_status(cell) is None


@pytest.mark.parametrize("cell", ["劳动力", "普通劳力", "弱劳动力和半劳动力", "省外务工"])
def test_an_unknown_labour_category_is_none(cell):
    assert canonical_labour_category(cell) is None


def test_the_readers_return_plain_strings():
    """Not enum members: a value compared, joined or stored stays the same text."""
    assert type(canonical_work_status("在家")) is str
    assert type(canonical_labour_category("半劳动力")) is str


@pytest.mark.django_db
def test_by_default_only_work_outside_the_county_makes_a_migrant(places):
    for status in WorkStatus.values:
        member(places["v1"], work=status)
    eligible = set(RegistryMember.objects.eligible().values_list("work_status", flat=True))
    assert eligible == {"乡（镇）内务工", "乡（镇）外县内务工", "其他", ""}


def old_work_statuses():
    """The values the first migration's field allowed."""
    create = next(
        op for op in initial.Migration.operations if getattr(op, "name", None) == "RegistryMember"
    )
    field = dict(create.fields)["work_status"]
    return [value for value, _label in field.choices]


@pytest.mark.django_db
def test_the_migration_rewrites_every_old_word_to_a_national_one(places):
    old = old_work_statuses()
    assert "省内县外务工" in old  # the list read from 0001 is the old vocabulary
    people = {status: member(places["v1"], work=status) for status in old}
    migration.to_national_words(apps, SimpleNamespace(connection=connection))
    now = {
        status: RegistryMember.objects.get(pk=person.pk).work_status
        for status, person in people.items()
    }
    assert now == {
        "省外务工": "省外务工",
        "省内县外务工": "县外省内务工",
        "县内务工": "乡（镇）外县内务工",
        "乡镇内务工": "乡（镇）内务工",
        "在家": "",
        "": "",
    }


@pytest.mark.django_db
def test_migrating_back_restores_the_old_words_where_one_came_from_one(places):
    people = {status: member(places["v1"], work=status) for status in WorkStatus.values}
    migration.to_old_words(apps, SimpleNamespace(connection=connection))
    now = {
        status: RegistryMember.objects.get(pk=person.pk).work_status
        for status, person in people.items()
    }
    assert now == {
        "乡（镇）内务工": "乡镇内务工",
        "乡（镇）外县内务工": "县内务工",
        "县外省内务工": "省内县外务工",
        "省外务工": "省外务工",
        "其他": "其他",
        "": "",
    }
