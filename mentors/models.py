"""The lecturer team (讲师团) and the entrepreneur-leaders (带头人) they mentor.

Who mentors whom is ``Entrepreneur.mentor``: one expert guides several entrepreneurs,
up to the expert's capacity. The matcher (the ``matching`` app) proposes and sets it;
this app only stores it, so that the status page, the team page's free places and the
access rules need nothing from above.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from accounts.phone import mask_mobile, validate_mobile
from regions.models import County, Village


class ExpertType(models.TextChoices):
    """专家类型, stored as the bureau's sheets spell it."""

    STARTUP = "创业指导专家", _("Start-up adviser")
    RURAL_ECOMMERCE = "农村电商专家", _("Rural e-commerce expert")
    AGRICULTURE = "农业技术专家", _("Agricultural technology expert")
    ENTREPRENEUR = "电商企业家", _("E-commerce entrepreneur")


class OrganisationKind(models.TextChoices):
    """单位类型."""

    ASSOCIATION = "商协会", _("Chamber or association")
    TRAINING = "培训机构", _("Training provider")
    UNIVERSITY = "高校", _("University")
    VOCATIONAL = "职业院校", _("Vocational college")
    COMPANY = "企业", _("Company")


class Background(models.TextChoices):
    """背景: who is starting a business at home."""

    GRADUATE = "返乡大学生", _("Returning university graduate")
    VOCATIONAL = "返乡职校生", _("Returning vocational graduate")
    MIGRANT = "返乡务工人员", _("Returning migrant worker")
    FARMER = "本地农户", _("Local farmer")
    OTHER = "其他", _("Other")

    @classmethod
    def with_school(cls):
        """Backgrounds for which the school and graduation year are asked."""
        return (cls.GRADUATE, cls.VOCATIONAL)


class Stage(models.TextChoices):
    """经营阶段."""

    IDEA = "想法阶段", _("Just an idea")
    OPEN = "已开店", _("Shop opened")
    STABLE = "稳定经营", _("Trading steadily")


class NamedItem(models.Model):
    """An entry of a short list that staff keep up to date in the admin."""

    name = models.CharField(_("name"), max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class ExpertiseTag(NamedItem):
    """擅长领域: what an expert can teach (开网店, 直播带货…). A snippet."""

    class Meta(NamedItem.Meta):
        verbose_name = _("expertise")
        verbose_name_plural = _("expertise")


class Product(NamedItem):
    """A local product entrepreneurs sell (沙糖桔, 肉桂…). A snippet."""

    class Meta(NamedItem.Meta):
        verbose_name = _("product")
        verbose_name_plural = _("products")


class SalesChannel(NamedItem):
    """Where an entrepreneur sells (淘宝, 抖音, 线下…). A snippet."""

    class Meta(NamedItem.Meta):
        verbose_name = _("sales channel")
        verbose_name_plural = _("sales channels")


class ExpertQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_places(self):
        """Annotate ``places_taken`` and ``places_free`` (never below zero)."""
        return self.annotate(places_taken=Count("mentees", distinct=True)).annotate(
            places_free=models.Case(
                models.When(places_taken__gte=F("capacity"), then=0),
                default=F("capacity") - F("places_taken"),
                output_field=models.IntegerField(),
            )
        )

    def with_free_places(self):
        return self.with_places().filter(places_free__gt=0)

    def serving(self, county):
        return self.filter(counties=county)


class Expert(models.Model):
    """A member of the lecturer team (讲师团), who mentors several entrepreneurs at once."""

    name = models.CharField(_("name"), max_length=50)
    expert_type = models.CharField(_("expert type"), max_length=10, choices=ExpertType.choices)
    organisation = models.CharField(_("organisation"), max_length=100)
    organisation_kind = models.CharField(
        _("kind of organisation"), max_length=10, choices=OrganisationKind.choices
    )
    tags = models.ManyToManyField(
        ExpertiseTag, related_name="experts", verbose_name=_("expertise"), blank=True
    )
    introduction = models.TextField(_("introduction"), blank=True)
    counties = models.ManyToManyField(
        County, related_name="experts", verbose_name=_("counties served"), blank=True
    )
    capacity = models.PositiveSmallIntegerField(
        _("mentoring places"),
        default=3,
        validators=[MaxValueValidator(50)],
        help_text=_("How many entrepreneurs the expert can mentor at the same time."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    phone = models.CharField(
        _("mobile phone"), max_length=20, unique=True, validators=[validate_mobile]
    )
    # SET_NULL: deleting an image from the library must not delete the expert.
    photo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert",
        verbose_name=_("user account"),
    )
    is_instructor = models.BooleanField(
        _("instructor"),
        default=False,
        help_text=_("Put the linked user account in the instructors' group (讲师)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    @property
    def masked_phone(self):
        return mask_mobile(self.phone)

    def clean(self):
        if self.is_instructor and not self.user_id:
            raise ValidationError(
                {"is_instructor": _("Link a user account first: the role belongs to an account.")}
            )


class EntrepreneurQuerySet(models.QuerySet):
    def with_places(self):
        return self.select_related("village__town__county")

    def waiting(self):
        return self.filter(mentor__isnull=True)


class Entrepreneur(models.Model):
    """An entrepreneur-leader (带头人): a returning graduate, migrant worker or farmer who
    starts or runs an e-commerce business at home and may be mentored by an expert."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entrepreneur",
        verbose_name=_("user account"),
    )
    name = models.CharField(_("real name"), max_length=50)
    # Imported county lists come before any account: the phone joins them up when the
    # person signs up, and makes a second import update rather than duplicate.
    phone = models.CharField(
        _("mobile phone"), max_length=20, unique=True, validators=[validate_mobile]
    )
    background = models.CharField(_("background"), max_length=10, choices=Background.choices)
    school = models.CharField(_("school graduated from"), max_length=100, blank=True)
    graduation_year = models.PositiveSmallIntegerField(
        _("year of graduation"),
        null=True,
        blank=True,
        # The upper bound moves with the calendar, so it is checked in clean().
        validators=[MinValueValidator(1960)],
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        related_name="entrepreneurs",
        verbose_name=_("home village"),
    )
    products = models.ManyToManyField(
        Product, related_name="entrepreneurs", verbose_name=_("products"), blank=True
    )
    other_products = models.CharField(_("other products"), max_length=100, blank=True)
    stage = models.CharField(_("business stage"), max_length=10, choices=Stage.choices)
    channels = models.ManyToManyField(
        SalesChannel, related_name="entrepreneurs", verbose_name=_("sales channels"), blank=True
    )
    needs = models.TextField(_("help wanted"), max_length=1000)
    households_helped = models.PositiveIntegerField(
        _("poor households worked with"),
        default=0,
        validators=[MaxValueValidator(100000)],
        help_text=_("带动贫困户数: poor households they employ or buy from."),
    )
    mentor = models.ForeignKey(
        Expert,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentees",
        verbose_name=_("mentor"),
    )
    mentor_since = models.DateField(_("mentored since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EntrepreneurQuerySet.as_manager()

    class Meta:
        verbose_name = _("entrepreneur")
        verbose_name_plural = _("entrepreneurs")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mentor__isnull=True) | Q(mentor_since__isnull=False),
                name="mentor_has_start_date",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def masked_phone(self):
        return mask_mobile(self.phone)

    @property
    def county(self):
        return self.village.town.county

    def clean(self):
        errors = {}
        if self.background in Background.with_school():
            if not self.school:
                errors["school"] = _("Give the school you graduated from.")
            if not self.graduation_year:
                errors["graduation_year"] = _("Give the year you graduated.")
        if self.graduation_year and self.graduation_year > datetime.date.today().year:
            errors["graduation_year"] = _("The year of graduation cannot be in the future.")
        if errors:
            raise ValidationError(errors)
