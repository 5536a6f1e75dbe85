"""Who sees which entrepreneur (带头人), and whose phone number in full.

Staff of the mentoring programme see everyone; an expert sees the entrepreneurs they
mentor; anyone else only themselves. Someone else's profile is a 404, never a 403.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from mentors.entrepreneurs import phone_for, sees_full_phone, visible_entrepreneurs
from tests.accounts.factories import UserFactory
from tests.mentors.factories import make_mentoring_staff

from .factories import make_entrepreneur, make_expert

pytestmark = pytest.mark.django_db


def url(entrepreneur):
    return f"/mentors/entrepreneurs/{entrepreneur.pk}/"


@pytest.fixture
def group():
    """An expert with an account, mentoring 甲 and 乙; 丙 is mentored by someone else;
    丁 waits for a mentor. 甲 has an account too."""
    expert = make_expert("陈老师", user=UserFactory())
    other_expert = make_expert("李老师", user=UserFactory())
    today = timezone.localdate()
    jia = make_entrepreneur("甲", user=UserFactory(), phone="+8613711112222")
    jia.mentor, jia.mentor_since = expert, today
    jia.save()
    yi = make_entrepreneur("乙", mentor=expert, mentor_since=today)
    bing = make_entrepreneur("丙", mentor=other_expert, mentor_since=today)
    ding = make_entrepreneur("丁", user=UserFactory())
    return {"expert": expert, "other": other_expert, "甲": jia, "乙": yi, "丙": bing, "丁": ding}


def staff():
    return make_mentoring_staff()


def names(user):
    return sorted(e.name for e in visible_entrepreneurs(user))


def test_staff_see_every_entrepreneur(group):
    assert names(staff()) == sorted(["甲", "乙", "丙", "丁"])


def test_an_expert_sees_the_entrepreneurs_they_mentor_only(group):
    assert names(group["expert"].user) == sorted(["甲", "乙"])
    assert names(group["other"].user) == ["丙"]


def test_an_entrepreneur_sees_only_themselves(group):
    assert names(group["甲"].user) == ["甲"]
    assert names(group["丁"].user) == ["丁"]


def test_a_trainee_and_an_anonymous_visitor_see_no_one(group):
    assert names(UserFactory()) == []
    assert names(AnonymousUser()) == []


def test_an_entrepreneur_requesting_another_profile_by_id_gets_404(client, group):
    client.force_login(group["丁"].user)
    assert client.get(url(group["丁"])).status_code == 200
    for name in ("甲", "乙", "丙"):
        assert client.get(url(group[name])).status_code == 404


def test_an_id_that_does_not_exist_is_the_same_404(client, group):
    client.force_login(group["丁"].user)
    assert client.get("/mentors/entrepreneurs/999999/").status_code == 404


def test_the_mentor_sees_their_entrepreneurs_with_full_phone(client, group):
    client.force_login(group["expert"].user)
    response = client.get(url(group["甲"]))
    assert response.status_code == 200
    assert "13711112222" in response.content.decode()
    assert client.get(url(group["乙"])).status_code == 200


def test_another_expert_gets_404_for_entrepreneurs_not_theirs(client, group):
    client.force_login(group["other"].user)
    assert client.get(url(group["甲"])).status_code == 404
    assert client.get(url(group["丁"])).status_code == 404
    assert client.get(url(group["丙"])).status_code == 200


def test_staff_see_any_profile_with_full_phone(client, group):
    client.force_login(staff())
    html = client.get(url(group["甲"])).content.decode()
    assert "13711112222" in html
    assert client.get(url(group["丁"])).status_code == 200


def test_the_entrepreneur_sees_their_own_full_phone(client, group):
    client.force_login(group["甲"].user)
    assert "13711112222" in client.get(url(group["甲"])).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, group):
    response = client.get(url(group["甲"]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_phone_is_masked_outside_the_mentoring_group(group):
    jia = group["甲"]
    assert phone_for(staff(), jia) == "13711112222"
    assert phone_for(group["expert"].user, jia) == "13711112222"
    assert phone_for(jia.user, jia) == "13711112222"
    for outsider in (group["other"].user, group["丁"].user, UserFactory(), AnonymousUser()):
        assert not sees_full_phone(outsider, jia)
        assert phone_for(outsider, jia) == "137****2222"
