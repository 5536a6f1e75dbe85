"""The coverage report pages: county → town → village, the records behind a village's
numbers, and one member's unmasked data (audited). Access rules: coverage.access."""

import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from regions.models import County, Town, Village

from .access import (
    counties_visible_to,
    is_bureau,
    may_see_personal_data,
    may_see_report,
    officer_county,
)
from .drilldown import (
    outside_scope,
    page_figures,
    period_form,
    period_query,
    record_personal_data_view,
    report_rows,
    total_row,
    village_units,
)
from .idcrypt import WrongEncryptionKey, decrypt_id_number
from .models import RegistryMember
from .report import percent, target
from .signoff import period_signoff

# The level each page lists, and the page a row links to.
CHILD_PAGE = {"county": "coverage:county", "town": "coverage:town", "village": None}


def coverage_staff_required(view):
    """Logged in, and bureau or county staff; anyone else (trainees, instructors) gets 403."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_see_report(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _report_page(request, level, heading, breadcrumbs, county=None, town=None, lagging=False):
    """A level of the report and its dashboard; ``lagging`` adds the list of the
    villages furthest from the target (the city's, or the county's)."""
    form = period_form(request.GET)
    context = {
        "form": form,
        "level": level,
        "heading": heading,
        "breadcrumbs": breadcrumbs,
        "outside_scope": outside_scope(
            level, counties_visible_to(request.user), county=county, town=town
        ),
        # The download covers the page's area: a town page exports that town only.
        "export_area": (
            f"town={town.pk}" if town is not None else f"county={county.pk}" if county else ""
        ),
    }
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        figures, board = page_figures(level, start, end, county=county, town=town, lagging=lagging)
        rows, target_at = report_rows(level, figures)
        context |= {
            "start": start,
            "end": end,
            "query": period_query(start, end),
            "rows": rows,
            "total": total_row(figures),
            "target_at": target_at,
            "target_percent": percent(target()),
            "child_page": CHILD_PAGE[level],
            "dashboard": board,
            "signoff_status": period_signoff(
                _counties_signing(request.user, county, town), start, end
            ),
        }
    return render(request, "coverage/report.html", context)


def _counties_signing(user, county=None, town=None):
    """The demonstration counties whose sign-off the page's figures need: the page's
    county (a town's county), or every one the user may see."""
    if town is not None:
        county = town.county
    counties = counties_visible_to(user) if county is None else County.objects.filter(pk=county.pk)
    return counties.filter(is_demonstration=True).order_by("name")


def _breadcrumbs(request, county=None, town=None):
    """Links up the levels, keeping the period: the report, then the county, then the town."""
    form = period_form(request.GET)
    suffix = ""
    if form.is_valid():
        suffix = "?" + period_query(form.cleaned_data["start"], form.cleaned_data["end"])
    crumbs = [(_("Training coverage"), reverse("coverage:report") + suffix)]
    if county is not None:
        crumbs.append((county.name, reverse("coverage:county", args=[county.pk]) + suffix))
    if town is not None:
        crumbs.append((town.name, reverse("coverage:town", args=[town.pk]) + suffix))
    return crumbs


@coverage_staff_required
def report(request):
    # County staff see their one county; the bureau every county in the scope.
    county = None if is_bureau(request.user) else officer_county(request.user)
    return _report_page(request, "county", _("Training coverage"), [], county=county, lagging=True)


@coverage_staff_required
def county_page(request, pk):
    county = get_object_or_404(counties_visible_to(request.user), pk=pk)
    crumbs = _breadcrumbs(request)
    return _report_page(request, "town", county.name, crumbs, county=county, lagging=True)


@coverage_staff_required
def town_page(request, pk):
    towns = Town.objects.filter(county__in=counties_visible_to(request.user))
    town = get_object_or_404(towns.select_related("county"), pk=pk)
    crumbs = _breadcrumbs(request, county=town.county)
    return _report_page(request, "village", town.name, crumbs, town=town)


@coverage_staff_required
def village_records(request, pk):
    villages = Village.objects.filter(town__county__in=counties_visible_to(request.user))
    village = get_object_or_404(villages.select_related("town__county"), pk=pk)
    form = period_form(request.GET)
    context = {
        "village": village,
        "form": form,
        "full_names": may_see_personal_data(request.user),
        "breadcrumbs": _breadcrumbs(request, county=village.town.county, town=village.town),
    }
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        units = village_units(village, start, end)
        context |= {"start": start, "end": end, "units": units}
        if context["full_names"] and units:
            record_personal_data_view(
                request.user, village, f"names of the training records {start}–{end}"
            )
    return render(request, "coverage/records.html", context)


@never_cache
@coverage_staff_required
def member_page(request, pk):
    members = RegistryMember.objects.filter(
        village__town__county__in=counties_visible_to(request.user)
    )
    member = get_object_or_404(members.select_related("village__town__county"), pk=pk)
    if not may_see_personal_data(request.user):
        raise PermissionDenied
    try:
        id_number = decrypt_id_number(member.id_number_encrypted)
    except WrongEncryptionKey:
        id_number = None
    record_personal_data_view(request.user, member, "coverage member page")
    return render(request, "coverage/member.html", {"member": member, "id_number": id_number})
