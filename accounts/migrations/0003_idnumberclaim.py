"""ID-card number claims (accounts.claims), and no number held by two accounts.

Before the claims, a number typed in a profile was held at once. Where two accounts hold
the same number, neither is taken to be the person: both numbers become claims waiting
for staff (classes' next migration may still prove one of them by phone), so the
constraint of the next migration can hold.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Count


def release_shared_numbers(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    IdNumberClaim = apps.get_model("accounts", "IdNumberClaim")
    shared = (
        User.objects.exclude(id_number_hash="")
        .values("id_number_hash")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values("id_number_hash")
    )
    holders = list(User.objects.filter(id_number_hash__in=shared))
    IdNumberClaim.objects.bulk_create(
        IdNumberClaim(
            user=user,
            id_number_hash=user.id_number_hash,
            id_number_masked=user.id_number_masked,
            status="pending",
        )
        for user in holders
    )
    User.objects.filter(pk__in=[user.pk for user in holders]).update(
        id_number_hash="", id_number_masked=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_textmessage"),
    ]

    operations = [
        migrations.CreateModel(
            name="IdNumberClaim",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "id_number_hash",
                    models.CharField(
                        db_index=True,
                        editable=False,
                        max_length=64,
                        verbose_name="ID-card number hash",
                    ),
                ),
                (
                    "id_number_masked",
                    models.CharField(editable=False, max_length=18, verbose_name="ID-card number"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Awaiting confirmation"),
                            ("confirmed", "Confirmed"),
                            ("rejected", "Rejected"),
                        ],
                        default="pending",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "proof",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("phone", "A class record with the verified mobile number"),
                            ("staff", "Confirmed by staff"),
                        ],
                        max_length=20,
                        verbose_name="proven by",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="claimed at")),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="decided at"),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="id_number_claims",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "ID-card number claim",
                "verbose_name_plural": "ID-card number claims",
                "ordering": ["created_at"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status", "pending")),
                        fields=("user",),
                        name="id_number_claim_one_pending_per_user",
                    )
                ],
            },
        ),
        migrations.RunPython(release_shared_numbers, migrations.RunPython.noop),
    ]
