"""The coverage figure (培训覆盖率): training person-times of eligible registry members.

DESIGN.md defines it. Per area: eligible persons (应培训人数), training person-times
(培训人次: attended class sessions plus completed courses in the period, of eligible
persons), unique persons trained (培训人数), and the two ratios. Every level is a ratio
of sums computed by grouping the same member rows by village, town or county, so a
county's figure is never the mean of its villages' ratios.

One query per level (``coverage_by``): the period's units joined to the eligible
members by ID hash, counted per member and summed per area, in the database.

The dashboard's figures are here too, counted the same way and each in a fixed number
of queries: the person-times still needed (``AreaFigures.gap``), the villages furthest
from the target, the areas of the scope with nobody eligible, how the eligible number
is reached from the registry, and the person-times by month, kind and course.
"""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from classes.models import Attendance
from courses.models import CoursePage
from learning.models import Completion
from regions.models import County, Town, Village

from .models import RegistryMember

# What the members are grouped by at each level.
LEVELS = {"county": "village__town__county", "town": "village__town", "village": "village"}


def target() -> Fraction:
    """The share to reach, exactly (0.5 is 1/2)."""
    return Fraction(str(getattr(settings, "COVERAGE_TARGET", "0.5")))


def percent(ratio: Fraction | None, empty: str = "—") -> str:
    """An exact ratio as a percentage rounded once, half up, to one decimal:
    50/241 → ``20.7%`` (never 20.75% first and then 20.8%); no ratio → ``empty``."""
    if ratio is None:
        return empty
    tenths = math.floor(Fraction(ratio) * 1000 + Fraction(1, 2))
    return f"{Decimal(tenths).scaleb(-1)}%"


@dataclass(frozen=True)
class AreaFigures:
    """One row of the report: an area and its figures for the period."""

    area_id: int | None
    county: str
    town: str
    village: str
    eligible: int
    person_times: int
    persons: int

    @property
    def times_coverage(self) -> Fraction | None:
        """Person-times over eligible persons, exactly; None where nobody is eligible."""
        return Fraction(self.person_times, self.eligible) if self.eligible else None

    @property
    def persons_coverage(self) -> Fraction | None:
        return Fraction(self.persons, self.eligible) if self.eligible else None

    @property
    def met(self) -> bool | None:
        """Decided on the exact fraction (2 × person-times ≥ eligible for 50%), never on a
        rounded percentage: 5,000 of 10,001 is 49.995%, and short of the target."""
        coverage = self.times_coverage
        return None if coverage is None else coverage >= target()

    @property
    def gap(self) -> int:
        """还差 N 人次: the fewest more person-times that would meet the target, from the
        exact fraction (the smallest N with 2 × (person-times + N) ≥ eligible at 50%);
        0 once met, and where nobody is eligible."""
        return max(0, math.ceil(target() * self.eligible) - self.person_times)


def _units(start, end):
    """The period's training units as two querysets, each unit a row holding the ID hash
    it counts for: class sessions attended (the hash the attendance carries) and courses
    completed by online study (their user's hash), as ``learning.ledger.unit_counts``
    matches them. Records without a hash match no member."""
    attended = Attendance.objects.in_period(start, end).exclude(id_number_hash="").order_by()
    completed = (
        Completion.objects.online_in_period(start, end).exclude(user__id_number_hash="").order_by()
    )
    return attended, completed


def _count(queryset):
    """A correlated subquery: how many rows of ``queryset``, zero for none."""
    counted = queryset.annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted), 0, output_field=IntegerField())


def _figures_per_area(members, start, end, few=False) -> tuple[str, tuple]:
    """SQL and parameters of one row per area of ``members`` (a ``values()`` queryset of
    ``hash`` and ``area``), its columns ``area, eligible, person_times, persons``.

    Over many members (a county, the city) PostgreSQL keeps only the period's units of
    the members (an IN on the members' hashes, each kind of unit apart: the planner then
    joins the units to the members before their class sessions or users, where nine in
    ten rows of the city's attendances are dropped), counts them per hash and joins the
    counts to the members. Joining all the period's units to their sessions first, then
    to the members, took twice as long (benchmark_coverage, "SQL join"). SQLite has no
    hash join, and for ``few`` members (a town) reading the units of all the city to keep
    a few costs more than looking them up: there one index lookup per member on each
    table's hash is the fastest ("SQL correlated"). The grouping keys are the hash and
    the area's id, never names: the names are joined to the few rows per area after.
    """
    attended, completed = _units(start, end)
    if few or connection.vendor != "postgresql":
        per_member = members.annotate(
            n=_count(attended.filter(id_number_hash=OuterRef("hash")))
            + _count(completed.filter(user__id_number_hash=OuterRef("hash")))
        )
        sql, params = per_member.query.sql_with_params()
        sql = f"""
            SELECT area, COUNT(*) AS eligible, SUM(n) AS person_times,
                   SUM(CASE WHEN n > 0 THEN 1 ELSE 0 END) AS persons
            FROM ({sql}) per_member GROUP BY area
        """
        return sql, params
    hashes = members.values("hash")
    units = (
        attended.filter(id_number_hash__in=hashes)
        .values(hash=F("id_number_hash"))
        .union(
            completed.filter(user__id_number_hash__in=hashes).values(
                hash=F("user__id_number_hash")
            ),
            all=True,
        )
    )
    members_sql, members_params = members.query.sql_with_params()
    units_sql, units_params = units.query.sql_with_params()
    # COUNT(u.n): the members with a unit (n is at least 1 where there is a row).
    sql = f"""
        SELECT m.area, COUNT(*) AS eligible, SUM(COALESCE(u.n, 0)) AS person_times,
               COUNT(u.n) AS persons
        FROM ({members_sql}) m
        LEFT JOIN (SELECT hash, COUNT(*) AS n FROM ({units_sql}) units GROUP BY hash) u
            ON u.hash = m.hash
        GROUP BY m.area
    """
    return sql, (*members_params, *units_params)


# Each level's areas and their names, joined to the figures per area.
AREA_NAMES = {
    "county": lambda: County.objects.values(
        area=F("pk"), county_name=F("name"), town_name=Value(""), village_name=Value("")
    ),
    "town": lambda: Town.objects.values(
        area=F("pk"), county_name=F("county__name"), town_name=F("name"), village_name=Value("")
    ),
    "village": lambda: Village.objects.values(
        area=F("pk"),
        county_name=F("town__county__name"),
        town_name=F("town__name"),
        village_name=F("name"),
    ),
}


# For the report's grouped queries on PostgreSQL, for the rest of the transaction.
# No JIT: a plan costed past jit_above_cost (the old correlated query was, and a city
# twice the benchmark's size will be) spent 1.3 s of 3.4 s compiling it, for a query
# whose rows are simple sums. 32 MB: at 60,000 members the per-member grouping sorted
# 9.6 MB on disk with the default 4 MB (EXPLAIN ANALYZE; README, benchmark_coverage).
POSTGRESQL_SETTINGS = "SET LOCAL jit = off; SET LOCAL work_mem = '32MB'; "


def _fetch_all(sql, params) -> list[tuple]:
    """The rows of one report query, with POSTGRESQL_SETTINGS on PostgreSQL: sent in the
    same round trip, inside a transaction (the request's, or one of its own) so that
    SET LOCAL holds."""
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            return cursor.fetchall()
        cursor.execute(POSTGRESQL_SETTINGS + sql, params)
        while cursor.description is None and cursor.nextset():
            pass
        return cursor.fetchall()


def coverage_by(level: str, start, end, county=None, town=None) -> list[AreaFigures]:
    """The report's rows at one level (county, town or village), for dates start..end.

    ``county`` or ``town`` limits it to one area (county staff, a town's page).

    One query: the eligible members' units in the period summed per area
    (``_figures_per_area``), then the areas' names. The ORM builds the parts, so the
    rules (who is eligible, which records fall in the period) stay in their QuerySets;
    the sums are SQL, because the ORM would repeat the per-member counting in each sum.
    """
    members = (
        _in_area(RegistryMember.objects.eligible(), county, town)
        .order_by()
        .values(hash=F("id_number_hash"), area=F(LEVELS[level]))
    )
    figures_sql, figures_params = _figures_per_area(members, start, end, few=town is not None)
    names_sql, names_params = AREA_NAMES[level]().order_by().query.sql_with_params()
    sql = f"""
        SELECT f.area, a.county_name, a.town_name, a.village_name, f.eligible,
               f.person_times, f.persons
        FROM ({figures_sql}) f
        JOIN ({names_sql}) a ON a.area = f.area
        ORDER BY a.county_name, a.town_name, a.village_name
    """
    rows = _fetch_all(sql, (*figures_params, *names_params))
    return [
        AreaFigures(
            area_id=area,
            county=county_name,
            town=town_name,
            village=village_name,
            eligible=int(eligible),
            person_times=int(person_times or 0),
            persons=int(persons or 0),
        )
        for area, county_name, town_name, village_name, eligible, person_times, persons in rows
    ]


def coverage_total(start, end, county=None) -> AreaFigures:
    """The figure over every area in scope (or one county): the sums of the county rows.

    A person belongs to one village, so adding the counties' sums loses nothing; the
    ratio is taken of the sums, as at every level.
    """
    counties = coverage_by("county", start, end, county=county)
    return AreaFigures(
        area_id=None,
        county=county.name if county is not None else "",
        town="",
        village="",
        eligible=sum(row.eligible for row in counties),
        person_times=sum(row.person_times for row in counties),
        persons=sum(row.persons for row in counties),
    )


def lagging_villages(
    start, end, county=None, limit: int | None = 20
) -> tuple[list[AreaFigures], int]:
    """Villages short of the target, the furthest first (by 还差 N 人次, then by name),
    at most ``limit`` of them (None: all), and how many there are in all. One query."""
    short = [row for row in coverage_by("village", start, end, county=county) if row.met is False]
    short.sort(key=lambda row: (-row.gap, row.county, row.town, row.village))
    return short[:limit], len(short)


def _in_area(queryset, county=None, town=None, to_village="village__"):
    """Members (or anything that reaches a village through ``to_village``) of one county
    or one town; everywhere when neither is given."""
    if town is not None:
        return queryset.filter(**{f"{to_village}town": town})
    if county is not None:
        return queryset.filter(**{f"{to_village}town__county": county})
    return queryset


@dataclass(frozen=True)
class Denominator:
    """How an area's eligible persons (应培训人数) are reached from its registry: active
    members of the scope's villages (在册), those with labour capacity, and of those the
    ones who are not migrant workers (settings COVERAGE_CAPACITY_CATEGORIES and
    COVERAGE_MIGRANT_STATUSES, as ``RegistryMemberQuerySet.eligible`` reads them)."""

    area_id: int | None
    registered: int
    with_capacity: int
    eligible: int

    @property
    def without_capacity(self) -> int:
        return self.registered - self.with_capacity

    @property
    def migrants(self) -> int:
        return self.with_capacity - self.eligible


def denominator_by(level: str, county=None, town=None) -> dict[int, Denominator]:
    """``{area_id: Denominator}`` at one level, by one grouped query over the active
    members of in-scope villages. The registry is a snapshot: no period applies."""
    key = LEVELS[level]
    members = RegistryMember.objects.active().filter(
        village__is_active=True,
        village__is_provincial_poor=True,
        village__town__county__is_demonstration=True,
    )
    capacity = Q(labour_category__in=settings.COVERAGE_CAPACITY_CATEGORIES)
    migrant = Q(work_status__in=settings.COVERAGE_MIGRANT_STATUSES)
    rows = (
        _in_area(members, county, town)
        .order_by()
        .values(key)
        .annotate(
            registered=Count("pk"),
            with_capacity=Count("pk", filter=capacity),
            eligible=Count("pk", filter=capacity & ~migrant),
        )
    )
    return {
        row[key]: Denominator(row[key], row["registered"], row["with_capacity"], row["eligible"])
        for row in rows
    }


def denominator_total(rows) -> Denominator:
    """The sums over areas of one level (a member belongs to one village)."""
    rows = list(rows)
    return Denominator(
        area_id=None,
        registered=sum(row.registered for row in rows),
        with_capacity=sum(row.with_capacity for row in rows),
        eligible=sum(row.eligible for row in rows),
    )


@dataclass(frozen=True)
class MissingArea:
    """An area of the scope where nobody is eligible: its registry was never imported
    (``registered`` 0), or none of its members counts; its figures would be absent."""

    area_id: int
    county: str
    town: str
    village: str
    registered: int  # active registry members of its in-scope villages
    villages: int  # its villages in the scope (1 for a village)


def _members_of(outer_path: str, queryset):
    """How many rows of ``queryset`` reach the outer area through ``outer_path``."""
    counted = (
        queryset.filter(**{outer_path: OuterRef("pk")})
        .order_by()
        .values(outer_path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0, output_field=IntegerField())


def missing_data(county=None, town=None) -> tuple[list[MissingArea], list[MissingArea]]:
    """(counties, villages) of the scope without a single eligible registry member
    (缺少建档立卡数据), so that they are flagged rather than silently absent from the
    figures. A demonstration county with none at all is listed as a county (also when
    no village of it is flagged provincial poor), and its villages are not repeated;
    on a town's page only the town's villages are looked at. Two queries."""
    eligible = RegistryMember.objects.eligible()
    in_scope = RegistryMember.objects.active().filter(
        village__is_active=True, village__is_provincial_poor=True
    )
    counties = []
    if town is None:
        candidates = County.objects.filter(is_demonstration=True)
        if county is not None:
            candidates = candidates.filter(pk=county.pk)
        rows = (
            candidates.filter(~Exists(eligible.filter(village__town__county=OuterRef("pk"))))
            .annotate(
                registered=_members_of("village__town__county", in_scope),
                in_scope=_members_of("town__county", Village.objects.in_coverage_scope()),
            )
            .order_by("name")
            .values("pk", "name", "registered", "in_scope")
        )
        counties = [
            MissingArea(row["pk"], row["name"], "", "", row["registered"], row["in_scope"])
            for row in rows
        ]
    villages = (
        _in_area(Village.objects.in_coverage_scope(), county, town, to_village="")
        .filter(~Exists(eligible.filter(village=OuterRef("pk"))))
        .exclude(town__county__in=[row.area_id for row in counties])
        .annotate(registered=_members_of("village", in_scope))
        .order_by("town__county__name", "town__name", "name")
        .values("pk", "town__county__name", "town__name", "name", "registered")
    )
    return counties, [
        MissingArea(
            row["pk"],
            row["town__county__name"],
            row["town__name"],
            row["name"],
            row["registered"],
            1,
        )
        for row in villages
    ]


@dataclass(frozen=True)
class UnitSplit:
    """Person-times by kind: class sessions attended and courses completed online."""

    classes: int = 0
    online: int = 0

    @property
    def total(self) -> int:
        return self.classes + self.online

    def __add__(self, other):
        return UnitSplit(self.classes + other.classes, self.online + other.online)


@dataclass(frozen=True)
class Breakdown:
    """An area's person-times in the period by month (every month of the period, in
    order, zero where there were none) and by course (most person-times first)."""

    months: list[tuple[datetime.date, UnitSplit]]
    courses: list[tuple[str, UnitSplit]]

    @property
    def total(self) -> UnitSplit:
        return sum((split for _, split in self.months), UnitSplit())


def _months(start, end) -> list[datetime.date]:
    first, months = start.replace(day=1), []
    while first <= end:
        months.append(first)
        first = (first + datetime.timedelta(days=31)).replace(day=1)
    return months


def _with_titles(grouped) -> list[tuple]:
    """``(day, course, title, n)`` rows of ``grouped`` (units grouped by ``day`` and
    ``course``), each course's title joined after the grouping, not to every unit."""
    sql, params = grouped.query.sql_with_params()
    pages = connection.ops.quote_name(CoursePage._meta.get_field("title").model._meta.db_table)
    sql = f"SELECT g.day, g.course_pk, p.title, g.n FROM ({sql}) g JOIN {pages} p"
    return _fetch_all(f"{sql} ON p.id = g.course_pk", params)


def units_breakdown(start, end, county=None, town=None) -> Breakdown:
    """The person-times of ``coverage_by`` taken apart: eligible members' attendances by
    the session's month and completions by the month of ``online_completed_on``, each
    by course, matched by ID hash as ``learning.ledger.unit_counts`` matches them, so
    that the months add up to the area's person-times. Two grouped queries.

    They group by day, and the days (at most a few hundred rows a course) are added up
    into months here: truncating each record's date to its month costs more than the
    grouping itself (on SQLite a Python call per row).
    """
    hashes = _in_area(RegistryMember.objects.eligible(), county, town).values("id_number_hash")
    attended, completed = _units(start, end)
    classes = (
        attended.filter(id_number_hash__in=hashes)
        .values(day=F("session__date"), course_pk=F("session__course"))
        .annotate(n=Count("pk"))
    )
    online = (
        completed.filter(user__id_number_hash__in=hashes)
        .values(day=F("online_completed_on"), course_pk=F("course"))
        .annotate(n=Count("pk"))
    )
    by_month = dict.fromkeys(_months(start, end), UnitSplit())
    by_course: dict[int, tuple[str, UnitSplit]] = {}
    rows = [(row, UnitSplit(classes=row[3])) for row in _with_titles(classes)] + [
        (row, UnitSplit(online=row[3])) for row in _with_titles(online)
    ]
    for (day, course, title, _), split in rows:
        month = _as_date(day).replace(day=1)
        by_month[month] += split
        by_course[course] = (title, by_course.get(course, (title, UnitSplit()))[1] + split)
    courses = sorted(by_course.values(), key=lambda item: (-item[1].total, item[0]))
    return Breakdown(months=list(by_month.items()), courses=courses)


def _as_date(value) -> datetime.date:
    """A date from raw SQL: a date, or its ISO text on SQLite."""
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)
