"""The mentoring staff (帮带管理员, mentors.roles) also run the matcher: they start runs,
review proposals and watch the groups. Safe to run any number of times."""

from django.apps import apps as global_apps

from accounts.grants import grant
from mentors.roles import MENTORING_STAFF, ensure_mentoring_staff

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
    ensure_mentoring_staff(apps)
    return grant(MENTORING_STAFF, PERMISSIONS, apps)
