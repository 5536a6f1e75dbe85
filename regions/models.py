from django.db import models
from django.utils.translation import gettext_lazy as _


class County(models.Model):
    """A county-level area (县/市/区) of Yunfu. Registered as a snippet in wagtail_hooks."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    is_demonstration = models.BooleanField(
        _("provincial e-commerce demonstration county"),
        default=False,
        help_text=_(
            "Listed by the province for its rural e-commerce programme; training coverage "
            "is measured in its provincial poor villages."
        ),
    )
    is_demo_data = models.BooleanField(_("demo data"), default=False, editable=False)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Town(models.Model):
    """A township (乡/镇/街道) within a county."""

    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="towns", verbose_name=_("county")
    )
    name = models.CharField(_("name"), max_length=50)
    is_demo_data = models.BooleanField(_("demo data"), default=False, editable=False)

    class Meta:
        verbose_name = _("town")
        verbose_name_plural = _("towns")
        ordering = ["county__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="unique_town_in_county")
        ]

    def __str__(self):
        return f"{self.county.name}{self.name}"


class VillageQuerySet(models.QuerySet):
    def in_coverage_scope(self):
        """Provincial poor villages in demonstration counties: where the 50% figure counts."""
        return self.filter(
            is_active=True, is_provincial_poor=True, town__county__is_demonstration=True
        )

    def active(self):
        return self.filter(is_active=True)

    def selectable(self, current=None):
        """What a form offers: active villages, and the one already chosen even if it
        has since been made inactive (else the form could not be saved unchanged)."""
        return self.filter(models.Q(is_active=True) | models.Q(pk=current)).with_places()

    def with_places(self):
        return self.select_related("town__county")


class Village(models.Model):
    """An administrative village (行政村), the unit the coverage figure is counted in."""

    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, related_name="villages", verbose_name=_("town")
    )
    name = models.CharField(_("name"), max_length=50)
    is_provincial_poor = models.BooleanField(
        _("provincial poor village"),
        default=False,
        help_text=_(
            "On the province's list of poor villages; in a demonstration county, its "
            "registered poor population counts toward training coverage."
        ),
    )
    has_service_point = models.BooleanField(
        _("has e-commerce service point"),
        default=False,
        help_text=_("The village has an e-commerce service point, where classes can be held."),
    )
    # A village the statistics bureau no longer lists is kept, inactive, never deleted:
    # its registry members and classes still point at it.
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive villages are no longer on the official list and count nowhere."),
    )
    is_demo_data = models.BooleanField(_("demo data"), default=False, editable=False)

    objects = VillageQuerySet.as_manager()

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["town__county__name", "town__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["town", "name"], name="unique_village_in_town")
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.town.county.name}/{self.town.name}/{self.name}"
