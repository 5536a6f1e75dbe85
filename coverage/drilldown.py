"""The coverage report as pages: a period, rows per level with their chart, and the
training records behind a village's numbers (DESIGN.md: every number traceable).

The figures come from coverage.report; this module chooses the rows a page shows,
formats them for reading, and lists the attendances and completions that a village's
person-times count, one row per training unit.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from classes.models import Attendance
from learning.certificates import mask_name
from learning.models import Completion

from .freshness import cached
from .models import PersonalDataView, RegistryMember
from .periods import DATE_FORMAT, Period, plan_period, validate_within_limits
from .report import (
    AreaFigures,
    Breakdown,
    Denominator,
    MissingArea,
    UnitSplit,
    coverage_by,
    denominator_by,
    denominator_total,
    lagging_villages,
    missing_data,
    percent,
    target,
    units_breakdown,
)


def period_date_field(label, **kwargs):
    """A day of a period, YYYY-MM-DD, within coverage.periods.period_limits()."""
    return forms.DateField(
        label=label,
        input_formats=[DATE_FORMAT],
        validators=[validate_within_limits],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
        **kwargs,
    )


class PeriodForm(forms.Form):
    """The report's period, dates inclusive."""

    start = period_date_field(_("Period start"))
    end = period_date_field(_("Period end"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date must not be before the start date."))
        return data


def period_form(query) -> PeriodForm:
    """The period form bound to the page's query string, so it is always validated; a date
    left out or empty means the plan's first or last day (coverage.periods)."""
    plan = plan_period()
    return PeriodForm(
        {
            "start": query.get("start") or f"{plan.start:{DATE_FORMAT}}",
            "end": query.get("end") or f"{plan.end:{DATE_FORMAT}}",
        }
    )


def period_query(start, end) -> str:
    """``start=…&end=…``: the period carried from one page of the report to the next."""
    return Period(start, end).query


def total_of(rows: list[AreaFigures], county="", town="") -> AreaFigures:
    """The figures over all the rows: sums, whose ratios are taken again (never a mean)."""
    return AreaFigures(
        area_id=None,
        county=county,
        town=town,
        village="",
        eligible=sum(row.eligible for row in rows),
        person_times=sum(row.person_times for row in rows),
        persons=sum(row.persons for row in rows),
    )


def area_rows(level: str, start, end, county=None, town=None) -> list[AreaFigures]:
    """The report's rows at ``level``, in one county or one town (or everywhere)."""
    return coverage_by(level, start, end, county=county, town=town)


def outside_scope(level: str, counties, county=None, town=None) -> list[str]:
    """Names of the areas a page lists for information only: the user may see them, but
    no village of theirs is a provincial poor village of a demonstration county, so they
    never enter the figures (DESIGN.md, the scope)."""
    if level == "county":
        areas = counties.filter(is_demonstration=False)
    elif level == "town":
        areas = county.towns.all()
        if county.is_demonstration:
            areas = areas.exclude(villages__is_provincial_poor=True)
    else:
        areas = town.villages.all()
        if town.county.is_demonstration:
            areas = areas.filter(is_provincial_poor=False)
    return list(areas.order_by("name").values_list("name", flat=True).distinct())


@dataclass(frozen=True)
class ReportRow:
    """One area as the page shows it: its name, figures, percentages and chart bar."""

    name: str
    figures: AreaFigures
    bar_width: Decimal  # percent of the chart's width

    @property
    def times_percent(self) -> str:
        return percent(self.figures.times_coverage)

    @property
    def persons_percent(self) -> str:
        return percent(self.figures.persons_coverage)


def chart_scale(rows: list[AreaFigures]) -> Fraction:
    """The coverage at the chart's right edge: 100%, or the highest coverage above it."""
    return max([Fraction(1), *(row.times_coverage or Fraction(0) for row in rows)])


def _width(ratio, scale) -> Decimal:
    """A bar's width in percent of the chart, to a tenth (a drawing, not a figure)."""
    return Decimal(round(Fraction(ratio or 0) / scale * 1000)).scaleb(-1)


def report_rows(level: str, rows: list[AreaFigures]) -> tuple[list[ReportRow], Decimal]:
    """The rows ready for the table and chart, and where the target line falls (percent)."""
    scale = chart_scale(rows)
    shown = [ReportRow(getattr(row, level), row, _width(row.times_coverage, scale)) for row in rows]
    return shown, _width(target(), scale)


def total_row(rows: list[AreaFigures]) -> ReportRow:
    """The table's last row: the figures over every row (the chart has no bar for it)."""
    return ReportRow(_("Total"), total_of(rows), Decimal(0))


@dataclass(frozen=True)
class TrainingUnit:
    """One training unit behind a village's person-times: a class attended or a course completed."""

    member: RegistryMember
    is_class: bool
    course: str
    date: datetime.date
    venue: str  # the class's village; empty for an online course

    @property
    def masked_name(self) -> str:
        return mask_name(self.member.name)


def village_units(village, start, end) -> list[TrainingUnit]:
    """Every unit of the village's eligible members in the period, as the figure counts them.

    The same matching as ``learning.ledger.unit_counts``: attendances by the ID hash they
    carry, completions by their user's hash. Three queries, however many members.
    """
    members = RegistryMember.objects.eligible().filter(village=village)
    by_hash = {member.id_number_hash: member for member in members}
    hashes = members.values("id_number_hash")
    attendances = (
        Attendance.objects.in_period(start, end)
        .filter(id_number_hash__in=hashes)
        .select_related("session__course", "session__venue")
    )
    completions = (
        Completion.objects.online_in_period(start, end)
        .filter(user__id_number_hash__in=hashes)
        .select_related("course", "user")
    )
    units = [
        TrainingUnit(
            member=by_hash[a.id_number_hash],
            is_class=True,
            course=a.session.course.title,
            date=a.session.date,
            venue=a.session.venue.name,
        )
        for a in attendances
    ] + [
        TrainingUnit(
            member=by_hash[c.user.id_number_hash],
            is_class=False,
            course=c.course.title,
            date=c.online_completed_on,
            venue="",
        )
        for c in completions
    ]
    return sorted(
        units, key=lambda u: (u.member.name, u.member.pk, u.date, not u.is_class, u.course)
    )


def record_personal_data_view(viewer, record, context="") -> PersonalDataView:
    """Audit that ``viewer`` was shown ``record``'s unmasked data: who, when, which; no value."""
    return PersonalDataView.objects.create(
        viewer=viewer,
        record_type=record._meta.label_lower,
        record_id=record.pk,
        context=context[:200],
    )


# The dashboard: what a page shows beyond its table, for the page's area.

LAGGING_SHOWN = 20
COURSES_SHOWN = 8
MISSING_SHOWN = 50


@dataclass(frozen=True)
class TrendBar:
    """One month of the trend chart, in the SVG's own units (its viewBox)."""

    month: datetime.date
    split: UnitSplit
    x: Decimal
    width: Decimal
    classes_y: Decimal
    classes_height: Decimal
    online_y: Decimal
    online_height: Decimal


@dataclass(frozen=True)
class TrendChart:
    """A stacked bar per month (classes below, online completions on top), drawn on the
    server as SVG: no script, a few hundred bytes a month, and it scales to any width."""

    bars: list[TrendBar]
    top: int  # the value at the top gridline
    ticks: list[tuple[int, Decimal]]  # (value, y) of each gridline
    labels: list[tuple[str, Decimal]]  # (text, x) under the bars
    years: bool = False  # the labels are years, each from its first bar; else months
    width: int = 640
    height: int = 220
    left: int = 56
    bottom: int = 196  # the baseline's y; the labels go below it

    @property
    def plot_height(self) -> int:
        return self.bottom - 10


def _nice_top(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50… that is at least ``value`` (the chart's top)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _svg(number) -> Decimal:
    """A coordinate to a tenth of a unit: enough for a drawing, short in the markup."""
    return Decimal(round(Fraction(number) * 10)).scaleb(-1)


def trend_chart(months: list[tuple[datetime.date, UnitSplit]]) -> TrendChart | None:
    """The chart of the months, or None when there is nothing to draw."""
    if not any(split.total for _, split in months):
        return None
    chart = TrendChart(bars=[], top=0, ticks=[], labels=[])
    top = _nice_top(max(split.total for _, split in months))
    step = Fraction(chart.width - chart.left - 4, len(months))
    height = Fraction(chart.plot_height, top)
    bars, labels = [], []
    for n, (month, split) in enumerate(months):
        x = chart.left + step * n + step / 10
        classes_height = split.classes * height
        online_height = split.online * height
        bars.append(
            TrendBar(
                month=month,
                split=split,
                x=_svg(x),
                width=_svg(step * 8 / 10),
                classes_y=_svg(chart.bottom - classes_height),
                classes_height=_svg(classes_height),
                online_y=_svg(chart.bottom - classes_height - online_height),
                online_height=_svg(online_height),
            )
        )
        # Each month's number when there are few; otherwise each year where it starts.
        if len(months) <= 12:
            labels.append((f"{month.month}", _svg(chart.left + step * n + step / 2)))
        elif n == 0 or month.month == 1:
            labels.append((f"{month.year}", _svg(x)))
    ticks = [(value, _svg(chart.bottom - value * height)) for value in (0, top // 2, top)]
    return TrendChart(bars=bars, top=top, ticks=ticks, labels=labels, years=len(months) > 12)


@dataclass(frozen=True)
class Share:
    """A part of the person-times and its width in a bar, in percent (a drawing)."""

    label: str
    split: UnitSplit
    width: Decimal


def course_shares(breakdown: Breakdown) -> list[Share]:
    """The courses with the most person-times, each bar against the first."""
    courses = breakdown.courses[:COURSES_SHOWN]
    if not courses:
        return []
    scale = Fraction(courses[0][1].total or 1)
    return [Share(title, split, _width(split.total, scale)) for title, split in courses]


@dataclass(frozen=True)
class Dashboard:
    """What a report page shows for its area beyond the table: the trend, the split,
    the courses, the denominator, the lagging villages and the missing data."""

    breakdown: Breakdown
    chart: TrendChart | None
    courses: list[Share]
    denominator: Denominator  # over the page's area
    denominators: list[tuple[str, Denominator]]  # per row of the table, in its order
    lagging: list[ReportRow] | None  # None where the page does not list them
    lagging_count: int
    missing_counties: list[MissingArea]
    missing_villages: list[MissingArea]

    @property
    def classes_width(self) -> Decimal:
        """The classes' part of the split bar, in percent."""
        total = self.breakdown.total
        return _width(Fraction(total.classes, total.total or 1), Fraction(1))

    @property
    def courses_hidden(self) -> int:
        return len(self.breakdown.courses) - len(self.courses)

    @property
    def missing_shown(self) -> list[MissingArea]:
        return self.missing_villages[:MISSING_SHOWN]

    @property
    def missing_hidden(self) -> int:
        return len(self.missing_villages) - len(self.missing_shown)

    @property
    def capacity_categories(self) -> list[str]:
        return list(settings.COVERAGE_CAPACITY_CATEGORIES)

    @property
    def migrant_statuses(self) -> list[str]:
        return list(settings.COVERAGE_MIGRANT_STATUSES)


def lagging_rows(rows: list[AreaFigures]) -> list[ReportRow]:
    """The lagging villages as the page shows them, each bar how far to the target it is."""
    return [
        ReportRow(row.village, row, _width(min(row.times_coverage / target(), 1), Fraction(1)))
        for row in rows
    ]


def dashboard(
    level: str, start, end, rows: list[AreaFigures], county=None, town=None, lagging=False
) -> Dashboard:
    """The dashboard of a page whose table shows ``rows``, in a fixed number of queries
    however many villages: two for the breakdown, one for the denominators, two for
    missing data, and one for the lagging villages when ``lagging`` (the city's or the
    county's list)."""
    breakdown = units_breakdown(start, end, county=county, town=town)
    denominators = denominator_by(level, county=county, town=town)
    lagging_shown, lagging_count = (
        lagging_villages(start, end, county=county, limit=LAGGING_SHOWN) if lagging else (None, 0)
    )
    missing_counties, missing_villages = missing_data(county=county, town=town)
    return Dashboard(
        breakdown=breakdown,
        chart=trend_chart(breakdown.months),
        courses=course_shares(breakdown),
        denominator=denominator_total(denominators.values()),
        denominators=[
            (getattr(row, level), denominators.get(row.area_id, Denominator(row.area_id, 0, 0, 0)))
            for row in rows
        ],
        lagging=None if lagging_shown is None else lagging_rows(lagging_shown),
        lagging_count=lagging_count,
        missing_counties=missing_counties,
        missing_villages=missing_villages,
    )


def page_figures(
    level: str, start, end, county=None, town=None, lagging=False
) -> tuple[list[AreaFigures], Dashboard]:
    """A report page's rows and dashboard (``area_rows`` and ``dashboard``), kept in the
    cache until the data under them changes (coverage.freshness): a second look at the
    same period costs one query."""

    def compute():
        rows = area_rows(level, start, end, county=county, town=town)
        board = dashboard(level, start, end, rows, county=county, town=town, lagging=lagging)
        return rows, board

    area = (getattr(county, "pk", None), getattr(town, "pk", None))
    return cached(("page", level, start, end, *area, lagging), compute)
