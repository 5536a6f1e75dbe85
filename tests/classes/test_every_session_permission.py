"""Which class sessions a user runs is decided by a permission, not a group's name."""

from django.contrib.auth.models import Group, Permission

from classes.models import ClassSession
from classes.roles import manages_all_sessions
from courses.roles import COURSE_MANAGERS
from tests.courses.factories import make_user


def test_course_managers_hold_the_permission_to_run_every_session(manager, instructor):
    assert manages_all_sessions(manager)
    assert not manages_all_sessions(instructor)
    assert (
        Group.objects.get(name=COURSE_MANAGERS)
        .permissions.filter(codename="run_every_session")
        .exists()
    )


def test_the_permission_not_the_group_opens_every_session(make_session, instructor, manager):
    session = make_session()
    outsider = make_user("周协调员")
    outsider.user_permissions.add(Permission.objects.get(codename="run_every_session"))
    assert manages_all_sessions(outsider)
    assert session in ClassSession.objects.for_user(outsider)

    group = Group.objects.get(name=COURSE_MANAGERS)
    group.permissions.remove(Permission.objects.get(codename="run_every_session"))
    manager = type(manager).objects.get(pk=manager.pk)  # permissions are cached per object
    assert not manages_all_sessions(manager)
