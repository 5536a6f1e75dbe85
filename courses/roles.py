"""Who may write courses in the CMS, and the review a course passes before it goes live.

Two Wagtail groups: 讲师 (instructors of the lecturer team) draft courses and lessons
under the catalog and submit them; 课程管理员 (course managers) approve and publish them
through the 课程审核 workflow, and keep the tracks up to date.

The functions take an ``apps`` registry so that the data migration runs the very same
code with its historical models, and the demo loader can repair a catalog page that
was deleted and created again (page permissions and workflow links go with the page).
They only add what is missing, so they are safe to run any number of times.
"""

from django.apps import apps as global_apps

from accounts.grants import grant, permission

# Group, workflow and task names are records in the database, shown as they are in the
# admin, so they are stored in Chinese rather than translated.
INSTRUCTORS = "讲师"
COURSE_MANAGERS = "课程管理员"
COURSE_WORKFLOW = "课程审核"
COURSE_REVIEW_TASK = "课程管理员审核"

# Page permission types (Wagtail's PAGE_PERMISSION_TYPES) granted on the catalog page.
# Instructors have no "publish": their changes reach the site only through review.
PAGE_PERMISSIONS = {
    INSTRUCTORS: ["add", "change"],
    COURSE_MANAGERS: ["add", "change", "publish", "lock", "unlock"],
}

# (app_label, codename) granted on the root collection, so on every collection.
COLLECTION_PERMISSIONS = {
    INSTRUCTORS: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "choose_document"),
    ],
    COURSE_MANAGERS: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
    ],
}

# Model-wide permissions: the admin itself, and the Track snippet for course managers.
GLOBAL_PERMISSIONS = {
    INSTRUCTORS: [("wagtailadmin", "access_admin")],
    COURSE_MANAGERS: [
        ("wagtailadmin", "access_admin"),
        ("courses", "add_track"),
        ("courses", "change_track"),
        ("courses", "delete_track"),
        ("courses", "view_track"),
    ],
}


def ensure_course_groups(apps=global_apps):
    """Create the two groups with their admin, collection and snippet permissions."""
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    # The root collection is the only node at depth 1 (treebeard).
    root_collection = Collection.objects.get(depth=1)
    groups = {}
    for name in (INSTRUCTORS, COURSE_MANAGERS):
        group = grant(name, GLOBAL_PERMISSIONS[name], apps)
        for app, codename in COLLECTION_PERMISSIONS[name]:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=permission(apps, app, codename),
            )
        groups[name] = group
    return groups


def ensure_catalog_permissions(catalog_page, apps=global_apps):
    """Give both groups their page permissions on ``catalog_page`` and everything below it."""
    groups = ensure_course_groups(apps)
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    for name, types in PAGE_PERMISSIONS.items():
        for permission_type in types:
            GroupPagePermission.objects.get_or_create(
                group=groups[name],
                page_id=catalog_page.pk,
                permission=permission(apps, "wagtailcore", f"{permission_type}_page"),
            )


def ensure_course_workflow(catalog_page, apps=global_apps):
    """Make every page under ``catalog_page`` go through the 课程审核 workflow.

    One task: a course manager approves (and so publishes) or asks for changes.
    Returns the workflow.
    """
    groups = ensure_course_groups(apps)
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    workflow, _created = Workflow.objects.get_or_create(
        name=COURSE_WORKFLOW, defaults={"active": True}
    )
    task, _created = GroupApprovalTask.objects.get_or_create(
        name=COURSE_REVIEW_TASK,
        # Set by hand because historical models skip Task.__init__, which sets it.
        defaults={"content_type": ContentType.objects.get_for_model(GroupApprovalTask)},
    )
    task.groups.add(groups[COURSE_MANAGERS])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page_id=catalog_page.pk, defaults={"workflow": workflow})
    return workflow


def ensure_course_roles(catalog_page, apps=global_apps):
    """Groups, their permissions on ``catalog_page`` and its review workflow, all at once."""
    ensure_catalog_permissions(catalog_page, apps)
    return ensure_course_workflow(catalog_page, apps)
