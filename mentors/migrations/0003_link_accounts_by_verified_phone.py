"""Records entered before accounts linked themselves (mentors.account_links) join the
account that verified their number, by the same rule: never an account already linked to
another record of the kind, never a record already linked."""

from django.conf import settings
from django.db import migrations


def link_existing(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    for model_name in ("Expert", "Entrepreneur"):
        model = apps.get_model("mentors", model_name)
        taken = set(model.objects.filter(user__isnull=False).values_list("user_id", flat=True))
        unlinked = dict(model.objects.filter(user__isnull=True).values_list("phone", "pk"))
        accounts = User.objects.filter(phone__in=unlinked, phone_verified=True)
        for phone, account in accounts.values_list("phone", "pk"):
            if account not in taken:
                model.objects.filter(pk=unlinked[phone], user__isnull=True).update(user=account)


class Migration(migrations.Migration):
    dependencies = [
        ("mentors", "0002_roles_and_lists"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(link_existing, migrations.RunPython.noop)]
