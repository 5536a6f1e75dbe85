"""Who sees which county of the coverage report: the functions, then the pages."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from coverage.access import (
    can_view_county,
    counties_visible_to,
    may_see_personal_data,
    may_see_report,
)
from coverage.models import RegistryMember
from coverage.roles import BUREAU, COUNTY_STAFF, ensure_coverage_groups
from regions.models import County
from tests.accounts.factories import UserFactory
from tests.coverage.conftest import staff


@pytest.mark.django_db
def test_the_groups_exist_after_migrating_and_ensuring_them_again_adds_nothing():
    before = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    assert "view_personal_data" in before[BUREAU]
    assert "view_personal_data" not in before[COUNTY_STAFF]
    ensure_coverage_groups()
    after = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    assert after == before


def test_bureau_sees_every_county_and_personal_data(places, bureau):
    assert set(counties_visible_to(bureau)) == set(County.objects.all())
    assert can_view_county(bureau, places["elsewhere"].town.county)
    assert may_see_report(bureau)
    assert may_see_personal_data(bureau)


def test_superusers_count_as_bureau(places):
    admin = UserFactory(is_superuser=True)
    assert counties_visible_to(admin).count() == 2
    assert may_see_personal_data(admin)


def test_county_officer_sees_only_their_county_and_masked_data(places, officer):
    assert list(counties_visible_to(officer)) == [places["demo"]]
    assert can_view_county(officer, places["demo"])
    assert not can_view_county(officer, places["elsewhere"].town.county)
    assert may_see_report(officer)
    assert not may_see_personal_data(officer)


def test_county_staff_without_a_county_and_others_see_nothing(places, trainee, instructor):
    no_county = staff(COUNTY_STAFF)
    for user in (no_county, trainee, instructor):
        assert not counties_visible_to(user).exists()
        assert not may_see_report(user)
        assert not can_view_county(user, places["demo"])


def _pages(places):
    member = RegistryMember.objects.filter(village=places["v1"]).first()
    v1 = places["v1"]
    return [
        reverse("coverage:report"),
        reverse("coverage:county", args=[places["demo"].pk]),
        reverse("coverage:town", args=[v1.town.pk]),
        reverse("coverage:village_records", args=[v1.pk]),
        reverse("coverage:member", args=[member.pk]),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, data, places):
    for url in _pages(places):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_trainees_and_instructors_are_refused(client, data, places, trainee, instructor):
    for user in (trainee, instructor):
        client.force_login(user)
        for url in _pages(places):
            assert client.get(url).status_code == 403, url


def test_bureau_opens_every_page(client, data, places, bureau):
    client.force_login(bureau)
    for url in _pages(places):
        assert client.get(url).status_code == 200, url


def test_county_officer_opens_their_county_but_not_the_members_data(client, data, places, officer):
    client.force_login(officer)
    *report_pages, member_page = _pages(places)
    for url in report_pages:
        assert client.get(url).status_code == 200, url
    assert client.get(member_page).status_code == 403


def test_another_countys_officer_gets_not_found(client, data, places, other_officer):
    client.force_login(other_officer)
    report, *drilldown = _pages(places)
    assert client.get(report).status_code == 200
    for url in drilldown:
        assert client.get(url).status_code == 404, url
