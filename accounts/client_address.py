"""The address of the person making a request, which every rate limit counts on.

Behind a proxy every request reaches the app from the proxy's address, so limits keyed on
``REMOTE_ADDR`` would be shared by everyone. Each proxy appends the address it was reached
from to ``X-Forwarded-For``; with ``TRUSTED_PROXY_COUNT`` proxies of our own in front, the
client is that many entries from the right. Entries further left were written by the
client and prove nothing.
"""

import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def client_address(request) -> str | None:
    peer = request.META.get("REMOTE_ADDR")
    trusted = settings.TRUSTED_PROXY_COUNT
    if not trusted:
        return peer
    header = request.headers.get("x-forwarded-for")
    forwarded = header.split(",") if header else []
    if len(forwarded) < trusted:
        # Our proxies always append: the request reached the app around them, and its
        # peer is the one address nobody could have forged.
        logger.warning("X-Forwarded-For has fewer entries than TRUSTED_PROXY_COUNT")
        return peer
    try:
        return str(ipaddress.ip_address(forwarded[-trusted].strip()))
    except ValueError:
        logger.warning("X-Forwarded-For holds no address where the trusted proxy writes one")
        return peer
