"""Wagtail's own password forms, held to the site's login limits.

Wagtail brings two login pages of its own (the CMS's ``/cms/login/`` and the front end's
``/_util/login/``) that check a password with no limit at all, so a guesser could try
forever there. Both send people to allauth's login instead, which staff use too. A
private page's shared password (Wagtail's 私密页面 setting) is kept, with its wrong
guesses counted per client address like failed logins.
"""

from allauth.core.internal import ratelimit
from allauth.core.ratelimit import respond_429
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail import views as wagtail_views
from wagtail.models import PageViewRestriction


def to_site_login(request, default_next):
    """Sends a Wagtail login page's visitor to the site's login, keeping where they were
    going when that is on this site."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = default_next
    return redirect_to_login(next_url, reverse("account_login"))


def cms_login(request):
    return to_site_login(request, reverse("wagtailadmin_home"))


def front_end_login(request):
    return to_site_login(request, "/")


def authenticate_with_page_password(request, page_view_restriction_id, page_id):
    # Counted before the password is checked and handed back once it proves right, as
    # allauth does for logins: guesses sent all at once are each counted.
    usage = ratelimit.consume(request, app="allauth.account", action="page_password_failed")
    if usage is None:
        return respond_429(request)
    response = wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    if PageViewRestriction.objects.get(pk=page_view_restriction_id).accept_request(request):
        usage.rollback()
    return response
