"""The migrations that bring in ID-card number claims, run on accounts from before them."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.idcard import id_number_hash, mask_id_number
from courses.models import CatalogPage, Track
from regions.models import County, Town, Village
from tests.courses.factories import make_course

from .conftest import id_number

BEFORE = [("accounts", "0002_textmessage"), ("classes", "0003_attendance_labels")]
SHARED, TYPED = id_number(701), id_number(702)


def _account(User, n, number):
    return User.objects.create(
        phone=f"+86139000{n:05d}",
        password="!",
        phone_verified=True,
        id_number_hash=id_number_hash(number),
        id_number_masked=mask_id_number(number),
    )


def applied_state():
    """The models as the database has them now (every app's applied migrations)."""
    loader = MigrationExecutor(connection).loader
    applied = [key for key in loader.applied_migrations if key in loader.graph.nodes]
    return loader.project_state(applied).apps


# serialized_rollback as the suite's other transactional tests (tests/coverage/test_signoff.py).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_shared_and_unproven_numbers_become_claims_and_proven_ones_stay():
    """Two accounts held one number (one of them has a sheet record with its phone); a
    third held a number only its own QR check-in and a record linked by number carry."""
    # Places and a course as the current models make them: the migrations leave them be.
    county = County.objects.create(name="罗定市")
    village = Village.objects.create(
        town=Town.objects.create(county=county, name="罗镜镇"), name="水摆村"
    )
    course = make_course(CatalogPage.objects.get(), Track.objects.first(), "网店开设实操")
    MigrationExecutor(connection).migrate(BEFORE)
    try:
        apps = applied_state()
        User = apps.get_model("accounts", "User")
        Attendance = apps.get_model("classes", "Attendance")
        session = apps.get_model("classes", "ClassSession").objects.create(
            course_id=course.pk,
            date=datetime.date(2026, 12, 1),
            start_time=datetime.time(9),
            end_time=datetime.time(12),
            venue_id=village.pk,
            hours=3,
        )
        real, twin, typed = (
            _account(User, 1, SHARED),
            _account(User, 2, SHARED),
            _account(User, 3, TYPED),
        )
        Attendance.objects.create(
            session=session,
            name="王村民",
            method="sheet",
            phone=real.phone,
            id_number_hash=real.id_number_hash,
        )
        own = Attendance.objects.create(
            session=session,
            user=typed,
            name="张冒名",
            method="qr",
            phone=typed.phone,
            id_number_hash=typed.id_number_hash,
        )
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        apps = applied_state()
        User = apps.get_model("accounts", "User")
        Claim = apps.get_model("accounts", "IdNumberClaim")
        Attendance = apps.get_model("classes", "Attendance")

        holds = dict(User.objects.values_list("pk", "id_number_hash"))
        assert holds[real.pk] == id_number_hash(SHARED)
        assert holds[twin.pk] == holds[typed.pk] == ""
        claims = {c.user_id: (c.status, c.proof) for c in Claim.objects.all()}
        assert claims == {
            real.pk: ("confirmed", "phone"),
            twin.pk: ("pending", ""),
            typed.pk: ("pending", ""),
        }
        assert Attendance.objects.get(pk=own.pk).id_number_hash == ""
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
