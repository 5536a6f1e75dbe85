"""The mentoring staff (帮带管理员, mentors.roles) also run the matcher: they start runs,
review proposals and watch the groups. Safe to run any number of times."""

from django.apps import apps as global_apps

from mentors.roles import ensure_mentoring_staff

PERMISSIONS = [
    ("matching", "add_matchingrun"),
    ("matching", "view_matchingrun"),
    ("matching", "view_proposal"),
    ("matching", "change_proposal"),
    ("matching", "view_mentoringgroup"),
    ("matching", "view_meeting"),
    ("matching", "view_rating"),
    ("matching", "view_weightchoice"),
]


def ensure_matching_permissions(apps=global_apps):
    Permission = apps.get_model("auth", "Permission")
    group = ensure_mentoring_staff(apps)
    group.permissions.add(
        *(
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in PERMISSIONS
        )
    )
    return group
