from decimal import Decimal

import pytest
from django.core.cache import cache

from courses.models import CatalogPage, Track
from learning.models import Enrollment
from tests.accounts.factories import UserFactory
from tests.courses.factories import make_course, make_lesson


@pytest.fixture(autouse=True)
def _empty_cache():
    """Heartbeats keep lessons' courses and trainees' enrolments in the cache, by ids that
    another test's rolled-back rows may have had."""
    cache.clear()
    yield
    cache.clear()


# The course, lesson and enrolled trainee that the study-time tests share; a module that
# needs another course defines its own fixture of the same name.
@pytest.fixture
def course(db):
    return make_course(
        CatalogPage.objects.get(), Track.objects.first(), "网店运营", required_hours=Decimal("6")
    )


@pytest.fixture
def lesson(course):
    return make_lesson(course, "第一课 开店")


@pytest.fixture
def trainee(course):
    user = UserFactory()
    Enrollment.objects.create(user=user, course=course)
    return user
