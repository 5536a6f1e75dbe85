"""Finding a village however a sheet spells it (regions.places)."""

import pytest
from django.utils import translation

from regions.models import County, Town, Village
from regions.places import VillageFinder, place_key


@pytest.mark.parametrize(
    "name, key",
    [
        ("牧羊村民委员会", "牧羊村"),
        ("牧羊村委会", "牧羊村"),
        ("牧羊村", "牧羊村"),
        ("星岩社区居民委员会", "星岩社区"),
        ("振兴社区居委会", "振兴社区"),
        ("星岩社区", "星岩社区"),
        ("城东居民委员会", "城东居委会"),
        ("城东居委会", "城东居委会"),
        ("满（lang）塘镇", "满(lang)塘镇"),
        ("满(lang)塘镇", "满(lang)塘镇"),
        (" 水 摆\u3000村委会 ", "水摆村"),
        ("西江林场虚拟生活区", "西江林场虚拟生活区"),
        ("村委会", "村委会"),  # a suffix alone is no name to shorten
        # Names that end in 村 themselves (旺村, 高村 in the statistics bureau's list).
        ("旺村村民委员会", "旺村"),
        ("增村村委会", "增村"),
        ("旺村", "旺村"),
        ("旺村村", "旺村"),
        ("高村社区居民委员会", "高村社区"),
        ("", ""),
    ],
)
def test_place_key(name, key):
    assert place_key(name) == key


def place(county, town, name, **fields):
    county, _ = County.objects.get_or_create(name=county)
    town, _ = Town.objects.get_or_create(county=county, name=town)
    return Village.objects.create(town=town, name=name, **fields)


@pytest.fixture
def villages(db):
    return {
        name: place(county, town, name)
        for county, town, name in [
            ("罗定市", "罗镜镇", "水摆村"),
            ("罗定市", "罗镜镇", "龙岩村委会"),
            ("罗定市", "罗镜镇", "罗镜居委会"),
            ("罗定市", "泗纶镇", "水摆岭村"),
            ("罗定市", "泗纶镇", "杨绿村"),
            ("云城区", "云城街道", "星岩社区居民委员会"),
        ]
    }


def find(county, town, name):
    with translation.override("en"):
        return VillageFinder().find(county, town, name)


@pytest.mark.parametrize(
    "county, town, name, stored",
    [
        ("罗定市", "罗镜镇", "水摆村", "水摆村"),
        ("罗定市", "罗镜镇", "水摆村委会", "水摆村"),
        ("罗定市", "罗镜镇", "水摆村民委员会", "水摆村"),
        ("罗定市", "罗镜镇", "龙岩村", "龙岩村委会"),
        ("罗定市", "罗镜镇", "罗镜居民委员会", "罗镜居委会"),
        ("云城区", "云城街道", "星岩社区", "星岩社区居民委员会"),
        (" 罗定市", "罗镜镇 ", "水 摆 村", "水摆村"),
    ],
)
def test_find_matches_however_the_committee_is_written(villages, county, town, name, stored):
    assert find(county, town, name) == (villages[stored], None)


def test_unknown_village_suggests_the_nearest_names_of_that_town(villages):
    village, (code, message) = find("罗定市", "罗镜镇", "水摆材")

    assert village is None
    assert code == "unknown_village"
    assert message == "罗定市罗镜镇 has no village “水摆材”. Did you mean “水摆村”?"
    assert "水摆岭村" not in message  # near, but in 泗纶镇


def test_suggestions_are_the_names_as_stored(villages):
    _village, (code, message) = find("罗定市", "罗镜镇", "龙言村")

    assert code == "unknown_village"
    assert message.endswith("Did you mean “龙岩村委会”?")


def test_unknown_village_with_nothing_near_suggests_nothing(villages):
    _village, (code, message) = find("罗定市", "罗镜镇", "无名坑")

    assert code == "unknown_village"
    assert message == "罗定市罗镜镇 has no village “无名坑”."


def test_two_villages_of_one_key_in_a_town_are_ambiguous(villages):
    place("罗定市", "罗镜镇", "水摆村委会")

    village, (code, message) = find("罗定市", "罗镜镇", "水摆村")

    assert village is None
    assert code == "ambiguous_village"
    assert "罗定市/罗镜镇/水摆村、罗定市/罗镜镇/水摆村委会" in message


def test_inactive_village_is_not_found_and_says_so(villages):
    Village.objects.filter(pk=villages["杨绿村"].pk).update(is_active=False)

    village, (code, message) = find("罗定市", "泗纶镇", "杨绿村委会")

    assert village is None
    assert code == "inactive_village"
    assert "罗定市/泗纶镇/杨绿村" in message


def test_unknown_town_suggests_the_towns_of_that_county(villages):
    _village, (code, message) = find("罗定市", "罗竟镇", "水摆村")

    assert code == "unknown_village"
    assert message == "罗定市 has no town “罗竟镇”. Did you mean “罗镜镇”?"


def test_unknown_county_lists_the_counties(villages):
    _village, (code, message) = find("罗定县", "罗镜镇", "水摆村")

    assert code == "unknown_village"
    assert "罗定县" in message
    assert "云城区、罗定市" in message


def test_finder_over_the_villages_given_finds_only_those(villages):
    finder = VillageFinder([villages["杨绿村"]])

    assert finder.find("罗定市", "泗纶镇", "杨绿村") == (villages["杨绿村"], None)
    assert finder.matches("罗定市", "罗镜镇", "水摆村") == []
