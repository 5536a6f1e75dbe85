"""The rules an entrepreneur's record keeps however it is written (form, import, admin)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from mentors.models import Background

from .factories import make_entrepreneur

pytestmark = pytest.mark.django_db


def errors_of(entrepreneur):
    with pytest.raises(ValidationError) as excinfo:
        entrepreneur.full_clean()
    return excinfo.value.message_dict


@pytest.mark.parametrize("background", [Background.GRADUATE, Background.VOCATIONAL])
def test_graduates_must_give_school_and_year(background):
    entrepreneur = make_entrepreneur(background=background, school="", graduation_year=None)
    errors = errors_of(entrepreneur)
    assert set(errors) == {"school", "graduation_year"}


@pytest.mark.parametrize("background", [Background.MIGRANT, Background.FARMER, Background.OTHER])
def test_others_need_no_school(background):
    make_entrepreneur(background=background).full_clean()


def test_a_graduate_with_school_and_year_is_valid():
    make_entrepreneur(
        background=Background.GRADUATE, school="广东农工商职业技术学院", graduation_year=2022
    ).full_clean()


def test_the_graduation_year_cannot_be_in_the_future():
    next_year = datetime.date.today().year + 1
    entrepreneur = make_entrepreneur(
        background=Background.GRADUATE, school="云浮职业技术学院", graduation_year=next_year
    )
    assert "graduation_year" in errors_of(entrepreneur)


def test_the_graduation_year_cannot_be_before_1960():
    entrepreneur = make_entrepreneur(
        background=Background.GRADUATE, school="云浮职业技术学院", graduation_year=1959
    )
    assert "graduation_year" in errors_of(entrepreneur)


def test_help_wanted_is_required():
    entrepreneur = make_entrepreneur()
    entrepreneur.needs = ""
    assert "needs" in errors_of(entrepreneur)


def test_households_cannot_be_negative():
    entrepreneur = make_entrepreneur()
    entrepreneur.households_helped = -1
    assert "households_helped" in errors_of(entrepreneur)
