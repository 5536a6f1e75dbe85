import datetime
import itertools
from decimal import Decimal

import pytest

from accounts.idcard import check_digit
from classes.models import ClassSession
from courses.models import CatalogPage, Track
from courses.roles import COURSE_MANAGERS, INSTRUCTORS
from regions.models import County, Town, Village
from tests.courses.factories import make_course, make_user
from tests.support import write_sheet

# Written out, not taken from classes.attendance_import, so that the tests pin it down.
HEADER = ("姓名", "证件号码", "手机号")
_numbers = itertools.count(1)


def id_number(n: int, *, birth="19900101") -> str:
    """A well-formed resident ID-card number (right check digit), different for each n."""
    first17 = f"445302{birth}{n:03d}"
    return first17 + check_digit(first17)


def mobile(n: int) -> str:
    return f"1390000{n:04d}"


@pytest.fixture
def course(db):
    return make_course(
        CatalogPage.objects.get(),
        Track.objects.first(),
        "网店开设实操",
        required_hours=Decimal("20"),
    )


@pytest.fixture
def village(db):
    county = County.objects.create(name="罗定市")
    town = Town.objects.create(county=county, name="罗镜镇")
    return Village.objects.create(town=town, name="水摆村")


@pytest.fixture
def instructor(db):
    return make_user("陈讲师", group=INSTRUCTORS)


@pytest.fixture
def other_instructor(db):
    return make_user("林讲师", group=INSTRUCTORS)


@pytest.fixture
def manager(db):
    return make_user("黄管理员", group=COURSE_MANAGERS)


@pytest.fixture
def make_session(course, village, instructor):
    def make(**fields):
        fields = {
            "course": course,
            "date": datetime.date(2026, 12, 1),
            "start_time": datetime.time(9),
            "end_time": datetime.time(12),
            "venue": village,
            "hours": Decimal("3"),
            "instructor": instructor,
            **fields,
        }
        return ClassSession.objects.create(**fields)

    return make


@pytest.fixture
def session(make_session):
    return make_session()


@pytest.fixture
def trainee(db):
    user = make_user("李学员")
    user.set_id_number(id_number(900))
    user.save()
    return user


@pytest.fixture
def sheet(tmp_path):
    """Write rows under the header to a file in tmp_path: CSV in any encoding, or XLSX."""

    def write(rows, *, name="sheet.csv", encoding="utf-8", header=HEADER):
        return write_sheet(tmp_path / f"{next(_numbers)}-{name}", [header, *rows], encoding)

    return write


@pytest.fixture
def villagers():
    """Ten villagers without accounts, as a sheet lists them."""
    return [(f"村民{n}", id_number(n), mobile(n)) for n in range(1, 11)]
