"""The heartbeat's cached standing (learning.enrolment.study_standing) follows the changes
no save signal tells of, and those another worker reads before they commit."""

import pytest
from django.core.cache import cache

from learning.enrolment import Standing, _standing_key, leave, study_standing


def read_by_another_worker_before_the_commit(user, course, **standing):
    """What a heartbeat in another worker caches while the change is not yet committed:
    the old rows, which that worker still sees."""
    cache.set(_standing_key(user.pk, course.pk), Standing(**standing))


@pytest.mark.django_db
def test_leaving_is_seen_by_a_heartbeat_that_read_before_the_commit(
    trainee, course, django_capture_on_commit_callbacks
):
    assert study_standing(trainee, course.pk).enrolled

    with django_capture_on_commit_callbacks(execute=True):
        # An update, which sends no signal: leave() clears the standing itself.
        assert leave(trainee, course)
        read_by_another_worker_before_the_commit(trainee, course, enrolled=True)

    assert not study_standing(trainee, course.pk).enrolled
