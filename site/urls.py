from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import urls as accounts_urls
from accounts import wagtail_logins
from yunfu import health

# Browsers and phones ask for these at the root whatever the page links; the files are
# static files like any other (whitenoise serves them in production).
ROOT_ICONS = ["favicon.ico", "apple-touch-icon.png"]


def root_icon(request, name):
    # The URL is looked up per request: in production it carries the hash that
    # collectstatic's manifest gives it, which does not exist when this module loads.
    return HttpResponsePermanentRedirect(static(name))


urlpatterns = [
    path("healthz/", health.healthz, name="healthz"),
    *[path(name, root_icon, {"name": name}) for name in ROOT_ICONS],
    # The footer's language switch posts here from every page without a CSRF token, so a
    # page sets no CSRF cookie and can come from the page cache; a forged post changes
    # only the language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Ahead of Wagtail's views at these paths, which check passwords with no limit.
    path("cms/login/", wagtail_logins.cms_login),
    path("_util/login/", wagtail_logins.front_end_login),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        wagtail_logins.authenticate_with_page_password,
    ),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        wagtail_logins.authenticate_with_document_password,
    ),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include(accounts_urls)),
    path("accounts/", include("allauth.urls")),
    path("learning/", include("learning.urls")),
    path("classes/", include("classes.urls")),
    path("coverage/", include("coverage.urls")),
    path("mentors/", include("mentors.urls")),
    path("mentoring/", include("matching.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page tree serves everything else, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]
