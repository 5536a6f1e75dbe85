"""Requests the site refuses before any view runs, and the Content-Security-Policy."""

import re

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.core.exceptions import BadRequest
from django.urls import reverse

# C0 control characters. No person types one into an address, and PostgreSQL refuses NUL
# in text: a query carrying one fails there as a 500 (SQLite takes it, so only production
# shows it). Tab, line feed and carriage return are kept where text may hold them (query
# values and form fields: a textarea sends them); any other control character is refused
# there too. In a posted form only NUL is refused: a text pasted from a word processor
# may carry a vertical tab, and refusing it would throw away what the person typed.
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f]")
CONTROL_CHARACTER_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
NUL = re.compile(r"\x00")


def _any_matches(pattern, query_dict) -> bool:
    return any(
        pattern.search(key) or any(pattern.search(value) for value in values)
        for key, values in query_dict.lists()
    )


def has_control_characters(request) -> bool:
    """Whether the path, the query string or a posted form's fields hold a control
    character they cannot mean (see CONTROL_CHARACTER). Uploaded files' names need no
    check: Django drops their non-printable characters."""
    if CONTROL_CHARACTER.search(request.path_info):
        return True
    if _any_matches(CONTROL_CHARACTER_IN_TEXT, request.GET):
        return True
    if request.method != "POST":
        return False
    # Parsing the form here is no extra work: CsrfViewMiddleware reads request.POST of
    # every POST a moment later. A JSON body (the heartbeat) is left to its view.
    return _any_matches(NUL, request.POST)


class RefuseControlCharactersMiddleware:
    """Answers a request with a control character it cannot mean with the site's 400 page
    (raising BadRequest lets Django render handler400), never a database error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_control_characters(request):
            raise BadRequest("A control character in the path, query string or form.")
        return self.get_response(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with Wagtail's admin under its own, looser policy
    (settings.CMS_CONTENT_SECURITY_POLICY; the rest of the site has CONTENT_SECURITY_POLICY).
    A view's own @csp decorators still win."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        in_cms = request.path_info.startswith(reverse("wagtailadmin_home"))
        if in_cms and not report_only and parts.config is None:
            parts.config = default_config(settings.CMS_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts
