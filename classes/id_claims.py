"""Class records prove an ID-card number claim, and follow the account that holds it.

A claim (accounts.claims) is proven by a record made by ID number — a sign-in sheet row, an
instructor's marking, not the account's own QR check-in — that carries both the claimed
number and the account's verified mobile number: whoever wrote it down saw the two
together. Once an account holds a number, the records made by that number without an
account become the account's. Until then nothing is linked: the trainee's own check-ins
are theirs, and the number's records stay the number's.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.dispatch import Signal

from accounts.claims import confirm_claim
from accounts.models import IdNumberClaim

from .models import Attendance

# Sent with ``user`` and ``course_ids`` (the courses whose class records the account now
# counts) once link_records_to_holder has given a number's records to its holder: the
# account's class hours changed, whatever each record's save said (learning listens).
records_linked = Signal()


def proving_records(claim):
    """Records made by ID number that carry the claimed number and the account's phone."""
    user = claim.user
    if not user.phone_verified:
        return Attendance.objects.none()
    return Attendance.objects.filter(id_number_hash=claim.id_number_hash, phone=user.phone).exclude(
        method=Attendance.Method.QR
    )


def prove_by_phone(claim) -> bool:
    """Confirm a waiting claim a record proves; whether it was confirmed."""
    if claim.status != IdNumberClaim.Status.PENDING or not proving_records(claim).exists():
        return False
    try:
        confirm_claim(claim, proof=IdNumberClaim.Proof.PHONE)
    except ValidationError:
        return False  # another account holds it: for staff, whose listing shows it
    return True


def prove_claims_by_record(attendance) -> None:
    """A record just made by ID number may prove its account's waiting claim."""
    if attendance.method == Attendance.Method.QR or not attendance.id_number_hash:
        return
    if attendance.user_id is None:
        return
    claims = IdNumberClaim.objects.pending().filter(
        user_id=attendance.user_id, id_number_hash=attendance.id_number_hash
    )
    for claim in claims.select_related("user"):
        prove_by_phone(claim)


def link_records_to_holder(user) -> None:
    """Give the records of the number ``user`` holds to ``user``, and the number to theirs.

    An attendance made by the number without an account becomes the account's (saved one
    by one, so learning credits the hours). Where the account is at that session already
    (it checked in while its claim waited), the record by number goes and the account's
    own one takes the number: one person, one attendance, the hours once. The account's
    own attendances without a number learn it.
    """
    if not user.id_number_hash:
        return
    by_number = Attendance.objects.filter(id_number_hash=user.id_number_hash, user__isnull=True)
    for twice in by_number.filter(session__attendances__user=user):
        twice.delete()
    for attendance in by_number:
        attendance.user = user
        attendance.save(update_fields=["user"])
    Attendance.objects.filter(user=user, id_number_hash="").exclude(
        session__attendances__id_number_hash=user.id_number_hash
    ).update(id_number_hash=user.id_number_hash, id_number_masked=user.id_number_masked)
    course_ids = set(
        Attendance.objects.filter(user=user).values_list("session__course_id", flat=True)
    )
    records_linked.send(sender=Attendance, user=user, course_ids=course_ids)


def weigh_claims(claims) -> None:
    """Set on each claim what staff weigh (three queries for the lot): ``records``, how many
    class records carry the number; ``records_with_phone``, how many of those carry the
    account's phone; ``other_claimants``, how many other accounts wait on the same number;
    ``held_elsewhere``, whether another account holds it."""
    hashes = {claim.id_number_hash for claim in claims}
    records = {}
    rows = (
        Attendance.objects.filter(id_number_hash__in=hashes)
        .order_by()
        .values("id_number_hash", "phone")
        .annotate(n=Count("pk"))
        .values_list("id_number_hash", "phone", "n")
    )
    for hashed, phone, n in rows:
        records.setdefault(hashed, {})[phone] = n
    claimants = dict(
        IdNumberClaim.objects.pending()
        .filter(id_number_hash__in=hashes)
        .order_by()
        .values("id_number_hash")
        .annotate(n=Count("pk"))
        .values_list("id_number_hash", "n")
    )
    held = set(
        get_user_model()
        .objects.filter(id_number_hash__in=hashes)
        .values_list("id_number_hash", flat=True)
    )
    for claim in claims:
        by_phone = records.get(claim.id_number_hash, {})
        claim.records = sum(by_phone.values())
        claim.records_with_phone = by_phone.get(claim.user.phone, 0)
        claim.other_claimants = claimants.get(claim.id_number_hash, 1) - 1
        claim.held_elsewhere = claim.id_number_hash in held
