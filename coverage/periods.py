"""The period a coverage page, export or submission covers, and the presets offered.

The default is the poverty-alleviation plan's whole period (settings.COVERAGE_PLAN_START
to COVERAGE_PLAN_END, 2018-01-01 – 2020-12-31): that is what the 50% target is about.
Presets are the whole plan and each of its years; any other range is a custom period.
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

DATE_FORMAT = "%Y-%m-%d"


class Period(NamedTuple):
    """Dates inclusive; unpacks as ``start, end``."""

    start: datetime.date
    end: datetime.date

    @property
    def query(self) -> str:
        """``start=…&end=…``: the period carried from one page to the next."""
        return f"start={self.start:{DATE_FORMAT}}&end={self.end:{DATE_FORMAT}}"

    def __str__(self):
        return f"{self.start:{DATE_FORMAT}} – {self.end:{DATE_FORMAT}}"


@dataclass(frozen=True)
class Preset:
    label: str
    period: Period


def plan_period() -> Period:
    return Period(
        datetime.date.fromisoformat(settings.COVERAGE_PLAN_START),
        datetime.date.fromisoformat(settings.COVERAGE_PLAN_END),
    )


def presets() -> list[Preset]:
    """The whole plan first (the default), then each of its years."""
    plan = plan_period()
    years = [
        Preset(
            _("%(year)s") % {"year": year},
            Period(
                max(plan.start, datetime.date(year, 1, 1)),
                min(plan.end, datetime.date(year, 12, 31)),
            ),
        )
        for year in range(plan.start.year, plan.end.year + 1)
    ]
    return [Preset(_("The whole plan"), plan), *years]


def preset_of(period: Period) -> Preset | None:
    """The preset a period is, or None for a custom range."""
    return next((preset for preset in presets() if preset.period == period), None)


def period_limits() -> Period:
    """The first and last day any period may cover: the plan's years and this one
    (training goes on being recorded after the plan ends), widened by
    settings.COVERAGE_PERIOD_MARGIN_YEARS each way. A date beyond them is a slip of the
    keyboard (0001-01-01 – 9999-12-31 once reached a sign-off), never a period to report."""
    plan = plan_period()
    margin = settings.COVERAGE_PERIOD_MARGIN_YEARS
    last_year = max(plan.end.year, timezone.localdate().year)
    return Period(
        datetime.date(plan.start.year - margin, 1, 1), datetime.date(last_year + margin, 12, 31)
    )


def validate_within_limits(day: datetime.date):
    """A form field's validator: ``day`` lies within ``period_limits()``."""
    limits = period_limits()
    if not limits.start <= day <= limits.end:
        raise ValidationError(
            _("Give a date from %(first)s to %(last)s."),
            code="outside_limits",
            params={
                "first": f"{limits.start:{DATE_FORMAT}}",
                "last": f"{limits.end:{DATE_FORMAT}}",
            },
        )


class PeriodError(ValueError):
    """A period that is not one; its text says why, in words for the person who asked."""


def period_from(query) -> Period:
    """The period in ``?start=&end=`` (YYYY-MM-DD); a date left out or empty is the
    plan's first or last day. Raises PeriodError on a date that is not one or lies
    outside ``period_limits()``, or a period that ends before it starts."""
    plan = plan_period()
    try:
        start = datetime.date.fromisoformat(query.get("start") or plan.start.isoformat())
        end = datetime.date.fromisoformat(query.get("end") or plan.end.isoformat())
    except ValueError:
        raise PeriodError(_("Give the period as YYYY-MM-DD, start before end.")) from None
    if end < start:
        raise PeriodError(_("Give the period as YYYY-MM-DD, start before end."))
    try:
        validate_within_limits(start)
        validate_within_limits(end)
    except ValidationError as error:
        raise PeriodError(error.messages[0]) from None
    return Period(start, end)
