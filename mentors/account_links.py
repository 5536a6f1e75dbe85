"""An expert's or an entrepreneur's record joins its user account by mobile number.

Staff enter experts and import county lists long before those people sign up; the
number is what the record and the account share. They are linked as soon as both
exist and the account has proven the number by a texted code: when the account's
number is verified (sign-up asks for the code), when a record is imported, and when an
expert is created or edited in the CMS. An unverified number is only a claim anyone
can type, so it never links; nor does a number across to another: a record already
linked to another account, or an account that already has a record of the kind, is
left alone for staff to sort out (logged, and shown in the CMS's experts list).
"""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from .models import Entrepreneur, Expert

logger = logging.getLogger(__name__)

# The kinds of record a person's account joins, each by its own one-to-one ``user``.
PERSON_MODELS = (Expert, Entrepreneur)

# Account saves that can change what the account proves: anything else (a login's
# last_login, a new password) leaves the links as they are.
_PHONE_FIELDS = {"phone", "phone_verified"}


def verified_accounts():
    return get_user_model().objects.filter(phone_verified=True)


def link_records_of(user) -> list:
    """Link every record with ``user``'s verified number to ``user``; the records that
    could not be linked (another account holds one of them) are returned."""
    if not user.phone_verified or not user.phone:
        return []
    conflicts = []
    for model in PERSON_MODELS:
        record = model.objects.filter(phone=user.phone).first()
        if record is not None and not _link(record, user):
            conflicts.append(record)
    return conflicts


def link_record(record) -> bool:
    """Link ``record`` to the account that verified its number, if there is one; False
    when that account cannot take it."""
    if record.user_id is not None:
        return True
    account = verified_accounts().filter(phone=record.phone).first()
    if account is None:
        return True
    return _link(record, account)


def _link(record, user) -> bool:
    model = type(record)
    with transaction.atomic():
        # Locked, so that two saves at once (the sign-up and an import) agree.
        record = model.objects.select_for_update().get(pk=record.pk)
        if record.user_id == user.pk:
            return True
        if record.user_id is not None or model.objects.filter(user=user).exists():
            # Who is who is for staff to decide; neither the number nor the id is logged
            # beyond the record's own key.
            logger.warning(
                "%s %s was not linked to account %s by its mobile number: one of them "
                "is already linked elsewhere",
                model._meta.model_name,
                record.pk,
                user.pk,
            )
            return False
        record.user = user
        # save(), not update(): the instructor role follows the expert's account.
        record.save(update_fields=["user", "updated_at"])
    return True


def account_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    """post_save of the user model: the account may just have proven its number."""
    if raw:
        return
    if update_fields is not None and not _PHONE_FIELDS & set(update_fields):
        return
    link_records_of(instance)


def expert_saved(sender, instance, raw=False, **kwargs):
    """post_save of Expert: created or edited in the CMS (or imported) without an
    account, it takes the account that verified its number."""
    if raw or instance.user_id is not None:
        return
    link_record(instance)


# Import


def link_imported_rows(model, checked):
    """For the rows of an import (``(check, PersonRow)`` pairs, all valid), link each to
    the account that verified its number, or report on the row why it cannot be."""
    phones = [row.phone for _check, row in checked]
    account_of_phone = dict(verified_accounts().filter(phone__in=phones).values_list("phone", "pk"))
    linked_account = dict(model.objects.filter(phone__in=phones).values_list("phone", "user_id"))
    phone_of_account = dict(
        model.objects.filter(user_id__in=account_of_phone.values()).values_list("user_id", "phone")
    )
    for check, row in checked:
        account = account_of_phone.get(row.phone)
        if account is None:
            continue
        current = linked_account.get(row.phone)
        if current is not None and current != account:
            check.problem("account_conflict", str(CONFLICT_MESSAGES[model]["record"]))
        elif phone_of_account.get(account, row.phone) != row.phone:
            check.problem("account_conflict", str(CONFLICT_MESSAGES[model]["account"]))
        else:
            row.fields["user_id"] = account


CONFLICT_MESSAGES = {
    Entrepreneur: {
        "record": _(
            "This entrepreneur is linked to a user account other than the one with "
            "this mobile number; staff must sort out the link in the CMS first."
        ),
        "account": _(
            "The user account with this mobile number already has another "
            "entrepreneur profile; staff must sort out the link in the CMS first."
        ),
    },
    Expert: {
        "record": _(
            "This expert is linked to a user account other than the one with this "
            "mobile number; staff must sort out the link in the CMS first."
        ),
        "account": _(
            "The user account with this mobile number is already linked to another "
            "expert; staff must sort out the link in the CMS first."
        ),
    },
}


# The CMS's experts list


class AccountState:
    LINKED = _("Linked")
    NO_ACCOUNT = _("Not linked: no account has verified this number")
    ELSEWHERE = _("Not linked: the account with this number is linked to another expert")


def with_account_state(experts):
    """Annotate what ``account_state`` needs, in the listing's one query."""
    account = verified_accounts().filter(phone=OuterRef("phone"))
    return experts.annotate(verified_account_id=Subquery(account.values("pk")[:1]))


def account_state(expert):
    """Linked, or why not. An unlinked expert whose number an account has verified can
    only be one that account could not take: every save links them otherwise."""
    if expert.user_id is not None:
        return AccountState.LINKED
    if getattr(expert, "verified_account_id", None) is None:
        return AccountState.NO_ACCOUNT
    return AccountState.ELSEWHERE
