"""The period a coverage page, export or submission covers, and the presets offered.

The default is the poverty-alleviation plan's whole period (settings.COVERAGE_PLAN_START
to COVERAGE_PLAN_END, 2018-01-01 – 2020-12-31): that is what the 50% target is about.
Presets are the whole plan and each of its years; any other range is a custom period.
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
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


def period_from(query) -> Period:
    """The period in ``?start=&end=`` (YYYY-MM-DD); a date left out or empty is the
    plan's first or last day. Raises ValueError on a date that is not one, or a period
    that ends before it starts."""
    plan = plan_period()
    start = datetime.date.fromisoformat(query.get("start") or plan.start.isoformat())
    end = datetime.date.fromisoformat(query.get("end") or plan.end.isoformat())
    if end < start:
        raise ValueError("end before start")
    return Period(start, end)
