"""The coverage figure (培训覆盖率): training person-times of eligible registry members.

DESIGN.md defines it. Per area: eligible persons (应培训人数), training person-times
(培训人次: attended class sessions plus completed courses in the period, of eligible
persons), unique persons trained (培训人数), and the two ratios. Every level is a ratio
of sums computed by grouping the same member rows by village, town or county, so a
county's figure is never the mean of its villages' ratios.

One query per level: a member's units come from the hours ledger as correlated
subqueries on the indexed ID hash, and the grouping runs in the database.
"""

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Sum

from learning.ledger import unit_counts

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
