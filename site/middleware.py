"""Requests the site refuses before any view runs, and the Content-Security-Policy."""

import re

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.core.exceptions import BadRequest
from django.urls import reverse

# C0 control characters. No person types one into an address, and PostgreSQL refuses NUL
# in text: a query carrying one fails there as a 500 (SQLite takes it, so only production
# shows it). In a query value tab, line feed and carriage return are left alone (a GET
# form's textarea sends them). Posted forms are left to their forms: Django's CharField
# refuses NUL with an error beside the field and keeps what was typed.
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f]")
CONTROL_CHARACTER_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def has_control_characters(request) -> bool:
    """Whether the path or the query string (its names and values) holds a control
    character it cannot mean (see CONTROL_CHARACTER)."""
    if CONTROL_CHARACTER.search(request.path_info):
        return True
    return any(
        CONTROL_CHARACTER_IN_TEXT.search(name)
        or any(CONTROL_CHARACTER_IN_TEXT.search(value) for value in values)
        for name, values in request.GET.lists()
    )


class RefuseControlCharactersMiddleware:
    """Answers an address with a control character it cannot mean with the site's 400
    page (raising BadRequest lets Django render handler400), never a database error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_control_characters(request):
            raise BadRequest("A control character in the path or query string.")
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
