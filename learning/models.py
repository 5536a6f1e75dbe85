import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EnrollmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(left_at__isnull=True)


class Enrollment(models.Model):
    """A trainee's enrolment (报名) in a course. Leaving keeps the hours already studied."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("trainee"),
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("course"),
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrol_once_per_course")
        ]

    def __str__(self):
        return f"{self.user} → {self.course}"


class CompletionQuerySet(models.QuerySet):
    def in_period(self, start, end):
        """Completed (certificate date) in the period, dates inclusive."""
        return self.filter(completed_at__date__gte=start, completed_at__date__lte=end)

    def online_in_period(self, start, end):
        """Completed by online study in the period: what the coverage figure counts."""
        return self.filter(online_completed_on__gte=start, online_completed_on__lte=end)


class Completion(models.Model):
    """A course completed (结业): its required hours reached, online and in class together.
    Recorded once, dated the day the hours were reached; it carries the certificate's
    public verification code.

    Only a course completed by online study is a training unit in the coverage figure
    (DESIGN.md): ``online_completed_on`` is the day its online hours alone reached the
    required hours, and stays empty while class hours were needed (the classes count on
    their own). learning.completion keeps both dates true to the hours ledger.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="completions",
        verbose_name=_("trainee"),
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="completions",
        verbose_name=_("course"),
    )
    completed_at = models.DateTimeField(_("completed at"))
    online_completed_on = models.DateField(
        _("completed by online study on"), null=True, blank=True, db_index=True
    )
    hours = models.DecimalField(_("hours studied"), max_digits=7, decimal_places=2)
    certificate_code = models.CharField(_("certificate code"), max_length=16, unique=True)
    # The certificate is a document: who holds it is frozen when it is issued, so a
    # profile edited later changes nothing on it. Empty until the holder gives a real
    # name (learning.certificates.issue_certificate).
    holder_name = models.CharField(_("holder's name"), max_length=50, blank=True)
    holder_id_masked = models.CharField(_("holder's masked ID number"), max_length=18, blank=True)

    objects = CompletionQuerySet.as_manager()

    class Meta:
        verbose_name = _("completion")
        verbose_name_plural = _("completions")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="complete_once_per_course")
        ]

    def __str__(self):
        return f"{self.user} ✓ {self.course}"

    @property
    def is_issued(self) -> bool:
        """Whether its certificate exists: it needs the holder's real name."""
        return bool(self.holder_name)


class OnlineStudyQuerySet(models.QuerySet):
    def in_period(self, start, end):
        return self.filter(day__gte=start, day__lte=end)


class OnlineStudy(models.Model):
    """Seconds of online study credited to a trainee, per course and day.

    The online side of the hours ledger: one row per user, course and day, added to by
    each credited heartbeat, so the ledger stays small however long people study.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="online_study",
        verbose_name=_("trainee"),
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="online_study",
        verbose_name=_("course"),
    )
    day = models.DateField(_("day"))
    seconds = models.PositiveIntegerField(_("seconds"), default=0)

    objects = OnlineStudyQuerySet.as_manager()

    class Meta:
        verbose_name = _("online study")
        verbose_name_plural = _("online study")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course", "day"], name="online_study_once_per_day"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.course} · {self.day}: {self.seconds}s"


class LessonView(models.Model):
    """One open lesson page (a page view) sending heartbeats, by the id its script chose.

    ``started_ms`` is the server's clock at the view's first beat, in milliseconds since
    the epoch: no credit of this view reaches back before it (learning.study).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_views"
    )
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="views")
    view_id = models.UUIDField()
    last_seq = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    started_ms = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "view_id"], name="lesson_view_id_per_user")
        ]

    def __str__(self):
        return f"{self.user} · {self.lesson} · {self.view_id}"


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def epoch_ms(moment: datetime.datetime) -> int:
    """Milliseconds since the epoch, exactly: the heartbeat's clocks are integers, so the
    SQL that compares and moves them reads the same on SQLite and PostgreSQL."""
    return (moment - EPOCH) // datetime.timedelta(milliseconds=1)


class StudyClock(models.Model):
    """Per trainee, the moment up to which online time has been credited.

    Every credit starts after it, so two tabs open at once never count a second twice;
    beats move it only if it still reads what they read (learning.study). Credits are
    measured in milliseconds and the ledger keeps whole seconds: ``carry_ms`` is the part
    of a second credited but not yet written to the ledger.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="study_clock",
    )
    credited_until_ms = models.BigIntegerField(null=True, blank=True)
    carry_ms = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.user}: {self.credited_until}"

    @property
    def credited_until(self) -> datetime.datetime | None:
        if self.credited_until_ms is None:
            return None
        return EPOCH + datetime.timedelta(milliseconds=self.credited_until_ms)
