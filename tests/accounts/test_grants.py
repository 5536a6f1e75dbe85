"""accounts.grants.grant: the one way roles get their permissions."""

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.grants import grant

VIEW_USER = ("accounts", "view_user")
CHANGE_USER = ("accounts", "change_user")


@pytest.mark.django_db
def test_grant_creates_the_group_with_the_permissions():
    group = grant("测试角色", [VIEW_USER])
    assert Group.objects.get(name="测试角色") == group
    assert set(group.permissions.values_list("codename", flat=True)) == {"view_user"}


@pytest.mark.django_db
def test_grant_adds_to_what_a_group_holds_and_runs_again_harmlessly():
    group = Group.objects.create(name="测试角色")
    group.permissions.add(Permission.objects.get(codename="delete_user"))
    grant("测试角色", [VIEW_USER, CHANGE_USER])
    grant("测试角色", [VIEW_USER])
    assert Group.objects.filter(name="测试角色").count() == 1
    held = set(group.permissions.values_list("codename", flat=True))
    assert held == {"delete_user", "view_user", "change_user"}


@pytest.mark.django_db
def test_grant_refuses_a_permission_that_does_not_exist():
    with pytest.raises(Permission.DoesNotExist):
        grant("测试角色", [("accounts", "fly_to_the_moon")])
