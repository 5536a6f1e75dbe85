"""Numbers held before claims existed are kept only where the records prove them.

Until now a number typed in a profile was held at once (issue 13, finding 5). An account
keeps its number if a class record made by ID number (a sheet row, an instructor's
marking: not its own QR check-in) carries the number and the account's verified mobile
number, as accounts.claims asks today. Every other number becomes a claim waiting for
staff, and what it linked is undone: the account's own check-ins lose the number (it came
from the profile), and records made by the number go back to the number (the account had
them by the number alone). Claims the previous migration made from numbers two accounts
held are proven the same way, where no one else holds the number.

Records written before this could copy a held number onto a marking by phone alone, so
such a record may prove its account here; staff can still reject the claim.
Course managers are given the permission to review claims (classes.roles).
"""

from django.db import migrations

from classes.roles import ensure_claim_review_permission
from accounts.grants import create_permissions_now


def _proving_records(Attendance, user, hashed):
    if not user.phone_verified:
        return Attendance.objects.none()
    return Attendance.objects.filter(id_number_hash=hashed, phone=user.phone).exclude(method="qr")


def prove_or_claim(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    IdNumberClaim = apps.get_model("accounts", "IdNumberClaim")
    Attendance = apps.get_model("classes", "Attendance")

    for user in User.objects.exclude(id_number_hash="").iterator():
        hashed = user.id_number_hash
        if _proving_records(Attendance, user, hashed).exists():
            continue
        IdNumberClaim.objects.create(
            user=user, id_number_hash=hashed, id_number_masked=user.id_number_masked
        )
        linked = Attendance.objects.filter(user=user, id_number_hash=hashed)
        linked.filter(method="qr").update(id_number_hash="", id_number_masked="")
        linked.exclude(method="qr").update(user=None)
        User.objects.filter(pk=user.pk).update(id_number_hash="", id_number_masked="")

    for claim in IdNumberClaim.objects.filter(status="pending").select_related("user"):
        user, hashed = claim.user, claim.id_number_hash
        if user.id_number_hash or User.objects.filter(id_number_hash=hashed).exists():
            continue
        if not _proving_records(Attendance, user, hashed).exists():
            continue
        User.objects.filter(pk=user.pk).update(
            id_number_hash=hashed, id_number_masked=claim.id_number_masked
        )
        IdNumberClaim.objects.filter(pk=claim.pk).update(status="confirmed", proof="phone")


def grant_claim_review(apps, schema_editor):
    create_permissions_now(apps, ["accounts"])
    ensure_claim_review_permission(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("classes", "0003_attendance_labels"),
        ("accounts", "0004_user_id_number_held_once"),
        ("courses", "0003_course_roles"),
    ]

    operations = [
        migrations.RunPython(prove_or_claim, migrations.RunPython.noop),
        migrations.RunPython(grant_claim_review, migrations.RunPython.noop),
    ]
