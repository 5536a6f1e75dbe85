from decimal import ROUND_HALF_UP, Decimal

from django import template

from ..certificates import format_hours
from ..enrolment import course_progress, is_enrolled

register = template.Library()


@register.inclusion_tag("learning/enrolment_panel.html", takes_context=True)
def enrolment_panel(context, course):
    """The enrol or leave button for a course page, with the trainee's progress."""
    request = context["request"]
    user = request.user
    enrolled = user.is_authenticated and is_enrolled(user, course)
    return {
        "request": request,
        "user": user,
        "course": course,
        "enrolled": enrolled,
        "progress": course_progress(user, course) if enrolled else None,
    }


@register.filter
def hours(value):
    """Study hours without trailing zeros: 6.00 → 6, 1.50 → 1.5."""
    return format_hours(value)


@register.filter
def minutes_if_small(value):
    """Under one hour, the hours in whole minutes (0.03 → 2), for who reads "0.03 学时"
    and sees nothing happening; nothing from one hour on, or for no time at all."""
    hours = Decimal(value or 0)
    if not 0 < hours < 1:
        return None
    return max(1, int((hours * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
