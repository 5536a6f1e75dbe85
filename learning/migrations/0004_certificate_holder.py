"""Certificates keep their holder: the name and masked ID number frozen on the completion.

Existing completions take them from their trainee's profile as it stands now (the
closest there is to the day they were issued); a trainee without a real name is left
without, and the certificate page asks for it.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def freeze_holders(apps, schema_editor):
    Completion = apps.get_model("learning", "Completion")
    User = apps.get_model("accounts", "User")
    profile = User.objects.filter(pk=OuterRef("user_id"))
    Completion.objects.filter(holder_name="").exclude(user__real_name="").update(
        holder_name=Subquery(profile.values("real_name")[:1]),
        holder_id_masked=Subquery(profile.values("id_number_masked")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("learning", "0003_date_completions_from_the_ledger"),
    ]

    operations = [
        migrations.AddField(
            model_name="completion",
            name="holder_id_masked",
            field=models.CharField(
                blank=True, max_length=18, verbose_name="holder's masked ID number"
            ),
        ),
        migrations.AddField(
            model_name="completion",
            name="holder_name",
            field=models.CharField(blank=True, max_length=50, verbose_name="holder's name"),
        ),
        migrations.RunPython(freeze_holders, migrations.RunPython.noop),
    ]
