"""The hand-computed coverage data set (DESIGN.md, traps included) and its helpers,
shared by the report, drill-down, access and export tests."""

import datetime
import itertools
from decimal import Decimal

import pytest

from accounts.idcard import check_digit, id_number_hash, mask_id_number
from classes.models import Attendance, ClassSession
from courses.models import CatalogPage, Track
from courses.roles import INSTRUCTORS, ensure_course_groups
from coverage.idcrypt import encrypt_id_number
from coverage.models import CountyOfficer, RegistryMember
from coverage.roles import BUREAU, COUNTY_STAFF, ensure_coverage_groups
from learning.completion import settle_completion
from learning.models import OnlineStudy
from regions.models import County, Town, Village
from tests.accounts.factories import UserFactory
from tests.courses.factories import make_course

YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
# The nine columns a county office may keep by hand.
REGISTRY_HEADER = (
    "县(市、区)",
    "乡(镇)",
    "行政村",
    "户编号",
    "姓名",
    "证件号码",
    "与户主关系",
    "劳动技能",
    "务工状况",
)
# The national system's (全国扶贫开发信息系统) export, in its own order.
NATIONAL_HEADER = tuple(
    "县(市、区、旗),乡(镇),行政村,自然村,户编号,人编号,姓名,性别,证件号码,人数,与户主关系,"
    "民族,文化程度,在校生状况,健康状况,劳动技能,务工状况,务工时间（月）,是否参加大病医疗,"
    "脱贫属性,贫困户属性,主要致贫原因,危房户,是否解决安全饮用水,人均纯收入,联系电话".split(",")
)
_serial = itertools.count(1)


def new_id_number():
    # A birth date and a sequence number from one serial: unique for 14,000 in a row.
    serial = next(_serial)
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=serial % 14_000)
    first17 = f"445302{birth:%Y%m%d}{serial % 1000:03d}"
    return first17 + check_digit(first17)


def member(village, *, labour="普通劳动力", work="", active=True):
    number = new_id_number()
    return RegistryMember.objects.create(
        village=village,
        household_id=f"H{next(_serial)}",
        name=f"成员{next(_serial)}",
        id_number_hash=id_number_hash(number),
        id_number_masked=mask_id_number(number),
        id_number_encrypted=encrypt_id_number(number),
        relation_to_head="户主",
        labour_category=labour,
        work_status=work,
        is_active=active,
    )


@pytest.fixture
def places(db):
    demo = County.objects.create(name="罗定市", is_demonstration=True)
    other = County.objects.create(name="云城区", is_demonstration=False)
    town_a = Town.objects.create(county=demo, name="罗镜镇")
    town_b = Town.objects.create(county=demo, name="泗纶镇")
    return {
        "demo": demo,
        "v1": Village.objects.create(town=town_a, name="太平村", is_provincial_poor=True),
        "v2": Village.objects.create(town=town_b, name="杨绿村", is_provincial_poor=True),
        "rich": Village.objects.create(town=town_a, name="富裕村", is_provincial_poor=False),
        "elsewhere": Village.objects.create(
            town=Town.objects.create(county=other, name="腰古镇"),
            name="水东村",
            is_provincial_poor=True,
        ),
    }


@pytest.fixture
def course(db):
    return make_course(CatalogPage.objects.get(), Track.objects.first(), "农村电商入门")


def session(course, venue, date=datetime.date(2026, 5, 1)):
    return ClassSession.objects.create(
        course=course,
        date=date,
        start_time=datetime.time(9),
        end_time=datetime.time(12),
        venue=venue,
        hours=Decimal("3"),
    )


def attend(session, person):
    return Attendance.objects.create(
        session=session,
        name=person.name,
        id_number_hash=person.id_number_hash,
        id_number_masked=person.id_number_masked,
        method=Attendance.Method.SHEET,
    )


def complete_online(user, course, day):
    """The user studies the course online on ``day`` until its required hours: one
    completion by online study (a person-time) dated that day."""
    OnlineStudy.objects.create(
        user=user, course=course, day=day, seconds=int(course.required_hours * 3600)
    )
    return settle_completion(user, course)


@pytest.fixture
def data(places, course):
    v1, v2 = places["v1"], places["v2"]
    # Classes held in v2 count for the attendee's home village.
    s1, s2, s3 = (session(course, v2, datetime.date(2026, 3, d)) for d in (1, 2, 3))
    late_last_year = session(course, v1, datetime.date(2025, 12, 31))

    three_classes = member(v1)
    for s in (s1, s2, s3, late_last_year):
        attend(s, three_classes)
    attend(s1, member(v1, work="省外务工"))  # migrant: not eligible
    attend(s1, member(v1, work="县外省内务工"))  # migrant: not eligible
    attend(s1, member(v1, labour="丧失劳动力"))  # no capacity: not eligible
    attend(s1, member(v1, active=False))  # dropped from the newest registry
    sheet_only = member(v1)  # attended by ID on a sheet, no account
    attend(s2, sheet_only)
    online = member(v1, labour="弱劳动力或半劳动力", work="乡（镇）外县内务工")
    user = UserFactory(id_number_hash=online.id_number_hash)
    complete_online(user, course, datetime.date(2026, 6, 1))
    member(v1)  # eligible, untrained

    v2_members = [member(v2) for _ in range(10)]
    attend(s1, v2_members[0])

    attend(s1, member(places["rich"]))  # not a poor village: outside the scope
    attend(s1, member(places["elsewhere"]))  # not a demonstration county


def staff(group, county=None, **fields):
    """A user in a coverage group (coverage.roles); a county officer of ``county`` if given."""
    user = UserFactory(**fields)
    user.groups.add(ensure_coverage_groups()[group])
    if county is not None:
        CountyOfficer.objects.create(user=user, county=county)
    return user


@pytest.fixture
def bureau(db):
    return staff(BUREAU)


@pytest.fixture
def officer(places):
    """County staff of 罗定市, the demonstration county of the data set."""
    return staff(COUNTY_STAFF, places["demo"])


@pytest.fixture
def other_officer(places):
    """County staff of 云城区, the other county."""
    return staff(COUNTY_STAFF, places["elsewhere"].town.county)


@pytest.fixture
def instructor(db):
    user = UserFactory()
    user.groups.add(ensure_course_groups()[INSTRUCTORS])
    return user


@pytest.fixture
def trainee(db):
    return UserFactory()
