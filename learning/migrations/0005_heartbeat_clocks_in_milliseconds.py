"""The heartbeat's clocks become integer milliseconds (learning.study), so that the SQL
that compares and moves them is the same on SQLite and PostgreSQL.

A page view's clock now starts at its first beat and every later credit is measured from
the trainee's clock, which is never behind it once the view has been credited; so a view's
``started_ms`` is taken from its last beat, the point its next credit may not go before.
Only views that beat in the last day can still be open; older ones keep 0, and a beat from
one of them (none is expected) would earn at most one beat's cap.
"""

import datetime

from django.db import migrations, models
from django.utils import timezone

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _ms(moment):
    return (moment - EPOCH) // datetime.timedelta(milliseconds=1)


def clocks_to_milliseconds(apps, schema_editor):
    LessonView = apps.get_model("learning", "LessonView")
    StudyClock = apps.get_model("learning", "StudyClock")
    recent = LessonView.objects.filter(
        last_beat_at__gte=timezone.now() - datetime.timedelta(days=1)
    )
    for view in recent.only("pk", "last_beat_at").iterator(chunk_size=2000):
        LessonView.objects.filter(pk=view.pk).update(started_ms=_ms(view.last_beat_at))
    clocks = StudyClock.objects.filter(credited_until__isnull=False)
    for clock in clocks.only("pk", "credited_until").iterator(chunk_size=2000):
        StudyClock.objects.filter(pk=clock.pk).update(credited_until_ms=_ms(clock.credited_until))


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0004_certificate_holder"),
    ]

    operations = [
        migrations.AddField(
            model_name="lessonview",
            name="started_ms",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="studyclock",
            name="carry_ms",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="studyclock",
            name="credited_until_ms",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(clocks_to_milliseconds, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="lessonview",
            name="last_beat_at",
        ),
        migrations.RemoveField(
            model_name="studyclock",
            name="credited_until",
        ),
    ]
