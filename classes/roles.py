"""Who runs offline classes: the 讲师 and 课程管理员 groups of courses.roles.

Both groups may add, change and view class sessions and attendances; what differs is
which sessions: an instructor runs their own, a course manager (or a superuser) all of
them. Course managers also review ID-card number claims (accounts.change_idnumberclaim):
they see every class's records, which is what a claim is weighed against. The data
migration and the demo loader share ``ensure_class_permissions``; it only
adds what is missing, so it is safe to run any number of times.
"""

from django.apps import apps as global_apps

from accounts.grants import grant
from courses.roles import COURSE_MANAGERS, INSTRUCTORS, ensure_course_groups

CLASS_PERMISSIONS = [
    ("classes", f"{action}_{model}")
    for model in ("classsession", "attendance")
    for action in ("add", "change", "view")
]


def ensure_class_permissions(apps=global_apps):
    """Give both groups add/change/view on class sessions and attendances."""
    groups = ensure_course_groups(apps)
    for name in (INSTRUCTORS, COURSE_MANAGERS):
        grant(name, CLASS_PERMISSIONS, apps)
    return groups


CLAIM_REVIEW_PERMISSION = ("accounts", "change_idnumberclaim")


def ensure_claim_review_permission(apps=global_apps):
    """Let course managers confirm or reject ID-card number claims."""
    ensure_course_groups(apps)
    grant(COURSE_MANAGERS, [CLAIM_REVIEW_PERMISSION], apps)


def manages_all_sessions(user) -> bool:
    """Course managers and superusers see every class session; instructors their own."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=COURSE_MANAGERS).exists()
