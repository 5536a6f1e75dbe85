"""Wagtail's own password forms, held to the site's login limits.

Wagtail brings two login pages of its own (the CMS's ``/cms/login/`` and the front end's
``/_util/login/``) that check a password with no limit at all, so a guesser could try
forever there. Both send people to allauth's login instead, which staff use too. The
shared password of a private page or document collection (Wagtail's privacy setting) is
kept, with its wrong guesses counted per client address like failed logins.
"""

from allauth.core.internal import ratelimit
from allauth.core.ratelimit import respond_429
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail import views as wagtail_views
from wagtail.documents.views import serve as wagtaildocs_serve
from wagtail.models import CollectionViewRestriction, PageViewRestriction


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


def _count_wrong_guesses(request, restriction, password_view, *args):
    # Counted before the password is checked and handed back once it proves right, as
    # allauth does for logins: guesses sent all at once are each counted.
    usage = ratelimit.consume(request, app="allauth.account", action="page_password_failed")
    if usage is None:
        return respond_429(request)
    response = password_view(request, *args)
    if restriction.accept_request(request):
        usage.rollback()
    return response


def authenticate_with_page_password(request, page_view_restriction_id, page_id):
    restriction = get_object_or_404(PageViewRestriction, pk=page_view_restriction_id)
    return _count_wrong_guesses(
        request,
        restriction,
        wagtail_views.authenticate_with_password,
        page_view_restriction_id,
        page_id,
    )


def authenticate_with_document_password(request, restriction_id):
    """The same for a private collection of documents (/documents/…)."""
    restriction = get_object_or_404(CollectionViewRestriction, pk=restriction_id)
    return _count_wrong_guesses(
        request, restriction, wagtaildocs_serve.authenticate_with_password, restriction_id
    )
