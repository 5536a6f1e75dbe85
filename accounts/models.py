from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .idcard import id_number_hash, mask_id_number
from .phone import mask_mobile, normalize_mobile, validate_mobile


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, phone, password, **extra_fields):
        user = self.model(phone=normalize_mobile(phone), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, phone):
        """Find a login as typed: ``13800000000``, ``138-0000-0000`` or ``+86 138 0000 0000``.

        Django's ModelBackend (the CMS login at /cms/login/) looks users up here; the
        number is stored in E.164, which no one types.
        """
        try:
            phone = normalize_mobile(phone)
        except ValidationError:
            pass
        return super().get_by_natural_key(phone)

    def create_user(self, phone, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(phone, password, **extra_fields)

    def create_superuser(self, phone, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(phone, password, **extra_fields)


class User(AbstractUser):
    """Anyone who logs in: trainee, instructor (讲师), bureau staff. Logs in by mobile number.

    first_name and last_name stay (Wagtail's admin forms expect them) but are unused:
    a Chinese name is one string, ``real_name``.
    """

    username = None
    phone = models.CharField(
        _("mobile phone"),
        max_length=20,
        unique=True,
        validators=[validate_mobile],
        help_text=_("Stored as +86…"),
    )
    phone_verified = models.BooleanField(_("phone verified"), default=False)
    real_name = models.CharField(_("real name"), max_length=50, blank=True)
    home_village = models.ForeignKey(
        "regions.Village",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("home village"),
    )
    # The ID-card number itself is never stored: see accounts.idcard. These two hold a
    # number the account has proven (IdNumberClaim); a number only typed waits in a claim,
    # so everything that links by ``id_number_hash`` links by proven numbers alone.
    id_number_hash = models.CharField(
        _("ID-card number hash"), max_length=64, blank=True, db_index=True, editable=False
    )
    id_number_masked = models.CharField(
        _("ID-card number"), max_length=18, blank=True, editable=False
    )

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = ["real_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # One person, one account: a number is held by at most one account.
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~Q(id_number_hash=""),
                name="user_id_number_held_once",
            ),
        ]

    def __str__(self):
        return self.real_name or self.masked_phone

    def get_full_name(self):
        return self.real_name or self.masked_phone

    def get_short_name(self):
        return self.get_full_name()

    @property
    def masked_phone(self):
        return mask_mobile(self.phone)

    def set_id_number(self, raw: str) -> None:
        """Hold ``raw`` as proven (staff, data loads); blank clears it.

        A trainee's own typing goes through ``accounts.claims.claim_id_number`` instead.
        """
        if raw:
            self.id_number_hash = id_number_hash(raw)
            self.id_number_masked = mask_id_number(raw)
        else:
            self.id_number_hash = ""
            self.id_number_masked = ""


class TextMessage(models.Model):
    """A text waiting to be sent. The task that sends it is given only this row's id, so a
    verification code never travels through the broker; the body is blanked once sent."""

    phone = models.CharField(max_length=20, validators=[validate_mobile])
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")

    def __str__(self):
        return mask_mobile(self.phone)


class IdNumberClaimQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=IdNumberClaim.Status.PENDING)


class IdNumberClaim(models.Model):
    """A trainee's word that an ID-card number is theirs (身份证号认领), until it is proven.

    A number typed in 我的资料 links nothing by itself: it waits here until a class record
    carrying it also carries the account's verified mobile number, or staff confirm it
    (the CMS's 身份证号认领 listing, classes.wagtail_hooks). Only then does the account
    hold it (``User.id_number_hash``), and only a held number links attendances and
    registry members to the account.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    class Proof(models.TextChoices):
        PHONE = "phone", _("A class record with the verified mobile number")
        STAFF = "staff", _("Confirmed by staff")

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="id_number_claims",
        verbose_name=_("user"),
    )
    id_number_hash = models.CharField(
        _("ID-card number hash"), max_length=64, db_index=True, editable=False
    )
    id_number_masked = models.CharField(_("ID-card number"), max_length=18, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    proof = models.CharField(_("proven by"), max_length=20, choices=Proof.choices, blank=True)
    created_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    objects = IdNumberClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("ID-card number claim")
        verbose_name_plural = _("ID-card number claims")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="pending"),
                name="id_number_claim_one_pending_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.id_number_masked}"
