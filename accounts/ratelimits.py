"""How long a rate-limited visitor must wait, read from allauth's own counters.

allauth says only *that* a limit was reached (``RateLimited`` or its 429 response), not
which one; the 429 page should say *when* to try again. So this looks up every limit in
``ACCOUNT_RATE_LIMITS`` that could apply to the request (its address, its user, the phone
number it carries) and returns the longest wait among those that are full.
"""

import math
import time

from allauth.account import app_settings
from allauth.core.internal.ratelimit import get_cache_key, get_rates
from django.contrib.sites.shortcuts import get_current_site
from django.core.cache import cache
from django.core.exceptions import ValidationError

from .phone import normalize_mobile

_APP = "allauth.account"


def _phones_in(request) -> set[str]:
    phones = set()
    for field in ("phone", "login"):
        try:
            phones.add(normalize_mobile(request.POST.get(field, "")))
        except ValidationError:
            pass
    if request.user.is_authenticated and request.user.phone:
        phones.add(request.user.phone)
    return phones


def _keys_in(request) -> set[str]:
    """The keys allauth counts a number under: the number itself, and for failed logins
    the site and number (see AccountAdapter._get_login_attempts_cache_key)."""
    domain = get_current_site(request).domain
    phones = _phones_in(request)
    return phones | {f"{domain}:{phone}" for phone in phones}


def _cache_keys(request, action, rate):
    if rate.per == "ip":
        return [get_cache_key(request, app=_APP, action=action, rate=rate)]
    if rate.per == "user":
        if not request.user.is_authenticated:
            return []
        return [get_cache_key(request, app=_APP, action=action, rate=rate, user=request.user)]
    return [
        get_cache_key(request, app=_APP, action=action, rate=rate, key=key)
        for key in _keys_in(request)
    ]


def seconds_until_allowed(request) -> int:
    """Seconds until every full limit touching ``request`` has room again (0 if none is full)."""
    now = time.time()
    wait = 0.0
    for action in app_settings.RATE_LIMITS:
        for rate in get_rates(app=_APP, action=action, config=app_settings.RATE_LIMITS):
            for cache_key in _cache_keys(request, action, rate):
                # Newest first, as allauth keeps them.
                recent = [t for t in cache.get(cache_key, []) if t > now - rate.duration]
                if len(recent) >= rate.amount:
                    wait = max(wait, recent[rate.amount - 1] + rate.duration - now)
    return math.ceil(wait)
