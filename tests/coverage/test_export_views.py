"""The report's download honours who may see which county, and the page's town."""

import pytest
from django.contrib.auth.models import Group

from coverage.models import CountyOfficer
from coverage.roles import BUREAU, COUNTY_STAFF
from tests.accounts.factories import UserFactory
from tests.coverage.test_export import report_data

URL = "/coverage/export/?start=2026-01-01&end=2026-12-31&level=village&format=csv"


def bureau_user():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=BUREAU))
    return user


def county_staff(county):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=COUNTY_STAFF))
    CountyOfficer.objects.create(user=user, county=county)
    return user


@pytest.mark.django_db
def test_bureau_downloads_every_county_as_an_attachment(client):
    report_data()
    client.force_login(bureau_user())
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="coverage-village-20260101-20261231.csv"'
    )
    text = response.content.decode("utf-8-sig")
    assert "太平村" in text and "水东村" in text


@pytest.mark.django_db
def test_county_staff_get_their_own_county_only(client):
    places = report_data()
    client.force_login(county_staff(places["yuncheng"]))
    response = client.get(URL)
    text = response.content.decode("utf-8-sig")
    assert "水东村" in text and "太平村" not in text
    assert (
        "filename*=utf-8''coverage-%E4%BA%91%E5%9F%8E%E5%8C%BA-village"
        in (response["Content-Disposition"])
    )
    assert client.get(URL + f"&county={places['luoding'].pk}").status_code == 404
    assert client.get(URL + f"&county={places['yuncheng'].pk}").status_code == 200


@pytest.mark.django_db
def test_xlsx_download(client):
    report_data()
    client.force_login(bureau_user())
    response = client.get(URL.replace("format=csv", "format=xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


@pytest.mark.django_db
def test_trainees_are_refused_and_strangers_sent_to_log_in(client):
    report_data()
    assert client.get(URL).status_code == 302
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_bad_parameters_are_a_bad_request(client):
    client.force_login(bureau_user())
    assert client.get("/coverage/export/?start=2026-13-01").status_code == 400
    assert client.get("/coverage/export/?start=2026-02-01&end=2026-01-01").status_code == 400
    assert client.get("/coverage/export/?level=planet").status_code == 400
    assert client.get("/coverage/export/?format=pdf").status_code == 400


@pytest.mark.django_db
def test_a_town_page_downloads_that_towns_villages(client):
    places = report_data()
    client.force_login(bureau_user())
    response = client.get(URL + f"&town={places['luojing'].pk}")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "太平村" in text
    assert "HYPERLINK" not in text and "水东村" not in text  # other towns' villages
    assert "范围 罗定市 罗镜镇" in text
    assert "%E7%BD%97%E9%95%9C%E9%95%87" in response["Content-Disposition"]  # 罗镜镇
    # Without a level, a town's download is its villages.
    no_level = URL.replace("&level=village", "") + f"&town={places['luojing'].pk}"
    assert client.get(no_level).content == response.content


@pytest.mark.django_db
def test_county_staff_cannot_download_another_countys_town(client):
    places = report_data()
    client.force_login(county_staff(places["yuncheng"]))
    assert client.get(URL + f"&town={places['luojing'].pk}").status_code == 404
    client.force_login(county_staff(places["luoding"]))
    assert client.get(URL + f"&town={places['luojing'].pk}").status_code == 200


@pytest.mark.django_db
def test_a_town_outside_the_county_asked_for_is_not_found(client):
    places = report_data()
    client.force_login(bureau_user())
    town = places["luojing"].pk
    assert client.get(URL + f"&county={places['yuncheng'].pk}&town={town}").status_code == 404
    assert client.get(URL + f"&county={places['luoding'].pk}&town={town}").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("town", ["abc", "99999", "1.5", "-1"])
def test_bad_town_ids_are_not_found(client, town):
    report_data()
    client.force_login(bureau_user())
    assert client.get(URL + f"&town={town}").status_code == 404


@pytest.mark.django_db
def test_a_town_with_a_county_level_is_a_bad_request(client):
    places = report_data()
    client.force_login(bureau_user())
    url = URL.replace("level=village", "level=county") + f"&town={places['luojing'].pk}"
    assert client.get(url).status_code == 400


@pytest.mark.django_db
def test_bad_county_ids_are_not_found(client):
    client.force_login(bureau_user())
    assert client.get(URL + "&county=abc").status_code == 404
    assert client.get(URL + "&county=424242").status_code == 404
