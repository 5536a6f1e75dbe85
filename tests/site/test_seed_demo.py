from io import StringIO

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD, DEMO_USERS
from accounts.models import User
from courses.models import CoursePage, Track
from mentors.models import Entrepreneur, Expert
from regions.models import County, Village


def everything():
    """Every row of every table, serialised: the database's whole state."""
    return {
        model._meta.label: serializers.serialize("json", model._default_manager.order_by("pk"))
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.label != "sessions.Session"
    }


@pytest.mark.django_db
def test_seed_demo_loads_regions_accounts_and_courses():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert set(County.objects.values_list("name", flat=True)) == {
        "云城区",
        "云安区",
        "罗定市",
        "新兴县",
        "郁南县",
    }
    assert Village.objects.count() == 974
    trainee = User.objects.get(phone="+8613800000003")
    assert trainee.home_village.full_name == "罗定市/罗镜镇/水摆村委会"
    assert Track.objects.count() == 4
    for track in Track.objects.all():
        assert CoursePage.objects.live().filter(track=track).count() >= 3, track.name
    for phone, _name, _group, _superuser, _role in DEMO_USERS:
        assert User.objects.get(phone=f"+86{phone}").check_password(DEMO_PASSWORD)
        assert phone in out.getvalue(), "the demo logins are printed"


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=StringIO())
    before = everything()
    call_command("seed_demo", stdout=StringIO())
    after = everything()
    changed = [label for label in before if before[label] != after[label]]
    assert not changed, f"a second seed_demo changed {changed}"


@pytest.mark.django_db
def test_seed_demo_loads_the_lecturer_team_and_the_demo_mentoring_logins():
    call_command("seed_demo", stdout=StringIO())
    assert Expert.objects.count() == 50
    assert Entrepreneur.objects.filter(user__isnull=True).count() == 30
    assert Expert.objects.get(user__phone="+8613800000005").name == "邓志强"
    waiting = Entrepreneur.objects.get(user__phone="+8613800000006")
    assert waiting.mentor is None and waiting.needs
    staff = User.objects.get(phone="+8613800000004")
    assert staff.has_perm("mentors.view_entrepreneur")
    assert staff.has_perm("matching.add_matchingrun")


@pytest.mark.django_db
def test_seed_demo_gives_the_coverage_dashboard_figures_over_the_plan(client):
    from coverage.access import is_bureau, officer_county
    from coverage.models import RegistryMember
    from coverage.periods import plan_period
    from coverage.report import coverage_by, coverage_total
    from learning.models import Completion

    call_command("seed_demo", stdout=StringIO())
    assert RegistryMember.objects.filter(household_id__startswith="DEMO-").count() > 1000
    counties = coverage_by("county", *plan_period())
    assert {row.county for row in counties} == {"罗定市", "新兴县", "郁南县", "云安区"}
    # Both sides of the target, so the dashboard has something to show.
    assert {row.met for row in counties} == {True, False}
    assert coverage_total(*plan_period()).person_times > 500
    # One poor village per county has no registry rows: the missing-data flag has work.
    poor = Village.objects.filter(is_provincial_poor=True, town__county__is_demonstration=True)
    assert poor.exclude(registry_members__isnull=False).count() == 4
    # The returning graduate completed a course by online study in 2019; the trainee
    # starts with nothing.
    graduate = User.objects.get(phone="+8613800000006")
    assert Completion.objects.get(user=graduate).online_completed_on.year == 2019
    assert not Completion.objects.filter(user__phone="+8613800000003").exists()
    bureau = User.objects.get(phone="+8613800000007")
    assert is_bureau(bureau)
    assert officer_county(User.objects.get(phone="+8613800000008")).name == "罗定市"
    client.force_login(bureau)
    assert client.get("/coverage/").status_code == 200
