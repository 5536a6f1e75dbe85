"""The start-up check on the coverage settings: only the national system's words."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from coverage.checks import check_vocabulary_settings


def test_the_default_settings_pass():
    assert check_vocabulary_settings() == []


@override_settings(COVERAGE_MIGRANT_STATUSES=["省内县外务工", "省外务工"])
def test_an_old_word_is_refused_and_the_hint_names_the_national_one():
    [error] = check_vocabulary_settings()
    assert error.id == "coverage.E002"
    assert "COVERAGE_MIGRANT_STATUSES" in error.msg
    assert "省内县外务工" in error.msg
    assert "“县外省内务工”" in error.hint


@override_settings(COVERAGE_MIGRANT_STATUSES=["县外省内务工", "乡(镇)外县内务工"])
def test_half_width_brackets_are_refused_and_the_hint_names_the_full_width_word():
    [error] = check_vocabulary_settings()
    assert error.id == "coverage.E002"
    assert "“乡（镇）外县内务工”" in error.hint


@override_settings(COVERAGE_MIGRANT_STATUSES=["县外省内务工", "在家"])
def test_at_home_is_refused_because_the_national_system_leaves_it_blank():
    [error] = check_vocabulary_settings()
    assert error.id == "coverage.E002"
    assert "“”" not in error.hint


@override_settings(COVERAGE_MIGRANT_STATUSES=["县外省内务工", "省外务公"])
def test_a_typo_is_refused_and_the_hint_lists_the_national_words():
    [error] = check_vocabulary_settings()
    assert error.id == "coverage.E001"
    assert "省外务公" in error.msg
    assert "乡（镇）内务工、乡（镇）外县内务工、县外省内务工、省外务工、其他" in error.hint


@override_settings(COVERAGE_CAPACITY_CATEGORIES=["技能劳动力", "普通劳动力", "弱劳动力"])
def test_a_labour_alias_is_refused_and_the_hint_names_the_national_word():
    [error] = check_vocabulary_settings()
    assert error.id == "coverage.E002"
    assert "COVERAGE_CAPACITY_CATEGORIES" in error.msg
    assert "“弱劳动力或半劳动力”" in error.hint


@override_settings(COVERAGE_CAPACITY_CATEGORIES=["技能劳动力", "普通劳动"])
def test_an_unknown_labour_category_is_refused():
    [error] = check_vocabulary_settings()
    assert error.id == "coverage.E001"
    assert "丧失劳动力" in error.hint


@override_settings(COVERAGE_MIGRANT_STATUSES=["省内县外务工"])
def test_the_check_stops_start_up():
    """Registered by the app, so manage.py (runserver, migrate, check) refuses to run."""
    with pytest.raises(SystemCheckError, match="coverage.E002"):
        call_command("check")
