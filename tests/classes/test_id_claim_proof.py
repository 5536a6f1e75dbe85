"""How an ID-card number claim is proven: a class record with the number and the account's
verified phone, or staff in the CMS listing; then the number's past records follow."""

import importlib
import json
import re

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.idcard import id_number_hash, mask_id_number
from accounts.models import IdNumberClaim
from classes.attendance import Person, record_attendance
from classes.checkin import check_in, make_checkin_token
from classes.marking import mark_attendance
from classes.models import Attendance
from learning.ledger import course_hours, training_units
from tests.accounts.factories import UserFactory

from .conftest import id_number
from .test_checkin import at

NUMBER = id_number(601)
HASH = id_number_hash(NUMBER)


def by_number(session, *, phone="", name="王村民"):
    """A record made by ID number (a sheet row) without an account."""
    person = Person(
        name=name, id_number_hash=HASH, id_number_masked=mask_id_number(NUMBER), phone=phone
    )
    return record_attendance(session, person, method=Attendance.Method.SHEET)[0]


def type_number(client, user):
    client.force_login(user)
    response = client.post(reverse("profile"), {"real_name": user.real_name, "id_number": NUMBER})
    assert response.status_code == 302
    user.refresh_from_db()


@pytest.mark.django_db
def test_a_record_with_the_number_and_the_verified_phone_proves_the_claim(client, make_session):
    user = UserFactory(real_name="王村民")
    proving = by_number(make_session(), phone=user.phone)
    earlier = by_number(make_session(start_time=at(14).time(), end_time=at(16).time()))

    type_number(client, user)

    assert user.id_number_hash == HASH
    claim = user.id_number_claims.get()
    assert (claim.status, claim.proof) == ("confirmed", "phone")
    # The number's records without an account are now the account's.
    for record in (proving, earlier):
        record.refresh_from_db()
        assert record.user == user
    assert training_units(user=user).classes == 2


@pytest.mark.django_db
def test_an_unverified_phone_proves_nothing(client, session):
    user = UserFactory(real_name="王村民", phone_verified=False)
    record = by_number(session, phone=user.phone)

    type_number(client, user)

    assert user.id_number_hash == ""
    assert user.id_number_claims.get().status == "pending"
    record.refresh_from_db()
    assert record.user is None


@pytest.mark.django_db
def test_a_record_made_later_proves_a_waiting_claim(client, session, instructor):
    user = UserFactory(real_name="王村民")
    type_number(client, user)
    assert user.id_number_claims.get().status == "pending"

    mark_attendance(session, name="王村民", id_number=NUMBER, phone=user.phone, by=instructor)

    user.refresh_from_db()
    assert user.id_number_hash == HASH
    assert user.id_number_claims.get().proof == "phone"


@pytest.mark.django_db
def test_the_accounts_own_check_in_proves_nothing(client, session):
    """A QR check-in carries the account's phone but not a number anyone else wrote down."""
    user = UserFactory(real_name="王村民")
    type_number(client, user)

    check_in(user, make_checkin_token(session), now=at(10))

    user.refresh_from_db()
    assert user.id_number_hash == ""
    assert user.id_number_claims.get().status == "pending"


@pytest.fixture
def claimant(client, make_session):
    """A trainee whose typed number matches one class record (without their phone)."""
    user = UserFactory(real_name="王村民")
    by_number(make_session())
    type_number(client, user)
    return user


@pytest.mark.django_db
def test_a_course_manager_sees_waiting_claims_masked(client, claimant, manager):
    client.force_login(manager)

    response = client.get(reverse("id_number_claims:index"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "身份证号认领" in page
    assert mask_id_number(NUMBER) in page and NUMBER not in page
    assert claimant.masked_phone in page and claimant.phone not in page
    [claim] = response.context["claims"]
    assert (claim.records, claim.records_with_phone, claim.other_claimants) == (1, 0, 0)


@pytest.mark.django_db
def test_staff_confirming_links_the_numbers_records(client, claimant, manager):
    client.force_login(manager)
    claim = claimant.id_number_claims.get()

    response = client.post(reverse("id_number_claims:confirm", args=[claim.pk]))

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.proof, claim.decided_by) == ("confirmed", "staff", manager)
    claimant.refresh_from_db()
    assert claimant.id_number_hash == HASH
    assert Attendance.objects.get(id_number_hash=HASH).user == claimant
    assert training_units(user=claimant).classes == 1


@pytest.mark.django_db
def test_staff_rejecting_links_nothing(client, claimant, manager):
    client.force_login(manager)
    claim = claimant.id_number_claims.get()

    client.post(reverse("id_number_claims:reject", args=[claim.pk]))

    claim.refresh_from_db()
    assert claim.status == IdNumberClaim.Status.REJECTED
    claimant.refresh_from_db()
    assert claimant.id_number_hash == ""
    assert Attendance.objects.get(id_number_hash=HASH).user is None


@pytest.mark.django_db
def test_a_trainee_or_an_instructor_cannot_decide_claims(client, claimant, instructor):
    claim = claimant.id_number_claims.get()
    for user in (claimant, instructor):
        client.force_login(user)
        assert client.get(reverse("id_number_claims:index")).status_code in (302, 403)
        client.post(reverse("id_number_claims:confirm", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == IdNumberClaim.Status.PENDING


def migration():
    return importlib.import_module("classes.migrations.0004_prove_id_numbers")


@pytest.mark.django_db
def test_the_migration_keeps_proven_numbers_and_turns_the_rest_into_claims(make_session):
    """Accounts from before claims held what they typed: the one whose records carry its
    phone keeps its number; the other's number becomes a claim, and what it linked is undone."""
    proven, typed = UserFactory(real_name="王村民"), UserFactory(real_name="张冒名")
    other = id_number(602)
    first, second = make_session(), make_session(start_time=at(14).time(), end_time=at(16).time())
    by_number(first, phone=proven.phone)
    Attendance.objects.filter(session=first).update(user=proven)
    taken = Attendance.objects.create(
        session=second,
        user=typed,
        name="李村民",
        method="sheet",
        id_number_hash=id_number_hash(other),
    )
    own = Attendance.objects.create(
        session=first,
        user=typed,
        name="张冒名",
        phone=typed.phone,
        method="qr",
        id_number_hash=id_number_hash(other),
    )
    # As the old profile left them, written past the signals.
    type(proven).objects.filter(pk=proven.pk).update(id_number_hash=HASH)
    type(typed).objects.filter(pk=typed.pk).update(id_number_hash=id_number_hash(other))

    migration().prove_or_claim(apps, None)

    (
        proven.refresh_from_db(),
        typed.refresh_from_db(),
        taken.refresh_from_db(),
        own.refresh_from_db(),
    )
    assert proven.id_number_hash == HASH and not proven.id_number_claims.exists()
    assert typed.id_number_hash == ""
    assert typed.id_number_claims.get().id_number_hash == id_number_hash(other)
    assert (taken.user, taken.id_number_hash) == (None, id_number_hash(other))
    assert (own.user, own.id_number_hash) == (typed, "")


@pytest.mark.django_db
def test_an_impostors_earlier_claim_does_not_stop_the_holder_proving_it(client, session, manager):
    impostor, holder = UserFactory(real_name="张冒名"), UserFactory(real_name="王村民")
    type_number(client, impostor)
    by_number(session, phone=holder.phone)

    type_number(client, holder)

    assert holder.id_number_hash == HASH
    impostor.refresh_from_db()
    assert impostor.id_number_hash == ""
    assert Attendance.objects.get(session=session).user == holder
    # Staff see the impostor's claim as one another account holds; it cannot be confirmed.
    client.force_login(manager)
    [claim] = client.get(reverse("id_number_claims:index")).context["claims"]
    assert (claim.user, claim.held_elsewhere) == (impostor, True)


@pytest.mark.django_db
def test_checked_in_and_on_the_sheet_before_the_proof_is_one_class_after_it(
    client, session, manager
):
    """Claims wait, so a trainee may check in by QR while the sheet records them by number
    alone: once they hold the number that is one person at one class, three hours, not six."""
    user = UserFactory(real_name="王村民")
    type_number(client, user)
    check_in(user, make_checkin_token(session), now=at(10))
    by_number(session)
    assert session.attendances.count() == 2

    client.force_login(manager)
    client.post(reverse("id_number_claims:confirm", args=[user.id_number_claims.get().pk]))

    attendance = session.attendances.get()
    assert (attendance.user, attendance.id_number_hash) == (user, HASH)
    assert training_units(user=user).classes == 1
    assert course_hours(user, session.course).offline == 3


@pytest.mark.django_db
def test_the_cms_menu_offers_the_claims_to_course_managers_only(client, manager, instructor):
    shown = {}
    for user in (manager, instructor):
        client.force_login(user)
        page = client.get(reverse("wagtailadmin_home")).content.decode()
        # The sidebar is JSON with non-ASCII escaped; decode it to read the labels.
        props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', page, re.S).group(1)
        shown[user] = '"身份证号认领"' in json.dumps(json.loads(props), ensure_ascii=False)
    assert shown == {manager: True, instructor: False}
