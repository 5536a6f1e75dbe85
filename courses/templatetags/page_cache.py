"""Fragments of the public pages from the cache (courses.caching): ``{% pagecache %}``
for what a page shows everyone, and the CMS's userbar for those who may use the CMS."""

from django import template
from django.conf import settings
from django.core.cache import cache
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

from ..caching import fragment_key, only_known_params

register = template.Library()


class PageCacheNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on
        # A fragment keyed by the address's parameters (the catalog's) shows them too.
        self.varies_on_query = any(v.token.startswith("request.GET") for v in vary_on)

    def render(self, context):
        request = context.get("request")
        # A preview shows a draft, under the live page's pk.
        if (
            request is None
            or getattr(request, "is_preview", False)
            or not settings.PAGE_CACHE_SECONDS
            # Kept only for parameters pages read: one made up would be an entry per value.
            or (self.varies_on_query and not only_known_params(request))
        ):
            return self.nodelist.render(context)
        parts = [variable.resolve(context) for variable in self.vary_on]
        key = fragment_key(request, self.name, *parts)
        html = cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            cache.set(key, html, settings.PAGE_CACHE_SECONDS)
        return html


@register.tag("pagecache")
def do_pagecache(parser, token):
    """``{% pagecache "name" page.pk request.GET.urlencode %}…{% endpagecache %}``: the
    part kept until the next publish (courses.caching), by language and by the values
    given, which must name everything the part shows. Its queries must run inside it:
    what the view computes beforehand is not saved."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("pagecache needs a fragment name")
    nodelist = parser.parse(("endpagecache",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    return PageCacheNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])


@register.simple_tag(takes_context=True)
def cms_userbar(context):
    """Wagtail's userbar, for those who may use the CMS. Whether one may is two queries
    of permissions on every page, so it is kept per login: a permission given or taken
    away shows at the next login, or after PAGE_CACHE_SECONDS."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    key = f"pages:cms-user:{user.pk}:{user.last_login.timestamp() if user.last_login else 0}"
    may_use_cms = cache.get(key)
    if may_use_cms is None:
        may_use_cms = user.has_perm("wagtailadmin.access_admin")
        cache.set(key, may_use_cms, settings.PAGE_CACHE_SECONDS)
    return wagtailuserbar(context) if may_use_cms else ""
