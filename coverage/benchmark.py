"""A benchmark of the coverage report at the scale of a whole city's registry.

``build_data`` adds a synthetic demonstration county (registry members, class sessions,
attendances, users and course completions) with ``bulk_create``, where people are
trained unevenly: some villages meet the target and others do not; members attend one
to four classes, complete courses online, both, only outside the period, or nothing;
people outside the registry attend too, and some records carry no ID hash. Each
``*_sql`` function computes one of the report's figures by hand-written SQL, the fastest
I could write for each database, as the yardstick for the report and a check that both
count the same. ``remove_data`` takes it all away again. The command
``benchmark_coverage`` commits the data, analyses the tables, times the report and its
yardstick alternately and removes the data.
"""

import datetime
import hashlib
import math
import operator
import statistics
import time
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.utils import timezone
from wagtail.models import Page

from accounts.models import User
from classes.models import Attendance, ClassSession
from courses.models import CatalogPage, CoursePage, Track
from learning.models import Completion
from regions.models import County, Town, Village

from .models import RegistryMember
from .report import (
    AreaFigures,
    coverage_by,
    denominator_by,
    lagging_villages,
    units_breakdown,
)

COUNTY_NAME = "基准测试县"
PERIOD = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
# Sessions and completions spread from a month before the period to its end, so that
# the period's bounds have something to cut.
FIRST_DAY = datetime.date(2025, 12, 1)
DAYS = 396
MEMBERS_PER_VILLAGE = 200
VILLAGES_PER_TOWN = 10
PER_SESSION = 50
COURSES = 10
BATCH = 5000
PHONE_PREFIX = "+86190"
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


def _spread(n: int) -> int:
    """A number from 0 to 99 that looks random in n (and is the same every run)."""
    return int(hashlib.sha256(f"spread-{n}".encode()).hexdigest()[:8], 16) % 100


def _profile(member: int, village: int) -> tuple[int, bool, bool]:
    """How member ``member`` of village ``village`` is trained: (classes attended in the
    period, a course completed online in the period, trained only before the period).
    Villages train from 5% to 94% of their members, so some meet the target and some do
    not; of the others, one in three was trained only before the period."""
    if _spread(member) < 5 + village * 37 % 90:
        kind = member % 5
        return (0 if kind == 3 else 1 + member % 4, kind >= 3, False)
    return (0, False, member % 3 == 0)


def build_data(members: int, records: int) -> BenchmarkData:
    """``members`` registry members in one demonstration county and about ``records``
    training records: nine in ten attendances at class sessions, one in ten course
    completions, of members (as ``_profile`` says) and of people outside the registry."""
    county = County.objects.create(name=COUNTY_NAME, is_demonstration=True)
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
    profiles = [_profile(n, n % village_count) for n in range(members)]
    completions = records // 10 if members else 0
    attendances = _add_attendances(records - completions, profiles, villages)
    completions = _add_completions(completions, profiles)
    return BenchmarkData(members, attendances, completions, village_count)


def _add_attendances(count, profiles, villages) -> int:
    """Members' classes as their profiles say, then people outside the registry (one
    row in fifty known by phone only) up to ``count`` rows."""
    sessions = max(1, math.ceil(count / PER_SESSION))
    catalog_course = _courses(1, "基准面授课程")[0]
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
    # Tiny runs (the tests) may have no session inside the period or none before it.
    inside = [s for s in created if PERIOD[0] <= s.date <= PERIOD[1]] or created
    before = [s for s in created if s.date < PERIOD[0]] or inside

    def seats():
        for member, (classes, _, earlier) in enumerate(profiles):
            # Distinct sessions for one member: steps of a prime through the list.
            chosen = [inside[(member * 31 + j * 104_729) % len(inside)] for j in range(classes)]
            if earlier:
                chosen = [before[member % len(before)]]
            for session in dict.fromkeys(chosen):
                yield session, _hash(member), ""
        for person in range(len(profiles), len(profiles) + count):
            visits = (created[(person * 31 + j * 104_729) % len(created)] for j in range(3))
            for session in dict.fromkeys(visits):
                if person % 17 == 0:
                    yield session, "", f"139{person:08d}"
                else:
                    yield session, _hash(person), ""

    def rows():
        for n, (session, id_hash, phone) in enumerate(seats()):
            if n == count:
                return
            yield Attendance(
                session=session,
                name=f"学员{n}",
                id_number_hash=id_hash,
                id_number_masked="4453**********0000" if id_hash else "",
                phone=phone,
                method=Attendance.Method.SHEET,
            )

    return len(Attendance.objects.bulk_create(rows(), batch_size=BATCH))


def _add_completions(count, profiles) -> int:
    """Members' online completions as their profiles say (one to three courses, one in
    four of them also before the period or with class hours, which does not count),
    then users outside the registry or without an ID hash up to ``count`` rows."""
    if not count:
        return 0
    courses = _courses(COURSES)
    people = [n for n, (_, online, earlier) in enumerate(profiles) if online or earlier]
    others = math.ceil(count / len(courses))
    created = User.objects.bulk_create(
        (
            User(
                phone=f"{PHONE_PREFIX}{n:08d}",
                password="!",
                id_number_hash=(
                    _hash(people[n])
                    if n < len(people)
                    else ("" if n % 4 == 0 else _hash(len(profiles) + n))
                ),
            )
            for n in range(len(people) + others)
        ),
        batch_size=BATCH,
    )

    def rows():
        n = 0
        for user, member in zip(created, people, strict=False):
            online = profiles[member][1]
            for course in range(1 + member % 3):
                if online and course == 0:
                    day = PERIOD[0] + datetime.timedelta(days=member * 13 % 365)
                    on = day
                elif member % 4 == 0 or not online:
                    day = FIRST_DAY + datetime.timedelta(days=member % 31)
                    on = day if member % 2 else None
                else:
                    break
                if n == count:
                    return
                yield user, courses[(member + course) % len(courses)], day, on
                n += 1
        for number, user in enumerate(created[len(people) :]):
            for course in range(len(courses)):
                if n == count:
                    return
                yield user, courses[course], _day(number * 13 + course), _day(number * 13 + course)
                n += 1

    made = Completion.objects.bulk_create(
        (
            Completion(
                user=user,
                course=course,
                # Late in the evening, local time: the previous day in UTC.
                completed_at=timezone.make_aware(
                    datetime.datetime.combine(day, datetime.time(23, 30))
                ),
                online_completed_on=on,
                hours=Decimal("6"),
                certificate_code=f"BM{n:010d}",
            )
            for n, (user, course, day, on) in enumerate(rows())
        ),
        batch_size=BATCH,
    )
    return len(made)


def _courses(count, title="基准课程"):
    catalog = CatalogPage.objects.first()
    track = Track.objects.first() or Track.objects.create(name="基准测试", slug="benchmark")
    courses = []
    for n in range(count):
        course = CoursePage(
            title=f"{title}{n}",
            slug=f"benchmark-{n}-{time.monotonic_ns()}",
            track=track,
            summary="基准测试",
            required_hours=Decimal("6"),
        )
        catalog.add_child(instance=course)
        courses.append(course)
    return courses


def remove_data():
    """Delete everything ``build_data`` made (its county, and the courses, users, sessions
    and records that hang from it), leaving the rest of the database as it was."""
    county = County.objects.filter(name=COUNTY_NAME, is_demonstration=True).first()
    if county is None:
        return
    courses = list(CoursePage.objects.filter(slug__startswith="benchmark-", summary="基准测试"))
    # In SQL, without the models' delete signals: learning re-settles a person's
    # completions for each attendance deleted, one at a time, which for synthetic
    # records (never indexed or linked to anything else) is hours of work to no purpose.
    _delete(Completion, "course_id", CoursePage.objects.filter(pk__in=[c.pk for c in courses]))
    _delete(Attendance, "session_id", ClassSession.objects.filter(venue__town__county=county))
    _delete(ClassSession, "id", ClassSession.objects.filter(venue__town__county=county))
    # Its users have a password of "!" alone, which no real account has (an unusable
    # password is "!" and 40 more characters).
    _delete(User, "id", User.objects.filter(phone__startswith=PHONE_PREFIX, password="!"))
    # Wagtail drops each deleted snippet's reference index rows one member at a time.
    _delete(RegistryMember, "id", RegistryMember.objects.filter(village__town__county=county))
    Village.objects.filter(town__county=county).delete()
    Town.objects.filter(county=county).delete()
    county.delete()
    for course in courses:
        course.delete()
    Track.objects.filter(slug="benchmark", courses__isnull=True).delete()


def _delete(model, column, keys):
    """``DELETE FROM model WHERE column IN (keys' primary keys)``."""
    sql, params = keys.values("pk").query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({sql})", params)


def analyse():
    """Fresh planner statistics for every table, as autovacuum would leave them."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# The yardsticks: hand-written SQL giving the report's figures.


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


def _eligible(town=None) -> tuple[str, list]:
    """The eligible members' ``(hash, village_id)``, and its parameters."""
    tables = _tables()
    capacity = list(settings.COVERAGE_CAPACITY_CATEGORIES)
    migrant = list(settings.COVERAGE_MIGRANT_STATUSES)
    sql = f"""
        SELECT m.id_number_hash AS h, m.village_id
        FROM {tables["RegistryMember"]} m
        JOIN {tables["Village"]} v ON v.id = m.village_id
        JOIN {tables["Town"]} t ON t.id = v.town_id
        JOIN {tables["County"]} c ON c.id = t.county_id
        WHERE m.is_active AND v.is_active AND v.is_provincial_poor AND c.is_demonstration
          AND m.labour_category IN ({_in(capacity)}) AND m.work_status NOT IN ({_in(migrant)})
    """
    if town is not None:
        return sql + " AND v.town_id = %s", [*capacity, *migrant, town.pk]
    return sql, [*capacity, *migrant]


def _dates(start, end) -> list:
    return [connection.ops.adapt_datefield_value(day) for day in (start, end)]


def _fetch(sql, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _village_rows(rows) -> dict[int, tuple[int, int, int]]:
    return {
        village: (int(eligible), int(times or 0), int(persons or 0))
        for village, eligible, times, persons in rows
    }


def village_figures_sql(start, end, town=None) -> dict[int, tuple[int, int, int]]:
    """``{village_id: (eligible, person_times, persons)}``: every unit in the period
    joined to the eligible members by hash, counted per member, summed per village."""
    tables = _tables()
    eligible, params = _eligible(town)
    sql = f"""
        WITH m AS ({eligible}),
        units AS (
            SELECT a.id_number_hash AS h
            FROM {tables["Attendance"]} a
            JOIN {tables["ClassSession"]} s ON s.id = a.session_id
            WHERE s.date >= %s AND s.date <= %s
            UNION ALL
            SELECT u.id_number_hash
            FROM {tables["Completion"]} c
            JOIN {tables["User"]} u ON u.id = c.user_id
            WHERE c.online_completed_on >= %s AND c.online_completed_on <= %s
        ),
        per_member AS (
            SELECT m.village_id, m.h, COUNT(units.h) AS n
            FROM m LEFT JOIN units ON units.h = m.h
            GROUP BY m.village_id, m.h
        )
        SELECT village_id, COUNT(*), SUM(n), SUM(CASE WHEN n > 0 THEN 1 ELSE 0 END)
        FROM per_member
        GROUP BY village_id
    """
    return _village_rows(_fetch(sql, [*params, *_dates(start, end), *_dates(start, end)]))


def village_figures_sql_members_first(start, end, town=None) -> dict[int, tuple[int, int, int]]:
    """The same figures, each kind of unit joined to the eligible members before its
    class session or user (most units are of people outside the registry), counted per
    member and summed per village."""
    tables = _tables()
    eligible, params = _eligible(town)
    sql = f"""
        WITH m AS NOT MATERIALIZED ({eligible}),
        per_member AS (
            SELECT h, COUNT(*) AS n FROM (
                SELECT m.h FROM m
                JOIN {tables["Attendance"]} a ON a.id_number_hash = m.h
                JOIN {tables["ClassSession"]} s ON s.id = a.session_id
                WHERE s.date >= %s AND s.date <= %s
                UNION ALL
                SELECT m.h FROM m
                JOIN {tables["User"]} u ON u.id_number_hash = m.h
                JOIN {tables["Completion"]} c ON c.user_id = u.id
                WHERE c.online_completed_on >= %s AND c.online_completed_on <= %s
            ) units
            GROUP BY h
        )
        SELECT m.village_id, COUNT(*), SUM(COALESCE(p.n, 0)), COUNT(p.n)
        FROM m LEFT JOIN per_member p ON p.h = m.h
        GROUP BY m.village_id
    """
    dates = _dates(start, end)
    return _village_rows(_fetch(sql, [*params, *dates, *dates]))


def village_figures_sql_correlated(start, end, town=None) -> dict[int, tuple[int, int, int]]:
    """The same figures, each member's units counted by index lookups on the hash (what
    SQLite, which has no hash join, may do best)."""
    tables = _tables()
    eligible, params = _eligible(town)
    sql = f"""
        SELECT village_id, COUNT(*), SUM(a + c), SUM(CASE WHEN a + c > 0 THEN 1 ELSE 0 END)
        FROM (
            SELECT m.village_id,
                   (SELECT COUNT(*) FROM {tables["Attendance"]} a
                    JOIN {tables["ClassSession"]} s ON s.id = a.session_id
                    WHERE a.id_number_hash = m.h AND s.date >= %s AND s.date <= %s) AS a,
                   (SELECT COUNT(*) FROM {tables["User"]} u
                    JOIN {tables["Completion"]} c ON c.user_id = u.id
                    WHERE u.id_number_hash = m.h AND u.id_number_hash <> ''
                      AND c.online_completed_on >= %s AND c.online_completed_on <= %s) AS c
            FROM ({eligible}) m
        ) per_member
        GROUP BY village_id
    """
    return _village_rows(_fetch(sql, [*_dates(start, end), *_dates(start, end), *params]))


def village_figures_report(start, end, town=None) -> dict[int, tuple[int, int, int]]:
    """The same shape from ``coverage_by``, to compare with the SQL."""
    return {
        row.area_id: (row.eligible, row.person_times, row.persons)
        for row in coverage_by("village", start, end, town=town)
    }


def _lagging(figures, limit) -> tuple[list[tuple[int, int]], int]:
    """``([(village_id, gap)], how many)``: short of the target, furthest first."""
    short = [
        (pk, AreaFigures(pk, "", "", "", *row).gap)
        for pk, row in figures.items()
        if AreaFigures(pk, "", "", "", *row).met is False
    ]
    return sorted(short, key=lambda item: -item[1])[:limit], len(short)


def lagging_sql(start, end, limit=20, figures=village_figures_sql):
    """The lagging villages from the SQL's figures (sorted by gap alone: ties may fall
    either way, so only gaps are compared, with the set of villages short)."""
    return _lagging(figures(start, end), limit)


def lagging_report(start, end, limit=20):
    shown, count = lagging_villages(start, end, limit=limit)
    return [(row.area_id, row.gap) for row in shown], count


def same_lagging(report, sql) -> bool:
    """Equal gaps in order and equal counts (villages with equal gaps may swap)."""
    return [gap for _, gap in report[0]] == [gap for _, gap in sql[0]] and report[1] == sql[1]


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
    return {
        village: (int(registered), int(capable or 0), int(eligible or 0))
        for village, registered, capable, eligible in _fetch(sql, [*capacity, *capacity, *migrant])
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


Trend = tuple[dict[datetime.date, tuple[int, int]], dict[str, tuple[int, int]]]


def _trend_of(rows) -> Trend:
    """``({first of month: (classes, online)}, {course title: (classes, online)})`` for
    the months and courses with any unit, from ``(day, course title, kind, count)`` rows."""
    months: dict[datetime.date, list[int]] = {}
    courses: dict[str, list[int]] = {}
    for day, title, kind, count in rows:
        months.setdefault(_as_date(day).replace(day=1), [0, 0])[int(kind)] += int(count)
        courses.setdefault(title, [0, 0])[int(kind)] += int(count)
    return (
        {month: (split[0], split[1]) for month, split in months.items()},
        {title: (split[0], split[1]) for title, split in courses.items()},
    )


def _trend_sql(start, end, keep: str) -> tuple[str, list]:
    """The eligible members' units by day and course, each kind's rows kept by
    ``keep`` (``join``: joined to the members; ``in``: their hash IN the members')."""
    tables = _tables()
    page = connection.ops.quote_name(Page._meta.db_table)
    eligible, params = _eligible()
    if keep == "join":
        prefix = f"WITH m AS ({eligible})"
        attended = "JOIN m ON m.h = a.id_number_hash"
        completed = "JOIN m ON m.h = u.id_number_hash"
        where_a = where_c = ""
    else:
        attended = completed = prefix = ""
        where_a = f"AND a.id_number_hash IN (SELECT h FROM ({eligible}) m)"
        where_c = f"AND u.id_number_hash IN (SELECT h FROM ({eligible}) m)"
    sql = f"""
        {prefix}
        SELECT day, p.title, kind, n FROM (
            SELECT s.date AS day, s.course_id AS course, 0 AS kind, COUNT(*) AS n
            FROM {tables["Attendance"]} a
            JOIN {tables["ClassSession"]} s ON s.id = a.session_id
            {attended}
            WHERE s.date >= %s AND s.date <= %s {where_a}
            GROUP BY s.date, s.course_id
            UNION ALL
            SELECT c.online_completed_on, c.course_id, 1, COUNT(*)
            FROM {tables["Completion"]} c
            JOIN {tables["User"]} u ON u.id = c.user_id
            {completed}
            WHERE c.online_completed_on >= %s AND c.online_completed_on <= %s {where_c}
            GROUP BY c.online_completed_on, c.course_id
        ) units
        JOIN {page} p ON p.id = units.course
    """
    dates = _dates(start, end)
    if keep == "join":
        return sql, [*params, *dates, *dates]
    return sql, [*dates, *params, *dates, *params]


def monthly_units_sql(start, end) -> Trend:
    """The trend's months and courses: the units joined to the eligible members, grouped
    by day and course in one query (the days are added up into months here, so that
    the SQL stays the same on SQLite and PostgreSQL): the yardstick for
    ``units_breakdown``."""
    return _trend_of(_fetch(*_trend_sql(start, end, "join")))


def monthly_units_sql_semijoin(start, end) -> Trend:
    """The same, the units kept by ``IN (eligible hashes)``."""
    return _trend_of(_fetch(*_trend_sql(start, end, "in")))


def monthly_units_report(start, end) -> Trend:
    """The same shape from ``units_breakdown`` (months and courses with any unit)."""
    breakdown = units_breakdown(start, end)
    return (
        {month: (split.classes, split.online) for month, split in breakdown.months if split.total},
        {title: (split.classes, split.online) for title, split in breakdown.courses},
    )


# Timing.


@dataclass
class Timings:
    """Seconds of each run of one function."""

    name: str
    seconds: list[float]

    @property
    def least(self) -> float:
        return min(self.seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


@dataclass(frozen=True)
class Comparison:
    """One of the report's queries against its hand-written variants, timed alternately."""

    query: str
    report: Timings
    references: list[Timings]

    @property
    def best(self) -> Timings:
        """The reference: the fastest hand-written variant, by its median."""
        return min(self.references, key=lambda timings: timings.median)

    @property
    def ratio_least(self) -> float:
        return self.report.least / self.best.least

    @property
    def ratio_median(self) -> float:
        return self.report.median / self.best.median


def compare(query, report, references, repeat, same=None) -> Comparison:
    """Check that each of ``references`` (``{name: function}``, all without arguments)
    gives what ``report`` gives (ValueError if not): a first, untimed round that also
    warms the database's caches. Then run them all ``repeat`` times, the order rotating
    each round, so that a noisy machine slows them alike."""
    same = same or operator.eq
    expected = report()
    for name, function in references.items():
        if not same(expected, function()):
            raise ValueError(f"{query}: {name} disagrees with the report.")
    runs = [("report", report), *references.items()]
    seconds: dict[str, list[float]] = {name: [] for name, _ in runs}
    for round_ in range(repeat):
        turn = round_ % len(runs)
        for name, function in runs[turn:] + runs[:turn]:
            began = time.perf_counter()
            function()
            seconds[name].append(time.perf_counter() - began)
    return Comparison(
        query,
        Timings("report", seconds["report"]),
        [Timings(name, seconds[name]) for name in references],
    )


def timed(function, *args):
    """``(result, seconds)`` of one call."""
    began = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - began
