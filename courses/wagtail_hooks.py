from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import CoursePage, LessonPage, Track


class TrackViewSet(SnippetViewSet):
    model = Track
    icon = "list-ul"
    menu_label = gettext_lazy("Tracks")
    list_display = ["name", "slug", "sort_order"]
    ordering = ["sort_order", "name"]
    search_fields = ["name", "description"]


class CourseSnippetGroup(SnippetViewSetGroup):
    """The catalog's reference data, under one 'Courses' item in the admin menu."""

    items = (TrackViewSet,)
    menu_icon = "folder-open-inverse"
    menu_label = gettext_lazy("Courses")
    menu_name = "courses"


register_snippet(CourseSnippetGroup)


def stated_minutes(course) -> tuple[int, int]:
    """``(lessons, minutes)``: how many lessons the course has and the minutes they state,
    as last edited (drafts too: an author building a course watches the sum grow)."""
    lessons = [
        lesson.get_latest_revision_as_object() for lesson in LessonPage.objects.child_of(course)
    ]
    return len(lessons), sum(lesson.estimated_minutes for lesson in lessons)


def required_hours_warning(course) -> str:
    """Why a trainee cannot reach the course's required hours by studying its lessons, or
    "". Only a warning: class hours count too, and lessons are often written after the
    course. A course without lessons yet says nothing."""
    lessons, minutes = stated_minutes(course)
    required_minutes = int(course.required_hours * 60)
    if not lessons or minutes >= required_minutes:
        return ""
    return _(
        "%(course)s asks for %(hours)s study hours (%(required)s minutes), but its lessons "
        "state only %(minutes)s minutes in all. Trainees studying online will not reach the "
        "required hours: add lessons, correct their minutes, or lower the required hours."
    ) % {
        "course": course.title,
        "hours": f"{course.required_hours.normalize():f}",
        "required": required_minutes,
        "minutes": minutes,
    }


def _course_of(page):
    """The course a page in the editor belongs to, as last edited; None for other pages."""
    if isinstance(page, CoursePage):
        return page
    if isinstance(page, LessonPage):
        parent = page.get_parent().specific
        return parent.get_latest_revision_as_object() if isinstance(parent, CoursePage) else None
    return None


def _warn(request, page):
    course = _course_of(page)
    if course is None or not request.accepts("text/html"):
        return
    warning = required_hours_warning(course)
    # Saving a draft returns to the editor, which warns on opening: say it once.
    if warning and all(str(message) != warning for message in messages.get_messages(request)):
        messages.warning(request, warning)


@hooks.register("before_edit_page")
def warn_on_opening_the_editor(request, page):
    if request.method == "GET":
        _warn(request, page.get_latest_revision_as_object())


@hooks.register("after_edit_page")
@hooks.register("after_create_page")
def warn_after_saving(request, page):
    _warn(request, page)
