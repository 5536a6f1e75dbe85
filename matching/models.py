"""Matching runs, their proposals, and the mentoring groups (帮带小组) that follow.

Who mentors whom is ``mentors.Entrepreneur.mentor``; approving a proposal sets it. This
app keeps how it came about (runs and proposals), and the life of each expert's group:
meetings, ratings and the flags for groups that have gone quiet.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mentors.models import Entrepreneur, Expert


class MatchingRun(models.Model):
    """One run of the matcher over the experts and the entrepreneurs waiting for one."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        # With a context: other apps' "Running" means an import.
        RUNNING = "running", pgettext_lazy("matching run", "Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rematch = models.BooleanField(
        _("re-match"),
        default=False,
        help_text=_("Also propose new mentors to entrepreneurs who already have one."),
    )
    balanced = models.BooleanField(
        _("balanced load"),
        default=True,
        help_text=_("Prefer spreading entrepreneurs over experts to piling them on a few."),
    )
    # What the run was given and what it found: weights, sizes, timings, loads. Kept as
    # a document because it is read as a whole and grows with the matcher.
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return _("Matching run %(number)d") % {"number": self.pk or 0}

    def newer_runs(self):
        """Runs started after this one that have not failed: this one's proposals must
        not replace theirs."""
        return MatchingRun.objects.filter(pk__gt=self.pk).exclude(status=MatchingRun.Status.FAILED)


class ProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Proposal.Status.PROPOSED)

    def count_by_status(self) -> dict[str, int]:
        """How many proposals have each status, in one query."""
        rows = self.order_by().values("status").annotate(n=models.Count("pk"))
        return dict(rows.values_list("status", "n"))

    def pending_per_expert(self) -> dict[int, int]:
        """Open proposals per expert: places the proposals promise but have not taken yet."""
        rows = self.pending().order_by().values("expert").annotate(n=models.Count("pk"))
        return dict(rows.values_list("expert", "n"))

    def rejected_pairs(self) -> set[tuple[int, int]]:
        """(entrepreneur, expert) pairs staff said no to: not to be proposed again."""
        rows = self.filter(status=Proposal.Status.REJECTED)
        return set(rows.values_list("entrepreneur_id", "expert_id"))

    def best_first(self):
        return self.order_by("-score", "pk")


class Proposal(models.Model):
    """The matcher's suggestion that an expert mentor an entrepreneur, with its reasons."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SUPERSEDED = "superseded", _("Superseded by a later run")

    run = models.ForeignKey(
        MatchingRun, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("run")
    )
    entrepreneur = models.ForeignKey(
        Entrepreneur,
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("entrepreneur"),
    )
    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("expert")
    )
    score = models.FloatField(_("score"))
    # Per criterion: {"criterion": ..., "args": {...}, "contribution": float}; the words
    # are made when shown (matching.reasons), so they follow the reader's language.
    reasons = models.JSONField(_("reasons"), default=list)
    # The per-criterion scores, kept so that staff decisions can teach the weights.
    criteria = models.JSONField(_("criterion scores"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for rejecting"), max_length=200, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-score", "pk"]
        constraints = [
            # A run re-executed (twice, or after a worker died) cannot double its rows.
            models.UniqueConstraint(
                fields=["run", "entrepreneur"], name="one_proposal_per_entrepreneur_per_run"
            ),
            # Nor can two runs leave two open proposals for one person.
            models.UniqueConstraint(
                fields=["entrepreneur"],
                condition=Q(status="proposed"),
                name="one_open_proposal_per_entrepreneur",
            ),
        ]

    def __str__(self):
        return f"{self.expert} → {self.entrepreneur}"


class MentoringGroup(models.Model):
    """An expert's mentoring group (帮带小组): the expert and the entrepreneurs whose
    mentor they are. Created by the first approval; the members are ``expert.mentees``."""

    class Flag(models.TextChoices):
        # With a context: other apps' "Active" means an expert or a member on the list.
        NONE = "", pgettext_lazy("mentoring group", "Active")
        YELLOW = "yellow", _("No recent meeting")
        RED = "red", _("No meeting for a long time")

    expert = models.OneToOneField(
        Expert, on_delete=models.CASCADE, related_name="group", verbose_name=_("expert")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    flag = models.CharField(_("flag"), max_length=10, choices=Flag.choices, blank=True)
    flagged_at = models.DateTimeField(_("flagged"), null=True, blank=True)

    class Meta:
        verbose_name = _("mentoring group")
        verbose_name_plural = _("mentoring groups")
        ordering = ["expert__name"]

    def __str__(self):
        return _("%(expert)s's group") % {"expert": self.expert}


class Meeting(models.Model):
    """A mentoring meeting, logged by the expert or by an entrepreneur of the group."""

    class Way(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone call")
        VIDEO = "video", _("Video call")
        MESSAGES = "messages", _("Messages")

    group = models.ForeignKey(
        MentoringGroup, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("group")
    )
    # Blank: the whole group met.
    entrepreneur = models.ForeignKey(
        Entrepreneur,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("with"),
    )
    date = models.DateField(_("date"))
    way = models.CharField(_("way"), max_length=10, choices=Way.choices)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.group} {self.date:%Y-%m-%d}"


class Reminder(models.Model):
    """A coordinator's text to an expert whose group has gone quiet: who sent it, when.
    The overview shows the latest; a second within MENTORING_REMINDER_HOURS is refused."""

    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("expert")
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["expert", "-sent_at"], name="reminder_expert_latest")]

    def __str__(self):
        return f"{self.expert} {self.sent_at:%Y-%m-%d %H:%M}"


class Rating(models.Model):
    """An entrepreneur's rating of their mentor's help, 1 to 5; one per pair, updatable."""

    entrepreneur = models.ForeignKey(
        Entrepreneur,
        on_delete=models.CASCADE,
        related_name="ratings",
        verbose_name=_("entrepreneur"),
    )
    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("expert")
    )
    stars = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["entrepreneur", "expert"], name="one_rating_per_pair")
        ]

    def __str__(self):
        return f"{self.entrepreneur} → {self.expert}: {self.stars}"


class WeightChoice(models.Model):
    """Which weights the matcher scores with: the defaults, or weights learned from staff
    decisions and ratings, which are used only when they beat the defaults on decisions
    held out from the learning. One row per time the weights were learned."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decisions = models.PositiveIntegerField(_("decisions learned from"))
    weights = models.JSONField(_("weights in use"))
    uses_learned = models.BooleanField(_("learned weights in use"))
    held_out_learned = models.FloatField(_("held-out score, learned"), null=True, blank=True)
    held_out_default = models.FloatField(_("held-out score, defaults"), null=True, blank=True)

    class Meta:
        verbose_name = _("matcher weights")
        verbose_name_plural = _("matcher weights")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M}"
