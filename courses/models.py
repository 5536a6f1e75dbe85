from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from .blocks import LessonStreamBlock
from .roles import INSTRUCTORS


class Track(models.Model):
    """A curriculum track (课程方向), e.g. 电商基础 or 网络营销; every course belongs to one.

    Registered as a snippet in courses/wagtail_hooks.py.
    """

    name = models.CharField(_("name"), max_length=50, unique=True)
    slug = models.SlugField(
        _("slug"), max_length=50, unique=True, help_text=_("Used in catalog links: ?track=…")
    )
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(
        _("sort order"), default=0, help_text=_("Tracks are listed from low to high")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class HomePage(Page):
    """The site's front page: what the training offers, its tracks and some courses."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CatalogPage"]
    max_count = 1

    COURSES_SHOWN = 6

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["catalog"] = CatalogPage.objects.child_of(self).live().first()
        # Explicit order: Django leaves Meta.ordering out of aggregate queries.
        context["tracks"] = Track.objects.annotate(
            course_count=Count("courses", filter=Q(courses__live=True), distinct=True)
        ).order_by("sort_order", "name")
        # Featured courses first, the newest filling the remaining places.
        context["courses"] = CoursePage.objects.visible().order_by(
            "-featured", "-first_published_at"
        )[: self.COURSES_SHOWN]
        return context


class CatalogPage(Page):
    """The course catalog (课程目录) at /courses/: every course, by track, with search.

    Its page permissions and the 课程审核 workflow cover every course and lesson below it.
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.CoursePage"]
    # One catalog: the roles and the review workflow are attached to it.
    max_count = 1

    PER_PAGE = 12

    class Meta:
        verbose_name = _("course catalog")

    def get_courses(self, track=None):
        """Visible courses by track, then in the order arranged in the CMS."""
        courses = CoursePage.objects.child_of(self).visible().order_by("track__sort_order", "path")
        if track is not None:
            courses = courses.filter(track=track)
        return courses

    def get_context(self, request, *args, **kwargs):
        # Imported here: courses.search builds on the models of this module.
        from .search import lessons_found_in, search_catalog

        context = super().get_context(request, *args, **kwargs)
        tracks = Track.objects.all()
        # An unknown slug (an old bookmark, a typo) shows every course, not an error.
        track = tracks.filter(slug=request.GET.get("track", "")).first()
        query = request.GET.get("q", "").strip()
        courses = self.get_courses(track)
        search = search_catalog(query, courses) if query else None
        paginator = Paginator(search.courses if search else courses, self.PER_PAGE)
        shown = paginator.get_page(request.GET.get("page"))
        context.update(
            tracks=tracks,
            current_track=track,
            query=query,
            courses=shown,
            found_lessons=lessons_found_in(search, shown) if search else [],
        )
        return context


class CoursePageQuerySet(PageQuerySet):
    def visible(self):
        """Courses a visitor may see, with what a course card shows."""
        return self.live().public().select_related("track", "cover_image")


class CoursePage(Page):
    """A course (课程) of one track; its lessons are its child pages, in tree order.

    A trainee completes it by studying for its required hours (学时), online or offline.
    """

    class Level(models.TextChoices):
        INTRODUCTORY = "intro", _("Introductory")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    track = models.ForeignKey(
        Track, on_delete=models.PROTECT, related_name="courses", verbose_name=_("track")
    )
    summary = models.TextField(
        _("summary"), max_length=300, help_text=_("Shown on course cards and found by search")
    )
    # SET_NULL: deleting a picture from the library leaves the course without a cover
    # rather than deleting the course; "+" because an image needs no list of courses.
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cover image"),
    )
    required_hours = models.DecimalField(
        _("required hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text=_("Study hours a trainee needs to complete the course"),
    )
    level = models.CharField(
        _("level"), max_length=20, choices=Level.choices, default=Level.INTRODUCTORY
    )
    instructors = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="taught_courses",
        verbose_name=_("instructors"),
        limit_choices_to={"groups__name": INSTRUCTORS},
    )
    featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Shown first on the home page")
    )
    is_demo_data = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = PageManager.from_queryset(CoursePageQuerySet)()

    content_panels = Page.content_panels + [
        FieldPanel("track"),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldRowPanel([FieldPanel("required_hours"), FieldPanel("level")]),
        MultiFieldPanel(
            [
                FieldPanel("instructors", widget=forms.CheckboxSelectMultiple),
                FieldPanel("featured"),
            ],
            heading=_("Teaching"),
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.AutocompleteField("summary"),
        index.FilterField("track"),
        index.RelatedFields("track", [index.SearchField("name")]),
    ]

    parent_page_types = ["courses.CatalogPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(required_hours__gt=0), name="course_required_hours_positive"
            )
        ]

    def lessons(self):
        return LessonPage.objects.child_of(self).live().public()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = lessons = list(self.lessons())
        context["total_minutes"] = sum(lesson.estimated_minutes for lesson in lessons)
        context["instructors"] = self.instructors.all()
        return context


class LessonPage(Page):
    """One lesson (课) of a course: text, pictures, video and handouts."""

    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"),
        default=15,
        validators=[MinValueValidator(1)],
        help_text=_("About how long a trainee needs to study this lesson"),
    )
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
    ]

    search_fields = Page.search_fields + [index.SearchField("body")]

    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        course = self.get_parent().specific
        lessons = course.lessons()
        context.update(
            course=course,
            lesson_number=lessons.filter(path__lte=self.path).count(),
            lesson_count=lessons.count(),
            previous_lesson=lessons.filter(path__lt=self.path).last(),
            next_lesson=lessons.filter(path__gt=self.path).first(),
        )
        return context


class PageText(models.Model):
    """The plain text of a published course or lesson, as search reads it: Wagtail's
    search backend does not find Chinese words inside a sentence (see courses/search.py)."""

    # CASCADE: a deleted page leaves nothing to find.
    page = models.OneToOneField(Page, on_delete=models.CASCADE, primary_key=True, related_name="+")
    title = models.TextField()
    # A course's summary or a lesson's text, without markup.
    text = models.TextField()
    # The page's last_published_at when this was written: later, the text is out of date.
    published_at = models.DateTimeField(null=True)

    def __str__(self):
        return self.title
