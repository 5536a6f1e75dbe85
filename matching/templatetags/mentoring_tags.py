from django import template
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext, pgettext

register = template.Library()


@register.inclusion_tag("matching/includes/mentoring_link.html", takes_context=True)
def mentoring_link(context, css_class=""):
    """A link to the user's mentoring group: the expert's group page, or the mentee's
    mentor page; nothing for anyone else. For the site header and the status page."""
    user = context["request"].user
    url = label = None
    if user.is_authenticated and user.is_active:
        # One query on every page with the header: is the user an expert, or a mentee?
        roles = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .values("expert__pk", "entrepreneur__mentor_id")
            .first()
        ) or {}
        if roles.get("expert__pk"):
            url, label = reverse("matching:group"), gettext("My mentoring group")
        elif roles.get("entrepreneur__mentor_id"):
            url, label = reverse("matching:mentor"), pgettext("page", "My mentor")
    return {"url": url, "label": label, "css_class": css_class}


@register.filter
def stars(value):
    """A rating of 1 to 5 as filled and empty stars: ★★★★☆."""
    count = max(0, min(5, int(value)))
    return "★" * count + "☆" * (5 - count)
