from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SheetUpload(models.Model):
    """A sheet uploaded in the CMS: checked first (a dry run), imported once confirmed.

    The file itself lives encrypted in private storage (sheets.storage) under ``stored``
    until the import is over; this row keeps what happened.
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        REFUSED = "refused", _("Refused")
        READY = "ready", _("Waiting for confirmation")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    FINISHED = (Status.REFUSED, Status.DONE, Status.FAILED, Status.CANCELLED)

    kind = models.CharField(_("kind"), max_length=40)
    options = models.JSONField(default=dict, blank=True)
    file_name = models.CharField(_("file"), max_length=255)
    # The name in private storage; empty once the file is deleted.
    stored = models.CharField(max_length=100, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CHECKING
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True)
    preview = models.TextField(_("what the import will do"), blank=True)
    report = models.TextField(_("report"), blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("sheet upload")
        verbose_name_plural = _("sheet uploads")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
