"""The profile form: each field's bad input is refused with a Chinese message beside it."""

import datetime

import pytest

from mentors.forms import EntrepreneurForm
from mentors.models import Background, Entrepreneur, Product, SalesChannel, Stage
from tests.accounts.factories import UserFactory

from .factories import make_village

pytestmark = pytest.mark.django_db


def good_data(place=None, **changes):
    """What a graduate from 罗定市罗镜镇水摆村 fills in; ``place`` picks another village."""
    village = place or make_village()
    data = {
        "name": "黄小梅",
        "background": Background.GRADUATE,
        "school": "云浮职业技术学院",
        "graduation_year": "2022",
        "county": village.town.county_id,
        "town": village.town_id,
        "village": village.pk,
        "products": [Product.objects.get(name="沙糖桔").pk, Product.objects.get(name="肉桂").pk],
        "other_products": "腐竹",
        "stage": Stage.IDEA,
        "channels": [SalesChannel.objects.get(name="抖音").pk],
        "needs": "想在抖音上卖自家的沙糖桔，不会拍视频。",
        "households_helped": "3",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def form_for(data, user=None):
    user = user or UserFactory()
    return EntrepreneurForm(data, instance=Entrepreneur(user=user, phone=user.phone))


def errors_for(place=None, **changes):
    form = form_for(good_data(place, **changes))
    assert not form.is_valid()
    return form.errors


def in_chinese(messages):
    return bool(messages) and all(
        any("\u4e00" <= ch <= "\u9fff" for ch in message) for message in messages
    )


def test_a_complete_profile_saves_with_its_products_and_channels():
    user = UserFactory()
    form = form_for(good_data(), user)
    assert form.is_valid(), form.errors
    entrepreneur = form.save()
    assert entrepreneur.user == user
    assert entrepreneur.phone == user.phone
    assert entrepreneur.school == "云浮职业技术学院"
    assert sorted(p.name for p in entrepreneur.products.all()) == ["沙糖桔", "肉桂"]
    assert [c.name for c in entrepreneur.channels.all()] == ["抖音"]
    assert entrepreneur.households_helped == 3


@pytest.mark.parametrize("background", [Background.GRADUATE, Background.VOCATIONAL])
def test_graduates_without_school_or_year_are_told_in_chinese(background):
    errors = errors_for(background=background, school="", graduation_year="")
    assert errors["school"] == ["请填写毕业院校。"]
    assert errors["graduation_year"] == ["请填写毕业年份。"]


def test_a_future_graduation_year_is_refused():
    errors = errors_for(graduation_year=str(datetime.date.today().year + 1))
    assert errors["graduation_year"] == ["毕业年份不能晚于今年。"]


@pytest.mark.parametrize("year", ["1959", "abc", "99999999999999999999"])
def test_a_year_out_of_range_or_not_a_number_is_refused(year):
    errors = errors_for(graduation_year=year)
    assert list(errors) == ["graduation_year"]
    assert in_chinese(errors["graduation_year"])
    assert len(errors["graduation_year"]) == 1, "one message, not the model's on top"


def test_a_huge_year_is_told_it_is_in_the_future_not_the_databases_range():
    assert errors_for(graduation_year="9" * 20)["graduation_year"] == ["毕业年份不能晚于今年。"]


def test_a_year_in_full_width_digits_as_a_chinese_keyboard_types_it_is_taken():
    form = form_for(good_data(graduation_year="２０２１"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["graduation_year"] == 2021


def test_without_the_graduate_background_school_and_year_are_neither_asked_nor_kept():
    """The page hides them: even junk left in them must not block or be saved."""
    form = form_for(
        good_data(background=Background.MIGRANT, school="某大学", graduation_year="abc")
    )
    assert form.is_valid(), form.errors
    entrepreneur = form.save()
    assert entrepreneur.school == ""
    assert entrepreneur.graduation_year is None


def test_a_village_of_another_town_is_refused():
    village = make_village()
    other = make_village(town="泗纶镇", name="杨绿村")
    errors = errors_for(village, village=other.pk)
    assert errors["village"] == ["杨绿村不属于罗镜镇。"]


def test_a_town_of_another_county_is_refused():
    village = make_village()
    elsewhere = make_village(county="新兴县", town="六祖镇", name="夏卢村")
    errors = errors_for(village, town=elsewhere.town_id, village=elsewhere.pk)
    assert errors["town"] == ["六祖镇不属于罗定市。"]


@pytest.mark.parametrize("field", ["county", "town", "village"])
@pytest.mark.parametrize("value", ["", "999999", "abc"])
def test_each_place_must_be_a_real_choice(field, value):
    errors = errors_for(**{field: value})
    assert list(errors) == [field]
    assert in_chinese(errors[field])


def test_a_product_that_does_not_exist_is_refused():
    errors = errors_for(products=["999999"])
    assert "products" in errors
    assert "999999" in errors["products"][0]


def test_a_product_id_that_is_not_a_number_is_refused():
    assert "products" in errors_for(products=["沙糖桔"])


def test_a_sales_channel_that_does_not_exist_is_refused():
    assert "channels" in errors_for(channels=["999999"])


@pytest.mark.parametrize("field", ["background", "stage"])
def test_a_background_or_stage_outside_the_list_is_refused(field):
    assert in_chinese(errors_for(**{field: "外星人"})[field])


@pytest.mark.parametrize("field", ["name", "background", "stage", "needs"])
def test_required_fields_left_empty_are_refused(field):
    errors = errors_for(**{field: ""})
    assert list(errors) == [field]
    assert in_chinese(errors[field])


def test_help_wanted_of_more_than_1000_characters_is_refused():
    errors = errors_for(needs="想" * 1001)
    assert list(errors) == ["needs"]
    assert in_chinese(errors["needs"])
    assert form_for(good_data(needs="想" * 1000)).is_valid()


@pytest.mark.parametrize("households", ["-1", "abc", "1.5", "100001"])
def test_households_must_be_a_whole_number_from_0(households):
    errors = errors_for(households_helped=households)
    assert list(errors) == ["households_helped"]
    assert in_chinese(errors["households_helped"])


def test_products_and_channels_may_be_left_empty():
    assert form_for(good_data(products=[], channels=[], other_products="")).is_valid()


def test_a_name_or_other_products_too_long_is_refused():
    assert "name" in errors_for(name="黄" * 51)
    assert "other_products" in errors_for(other_products="桔" * 101)


def test_editing_starts_from_the_village_its_town_and_county():
    village = make_village()
    user = UserFactory()
    form = form_for(good_data(village), user)
    entrepreneur = form.save()
    form = EntrepreneurForm(instance=entrepreneur)
    assert form["county"].value() == village.town.county_id
    assert form["town"].value() == village.town_id
    assert form["village"].value() == village.pk
