"""A made-up poverty registry, classes and online study for the demo, so that the coverage
dashboard has something to show over the plan's period (2018–2020).

Nobody in it exists: names are drawn from common surnames and given names, ID numbers are
made from the county's area code, a birth date and a serial number (with a valid check
digit), and every household number starts with ``DEMO-`` so the rows can be told from an
imported registry. Drawn from a seeded random generator, so every run makes the same data;
a second run finds the rows and adds nothing.

Every provincial poor village of a demonstration county gets members, except one per county
in ``LEFT_OUT``, which the dashboard flags as missing data. Each village has its own
willingness to train, so some villages meet the target and others lag.
"""

import datetime
import random
from decimal import Decimal

from accounts.idcard import check_digit, id_number_hash, mask_id_number
from classes.models import Attendance, ClassSession
from learning.completion import settle_completion
from learning.models import OnlineStudy
from regions.models import County, Village

from .idcrypt import encrypt_id_number
from .models import CountyOfficer, RegistryMember

SEED = 20181231
HOUSEHOLD_PREFIX = "DEMO-"
AREA_CODES = {"罗定市": "445381", "新兴县": "445321", "郁南县": "445322", "云安区": "445303"}
SURNAMES = "陈黄李梁何罗林张刘吴邓周苏谢彭冯"
GIVEN_NAMES = ["伟", "芳", "秀英", "志强", "丽", "建华", "桂兰", "国平", "小红", "金凤", "永明"]
RELATIONS = ["户主", "配偶", "之子", "之女", "之母"]
LABOUR = [  # (category, weight): most members can work
    ("普通劳动力", 50),
    ("技能劳动力", 12),
    ("弱劳动力或半劳动力", 14),
    ("丧失劳动力", 10),
    ("无劳动力", 14),
]
WORK = [
    ("", 55),
    ("乡（镇）内务工", 12),
    ("乡（镇）外县内务工", 10),
    ("县外省内务工", 12),
    ("省外务工", 11),
]
YEARS = (2018, 2019, 2020)
# A county whose villages train less, so the dashboard shows one county short of the target.
LAGGING_COUNTY = "云安区"
# The demo county officer's county: where the demo users live.
OFFICER_COUNTY = "罗定市"
SESSIONS_PER_COUNTY_YEAR = 4


def _weighted(rng, choices):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights)[0]


def _id_number(rng, county, serial):
    birth = datetime.date(1958, 1, 1) + datetime.timedelta(days=rng.randrange(0, 15000))
    first17 = f"{AREA_CODES.get(county, '445302')}{birth:%Y%m%d}{serial % 1000:03d}"
    return first17 + check_digit(first17)


def _poor_villages():
    return list(
        Village.objects.active()
        .filter(is_provincial_poor=True, town__county__is_demonstration=True)
        .select_related("town__county")
        .order_by("town__county__name", "town__name", "name")
    )


def _left_out(villages):
    """The last poor village of each county: no registry rows, to show missing data."""
    last = {}
    for village in villages:
        last[village.town.county_id] = village.pk
    return set(last.values())


def _members(rng, villages):
    """Households of two to five members per village."""
    members, serial = [], 0
    for village in villages:
        for household in range(rng.randrange(4, 9)):
            for relation in RELATIONS[: rng.randrange(2, 6)]:
                serial += 1
                number = _id_number(rng, village.town.county.name, serial)
                members.append(
                    RegistryMember(
                        village=village,
                        household_id=f"{HOUSEHOLD_PREFIX}{village.pk}-{household + 1:02d}",
                        name=rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES),
                        id_number_hash=id_number_hash(number),
                        id_number_masked=mask_id_number(number),
                        id_number_encrypted=encrypt_id_number(number),
                        relation_to_head=relation,
                        labour_category=_weighted(rng, LABOUR),
                        work_status=_weighted(rng, WORK),
                    )
                )
    return RegistryMember.objects.bulk_create(members)


def _sessions(rng, villages, courses, instructor):
    by_county = {}
    for village in villages:
        by_county.setdefault(village.town.county_id, []).append(village)
    sessions = {}
    for county_id, venues in by_county.items():
        for year in YEARS:
            for _ in range(SESSIONS_PER_COUNTY_YEAR):
                day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365))
                session = ClassSession.objects.create(
                    course=rng.choice(courses),
                    date=day,
                    start_time=datetime.time(9),
                    end_time=datetime.time(12),
                    venue=rng.choice(venues),
                    hours=Decimal("3"),
                    instructor=instructor,
                )
                sessions.setdefault(county_id, []).append(session)
    return sessions


def _attendances(rng, members, sessions):
    """Each village's members attend with the village's own willingness (lower in
    ``LAGGING_COUNTY``); a few come twice."""
    willingness = {}
    attendances = []
    for person in members:
        village = person.village
        chance = willingness.setdefault(village.pk, rng.choice([0.1, 0.25, 0.4, 0.55, 0.7, 0.9]))
        if village.town.county.name == LAGGING_COUNTY:
            chance /= 2
        county_sessions = sessions[village.town.county_id]
        times = (rng.random() < chance) + (rng.random() < chance / 3)
        for session in rng.sample(county_sessions, times):
            attendances.append(
                Attendance(
                    session=session,
                    name=person.name,
                    id_number_hash=person.id_number_hash,
                    id_number_masked=person.id_number_masked,
                    method=Attendance.Method.SHEET,
                )
            )
    # Sign-in sheets of villagers without accounts: nobody's course hours change.
    return Attendance.objects.bulk_create(attendances)


def _online_learner(rng, learner, village, course):
    """A demo account in the registry too, who completed a course by online study in 2019."""
    number = _id_number(rng, village.town.county.name, 999)
    RegistryMember.objects.create(
        village=village,
        household_id=f"{HOUSEHOLD_PREFIX}{village.pk}-online",
        name=learner.real_name,
        id_number_hash=id_number_hash(number),
        id_number_masked=mask_id_number(number),
        id_number_encrypted=encrypt_id_number(number),
        relation_to_head="户主",
        labour_category="普通劳动力",
    )
    learner.set_id_number(number)
    learner.save()
    seconds = int(course.required_hours * 3600)
    for day, share in ((datetime.date(2019, 4, 2), 2), (datetime.date(2019, 4, 9), 2)):
        OnlineStudy.objects.create(user=learner, course=course, day=day, seconds=seconds // share)
    settle_completion(learner, course)


def load_demo_coverage(*, courses, instructor, online_learner, county_staff) -> dict:
    """Create the demo registry and training once; return what exists."""
    CountyOfficer.objects.get_or_create(
        user=county_staff, defaults={"county": County.objects.get(name=OFFICER_COUNTY)}
    )
    if RegistryMember.objects.filter(household_id__startswith=HOUSEHOLD_PREFIX).exists():
        return {"registry_members": RegistryMember.objects.count()}
    rng = random.Random(SEED)
    poor = _poor_villages()
    left_out = _left_out(poor)
    villages = [village for village in poor if village.pk not in left_out]
    members = _members(rng, villages)
    sessions = _sessions(rng, villages, courses, instructor)
    attendances = _attendances(rng, members, sessions)
    if online_learner.home_village is not None:
        _online_learner(rng, online_learner, online_learner.home_village, courses[0])
    return {
        "registry_members": RegistryMember.objects.count(),
        "villages_without_registry": len(left_out),
        "class_sessions": sum(len(s) for s in sessions.values()),
        "attendances": len(attendances),
    }
