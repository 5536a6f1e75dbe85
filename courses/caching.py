"""The public pages from the cache: whole pages for visitors who are not logged in,
fragments (``{% pagecache %}``, courses.templatetags.page_cache) for those who are.

Every key holds the *generation*, a number kept in the shared cache (Redis in
production), so every web process sees a change at once. Publishing, unpublishing,
moving or deleting a page, and saving anything the pages show that is not a page (a
track, an image, a document, a privacy setting, a site) starts a new generation, and
every page and fragment is rendered afresh. Publishing is rare beside reading, so one
number for the whole site is simpler than tracking which pages show which course (the
home page, the catalog and every lesson's neighbours all show other pages).

Instructors' names are the one thing shown that changes without any of these (an
account's name is edited in the CMS, and every login saves the account, so the account is
not watched): a new name shows when the page's entry expires, after PAGE_CACHE_SECONDS.
"""

import functools
import hashlib
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.cache import cc_delim_re
from django.utils.translation import get_language
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

GENERATION_KEY = "pages:generation"


def generation() -> int:
    """The current generation. A lost one (Redis emptied or restarted) starts again from
    the clock, never from a number that old entries may still carry."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def request_generation(request) -> int:
    """The generation one request works with, read once: a page and its fragments agree."""
    if not hasattr(request, "_page_cache_generation"):
        request._page_cache_generation = generation()
    return request._page_cache_generation


def _next_generation():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        generation()


def new_generation():
    """Drop every cached page and fragment, now and again when the transaction commits:
    a request that read the old rows between the two would otherwise keep them."""
    _next_generation()
    transaction.on_commit(_next_generation)


def _changed(sender, **kwargs):
    new_generation()


def _page_saved(sender, instance, created, raw=False, **kwargs):
    # A new page changes nothing shown until it is published, except an alias of a live
    # page, which is live from the start; page_sections() also lists aliases.
    if created and not raw:
        new_generation()


def connect_signals():
    page_published.connect(_changed, dispatch_uid="page_cache_published")
    page_unpublished.connect(_changed, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(_changed, dispatch_uid="page_cache_moved")
    # Deleting a page of any type deletes its wagtailcore_page row too.
    post_delete.connect(_changed, sender=Page, dispatch_uid="page_cache_page_deleted")
    # A save sends post_save for the page's own model only, never for Page: one receiver
    # per page type, so saving anything else (a login, a heartbeat) calls nothing here.
    for model in get_page_models():
        post_save.connect(
            _page_saved, sender=model, dispatch_uid=f"page_cache_page_created_{model._meta.label}"
        )
    for model in (
        "courses.Track",
        "wagtailimages.Image",
        "wagtaildocs.Document",
        PageViewRestriction,
        Site,
    ):
        post_save.connect(_changed, sender=model, dispatch_uid=f"page_cache_saved_{model}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"page_cache_deleted_{model}")


def fragment_key(request, name: str, *parts) -> str:
    digest = hashlib.md5(
        "\x1f".join(str(part) for part in parts).encode(), usedforsecurity=False
    ).hexdigest()
    return f"pages:fragment:{request_generation(request)}:{get_language()}:{name}:{digest}"


@dataclass(frozen=True)
class PageSections:
    """The tree's private sections as ``(path, depth)``, and the paths of alias pages."""

    private: tuple[tuple[str, int], ...]
    aliases: tuple[str, ...]

    def may_restrict(self, page) -> bool:
        """Whether a restriction may apply to ``page``: it lies in a private section, or
        under an alias, whose restrictions are its source's."""
        return any(page.path.startswith(path) for path, _ in self.private) or any(
            page.path.startswith(path) for path in self.aliases
        )


def page_sections() -> PageSections:
    """Read on every page twice (Wagtail's check of the page's restrictions, and the
    ``public()`` filter of every list of pages): two queries once per generation."""
    key = f"pages:sections:{generation()}"
    sections = cache.get(key)
    if sections is None:
        sections = PageSections(
            private=tuple(PageViewRestriction.objects.values_list("page__path", "page__depth")),
            aliases=tuple(
                Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)
            ),
        )
        cache.set(key, sections, settings.PAGE_CACHE_SECONDS)
    return sections


def remember_site(request):
    """Find the request's Wagtail site, with its root page as the specific page, from the
    cache: Wagtail asks two queries for them on every page it serves. Wagtail keeps the
    site it found on the request (``Site.find_for_request``), where this puts it."""
    key = f"pages:site:{request_generation(request)}:{request.get_host()}:{request.get_port()}"
    site = cache.get(key)
    if site is None:
        site = Site.find_for_request(request)
        if site is None:
            return
        site.root_page = site.root_page.specific
        cache.set(key, site, settings.PAGE_CACHE_SECONDS)
    request._wagtail_site = site


def _anonymous_reader(request) -> bool:
    """A visitor who is not logged in, with no message waiting to be shown."""
    return not request.user.is_authenticated and not len(get_messages(request))


@functools.cache
def query_params_read_by_pages() -> frozenset[str]:
    """Every parameter of the address some page reads (``page_cache_params``): the
    catalog's search, track and page number."""
    return frozenset().union(
        *(getattr(model, "page_cache_params", ()) for model in get_page_models())
    )


def only_known_params(request) -> bool:
    """Whether the address's parameters are all ones pages read, each given once.

    Any other (a tracking tag a share adds, or one made up to fill the cache) changes what
    a page shows: every page writes its address into the language switch (base.html), and
    the catalog's links keep every parameter (``{% querystring %}``). Such an address is
    rendered afresh and never kept, so made-up parameters cannot flood the cache."""
    params = request.GET
    return (
        all(len(params.getlist(name)) == 1 for name in params)
        and set(params) <= query_params_read_by_pages()
    )


def _page_key(request) -> str:
    """By host, path, language and the parameters in one order: the same page whatever
    order the address gives them."""
    address = f"{request.scheme}://{request.get_host()}{request.path}?" + urlencode(
        sorted(request.GET.items())
    )
    digest = hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()
    return f"pages:page:{request_generation(request)}:{get_language()}:{digest}"


def _may_keep(request, response) -> bool:
    """Only what every anonymous visitor may be shown: a page that marked itself
    (CachedPageMixin.serve), answered in full, and nothing of this visitor's: no cookie set
    (a CSRF token, a session, a language), no message added, nothing private."""
    cache_control = {
        directive.split("=")[0].strip().lower()
        for directive in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    messages = get_messages(request)
    return (
        getattr(response, "cache_for_anonymous", False)
        # A page the catalog's search and track do not concern (the home page's /?q=…)
        # would otherwise make an entry per value.
        and set(request.GET) <= getattr(response, "cache_query_params", frozenset())
        and request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.session.modified
        and not messages.added_new
        and not len(messages)
        and not request.user.is_authenticated
        and not cache_control & {"private", "no-cache", "no-store"}
    )


class AnonymousPageCacheMiddleware:
    """Serves the public pages to visitors who are not logged in from the shared cache,
    by address (host, path and the parameters pages read) and language.

    Only Wagtail's pages are looked up (``process_view``, once the address has resolved
    to Wagtail's serve view): the health check, the logins, the CMS and every other view
    cost no cache round trip. Last in MIDDLEWARE: it needs the session, the user and the
    messages, and every other middleware still handles a page from the cache on its way
    out as it does a fresh one (the security headers, the CSRF cookie, the session's Vary:
    Cookie). Whatever Wagtail serves, it hands Wagtail the site from the cache
    (remember_site).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Set by process_view when it looked for the page and did not find it.
        key = getattr(request, "_page_cache_key", None)
        if key is not None and _may_keep(request, response):
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match.url_name != "wagtail_serve" or not settings.PAGE_CACHE_SECONDS:
            return None
        if (
            request.method in ("GET", "HEAD")
            and only_known_params(request)
            and _anonymous_reader(request)
        ):
            key = _page_key(request)
            response = cache.get(key)
            if response is not None:
                return response
            request._page_cache_key = key
        remember_site(request)
        return None
