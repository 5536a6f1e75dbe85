from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LabourCategory(models.TextChoices):
    """劳动技能, as the registry spells it."""

    SKILLED = "技能劳动力", _("Skilled labour")
    ORDINARY = "普通劳动力", _("Ordinary labour")
    WEAK = "弱劳动力或半劳动力", _("Weak or half labour")
    LOST = "丧失劳动力", _("Lost labour capacity")
    NONE = "无劳动力", _("No labour capacity")


class WorkStatus(models.TextChoices):
    """务工状况, as the registry spells it; empty when the registry leaves it blank."""

    OUT_OF_PROVINCE = "省外务工", _("Working outside the province")
    OUT_OF_COUNTY = "省内县外务工", _("Working in the province, outside the county")
    IN_COUNTY = "县内务工", _("Working in the county")
    IN_TOWN = "乡镇内务工", _("Working in the town")
    AT_HOME = "在家", _("At home")
    UNKNOWN = "", _("Not given")


class RegistryMemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def eligible(self):
        """Who the 50% figure counts: active members with labour capacity who are not
        migrant workers, in provincial poor villages of demonstration counties."""
        return (
            self.active()
            .filter(labour_category__in=settings.COVERAGE_CAPACITY_CATEGORIES)
            .exclude(work_status__in=settings.COVERAGE_MIGRANT_STATUSES)
            .filter(
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
