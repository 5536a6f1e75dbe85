"""After importing a class's sign-in sheet, the instructor lands on the attendee list."""

import pytest
from django.urls import resolve, reverse

from sheets.models import SheetUpload
from tests.classes.conftest import id_number, mobile
from tests.classes.test_admin import csv_upload, status_url, upload_url


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_UPLOAD_ROOT = tmp_path / "private"


@pytest.mark.django_db
def test_the_instructor_lands_on_the_attendee_list_once_the_import_is_done(
    client, instructor, session, django_capture_on_commit_callbacks
):
    client.force_login(instructor)
    rows = [(f"村民{n}", id_number(n), mobile(n)) for n in range(1, 4)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(upload_url(session), {"file": csv_upload(rows)})
    upload = SheetUpload.objects.get(pk=resolve(response.url).kwargs["pk"])

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(status_url(upload), {"action": "confirm"})
    followed = client.get(confirmed.url, follow=True)

    session_url = reverse("classes:session", args=[session.pk])
    assert followed.redirect_chain[-1][0] == session_url
    page = followed.content.decode()
    assert "签到表.csv 已导入。" in page
    assert all(f"村民{n}" in page for n in range(1, 4)), "the attendee list"
    assert status_url(upload) in page, "the import's report stays one tap away"


@pytest.mark.django_db
def test_the_report_opened_later_stays_the_report(
    client, instructor, session, django_capture_on_commit_callbacks
):
    client.force_login(instructor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            upload_url(session), {"file": csv_upload([("村民1", id_number(1), mobile(1))])}
        )
    upload = SheetUpload.objects.get(pk=resolve(response.url).kwargs["pk"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(status_url(upload), {"action": "confirm"})

    report = client.get(status_url(upload))
    assert report.status_code == 200
    assert "签到记录：新增 1，" in report.content.decode()


@pytest.mark.django_db
def test_while_the_import_runs_the_status_page_keeps_following_it(
    client, instructor, session, django_capture_on_commit_callbacks
):
    """With a real worker the import is not done yet: the page (which reloads itself)
    stays, and only lands once it is."""
    client.force_login(instructor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            upload_url(session), {"file": csv_upload([("村民1", id_number(1), mobile(1))])}
        )
    upload = SheetUpload.objects.get(pk=resolve(response.url).kwargs["pk"])
    confirmed = client.post(status_url(upload), {"action": "confirm"})  # the task not run
    assert confirmed.url == status_url(upload) + "?follow=1"
    following = client.get(confirmed.url)
    assert following.status_code == 200
    assert 'http-equiv="refresh"' in following.content.decode()
