from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.urls import reverse

from ..enrolment import is_enrolled
from ..study import heartbeat_seconds

register = template.Library()


def _enrolled(request, course) -> bool:
    """Whether the visitor is enrolled in the course: asked by both tags of a lesson page,
    answered by one query."""
    answers = request.__dict__.setdefault("_enrolled_in", {})
    if course.pk not in answers:
        answers[course.pk] = is_enrolled(request.user, course)
    return answers[course.pk]


@register.inclusion_tag("learning/lesson_status.html", takes_context=True)
def lesson_study_status(context):
    """Tells a visitor whose time on a lesson would not count why, and how to change it:
    log in (and come back here), or enrol. Nothing for an enrolled trainee or a preview."""
    request = context.get("request")
    lesson, course = context.get("page"), context.get("course")
    if request is None or lesson is None or course is None or getattr(request, "is_preview", False):
        return {"status": None}
    if not request.user.is_authenticated:
        status = "logged_out"
    elif not _enrolled(request, course):
        status = "not_enrolled"
    else:
        status = None
    return {"status": status, "request": request, "course": course}


@register.simple_tag(takes_context=True)
def study_heartbeat(context):
    """What a lesson page's heartbeat script needs, or None when its time would not count.

    Anonymous visitors, trainees not enrolled in the course and CMS previews get no
    script, so no page sends beats that the server would refuse.
    """
    request = context.get("request")
    lesson, course = context.get("page"), context.get("course")
    if request is None or lesson is None or course is None or getattr(request, "is_preview", False):
        return None
    if not request.user.is_authenticated or not _enrolled(request, course):
        return None
    # The script sends the token from the cookie; make sure this response sets one.
    get_token(request)
    return {
        "url": reverse("heartbeat"),
        "lesson": lesson.pk,
        "interval": heartbeat_seconds(),
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }
