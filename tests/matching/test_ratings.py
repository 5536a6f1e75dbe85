"""Mentees rate their mentor, 1 to 5 stars with an optional comment, once per pair."""

import pytest

from matching.models import Rating
from tests.accounts.factories import UserFactory
from tests.matching.test_group_pages import GROUP, MENTOR, make_group, mentees
from tests.mentors.factories import make_entrepreneur
from tests.support import field_html, ok_page

pytestmark = pytest.mark.django_db


def rate(client, mentee, **data):
    client.force_login(mentee.user)
    return client.post(MENTOR, {"form": "rating"} | data)


@pytest.mark.parametrize("stars", [1, 2, 3, 4, 5])
def test_one_to_five_stars_are_accepted(client, stars):
    group = make_group(members=1)
    mentee = mentees(group)[0]
    response = rate(client, mentee, stars=str(stars))
    assert response.status_code == 302 and response["Location"] == MENTOR
    rating = Rating.objects.get()
    assert (rating.entrepreneur, rating.expert, rating.stars) == (mentee, group.expert, stars)


@pytest.mark.parametrize("stars", ["0", "6", "x", "", "3.5", "-1"])
def test_anything_else_is_refused_beside_the_field_keeping_the_comment(client, stars):
    group = make_group(members=1)
    html = ok_page(rate(client, mentees(group)[0], stars=stars, comment="很耐心"))
    assert "请选择 1 到 5 星。" in field_html(html, "stars")
    assert "很耐心" in field_html(html, "comment")
    assert not Rating.objects.exists()


def test_a_comment_too_long_is_refused_and_kept(client):
    group = make_group(members=1)
    comment = "好" * 501
    html = ok_page(rate(client, mentees(group)[0], stars="4", comment=comment))
    assert "最多 500 个字，现在有 501 个字。" in field_html(html, "comment")
    assert comment in field_html(html, "comment")
    assert 'value="4" required id="id_stars_3" checked' in field_html(html, "stars")
    assert not Rating.objects.exists()


def test_rating_again_updates_the_rating_instead_of_adding_one(client):
    group = make_group(members=1)
    mentee = mentees(group)[0]
    rate(client, mentee, stars="2", comment="联系不上")
    rate(client, mentee, stars="5", comment="后来帮了大忙")
    rating = Rating.objects.get()
    assert (rating.stars, rating.comment) == (5, "后来帮了大忙")
    html = ok_page(client.get(MENTOR))
    assert "您给了 5 星" in html
    assert 'value="5" required id="id_stars_4" checked' in html
    assert "后来帮了大忙" in field_html(html, "comment")


def test_the_expert_sees_the_ratings_of_their_mentees_only(client):
    group, other = make_group(members=2), make_group(members=1)
    first, second = mentees(group)
    rate(client, first, stars="5", comment="手把手教我开店")
    rate(client, second, stars="3")
    rate(client, mentees(other)[0], stars="1", comment="别的小组的评价")
    client.force_login(group.expert.user)
    html = ok_page(client.get(GROUP))
    assert "手把手教我开店" in html and first.name in html
    assert "平均 4.0 分（满分 5 分），共 2 条评价" in html
    assert "别的小组的评价" not in html


def test_only_a_mentored_entrepreneur_can_rate(client):
    waiting = make_entrepreneur(user=UserFactory())
    response = rate(client, waiting, stars="5")
    assert response.status_code == 200
    assert not Rating.objects.exists()
