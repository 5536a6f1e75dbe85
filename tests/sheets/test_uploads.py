"""An upload's way through, for any kind of sheet: stored, checked after commit, then
confirmed or cancelled, imported once; late and repeated deliveries change nothing.

A small kind registered for these tests ("test-groups": one group per row, 名称) shows it
without any importer above sheets; tests/coverage/test_registry_upload.py shows the
registry's own.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from sheets import storage, uploads
from sheets.checks import SheetError
from sheets.columns import Column, Layout
from sheets.importing import write_all_or_nothing
from sheets.kinds import KINDS, SheetKind
from sheets.models import SheetUpload
from sheets.reading import read_table
from sheets.results import ImportResult
from sheets.tasks import check_upload_task, import_upload_task
from tests.accounts.factories import UserFactory

LAYOUT = Layout((Column("name", "名称"),), name_key="name")
GOOD = "名称\n种植户\n养殖户\n".encode("gbk")
BAD = "名称,备注\n种植户,\n,空名\n养殖户,\n,又空\n".encode()
STATUSES = [status for status, _label in SheetUpload.Status.choices]


class GroupsKind:
    """Imports one auth group per row; remembers each run's dry_run and user, and raises
    what ``broken`` holds."""

    def __init__(self):
        self.runs = []
        self.users = []
        self.broken = None

    def __call__(self, source, *, dry_run, progress, options, user):
        self.runs.append(dry_run)
        self.users.append(user)
        checks = LAYOUT.rows(read_table(source))
        errors = [error for check in checks for error in check.errors]
        if errors:
            raise SheetError(errors)
        if self.broken:
            raise self.broken

        def write():
            result = ImportResult()
            tally = result.tally("groups", "Groups")
            for done, check in enumerate(checks, start=1):
                Group.objects.create(name=check["name"])
                tally.created += 1
                if progress:
                    progress(done, len(checks))
            return result

        return write_all_or_nothing(write, dry_run=dry_run)


@pytest.fixture
def run(monkeypatch):
    run = GroupsKind()
    kind = SheetKind(
        slug="test-groups", title="Groups", layout=LAYOUT, run=run, permission="auth.add_group"
    )
    monkeypatch.setitem(KINDS, kind.slug, kind)
    return run


@pytest.fixture
def kind(run):
    return KINDS["test-groups"]


@pytest.fixture
def user(db):
    user = UserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "add_group"])
    )
    return user


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def files(root):
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def ready(kind, user, run, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload = uploads.start_upload(kind, SimpleUploadedFile("组.csv", GOOD), user)
    upload.refresh_from_db()
    assert upload.status == "ready" and run.runs == [True]
    return upload


def at(status, kind, user, content=GOOD, **fields):
    """An upload of ``content`` left at ``status``."""
    return SheetUpload.objects.create(
        kind=kind.slug,
        file_name="组.csv",
        stored=storage.store(ContentFile(content)),
        uploaded_by=user,
        status=status,
        **fields,
    )


def test_the_check_runs_once_the_upload_is_committed(
    kind, user, run, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        upload = uploads.start_upload(kind, SimpleUploadedFile("组.csv", GOOD), user)
    assert upload.status == "checking" and run.runs == []
    assert len(callbacks) == 1
    callbacks[0]()
    upload.refresh_from_db()
    assert (upload.status, run.runs) == ("ready", [True])
    assert upload.preview.splitlines() == [
        "Groups: 2 added, 0 updated, 0 unchanged.",
        "Dry run: nothing was written.",
    ]
    assert not Group.objects.filter(name__in=["种植户", "养殖户"]).exists()


def test_a_confirmed_upload_is_imported_once(
    ready, run, user, django_capture_on_commit_callbacks, private_root
):
    confirmer, other = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert uploads.confirm(ready, confirmer)
        assert not uploads.confirm(ready, other)
    assert len(callbacks) == 1
    callbacks[0]()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert not uploads.confirm(ready, other)
        assert not uploads.cancel(ready)
    assert callbacks == []
    ready.refresh_from_db()
    assert (ready.status, ready.done, ready.total) == ("done", 2, 2)
    assert ready.confirmed_by == confirmer and ready.confirmed_at is not None
    # The check runs for who uploaded, the import for who confirmed.
    assert (run.runs, run.users) == ([True, False], [user, confirmer])
    assert Group.objects.filter(name__in=["种植户", "养殖户"]).count() == 2
    assert ready.stored == "" and files(private_root) == []


def test_a_cancelled_upload_is_gone_for_good(
    ready, run, user, django_capture_on_commit_callbacks, private_root
):
    assert uploads.cancel(ready)
    assert files(private_root) == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert not uploads.confirm(ready, user)
        assert not uploads.cancel(ready)
    assert callbacks == []
    ready.refresh_from_db()
    assert (ready.status, ready.stored, ready.confirmed_by) == ("cancelled", "", None)
    assert run.runs == [True]


@pytest.mark.parametrize("status", ["checking", "importing", "refused", "failed"])
def test_only_an_upload_waiting_for_confirmation_can_be_confirmed_or_cancelled(
    status, kind, user, run, private_root, django_capture_on_commit_callbacks
):
    """Cancelling an upload that is being imported must not pull its file away."""
    upload = at(status, kind, user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert not uploads.cancel(upload)
        assert not uploads.confirm(upload, user)
    assert callbacks == []
    upload.refresh_from_db()
    assert upload.status == status and upload.confirmed_by is None
    assert files(private_root) == [private_root / upload.stored]
    assert run.runs == []


@pytest.mark.parametrize("status", STATUSES)
def test_tasks_delivered_again_late_change_nothing(status, kind, user, run, settings):
    """The check runs only on an upload being checked, the import only on one being
    imported (a redelivery then is harmless: imports write all or nothing)."""
    settings.KEEP_IMPORTED_FILES = True
    upload = at(status, kind, user, preview="what it was", report="what it was")
    if status != "checking":
        assert check_upload_task(upload.pk) == status
    if status != "importing":
        assert import_upload_task(upload.pk) == status
    upload.refresh_from_db()
    assert (upload.status, upload.preview, upload.report) == (status, "what it was", "what it was")
    assert run.runs == []


def test_a_bad_file_is_refused_with_every_problem(kind, user, run, private_root):
    upload = at("checking", kind, user, BAD)
    assert check_upload_task(upload.pk) == "refused"
    upload.refresh_from_db()
    assert upload.report.splitlines() == [
        "The file was not imported, nothing was written: 2 problems found.",
        "Row 3: “名称”: empty.",
        "Row 5: “名称”: empty.",
    ]
    assert upload.stored == "" and files(private_root) == []


@pytest.mark.parametrize("task", [check_upload_task, import_upload_task])
def test_an_unexpected_error_fails_the_upload_and_deletes_its_file(
    task, kind, user, run, private_root
):
    upload = at("checking" if task is check_upload_task else "importing", kind, user)
    run.broken = RuntimeError("/srv/secret/path is full")
    with pytest.raises(RuntimeError):
        task(upload.pk)
    upload.refresh_from_db()
    assert upload.status == "failed"
    assert "unexpected error" in upload.report and "/srv/secret" not in upload.report
    assert upload.stored == "" and files(private_root) == []
    assert not Group.objects.filter(name="种植户").exists()


# The pages.


def test_the_status_page_follows_the_upload(client, ready, user, run):
    url = reverse("sheets:status", args=[ready.pk])
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    for status in STATUSES:
        SheetUpload.objects.filter(pk=ready.pk).update(status=status, done=1, total=2)
        html = client.get(url).content.decode()
        assert f'data-status="{status}"' in html
        working = status in ("checking", "importing")
        assert ('<meta http-equiv="refresh"' in html) == working, status
        assert ('value="confirm"' in html) == (status == "ready"), status
        assert ('value="cancel"' in html) == (status == "ready"), status
        assert ("1 / 2" in html) == (status in ("importing", "done")), status
        finished = status not in ("checking", "ready", "importing")
        assert ("Upload another file" in html) == finished, status


def test_the_buttons_confirm_and_cancel(
    client, kind, user, run, django_capture_on_commit_callbacks
):
    client.force_login(user)
    for action, status in (("confirm", "done"), ("cancel", "cancelled"), ("other", "ready")):
        upload = at("ready", kind, user)
        url = reverse("sheets:status", args=[upload.pk])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"action": action})
        assert response.status_code == 302 and response.url == url
        upload.refresh_from_db()
        assert upload.status == status, action
        Group.objects.filter(name__in=["种植户", "养殖户"]).delete()


def test_pages_of_a_kind_are_for_those_who_may_upload_it(client, ready, user, db):
    """A permission for one kind opens no other kind's uploads, whose reports name people."""
    other_kind = SheetUpload.objects.create(
        kind="registry", file_name="名单.csv", uploaded_by=user, status="done", report="名单"
    )
    client.force_login(user)
    assert client.get(reverse("sheets:upload", args=["test-groups"])).status_code == 200
    assert client.get(reverse("sheets:status", args=[ready.pk])).status_code == 200
    for url in (
        reverse("sheets:upload", args=["registry"]),
        reverse("sheets:status", args=[other_kind.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403) and "名单" not in response.content.decode()
    assert client.get(reverse("sheets:upload", args=["no-such-kind"])).status_code == 404

    client.force_login(UserFactory())  # no CMS access: sent to log in
    assert client.get(reverse("sheets:status", args=[ready.pk])).status_code == 302


def test_an_upload_of_a_kind_no_longer_registered_is_not_found(client, user, db):
    gone = SheetUpload.objects.create(kind="retired", file_name="x.csv", uploaded_by=user)
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(reverse("sheets:status", args=[gone.pk])).status_code == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_a_broker_an_unexpected_error_shows_as_failed_not_as_a_server_error(
    client, kind, run, private_root
):
    """On one machine the tasks run inside the request, once it commits. An error there
    is logged; the page then says the upload failed."""
    user = UserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "add_group"])
    )
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    run.broken = RuntimeError("disk on fire")
    response = client.post(
        reverse("sheets:upload", args=["test-groups"]),
        {"file": SimpleUploadedFile("组.csv", GOOD)},
    )
    upload = SheetUpload.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "sheets:status", args=[upload.pk]
    )
    assert upload.status == "failed" and files(private_root) == []
    html = client.get(response.url).content.decode()
    assert 'data-status="failed"' in html and "unexpected error" in html
    assert "disk on fire" not in html
