import functools
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index

from .blocks import LessonStreamBlock
from .caching import page_sections
from .roles import INSTRUCTORS


class CachedPageMixin:
    """What the site's own page types share: served from the page cache to visitors who
    are not logged in (courses.caching), and no query for privacy where none applies."""

    # The parameters of the address the page reads: a page from the cache is kept only
    # for these (courses.caching).
    page_cache_params = frozenset()

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        response.cache_query_params = self.page_cache_params
        # A private page reaches here only for whoever passed its restriction (a page's
        # password is kept in the visitor's session): never for everyone. (Wagtail also
        # marks it never-cache, which the page cache respects.)
        response.cache_for_anonymous = not page_sections().may_restrict(self)
        return response

    def get_view_restrictions(self):
        # Wagtail asks on every page it serves (two queries); the private sections are
        # known from the cache, so a page outside them has none to ask about.
        if page_sections().may_restrict(self):
            return super().get_view_restrictions()
        return PageViewRestriction.objects.none()


class SitePageQuerySet(PageQuerySet):
    def private_q(self):
        # Wagtail's reads every restriction on each call (one query per list of pages).
        q = Q()
        for path, depth in page_sections().private:
            q |= Q(path__startswith=path, depth__gte=depth)
        return q if q else Q(pk__in=[])


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


class HomePage(CachedPageMixin, Page):
    """The site's front page: what the training offers, its tracks and some courses."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CatalogPage"]
    max_count = 1

    COURSES_SHOWN = 6

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Any page below in one query, where Wagtail's routing asks two a level (five
        for a lesson): each page type here allows one type of child, so the number of
        steps in the path names the model, and the stored url_path finds the page."""
        model = type(self)
        for _step in path_components:
            children = model.allowed_subpage_models()
            if len(children) != 1:
                return super().route(request, path_components)
            model = children[0]
        if path_components:
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            page = model.objects.filter(url_path=url_path).first()
            if page is not None:
                return page.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: the template reads these inside fragments kept in the cache.
        context["catalog"] = SimpleLazyObject(
            lambda: CatalogPage.objects.child_of(self).live().first()
        )
        # Explicit order: Django leaves Meta.ordering out of aggregate queries.
        context["tracks"] = Track.objects.annotate(
            course_count=Count("courses", filter=Q(courses__live=True), distinct=True)
        ).order_by("sort_order", "name")
        # Featured courses first, the newest filling the remaining places.
        context["courses"] = CoursePage.objects.visible().order_by(
            "-featured", "-first_published_at"
        )[: self.COURSES_SHOWN]
        return context


class CatalogPage(CachedPageMixin, Page):
    """The course catalog (课程目录) at /courses/: every course, by track, with search.

    Its page permissions and the 课程审核 workflow cover every course and lesson below it.
    """

    page_cache_params = frozenset({"q", "track", "page"})

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
        query = request.GET.get("q", "").strip()

        # Lazy: the template reads these inside a fragment kept in the cache, so a page
        # from the cache runs none of their queries.
        @functools.cache
        def listing():
            # An unknown slug (an old bookmark, a typo) shows every course, not an error.
            track = tracks.filter(slug=request.GET.get("track", "")).first()
            courses = self.get_courses(track)
            search = search_catalog(query, courses) if query else None
            paginator = Paginator(search.courses if search else courses, self.PER_PAGE)
            shown = paginator.get_page(request.GET.get("page"))
            return track, shown, lessons_found_in(search, shown) if search else []

        context.update(
            tracks=tracks,
            current_track=SimpleLazyObject(lambda: listing()[0]),
            query=query,
            courses=SimpleLazyObject(lambda: listing()[1]),
            found_lessons=SimpleLazyObject(lambda: listing()[2]),
        )
        return context


class CoursePageQuerySet(SitePageQuerySet):
    def visible(self):
        """Courses a visitor may see, with what a course card shows: its cover's
        renditions come with it, or each card asks the cache for its own."""
        return (
            self.live()
            .public()
            .select_related("track", "cover_image")
            .prefetch_related("cover_image__renditions")
        )


class CoursePage(CachedPageMixin, Page):
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

    @cached_property
    def outline(self):
        """The published lessons without their bodies, in order."""
        return list(self.lessons().defer_streamfields())

    @property
    def total_minutes(self):
        return sum(lesson.estimated_minutes for lesson in self.outline)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: the template reads these inside fragments kept in the cache.
        context["lessons"] = SimpleLazyObject(lambda: self.outline)
        context["instructors"] = self.instructors.all()
        return context


class LessonPage(CachedPageMixin, Page):
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

    objects = PageManager.from_queryset(SitePageQuerySet)()

    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    @cached_property
    def course(self):
        # One query, where get_parent().specific takes two.
        return CoursePage.objects.get(path=self.path[: -self.steplen])

    @cached_property
    def _place(self):
        """``(number, count, previous, next)`` among the course's published lessons."""
        lessons = self.course.outline
        before = [lesson for lesson in lessons if lesson.path < self.path]
        after = [lesson for lesson in lessons if lesson.path > self.path]
        number = len(before) + 1 if len(before) + len(after) < len(lessons) else len(before)
        return (
            number,
            len(lessons),
            before[-1] if before else None,
            after[0] if after else None,
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: the template reads the lesson's place inside a fragment kept in the cache.
        context.update(
            course=self.course,
            lesson_number=SimpleLazyObject(lambda: self._place[0]),
            lesson_count=SimpleLazyObject(lambda: self._place[1]),
            previous_lesson=SimpleLazyObject(lambda: self._place[2]),
            next_lesson=SimpleLazyObject(lambda: self._place[3]),
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
