"""The public 讲师团 page at /mentors/team/."""

import re

import pytest
from django.urls import reverse

from mentors.models import ExpertType
from regions.models import County
from tests.accounts.factories import UserFactory
from tests.mentors.factories import make_entrepreneur, make_expert, make_photo

URL = "/mentors/team/"

pytestmark = pytest.mark.django_db


def page(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_has_its_url_name():
    assert reverse("mentors:team") == URL


def test_experts_are_grouped_by_type_in_the_types_order(client):
    make_expert("王农技", expert_type=ExpertType.AGRICULTURE)
    make_expert("李创业", expert_type=ExpertType.STARTUP)
    make_expert("陈电商", expert_type=ExpertType.RURAL_ECOMMERCE)
    html = page(client)
    headings = list(re.finditer(r"<h2 id=\"type-\w+\">([^<]+?) <span", html))
    assert [h.group(1) for h in headings] == ["创业指导专家", "农村电商专家", "农业技术专家"]
    starts = [h.start() for h in headings] + [len(html)]
    for number, name in enumerate(("李创业", "陈电商", "王农技")):
        assert starts[number] < html.index(name) < starts[number + 1]


def test_inactive_experts_are_not_listed(client):
    make_expert("在册专家")
    make_expert("离开的专家", is_active=False)
    html = page(client)
    assert "在册专家" in html
    assert "离开的专家" not in html


def test_a_card_shows_organisation_introduction_tags_and_counties(client):
    make_expert(
        "黄老师",
        organisation="罗定职业技术学院",
        introduction="教农户用手机拍商品图。",
        tags=("短视频", "直播带货"),
        counties=("罗定市", "郁南县"),
    )
    html = page(client)
    for text in ("罗定职业技术学院", "教农户用手机拍商品图。", "短视频", "直播带货"):
        assert text in html
    assert "罗定市、郁南县" in html or "郁南县、罗定市" in html


def test_free_places_count_the_mentees_already_taken(client):
    expert = make_expert("周专家", capacity=3)
    make_entrepreneur(mentor=expert, mentor_since="2026-03-01")
    html = page(client)
    assert "剩余 2 个名额（共 3 个）" in html


def test_an_expert_with_every_place_taken_shows_as_full(client):
    expert = make_expert("满额专家", capacity=1)
    make_entrepreneur(mentor=expert, mentor_since="2026-03-01")
    assert "名额已满" in page(client)


@pytest.mark.parametrize("staff", [False, True])
def test_the_phone_is_masked_even_for_staff(client, staff):
    make_expert("吴专家", phone="+8613912345678")
    if staff:
        client.force_login(UserFactory(is_superuser=True))
    html = page(client)
    assert "139****5678" in html
    assert "13912345678" not in html


def test_a_photo_is_shown_as_a_rendition(client):
    make_expert("有照片", photo=make_photo())
    html = page(client)
    img = re.search(r"<img[^>]*class=\"expert-photo\"[^>]*>", html).group(0)
    assert re.search(r'src="/media/images/expert\.[^"]*fill-160x160[^"]*"', img), img
    assert 'width="160"' in img


def test_an_expert_without_photo_gets_the_first_character_of_the_name(client):
    make_expert("郑晓明")
    html = page(client)
    assert re.search(r'<span class="expert-photo placeholder"[^>]*>郑</span>', html)


def test_the_county_filter_shows_only_experts_serving_it(client):
    make_expert("罗定的专家", counties=("罗定市",))
    make_expert("新兴的专家", counties=("新兴县",))
    make_expert("两县的专家", counties=("罗定市", "新兴县"))
    county = County.objects.get(name="新兴县")
    html = page(client, county=county.pk)
    assert "新兴的专家" in html
    assert "两县的专家" in html
    assert "罗定的专家" not in html
    assert f'<option value="{county.pk}" selected>新兴县</option>' in html


def test_the_county_choices_are_the_counties_served(client):
    make_expert("罗定的专家", counties=("罗定市",))
    County.objects.create(name="云安区")
    html = page(client)
    assert ">罗定市</option>" in html
    assert "云安区" not in html


# A NUL in the address is the site's 400 page before this view (tests/site/test_bad_input).
@pytest.mark.parametrize("junk", ["abc", "999999", "", "1 OR 1=1", "-1", "1.5"])
def test_junk_in_the_county_parameter_shows_the_whole_team(client, junk):
    make_expert("罗定的专家", counties=("罗定市",))
    make_expert("新兴的专家", counties=("新兴县",))
    html = page(client, county=junk)
    assert "罗定的专家" in html
    assert "新兴的专家" in html


def test_a_county_without_experts_says_so(client):
    make_expert("新兴的专家", counties=("新兴县",), is_active=False)
    make_expert("罗定的专家", counties=("罗定市",))
    # Served only by an inactive expert: not a choice, so the whole team is shown instead.
    county = County.objects.get(name="新兴县")
    assert "罗定的专家" in page(client, county=county.pk)


def test_an_empty_team_says_so(client):
    assert "讲师团还没有成员" in page(client)


def test_queries_do_not_grow_with_the_number_of_experts(client, django_assert_max_num_queries):
    for number in range(12):
        make_expert(
            f"专家{number}",
            photo=make_photo(),
            tags=("开网店", "短视频"),
            counties=("罗定市", "郁南县"),
            expert_type=list(ExpertType)[number % 4],
        )
    page(client)  # the renditions are made on the first view
    with django_assert_max_num_queries(8):
        html = page(client)
    assert html.count('class="expert-card"') == 12
