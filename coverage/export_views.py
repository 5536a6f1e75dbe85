"""The report's download: the same file ``manage.py coverage_report`` writes."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from regions.models import County

from .access import counties_visible_to, is_bureau, may_see_report, officer_county
from .export import FORMATS, export, filename
from .periods import period_from
from .report import LEVELS


def county_for(user, county_id):
    """The county a user asked for (None: every county, for the bureau). County staff
    always get their own; asking for another one, or a missing one, is a 404."""
    if not county_id:
        return None if is_bureau(user) else officer_county(user)
    try:
        return counties_visible_to(user).get(pk=int(county_id))
    except (ValueError, County.DoesNotExist):
        raise Http404 from None


@login_required
def export_report(request):
    if not may_see_report(request.user):
        raise PermissionDenied
    try:
        start, end = period_from(request.GET)
    except ValueError:
        return HttpResponseBadRequest(_("Give the period as YYYY-MM-DD, start before end."))
    level = request.GET.get("level") or "county"
    file_format = request.GET.get("format") or "csv"
    if level not in LEVELS or file_format not in FORMATS:
        return HttpResponseBadRequest(_("Unknown level or format."))
    county = county_for(request.user, request.GET.get("county"))
    response = HttpResponse(
        export(level, start, end, file_format, county=county), content_type=FORMATS[file_format]
    )
    response["Content-Disposition"] = content_disposition_header(
        True, filename(level, start, end, file_format, county=county)
    )
    return response
