"""The records behind a village's numbers, masked names, and the audited full view."""

import datetime
import re
from fractions import Fraction

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.idcard import id_number_hash
from coverage.drilldown import village_units
from coverage.idcrypt import decrypt_id_number
from coverage.models import PersonalDataView, RegistryMember
from coverage.report import coverage_by, percent
from regions.models import Village
from tests.coverage.conftest import YEAR, attend, member, session

PERIOD = {"start": "2026-01-01", "end": "2026-12-31"}
FULL_ID = re.compile(r"\d{17}[\dX]")


def test_percent_has_one_decimal():
    assert percent(Fraction(6, 14)) == "42.9%"
    assert percent(Fraction(5, 4)) == "125.0%"
    assert percent(None) == "—"


def test_one_record_per_person_time_in_every_village(data, places):
    for row in coverage_by("village", *YEAR):
        units = village_units(Village.objects.get(pk=row.area_id), *YEAR)
        assert len(units) == row.person_times
        assert len({unit.member.pk for unit in units}) == row.persons
    units = village_units(places["v1"], *YEAR)
    # Three classes held in 杨绿村, one more class, and one online course completed.
    assert sorted((u.is_class, u.venue) for u in units) == [
        (False, ""),
        (True, "杨绿村"),
        (True, "杨绿村"),
        (True, "杨绿村"),
        (True, "杨绿村"),
    ]


def test_records_page_lists_the_units_masked_for_county_staff(client, data, places, officer):
    someone = RegistryMember.objects.eligible().filter(village=places["v1"]).first()
    RegistryMember.objects.filter(pk=someone.pk).update(name="黄小梅")
    client.force_login(officer)
    url = reverse("coverage:village_records", args=[places["v1"].pk])
    response = client.get(url, PERIOD)
    assert len(response.context["units"]) == 5
    html = response.content.decode()
    assert "黄小梅" not in html
    assert not FULL_ID.search(html), "a full ID number on a masked page"
    assert reverse("coverage:member", args=[someone.pk]) not in html
    assert not PersonalDataView.objects.exists()


def test_bureau_sees_names_and_a_link_to_the_full_view(client, data, places, bureau):
    client.force_login(bureau)
    response = client.get(reverse("coverage:village_records", args=[places["v1"].pk]), PERIOD)
    html = response.content.decode()
    units = response.context["units"]
    assert units[0].member.name in html
    assert reverse("coverage:member", args=[units[0].member.pk]) in html
    # The list shows IDs masked, even to the bureau.
    assert not FULL_ID.search(html)
    assert units[0].member.id_number_masked in html
    # Full names shown to the bureau are audited: one row for the village, no values.
    (audit,) = PersonalDataView.objects.all()
    assert (audit.viewer, audit.record_type, audit.record_id) == (
        bureau,
        "regions.village",
        places["v1"].pk,
    )


def test_the_full_view_shows_the_id_and_writes_an_audit_row_without_it(
    client, data, places, bureau
):
    someone = RegistryMember.objects.eligible().filter(village=places["v1"]).first()
    number = decrypt_id_number(someone.id_number_encrypted)
    client.force_login(bureau)
    response = client.get(reverse("coverage:member", args=[someone.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert number in html and someone.name in html
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    (audit,) = PersonalDataView.objects.all()
    assert audit.viewer == bureau
    assert (audit.record_type, audit.record_id) == ("coverage.registrymember", someone.pk)
    assert audit.viewed_at is not None
    stored = " ".join(str(value) for value in PersonalDataView.objects.values().get().values())
    assert number not in stored
    assert id_number_hash(number) not in stored


def test_county_staff_cannot_open_the_full_view(client, data, places, officer):
    someone = RegistryMember.objects.eligible().filter(village=places["v1"]).first()
    client.force_login(officer)
    assert client.get(reverse("coverage:member", args=[someone.pk])).status_code == 403
    assert not PersonalDataView.objects.exists()


def test_records_of_another_period(client, data, places, bureau):
    client.force_login(bureau)
    response = client.get(
        reverse("coverage:village_records", args=[places["v1"].pk]),
        {"start": "2025-01-01", "end": "2025-12-31"},
    )
    assert len(response.context["units"]) == 1


def test_records_page_with_a_bad_period_shows_the_error(client, data, places, bureau):
    client.force_login(bureau)
    response = client.get(
        reverse("coverage:village_records", args=[places["v1"].pk]),
        {"start": "2026-05-01", "end": "2026-04-01"},
    )
    assert response.status_code == 200
    assert "end" in response.context["form"].errors


def test_records_page_query_count_does_not_grow_with_people(client, places, course, bureau):
    """As many queries for 20 people as for 2 (three for the units, whoever they are)."""
    class_ = session(course, places["v1"], datetime.date(2026, 4, 1))

    def add_people(count):
        for _ in range(count):
            attend(class_, member(places["v1"]))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, PERIOD)
        return len(captured), len(response.context["units"])

    client.force_login(bureau)
    url = reverse("coverage:village_records", args=[places["v1"].pk])
    client.get(url)  # Wagtail makes the user's profile on a first visit.
    add_people(2)
    few, units = queries()
    assert units == 2
    add_people(18)
    assert queries() == (few, 20)
