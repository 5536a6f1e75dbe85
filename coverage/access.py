"""Who may see which part of the coverage report (roles: coverage.roles).

Bureau staff (the 商务局 group, and superusers) see every county; county staff (the
县级商务部门 group) see the county on their ``CountyOfficer`` row and nothing else;
everyone else (trainees, instructors) sees no county at all. Only holders of
``coverage.view_personal_data`` see unmasked names and ID-card numbers.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from regions.models import County

from .models import CountyOfficer
from .roles import BUREAU, COUNTY_STAFF


def _is_staff_member(user, group) -> bool:
    return user.groups.filter(name=group).exists()


def is_bureau(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or _is_staff_member(user, BUREAU)


def officer_county(user) -> County | None:
    """The county a county officer sees, or None for anyone who is not one."""
    if not user.is_authenticated or not user.is_active or not _is_staff_member(user, COUNTY_STAFF):
        return None
    officer = CountyOfficer.objects.select_related("county").filter(user=user).first()
    return officer.county if officer is not None else None


def counties_visible_to(user):
    """The counties whose figures ``user`` may see: all, one, or none."""
    if is_bureau(user):
        return County.objects.all()
    county = officer_county(user)
    if county is None:
        return County.objects.none()
    return County.objects.filter(pk=county.pk)


def may_see_report(user) -> bool:
    """Bureau and county staff; a trainee or an instructor is refused outright."""
    return is_bureau(user) or officer_county(user) is not None


def may_see_report_in_one_query(user) -> bool:
    """``may_see_report`` answered in at most one query, none for an anonymous visitor or
    a superuser: the site header asks it on every page a logged-in user opens."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .filter(Q(groups__name=BUREAU) | Q(groups__name=COUNTY_STAFF, county_officer__isnull=False))
        .exists()
    )


def can_view_county(user, county) -> bool:
    return counties_visible_to(user).filter(pk=county.pk).exists()


def may_see_personal_data(user) -> bool:
    return user.is_active and user.has_perm("coverage.view_personal_data")


def may_see_audit_log(user) -> bool:
    """The personal-data audit log is the bureau's: it says whose records were opened."""
    return is_bureau(user) and may_see_personal_data(user)
