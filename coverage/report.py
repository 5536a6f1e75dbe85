"""The coverage figure (培训覆盖率): training person-times of eligible registry members.

DESIGN.md defines it. Per area: eligible persons (应培训人数), training person-times
(培训人次: attended class sessions plus completed courses in the period, of eligible
persons), unique persons trained (培训人数), and the two ratios. Every level is a ratio
of sums computed by grouping the same member rows by village, town or county, so a
county's figure is never the mean of its villages' ratios.

One query per level: a member's units come from the hours ledger as correlated
subqueries on the indexed ID hash, and the grouping runs in the database.

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
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth

from classes.models import Attendance
from learning.ledger import unit_counts
from learning.models import Completion
from regions.models import County, Village

from .models import RegistryMember

# What the members are grouped by at each level, and the place names a row shows.
LEVELS = {"county": "village__town__county", "town": "village__town", "village": "village"}
PLACE_NAMES = {
    "county": ["village__town__county__name"],
    "town": ["village__town__county__name", "village__town__name"],
    "village": ["village__town__county__name", "village__town__name", "village__name"],
}


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


def _units_per_member(start, end):
    """Eligible members annotated with their class sessions and completions in the period."""
    return RegistryMember.objects.eligible().annotate(
        **unit_counts(OuterRef("id_number_hash"), start, end)
    )


def coverage_by(level: str, start, end, county=None) -> list[AreaFigures]:
    """The report's rows at one level (county, town or village), for dates start..end.

    ``county`` limits it to one county (for county staff).
    """
    key = LEVELS[level]
    members = _units_per_member(start, end)
    if county is not None:
        members = members.filter(village__town__county=county)
    rows = (
        members.order_by()
        .values(key, *PLACE_NAMES[level])
        .annotate(
            eligible=Count("pk"),
            person_times=Sum("attended") + Sum("completed"),
            persons=Count("pk", filter=Q(attended__gt=0) | Q(completed__gt=0)),
        )
        .order_by(*PLACE_NAMES[level])
    )
    return [
        AreaFigures(
            area_id=row[key],
            county=row["village__town__county__name"],
            town=row.get("village__town__name", ""),
            village=row.get("village__name", ""),
            eligible=row["eligible"],
            person_times=row["person_times"] or 0,
            persons=row["persons"],
        )
        for row in rows
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


def units_breakdown(start, end, county=None, town=None) -> Breakdown:
    """The person-times of ``coverage_by`` taken apart: eligible members' attendances by
    the session's month and completions by the month of ``online_completed_on``, each
    by course, matched by ID hash as ``learning.ledger.unit_counts`` matches them, so
    that the months add up to the area's person-times. Two grouped queries."""
    hashes = _in_area(RegistryMember.objects.eligible(), county, town).values("id_number_hash")
    classes = (
        Attendance.objects.in_period(start, end)
        .filter(id_number_hash__in=hashes)
        .annotate(month=TruncMonth("session__date"))
        .order_by()
        .values("month", "session__course", "session__course__title")
        .annotate(n=Count("pk"))
    )
    online = (
        Completion.objects.online_in_period(start, end)
        .filter(user__id_number_hash__in=hashes)
        .annotate(month=TruncMonth("online_completed_on"))
        .order_by()
        .values("month", "course", "course__title")
        .annotate(n=Count("pk"))
    )
    by_month = dict.fromkeys(_months(start, end), UnitSplit())
    by_course: dict[int, tuple[str, UnitSplit]] = {}
    rows = [(row, "session__course", UnitSplit(classes=row["n"])) for row in classes] + [
        (row, "course", UnitSplit(online=row["n"])) for row in online
    ]
    for row, course, split in rows:
        by_month[row["month"]] += split
        title, before = by_course.get(row[course], (row[f"{course}__title"], UnitSplit()))
        by_course[row[course]] = (title, before + split)
    courses = sorted(by_course.values(), key=lambda item: (-item[1].total, item[0]))
    return Breakdown(months=list(by_month.items()), courses=courses)
