"""Completions dated the day their hours were reached, and online completions marked.

Until now a completion was dated when it was recorded: an attendance sheet uploaded in
2026 for a 2019 class made a 2026 completion, and every completion counted as a
person-time. This walks each completion's hours day by day (online study per day,
classes on their session's date) as learning.completion does: ``completed_at`` becomes
the start of the day the required hours were reached (left alone where the ledger does
not reach them: never delete a certificate in a migration), and ``online_completed_on``
the day the online hours alone reached them, or empty.

Frozen here with the historical models, so later changes to the ledger do not rewrite
this history.
"""

import datetime
from decimal import Decimal

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

SECONDS_PER_HOUR = Decimal(3600)


def _days(apps, completion):
    OnlineStudy = apps.get_model("learning", "OnlineStudy")
    Attendance = apps.get_model("classes", "Attendance")
    days = {}
    for day, seconds in OnlineStudy.objects.filter(
        user_id=completion.user_id, course_id=completion.course_id
    ).values_list("day", "seconds"):
        days.setdefault(day, [0, 0])[0] += seconds
    person = Q(user_id=completion.user_id)
    if completion.user.id_number_hash:
        person |= Q(id_number_hash=completion.user.id_number_hash)
    for day, hours in (
        Attendance.objects.filter(person, session__course_id=completion.course_id)
        .values_list("session__date", "session__hours")
    ):
        days.setdefault(day, [0, 0])[1] += int(hours * SECONDS_PER_HOUR)
    return sorted(days.items())


def date_from_the_ledger(apps, schema_editor):
    Completion = apps.get_model("learning", "Completion")
    for completion in Completion.objects.select_related("user", "course").iterator():
        required = completion.course.required_hours * SECONDS_PER_HOUR
        on = online_on = None
        online_total = total = 0
        for day, (online, offline) in _days(apps, completion):
            online_total += online
            total += online + offline
            if on is None and total >= required:
                on = day
            if online_total >= required:
                online_on = day
                break
        if on is not None and timezone.localdate(completion.completed_at) != on:
            completion.completed_at = timezone.make_aware(
                datetime.datetime.combine(on, datetime.time())
            )
        completion.online_completed_on = online_on
        completion.save(update_fields=["completed_at", "online_completed_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0002_completion_by_online_study"),
        ("classes", "0003_attendance_labels"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(date_from_the_ledger, migrations.RunPython.noop)]
