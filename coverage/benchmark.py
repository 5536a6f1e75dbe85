"""A benchmark of the coverage report at the scale of a whole city's registry.

``build_data`` adds a synthetic demonstration county (registry members, class sessions,
attendances, users and course completions) with ``bulk_create``; ``village_figures_sql``
computes the village rows with one hand-written query over the same tables, as a
yardstick for ``coverage_by`` and a check that both count the same. The command
``benchmark_coverage`` runs them inside a transaction it rolls back.
"""

import datetime
import hashlib
import math
import time
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import User
from classes.models import Attendance, ClassSession
from courses.models import CatalogPage, CoursePage, Track
from learning.models import Completion
from regions.models import County, Town, Village

from .models import RegistryMember
from .report import (
    LEVELS,
    coverage_by,
    denominator_by,
    units_breakdown,
)

PERIOD = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
# Sessions and completions spread from a month before the period to its end, so that
# the period's bounds have something to cut.
FIRST_DAY = datetime.date(2025, 12, 1)
DAYS = 396
MEMBERS_PER_VILLAGE = 200
VILLAGES_PER_TOWN = 30
PER_SESSION = 50
COURSES = 10
BATCH = 5000
LABOUR = ["普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "普通劳动力"]
WORK = ["", "乡（镇）外县内务工", "省外务工", "", "乡（镇）内务工", "其他", "县外省内务工"]


@dataclass(frozen=True)
class BenchmarkData:
    members: int
    attendances: int
    completions: int
    villages: int


def _hash(n: int) -> str:
    return hashlib.sha256(f"benchmark-{n}".encode()).hexdigest()


def _day(n: int) -> datetime.date:
    return FIRST_DAY + datetime.timedelta(days=n % DAYS)


def build_data(members: int, records: int) -> BenchmarkData:
    """``members`` registry members in one demonstration county and ``records`` training
    records: nine in ten attendances at class sessions, one in ten course completions."""
    county = County.objects.create(name="基准测试县", is_demonstration=True)
    village_count = max(1, math.ceil(members / MEMBERS_PER_VILLAGE))
    towns = Town.objects.bulk_create(
        Town(county=county, name=f"基准镇{n}")
        for n in range(math.ceil(village_count / VILLAGES_PER_TOWN))
    )
    villages = Village.objects.bulk_create(
        Village(
            town=towns[n // VILLAGES_PER_TOWN],
            name=f"基准村{n}",
            # One village in ten is not a provincial poor village: outside the scope.
            is_provincial_poor=n % 10 != 9,
        )
        for n in range(village_count)
    )
    RegistryMember.objects.bulk_create(
        (
            RegistryMember(
                village=villages[n % village_count],
                household_id=f"B{n // 4}",
                name=f"成员{n}",
                id_number_hash=_hash(n),
                id_number_masked="4453**********0000",
                id_number_encrypted="-",
                relation_to_head="户主",
                labour_category=LABOUR[n % len(LABOUR)],
                work_status=WORK[n % len(WORK)],
                is_active=n % 50 != 0,
            )
            for n in range(members)
        ),
        batch_size=BATCH,
    )

    completions = records // 10 if members else 0
    attendances = records - completions if members else 0
    _add_attendances(attendances, members, villages)
    _add_completions(completions, members)
    return BenchmarkData(members, attendances, completions, village_count)


def _add_attendances(count, members, villages):
    per_session = min(PER_SESSION, members)
    sessions = math.ceil(count / per_session) if count else 0
    catalog_course = _courses(1)[0]
    created = ClassSession.objects.bulk_create(
        (
            ClassSession(
                course=catalog_course,
                date=_day(n * 97),
                start_time=datetime.time(9),
                end_time=datetime.time(12),
                venue=villages[n % len(villages)],
                hours=Decimal("3"),
            )
            for n in range(sessions)
        ),
        batch_size=BATCH,
    )

    def rows():
        for n in range(count):
            session, seat = divmod(n, per_session)
            # Distinct members within a session; every session starts somewhere else.
            member = (session * 7919 + seat) % members
            yield Attendance(
                session=created[session],
                name=f"成员{member}",
                id_number_hash=_hash(member),
                id_number_masked="4453**********0000",
                method=Attendance.Method.SHEET,
            )

    Attendance.objects.bulk_create(rows(), batch_size=BATCH)


def _add_completions(count, members):
    if not count:
        return
    courses = _courses(COURSES)
    users = min(members, math.ceil(count / len(courses)))
    created = User.objects.bulk_create(
        (
            User(
                phone=f"+86190{n:08d}",
                password="!",
                id_number_hash=_hash(n * 7 % members),
            )
            for n in range(users)
        ),
        batch_size=BATCH,
    )
    # Each user completes courses in turn, never the same course twice.
    Completion.objects.bulk_create(
        (
            Completion(
                user=created[n % users],
                course=courses[n // users],
                completed_at=timezone.make_aware(
                    datetime.datetime.combine(_day(n * 13), datetime.time(23, 30))
                ),
                online_completed_on=_day(n * 13),
                hours=Decimal("6"),
                certificate_code=f"BM{n:010d}",
            )
            for n in range(count)
        ),
        batch_size=BATCH,
    )


def _courses(count):
    catalog = CatalogPage.objects.first()
    track = Track.objects.first() or Track.objects.create(name="基准测试", slug="benchmark")
    courses = []
    for n in range(count):
        course = CoursePage(
            title=f"基准课程{n}",
            slug=f"benchmark-{n}-{time.monotonic_ns()}",
            track=track,
            summary="基准测试",
            required_hours=Decimal("6"),
        )
        catalog.add_child(instance=course)
        courses.append(course)
    return courses


def _tables() -> dict[str, str]:
    return {
        model.__name__: connection.ops.quote_name(model._meta.db_table)
        for model in (
            RegistryMember,
            Village,
            Town,
            County,
            Attendance,
            ClassSession,
            User,
            Completion,
        )
    }


def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


def village_figures_sql(start, end) -> dict[int, tuple[int, int, int]]:
    """``{village_id: (eligible, person_times, persons)}`` by one hand-written query."""
    tables = _tables()
    capacity = list(settings.COVERAGE_CAPACITY_CATEGORIES)
    migrant = list(settings.COVERAGE_MIGRANT_STATUSES)
    sql = f"""
        WITH attended AS (
            SELECT a.id_number_hash AS h, COUNT(*) AS n
            FROM {tables["Attendance"]} a
            JOIN {tables["ClassSession"]} s ON s.id = a.session_id
            WHERE s.date >= %s AND s.date <= %s AND a.id_number_hash <> ''
            GROUP BY a.id_number_hash
        ),
        completed AS (
            SELECT u.id_number_hash AS h, COUNT(*) AS n
            FROM {tables["Completion"]} c
            JOIN {tables["User"]} u ON u.id = c.user_id
            WHERE c.online_completed_on >= %s AND c.online_completed_on <= %s
              AND u.id_number_hash <> ''
            GROUP BY u.id_number_hash
        ),
        units AS (
            SELECT m.village_id,
                   COALESCE(attended.n, 0) + COALESCE(completed.n, 0) AS n
            FROM {tables["RegistryMember"]} m
            JOIN {tables["Village"]} v ON v.id = m.village_id
            JOIN {tables["Town"]} t ON t.id = v.town_id
            JOIN {tables["County"]} c ON c.id = t.county_id
            LEFT JOIN attended ON attended.h = m.id_number_hash
            LEFT JOIN completed ON completed.h = m.id_number_hash
            WHERE m.is_active AND v.is_active AND v.is_provincial_poor AND c.is_demonstration
              AND m.labour_category IN ({", ".join(["%s"] * len(capacity))})
              AND m.work_status NOT IN ({", ".join(["%s"] * len(migrant))})
        )
        SELECT village_id, COUNT(*), SUM(n), SUM(CASE WHEN n > 0 THEN 1 ELSE 0 END)
        FROM units
        GROUP BY village_id
    """
    params = [
        connection.ops.adapt_datefield_value(start),
        connection.ops.adapt_datefield_value(end),
        connection.ops.adapt_datefield_value(start),
        connection.ops.adapt_datefield_value(end),
        *capacity,
        *migrant,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            village: (int(eligible), int(times or 0), int(persons or 0))
            for village, eligible, times, persons in cursor.fetchall()
        }


def village_figures_report(start, end) -> dict[int, tuple[int, int, int]]:
    """The same shape from ``coverage_by``, to compare with the SQL."""
    return {
        row.area_id: (row.eligible, row.person_times, row.persons)
        for row in coverage_by("village", start, end)
    }


def timed(function, *args):
    """``(result, seconds)`` of one call."""
    began = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - began


def time_levels(start, end) -> dict[str, float]:
    return {level: timed(coverage_by, level, start, end)[1] for level in LEVELS}


def village_denominators_sql() -> dict[int, tuple[int, int, int]]:
    """``{village_id: (registered, with_capacity, eligible)}`` by one hand-written query:
    the yardstick for ``denominator_by("village")``."""
    tables = _tables()
    capacity = list(settings.COVERAGE_CAPACITY_CATEGORIES)
    migrant = list(settings.COVERAGE_MIGRANT_STATUSES)
    sql = f"""
        SELECT m.village_id, COUNT(*),
               SUM(CASE WHEN m.labour_category IN ({_in(capacity)}) THEN 1 ELSE 0 END),
               SUM(CASE WHEN m.labour_category IN ({_in(capacity)})
                         AND m.work_status NOT IN ({_in(migrant)}) THEN 1 ELSE 0 END)
        FROM {tables["RegistryMember"]} m
        JOIN {tables["Village"]} v ON v.id = m.village_id
        JOIN {tables["Town"]} t ON t.id = v.town_id
        JOIN {tables["County"]} c ON c.id = t.county_id
        WHERE m.is_active AND v.is_active AND v.is_provincial_poor AND c.is_demonstration
        GROUP BY m.village_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*capacity, *capacity, *migrant])
        return {
            village: (int(registered), int(capable or 0), int(eligible or 0))
            for village, registered, capable, eligible in cursor.fetchall()
        }


def village_denominators_report() -> dict[int, tuple[int, int, int]]:
    return {
        pk: (row.registered, row.with_capacity, row.eligible)
        for pk, row in denominator_by("village").items()
    }


def _as_date(value) -> datetime.date:
    """A date column as the driver returns it (a date, or text on SQLite)."""
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def monthly_units_sql(start, end) -> dict[datetime.date, tuple[int, int]]:
    """``{first of month: (classes, online)}`` for the months with any unit, by two
    hand-written queries grouping by day (the months are added up here, so that the
    SQL stays the same on SQLite and PostgreSQL): the yardstick for ``units_breakdown``."""
    tables = _tables()
    capacity = list(settings.COVERAGE_CAPACITY_CATEGORIES)
    migrant = list(settings.COVERAGE_MIGRANT_STATUSES)
    eligible = f"""
        SELECT m.id_number_hash
        FROM {tables["RegistryMember"]} m
        JOIN {tables["Village"]} v ON v.id = m.village_id
        JOIN {tables["Town"]} t ON t.id = v.town_id
        JOIN {tables["County"]} c ON c.id = t.county_id
        WHERE m.is_active AND v.is_active AND v.is_provincial_poor AND c.is_demonstration
          AND m.labour_category IN ({_in(capacity)}) AND m.work_status NOT IN ({_in(migrant)})
    """
    classes = f"""
        SELECT s.date, COUNT(*)
        FROM {tables["Attendance"]} a
        JOIN {tables["ClassSession"]} s ON s.id = a.session_id
        WHERE s.date >= %s AND s.date <= %s AND a.id_number_hash IN ({eligible})
        GROUP BY s.date
    """
    online = f"""
        SELECT c.online_completed_on, COUNT(*)
        FROM {tables["Completion"]} c
        JOIN {tables["User"]} u ON u.id = c.user_id
        WHERE c.online_completed_on >= %s AND c.online_completed_on <= %s
          AND u.id_number_hash IN ({eligible})
        GROUP BY c.online_completed_on
    """
    params = [
        connection.ops.adapt_datefield_value(start),
        connection.ops.adapt_datefield_value(end),
        *capacity,
        *migrant,
    ]
    months: dict[datetime.date, tuple[int, int]] = {}
    with connection.cursor() as cursor:
        for sql, kind in ((classes, 0), (online, 1)):
            cursor.execute(sql, params)
            for day, count in cursor.fetchall():
                month = _as_date(day).replace(day=1)
                split = list(months.get(month, (0, 0)))
                split[kind] += int(count)
                months[month] = (split[0], split[1])
    return months


def monthly_units_report(start, end) -> dict[datetime.date, tuple[int, int]]:
    """The same shape from ``units_breakdown`` (months with any unit only)."""
    return {
        month: (split.classes, split.online)
        for month, split in units_breakdown(start, end).months
        if split.total
    }


def time_denominators() -> dict[str, float]:
    return {level: timed(denominator_by, level)[1] for level in LEVELS}
