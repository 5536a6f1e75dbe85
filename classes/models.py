from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.phone import validate_mobile

from .roles import manages_all_sessions


class ClassSessionQuerySet(models.QuerySet):
    def in_period(self, start, end):
        """Sessions held from ``start`` to ``end``, both dates included."""
        return self.filter(date__gte=start, date__lte=end)

    def for_user(self, user):
        """The sessions ``user`` runs: all for course managers, their own for instructors."""
        if manages_all_sessions(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(instructor=user)


class ClassSession(models.Model):
    """One session of an offline class (培训班) for a course, held at a village.

    Each attendance credits the session's hours and counts as one training
    person-time (培训人次) for the attendee's home village, wherever the class was held.
    """

    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="class_sessions",
        verbose_name=_("course"),
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    venue = models.ForeignKey(
        "regions.Village",
        on_delete=models.PROTECT,
        related_name="class_sessions",
        verbose_name=_("venue village"),
    )
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    # Empty for a class recorded afterwards from a sign-in sheet, where the sheet
    # may not say who taught.
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="class_sessions_taught",
        verbose_name=_("instructor"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ClassSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("class session")
        verbose_name_plural = _("class sessions")
        ordering = ["-date", "-start_time"]
        permissions = [("run_every_session", _("Can run every class session"))]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="class_session_hours_positive"),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="class_session_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.course.title} · {self.date:%Y-%m-%d} · {self.venue.name}"

    def clean(self):
        # The database constraints say the same; here the messages sit next to the field.
        errors = {}
        if None not in (self.start_time, self.end_time) and self.end_time <= self.start_time:
            errors["end_time"] = _("The class must end after it starts.")
        if self.hours is not None and self.hours <= 0:
            errors["hours"] = _("Hours must be more than zero.")
        if errors:
            raise ValidationError(errors)


class AttendanceQuerySet(models.QuerySet):
    def in_period(self, start, end):
        return self.filter(session__date__gte=start, session__date__lte=end)


class Attendance(models.Model):
    """One person at one class session: one training person-time (培训人次).

    Most villagers who attend never sign up, so a person is a user, or a name with an
    ID-card hash or a mobile number. The ID hash is kept even for users (copied from
    the number their account holds, once proven: accounts.claims) so that the registry,
    accounts and sheets recognise one person.
    """

    class Method(models.TextChoices):
        QR = "qr", _("QR check-in")
        SHEET = "sheet", _("Sign-in sheet")
        INSTRUCTOR = "instructor", _("Marked by the instructor")

    session = models.ForeignKey(
        ClassSession,
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("class session"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("user"),
    )
    name = models.CharField(_("full name"), max_length=50)
    id_number_hash = models.CharField(
        _("ID-card number hash"), max_length=64, blank=True, db_index=True, editable=False
    )
    id_number_masked = models.CharField(
        _("ID-card number"), max_length=18, blank=True, editable=False
    )
    phone = models.CharField(
        _("mobile phone"), max_length=20, blank=True, validators=[validate_mobile]
    )
    method = models.CharField(_("how recorded"), max_length=20, choices=Method.choices)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["session", "name"]
        constraints = [
            # However a person is known, they attend a session once.
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(user__isnull=False),
                name="attendance_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["session", "id_number_hash"],
                condition=~Q(id_number_hash=""),
                name="attendance_once_per_id",
            ),
            models.UniqueConstraint(
                fields=["session", "phone"],
                condition=~Q(phone=""),
                name="attendance_once_per_phone",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(id_number_hash="") | ~Q(phone=""),
                name="attendance_identifies_a_person",
            ),
        ]

    def __str__(self):
        return f"{self.name} @ {self.session}"
