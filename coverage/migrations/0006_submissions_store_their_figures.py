"""Submissions store the figures submitted, and keep their history as events.

Until now approval froze the figures as they were at approval time
(``approved_figures``), not what the county had submitted. The field becomes
``figures``: for an approved submission its frozen figures are the best record there is
of what was signed, so they stay as its snapshot. A submission still waiting or returned
kept no figures, and this migration computes none (today's records are not what the
county saw): its ``figures`` stay null, its page says so, and it cannot be approved; the
bureau returns it and the county submits again, which stores them.

Each existing submission gets the events its row can tell: submitted (by, at, the
snapshot if any), then approved or returned (by, at, comment) if it was reviewed.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def events_from_existing_submissions(apps, schema_editor):
    Submission = apps.get_model("coverage", "Submission")
    SubmissionEvent = apps.get_model("coverage", "SubmissionEvent")
    for submission in Submission.objects.all():
        SubmissionEvent.objects.create(
            submission=submission,
            action="submitted",
            by_id=submission.submitted_by_id,
            at=submission.submitted_at,
            figures=submission.figures,
        )
        if submission.status in ("approved", "returned") and submission.reviewed_by_id:
            SubmissionEvent.objects.create(
                submission=submission,
                action=submission.status,
                by_id=submission.reviewed_by_id,
                at=submission.reviewed_at or submission.submitted_at,
                comment=submission.comment,
            )


def figures_back_to_approved_only(apps, schema_editor):
    """Going back, only approved submissions had figures (``approved_figures``)."""
    Submission = apps.get_model("coverage", "Submission")
    Submission.objects.exclude(status="approved").update(figures=None)


class Migration(migrations.Migration):
    dependencies = [
        ("coverage", "0005_registry_uploads_are_sheet_uploads"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(
            model_name="submission", old_name="approved_figures", new_name="figures"
        ),
        migrations.AlterField(
            model_name="submission",
            name="figures",
            field=models.JSONField(blank=True, null=True, verbose_name="figures as submitted"),
        ),
        migrations.CreateModel(
            name="SubmissionEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("submitted", "Submitted"),
                            ("returned", "Returned"),
                            ("approved", "Approved"),
                        ],
                        max_length=10,
                        verbose_name="action",
                    ),
                ),
                ("at", models.DateTimeField(verbose_name="at")),
                ("comment", models.TextField(blank=True, verbose_name="comment")),
                (
                    "figures",
                    models.JSONField(blank=True, null=True, verbose_name="figures as submitted"),
                ),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                (
                    "submission",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="coverage.submission",
                        verbose_name="submission",
                    ),
                ),
            ],
            options={
                "verbose_name": "submission event",
                "verbose_name_plural": "submission events",
                "ordering": ["at", "pk"],
            },
        ),
        migrations.RunPython(events_from_existing_submissions, figures_back_to_approved_only),
    ]
