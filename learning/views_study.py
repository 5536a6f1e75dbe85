"""The heartbeat endpoint that open lesson pages post to (see learning/study.py).

Its work is counted: a credited beat runs four statements, the login's user lookup
included (sessions come from the cache), and loads no page. Fields: ``lesson`` (the
page id), ``view`` (the page view's UUID), ``seq`` (1, 2, … per view) and ``elapsed_ms``
(the page's own milliseconds since its previous beat; optional, for pages from before).
"""

import json

from django import forms
from django.db import transaction
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .study import HeartbeatRefused, NotEnrolled, record_heartbeat

# The largest value the database's integer columns hold (LessonView.last_seq, page ids);
# as elapsed_ms, 24 days, far beyond any beat's cap.
MAX_INT = 2**31 - 1


class HeartbeatForm(forms.Form):
    lesson = forms.IntegerField(min_value=1, max_value=MAX_INT)
    view = forms.UUIDField()
    seq = forms.IntegerField(min_value=1, max_value=MAX_INT)
    elapsed_ms = forms.IntegerField(min_value=0, max_value=MAX_INT, required=False)


class NotAJsonObject(ValueError):
    pass


def _posted_data(request):
    """The beat's fields, from a JSON object or a form (navigator.sendBeacon sends a form).
    Raises NotAJsonObject for JSON of another shape, ValueError for a body that is not
    JSON (or nests too deep for the parser: RecursionError; or holds a number of more
    digits than Python reads: ValueError)."""
    if request.content_type != "application/json":
        return request.POST
    try:
        data = json.loads(request.body)
    except RecursionError:
        raise ValueError("nested too deep") from None
    if not isinstance(data, dict):
        raise NotAJsonObject
    return data


def _error(message, status, **extra):
    return JsonResponse({"error": str(message), **extra}, status=status)


# Not inside the request's transaction: each of record_heartbeat's statements is atomic on
# its own, so a transaction would add two round trips and hold row locks for nothing.
@transaction.non_atomic_requests
@require_POST
def heartbeat(request):
    # A script, not a person, is asking: answer in JSON rather than redirect to the login.
    if not request.user.is_authenticated:
        return _error(_("Please log in so that your study time can be recorded."), 401)
    try:
        data = _posted_data(request)
    except NotAJsonObject:
        return _error(_("The heartbeat must be a JSON object."), 400)
    except ValueError:
        return _error(_("The heartbeat is not valid JSON."), 400)
    form = HeartbeatForm(data)
    if not form.is_valid():
        return _error(
            _("The heartbeat is missing a field or has a bad value."),
            400,
            fields={name: errors[0] for name, errors in form.errors.items()},
        )
    beat = form.cleaned_data
    try:
        result = record_heartbeat(
            request.user, beat["lesson"], beat["view"], beat["seq"], elapsed_ms=beat["elapsed_ms"]
        )
    except NotEnrolled as refused:
        return _error(refused.message, 403)
    except HeartbeatRefused as refused:
        return _error(refused.message, 400)
    return JsonResponse(
        {"credited": result.credited_seconds, "course_seconds": result.course_seconds}
    )
