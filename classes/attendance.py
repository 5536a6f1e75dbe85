"""Recording one person at one class session, however they were recognised.

QR check-in, the sign-in sheet and the instructor's marking all end in
``record_attendance``, so a person is recorded (and credited the session's hours) once per
session whichever ways they were recorded, and by however much of them each way knew:
an account, an ID-card number, a mobile number. An account is known by an ID-card number
only if it holds it (proven, accounts.claims); a number merely claimed in a profile
neither links the account to the number's records nor keeps the number's holder out.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.idcard import id_number_hash, mask_id_number, normalize_id_number
from accounts.phone import normalize_mobile

from .id_claims import prove_claims_by_record
from .models import Attendance

NAME_MAX_LENGTH = Attendance._meta.get_field("name").max_length


@dataclass(frozen=True)
class Person:
    """Someone who attended, as known: a name, and an account, an ID hash or a phone."""

    name: str
    id_number_hash: str = ""
    id_number_masked: str = ""
    phone: str = ""  # E.164
    user: object = None  # an accounts.User, when the person has an account

    @classmethod
    def of_user(cls, user):
        return cls(
            name=user.get_full_name(),
            id_number_hash=user.id_number_hash,
            id_number_masked=user.id_number_masked,
            phone=user.phone,
            user=user,
        )


def identify_person(*, name, id_number="", phone="") -> Person:
    """The person a name, ID-card number and mobile number (as typed) describe.

    Linked to the account that holds the ID number or has the phone, and completed from it. Raises
    ValidationError keyed by "name", "id_number", "phone" (or non-field); its messages
    never repeat the ID-card number.
    """
    name, id_number, phone = (name or "").strip(), (id_number or "").strip(), (phone or "").strip()
    errors = {}
    if len(name) > NAME_MAX_LENGTH:
        errors["name"] = ValidationError(
            _("The name is longer than %(max)d characters."),
            code="name_too_long",
            params={"max": NAME_MAX_LENGTH},
        )
    hashed = masked = e164 = ""
    if id_number:
        try:
            number = normalize_id_number(id_number)
        except ValidationError as exc:
            errors["id_number"] = ValidationError(exc.messages[0], code="bad_id_number")
        else:
            hashed, masked = id_number_hash(number), mask_id_number(number)
    if phone:
        try:
            e164 = normalize_mobile(phone)
        except ValidationError as exc:
            errors["phone"] = ValidationError(exc.messages[0], code="bad_phone")
    if not id_number and not phone:
        errors[NON_FIELD_ERRORS] = ValidationError(
            _("Give an ID-card number or a mobile number."), code="no_id_or_phone"
        )
    if errors:
        raise ValidationError(errors)

    user = _account_of(hashed, e164)
    if user is not None:
        name = name or user.get_full_name()
        hashed, masked = hashed or user.id_number_hash, masked or user.id_number_masked
        e164 = e164 or user.phone
    if not name:
        raise ValidationError({"name": ValidationError(_("The name is empty."), code="empty_name")})
    return Person(name, hashed, masked, e164, user)


def record_attendance(session, person, *, method, by=None):
    """Record ``person`` at ``session`` unless already there; return (attendance, created).

    Someone recorded before without an account (from a sheet, say) and now known by one
    gets the account linked to that record, so the hours reach their account.
    """
    existing = _attendance_of(session, person)
    if existing is not None:
        if existing.user_id is None and person.user is not None:
            _link(existing, person.user)
            prove_claims_by_record(existing)
        return existing, False
    try:
        # A savepoint: two check-ins at once meet the unique constraints, not a 500.
        with transaction.atomic():
            attendance = Attendance.objects.create(
                session=session,
                user=person.user,
                name=person.name,
                id_number_hash=person.id_number_hash,
                id_number_masked=person.id_number_masked,
                phone=person.phone,
                method=method,
                recorded_by=by,
            )
    except IntegrityError:
        existing = _attendance_of(session, person)
        if existing is None:
            raise
        return existing, False
    prove_claims_by_record(attendance)
    return attendance, True


def _account_of(hashed, e164):
    query = Q()
    if hashed:
        query |= Q(id_number_hash=hashed)
    if e164:
        query |= Q(phone=e164)
    users = list(get_user_model().objects.filter(query)[:2]) if query else []
    if len(users) > 1:
        raise ValidationError(
            _("The ID-card number and the mobile number belong to two different accounts."),
            code="conflicting_accounts",
        )
    return users[0] if users else None


def _attendance_of(session, person):
    attendances = session.attendances.all()
    if person.user is not None:
        own = attendances.filter(user=person.user).first()
        if own is not None:
            return own
    query = Q()
    if person.id_number_hash:
        query |= Q(id_number_hash=person.id_number_hash)
    if person.phone:
        query |= Q(phone=person.phone)
    return attendances.filter(query).first() if query else None


def _link(attendance, user):
    try:
        with transaction.atomic():
            attendance.user = user
            attendance.save(update_fields=["user"])
    except IntegrityError:
        # The account was recorded at the same moment by another request.
        attendance.user = None
