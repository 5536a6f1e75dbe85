"""Tags that let other templates point at the coverage report: the site header's link
(base.html) and the period presets above the report's period form."""

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext

from ..access import may_see_report_in_one_query
from ..periods import Period, presets

register = template.Library()

# Parameters a preset replaces (a new period starts again at the first page of a list).
PERIOD_PARAMETERS = ("start", "end", "page")


@register.simple_tag(takes_context=True)
def coverage_link(context):
    """The header's link to the report, for bureau and county staff only; nothing (and no
    query) for anyone who is not logged in."""
    request = context.get("request")
    if request is None or not may_see_report_in_one_query(request.user):
        return ""
    url = reverse("coverage:report")
    if request.path == url:
        current = "page"
    elif request.path.startswith(url):
        current = "true"
    else:
        return format_html('<a href="{}">{}</a>', url, gettext("Training coverage"))
    return format_html(
        '<a href="{}" aria-current="{}">{}</a>', url, current, gettext("Training coverage")
    )


@dataclass(frozen=True)
class PresetLink:
    label: str
    href: str
    current: bool


@dataclass(frozen=True)
class PeriodChoices:
    """What the period form offers: a link per preset, whether the period shown is a custom
    range, and the page's other parameters, which the custom range's form carries on."""

    links: list[PresetLink]
    custom: bool
    kept: list[tuple[str, str]]


def period_shown(form) -> Period | None:
    """The period a valid period form asks for; None while it has errors."""
    if not form.is_valid():
        return None
    return Period(form.cleaned_data["start"], form.cleaned_data["end"])


def period_choices(path: str, query, shown: Period | None) -> PeriodChoices:
    """The presets as links to ``path`` that keep the query's other parameters."""
    others = query.copy()
    for name in PERIOD_PARAMETERS:
        others.pop(name, None)
    rest = others.urlencode()
    links = [
        PresetLink(
            preset.label,
            f"{path}?{preset.period.query}" + (f"&{rest}" if rest else ""),
            preset.period == shown,
        )
        for preset in presets()
    ]
    kept = [(name, value) for name in others for value in others.getlist(name)]
    custom = shown is not None and not any(link.current for link in links)
    return PeriodChoices(links, custom, kept)


@register.simple_tag(takes_context=True)
def period_presets(context, form) -> PeriodChoices:
    """The period presets for this page, from its period form and its request."""
    request = context["request"]
    return period_choices(request.path, request.GET, period_shown(form))
