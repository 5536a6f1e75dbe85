"""Roles are Django groups that hold permissions; every app's ``roles`` module sets its
groups up through ``grant``, and code asks ``user.has_perm`` (or a Wagtail permission
policy), never a group's name.

The functions take an ``apps`` registry so that data migrations run the very same code
with their historical models. They only add what is missing, so they are safe to run
any number of times.
"""

from django.apps import apps as global_apps


def create_permissions_now(apps, app_labels):
    """Create the apps' permissions inside a data migration.

    Django creates permissions after all migrations have run (post_migrate); on a fresh
    database they don't exist yet when a migration wants to grant them.
    """
    from django.contrib.auth.management import create_permissions

    for label in app_labels:
        create_permissions(global_apps.get_app_config(label), apps=apps, verbosity=0)


def permission(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant(group_name, permissions, apps=global_apps):
    """The group named ``group_name`` (created if missing), holding ``permissions``,
    ``(app_label, codename)`` pairs, besides what it holds already."""
    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.get_or_create(name=group_name)
    group.permissions.add(*(permission(apps, app, codename) for app, codename in permissions))
    return group
