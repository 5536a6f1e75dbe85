import json
import re

import pytest
from django.urls import reverse

from accounts.models import User
from regions.demo import load_demo_regions
from regions.models import County, Town, Village


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser(phone="13800138000", password="x"))
    return client


def list_url(model):
    return reverse(model.snippet_viewset.get_url_name("list"))


@pytest.mark.django_db
@pytest.mark.parametrize("model", [County, Town, Village])
def test_snippet_list_renders_for_a_superuser(admin_client, model):
    load_demo_regions()

    response = admin_client.get(list_url(model))

    assert response.status_code == 200
    assert "罗定市" in response.content.decode()


def listed_villages(admin_client, **params):
    """The villages the list finds (all pages): 974 demo villages fill many."""
    response = admin_client.get(list_url(Village), params)
    assert response.status_code == 200
    return response.context["page_obj"].paginator.object_list


@pytest.mark.django_db
def test_village_list_filters_by_county(admin_client):
    load_demo_regions()
    county = County.objects.get(name="郁南县")

    villages = listed_villages(admin_client, county=county.pk)

    assert len(villages) == 204
    assert {village.town.county for village in villages} == {county}


@pytest.mark.django_db
def test_village_list_filters_by_provincial_poor(admin_client):
    load_demo_regions()

    villages = listed_villages(admin_client, is_provincial_poor="true")

    assert set(villages) == set(Village.objects.filter(is_provincial_poor=True))
    assert "水摆村委会" in {village.name for village in villages}


@pytest.mark.django_db
def test_village_list_searches_town_names(admin_client):
    load_demo_regions()

    villages = listed_villages(admin_client, q="泗纶")

    assert len(villages) == 28
    assert {village.town.name for village in villages} == {"泗纶镇"}
    assert "杨绿村委会" in {village.name for village in villages}


@pytest.mark.django_db
def test_regions_menu_is_labelled_in_chinese(admin_client):
    page = admin_client.get(reverse("wagtailadmin_home")).content.decode()

    # The sidebar is JSON with non-ASCII escaped; decode it to read the labels.
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', page, re.S).group(1)
    assert '"地区"' in json.dumps(json.loads(props), ensure_ascii=False)


@pytest.mark.django_db
@pytest.mark.parametrize("model", [County, Town, Village])
def test_snippet_add_form_renders_for_a_superuser(admin_client, model):
    response = admin_client.get(reverse(model.snippet_viewset.get_url_name("add")))

    assert response.status_code == 200
