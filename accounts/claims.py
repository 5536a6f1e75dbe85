"""Claiming an ID-card number, and proving it (issue 13: proven, not claimed).

The number links a trainee to the poverty registry and to class records made by ID
number (sign-in sheets, an instructor's marking). Typed in 我的资料 it is only a claim
(IdNumberClaim); the account holds it once proven, by one of two things:
- a class record that carries the number also carries the account's verified mobile
  number (classes.id_claims checks this when the claim is made and when such a record
  is made later);
- staff confirm it, having seen the person's ID card.
A number another account holds is refused beside the field, without saying whose.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .idcard import id_number_hash, mask_id_number
from .models import IdNumberClaim, User

HELD_ELSEWHERE = _(
    "This ID-card number is already confirmed for another account. If it is yours, "
    "bring your ID card to the training staff."
)


def held_by_another(user, hashed) -> bool:
    return User.objects.filter(id_number_hash=hashed).exclude(pk=user.pk).exists()


def claim_id_number(user, number) -> IdNumberClaim | None:
    """Record ``user``'s claim to ``number`` (valid, canonical); None if they hold it already.

    A claim still waiting is replaced: a trainee who mistyped corrects it. Raises
    ValidationError if another account holds the number.
    """
    hashed = id_number_hash(number)
    if hashed == user.id_number_hash:
        user.id_number_claims.pending().delete()
        return None
    if held_by_another(user, hashed):
        raise ValidationError(HELD_ELSEWHERE, code="held_elsewhere")
    with transaction.atomic():
        claim = user.id_number_claims.pending().select_for_update().first()
        if claim is None:
            claim = IdNumberClaim(user=user)
        claim.id_number_hash = hashed
        claim.id_number_masked = mask_id_number(number)
        # Saved even when unchanged: classes listens, and looks for proof again.
        claim.save()
    claim.refresh_from_db()
    return claim


def confirm_claim(claim, *, proof, by=None) -> None:
    """The account now holds the claimed number; its past records follow (classes listens
    to the account being saved). Raises ValidationError if another account holds it."""
    user = claim.user
    if held_by_another(user, claim.id_number_hash):
        raise ValidationError(HELD_ELSEWHERE, code="held_elsewhere")
    try:
        with transaction.atomic():
            user.id_number_hash = claim.id_number_hash
            user.id_number_masked = claim.id_number_masked
            user.save(update_fields=["id_number_hash", "id_number_masked"])
            _decide(claim, IdNumberClaim.Status.CONFIRMED, by=by, proof=proof)
    except IntegrityError:
        # Another account was given the number at the same moment.
        raise ValidationError(HELD_ELSEWHERE, code="held_elsewhere") from None


def reject_claim(claim, *, by) -> None:
    """Staff found the number is not the account's: nothing is linked."""
    _decide(claim, IdNumberClaim.Status.REJECTED, by=by)


def _decide(claim, status, *, by, proof=""):
    claim.status = status
    claim.proof = proof
    claim.decided_by = by
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "proof", "decided_by", "decided_at"])
