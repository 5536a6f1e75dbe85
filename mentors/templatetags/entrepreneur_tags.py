from django import template

from learning.models import Completion

from ..entrepreneurs import has_profile

register = template.Library()


@register.inclusion_tag("mentors/entrepreneur_invitation.html", takes_context=True)
def entrepreneur_invitation(context):
    """On a trainee's learning page: after a completed course, an invitation to register
    as an entrepreneur, until they have."""
    user = context["request"].user
    invited = (
        user.is_authenticated
        and Completion.objects.filter(user=user).exists()
        and not has_profile(user)
    )
    return {"invited": invited}


@register.inclusion_tag("mentors/entrepreneur_call.html", takes_context=True)
def entrepreneur_call_to_action(context):
    """On the home page: the way in for returning graduates and workers, or back to their
    profile for those already registered."""
    return {"registered": has_profile(context["request"].user)}
