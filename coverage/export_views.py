"""The report's downloads: the same file ``manage.py coverage_report`` writes, for the
page's level and place, and the training records behind a village's numbers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from regions.models import Town, Village

from .access import (
    counties_visible_to,
    is_bureau,
    may_see_personal_data,
    may_see_report,
    officer_county,
)
from .drilldown import record_personal_data_view, village_units
from .export import (
    FORMATS,
    RECORD_FORMATS,
    export,
    filename,
    records_file,
    records_filename,
)
from .periods import PeriodError, period_from
from .report import LEVELS


def _visible_pk(queryset, value):
    """The row of ``queryset`` with primary key ``value`` (text from the query string);
    one the user may not see, a missing one or one that is not a number is a 404."""
    try:
        return queryset.get(pk=int(value))
    except (ValueError, queryset.model.DoesNotExist):
        raise Http404 from None


def county_for(user, county_id):
    """The county a user asked for (None: every county, for the bureau). County staff
    always get their own; asking for another one, or a missing one, is a 404."""
    if not county_id:
        return None if is_bureau(user) else officer_county(user)
    return _visible_pk(counties_visible_to(user), county_id)


def town_for(user, town_id, county):
    """The town a town page's download asked for, in a county the user may see (and in
    ``county`` when both are given); None when none was asked for."""
    if not town_id:
        return None
    towns = Town.objects.filter(county__in=counties_visible_to(user)).select_related("county")
    if county is not None:
        towns = towns.filter(county=county)
    return _visible_pk(towns, town_id)


def attachment(data, content_type, name) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
def export_report(request):
    if not may_see_report(request.user):
        raise PermissionDenied
    try:
        start, end = period_from(request.GET)
    except PeriodError as error:
        return HttpResponseBadRequest(str(error))
    town_id = request.GET.get("town")
    # A town page lists its villages, so that is what its download holds.
    level = request.GET.get("level") or ("village" if town_id else "county")
    file_format = request.GET.get("format") or "csv"
    if level not in LEVELS or file_format not in FORMATS:
        return HttpResponseBadRequest(_("Unknown level or format."))
    if town_id and level != "village":
        return HttpResponseBadRequest(_("A town's download lists its villages: level=village."))
    county = county_for(request.user, request.GET.get("county"))
    town = town_for(request.user, town_id, county if request.GET.get("county") else None)
    return attachment(
        export(level, start, end, file_format, county=county, town=town),
        FORMATS[file_format],
        filename(level, start, end, file_format, county=county, town=town),
    )


@login_required
def export_village_records(request, pk):
    """The village records page's list as CSV or XLSX, under the page's rules: the same
    villages, names in full only for holders of the personal-data permission (and then
    written to the audit log), masked for everyone else."""
    if not may_see_report(request.user):
        raise PermissionDenied
    villages = Village.objects.filter(town__county__in=counties_visible_to(request.user))
    village = get_object_or_404(villages.select_related("town__county"), pk=pk)
    try:
        start, end = period_from(request.GET)
    except PeriodError as error:
        return HttpResponseBadRequest(str(error))
    file_format = request.GET.get("format") or "csv"
    if file_format not in RECORD_FORMATS:
        return HttpResponseBadRequest(_("Unknown format."))
    full_names = may_see_personal_data(request.user)
    units = village_units(village, start, end)
    if full_names and units:
        record_personal_data_view(
            request.user, village, f"names of the training records {start}–{end}, exported"
        )
    data = records_file(
        units, file_format, full_names=full_names, period=(start, end), village=village
    )
    return attachment(
        data,
        FORMATS[file_format],
        records_filename(village, start, end, file_format),
    )
