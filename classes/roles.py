"""Who runs offline classes: the 讲师 and 课程管理员 groups of courses.roles.

Both groups may add, change and view class sessions and attendances; what differs is
which sessions: an instructor runs their own, a course manager (or a superuser) all of
them (``classes.run_every_session``). Course managers also review ID-card number
claims (accounts.change_idnumberclaim): they see every class's records, which is what a
claim is weighed against. The data migrations call these functions; they only add what
is missing, so they are safe to run any number of times.
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


EVERY_SESSION_PERMISSION = ("classes", "run_every_session")


def ensure_session_managers(apps=global_apps):
    """Let course managers run every class session, not only their own."""
    ensure_course_groups(apps)
    grant(COURSE_MANAGERS, [EVERY_SESSION_PERMISSION], apps)


def manages_all_sessions(user) -> bool:
    """Course managers and superusers see every class session; instructors their own."""
    return user.is_authenticated and user.is_active and user.has_perm("classes.run_every_session")
