import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Heartbeats keep lessons' courses and trainees' enrolments in the cache, by ids that
    another test's rolled-back rows may have had."""
    cache.clear()
    yield
    cache.clear()
