import pytest
from django.urls import reverse

from coverage.models import CountyOfficer
from regions.models import County
from tests.accounts.factories import UserFactory


@pytest.mark.django_db
def test_a_superuser_assigns_a_county_officer_in_the_cms(client):
    client.force_login(UserFactory(is_superuser=True))
    county = County.objects.create(name="郁南县", is_demonstration=True)
    officer = UserFactory(real_name="郁南商务")
    response = client.post(
        reverse("county_officers:add"), {"user": officer.pk, "county": county.pk}
    )
    assert response.status_code == 302
    assert CountyOfficer.objects.get().county == county
    listing = client.get(reverse("county_officers:index"))
    assert "郁南商务" in listing.content.decode()


@pytest.mark.django_db
def test_a_trainee_cannot_open_it(client):
    client.force_login(UserFactory())
    assert client.get(reverse("county_officers:index")).status_code in (302, 403)
