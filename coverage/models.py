from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LabourCategory(models.TextChoices):
    """劳动技能, as the national system (全国扶贫开发信息系统) writes it."""

    SKILLED = "技能劳动力", _("Skilled labour")
    ORDINARY = "普通劳动力", _("Ordinary labour")
    WEAK = "弱劳动力或半劳动力", _("Weak or half labour")
    LOST = "丧失劳动力", _("Lost labour capacity")
    NONE = "无劳动力", _("No labour capacity")


class WorkStatus(models.TextChoices):
    """务工状况, as the national system (全国扶贫开发信息系统) writes it, full-width
    brackets included; empty when the registry leaves it blank (not given, or not working).

    coverage.vocabulary reads other spellings of these words, the old ones included.
    """

    IN_TOWN = "乡（镇）内务工", _("Working in the township")
    IN_COUNTY = "乡（镇）外县内务工", _("Working outside the township, in the county")
    IN_PROVINCE = "县外省内务工", _("Working outside the county, in the province")
    OUT_OF_PROVINCE = "省外务工", _("Working outside the province")
    OTHER = "其他", _("Other work status")
    NOT_GIVEN = "", _("Not given")


class RegistryMemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def eligible(self):
        """Who the 50% figure counts: active members with labour capacity who are not
        migrant workers, in provincial poor villages of demonstration counties (villages
        still on the official list: see regions' sync)."""
        return (
            self.active()
            .filter(labour_category__in=settings.COVERAGE_CAPACITY_CATEGORIES)
            .exclude(work_status__in=settings.COVERAGE_MIGRANT_STATUSES)
            .filter(
                village__is_active=True,
                village__is_provincial_poor=True,
                village__town__county__is_demonstration=True,
            )
        )


class RegistryMember(models.Model):
    """A member of the poverty registry (建档立卡贫困人口), from the poverty-alleviation office.

    Known across the platform by the keyed hash of the ID-card number; the number itself
    is stored only encrypted (coverage.idcrypt) and shown masked.
    """

    village = models.ForeignKey(
        "regions.Village",
        on_delete=models.PROTECT,
        related_name="registry_members",
        verbose_name=_("village"),
    )
    household_id = models.CharField(_("household number"), max_length=40)
    name = models.CharField(_("name"), max_length=50)
    id_number_hash = models.CharField(
        _("ID-card number hash"), max_length=64, unique=True, editable=False
    )
    id_number_masked = models.CharField(_("ID-card number"), max_length=18, editable=False)
    id_number_encrypted = models.TextField(editable=False)
    relation_to_head = models.CharField(_("relation to head of household"), max_length=20)
    labour_category = models.CharField(
        _("labour capacity"), max_length=20, choices=LabourCategory.choices
    )
    work_status = models.CharField(
        _("work status"), max_length=20, choices=WorkStatus.choices, blank=True
    )
    # Members missing from a newer registry file are kept, inactive: past training
    # still happened, and a later file may list them again.
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RegistryMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("registry member")
        verbose_name_plural = _("registry members")
        ordering = ["village", "household_id", "name"]

    def __str__(self):
        return f"{self.name} ({self.id_number_masked})"


class CountyOfficer(models.Model):
    """A member of a county's commerce bureau staff (县级商务部门): sees only that county."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="county_officer",
        verbose_name=_("user"),
    )
    county = models.ForeignKey(
        "regions.County",
        on_delete=models.PROTECT,
        related_name="officers",
        verbose_name=_("county"),
    )

    class Meta:
        verbose_name = _("county officer")
        verbose_name_plural = _("county officers")

    def __str__(self):
        return f"{self.user} · {self.county}"


class PersonalDataView(models.Model):
    """An audit record: someone was shown a person's unmasked name or ID-card number.

    Says who, when and which record, never the value shown.
    """

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("viewer"),
    )
    viewed_at = models.DateTimeField(_("viewed at"), auto_now_add=True)
    record_type = models.CharField(_("record type"), max_length=50)
    record_id = models.PositiveBigIntegerField(_("record"))
    context = models.CharField(_("where"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("personal data view")
        verbose_name_plural = _("personal data views")
        ordering = ["-viewed_at"]
        permissions = [("view_personal_data", _("Can see unmasked names and ID numbers"))]

    def __str__(self):
        return f"{self.viewer} · {self.record_type}#{self.record_id} · {self.viewed_at}"


class Submission(models.Model):
    """A county's figures for a period (审核), submitted by county staff for the bureau's
    sign-off.

    Submitting stores the figures as they were (``figures``: the county's rows at county,
    town and village level); the bureau approves or returns exactly those, whatever
    today's records say. Each step is kept in ``events``, earlier snapshots included.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("sign-off", "Submitted")
        APPROVED = "approved", pgettext_lazy("sign-off", "Approved")
        RETURNED = "returned", pgettext_lazy("sign-off", "Returned")

    county = models.ForeignKey(
        "regions.County", on_delete=models.PROTECT, related_name="submissions"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # The report rows ({level: [row, ...]}, coverage.signoff.figures_snapshot) as last
    # submitted: what is reviewed and, once approved, signed. Null only for submissions
    # made before submitting stored them (migration 0006): those cannot be approved.
    figures = models.JSONField(_("figures as submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "start", "end"], name="one_submission_per_county_period"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="submission_period_order"
            ),
        ]

    def __str__(self):
        return f"{self.county} {self.start}–{self.end} ({self.get_status_display()})"


class SubmissionEvent(models.Model):
    """One step in a submission's history: submitted (with the figures as submitted then),
    returned (with the bureau's reason) or approved; by whom, when."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("sign-off", "Submitted")
        RETURNED = "returned", pgettext_lazy("sign-off", "Returned")
        APPROVED = "approved", pgettext_lazy("sign-off", "Approved")

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="events", verbose_name=_("submission")
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True)
    # Submitted steps only; null there too for submissions older than stored snapshots.
    figures = models.JSONField(_("figures as submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission event")
        verbose_name_plural = _("submission events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.submission} · {self.get_action_display()} · {self.at}"
