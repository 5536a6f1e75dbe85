from django import template
from django.utils.translation import ngettext

from ..phone import mask_mobile
from ..ratelimits import seconds_until_allowed

register = template.Library()


@register.simple_tag(takes_context=True)
def retry_after(context):
    """``30 秒`` or ``5 分钟``: how long until the visitor's limits have room, rounded up."""
    seconds = seconds_until_allowed(context["request"])
    if seconds <= 0:
        return ""
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = -(-seconds // 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


@register.filter
def masked_mobile(e164):
    """``+8613800138000`` → ``138****8000``, for pages that echo the number a code went to."""
    return mask_mobile(e164 or "")
