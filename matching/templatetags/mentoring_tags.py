from django import template
from django.urls import reverse
from django.utils.translation import gettext, pgettext

from mentors.models import Entrepreneur

from ..groups import expert_for

register = template.Library()


@register.inclusion_tag("matching/includes/mentoring_link.html", takes_context=True)
def mentoring_link(context, css_class=""):
    """A link to the user's mentoring group: the expert's group page, or the mentee's
    mentor page; nothing for anyone else. For the site header and the status page."""
    user = context["request"].user
    url = label = None
    if expert_for(user) is not None:
        url, label = reverse("matching:group"), gettext("My mentoring group")
    elif user.is_authenticated and (
        Entrepreneur.objects.filter(user=user, mentor__isnull=False).exists()
    ):
        url, label = reverse("matching:mentor"), pgettext("page", "My mentor")
    return {"url": url, "label": label, "css_class": css_class}


@register.filter
def stars(value):
    """A rating of 1 to 5 as filled and empty stars: ★★★★☆."""
    count = max(0, min(5, int(value)))
    return "★" * count + "☆" * (5 - count)
