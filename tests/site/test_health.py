"""/healthz/ answers without the database, so a proxy or supervisor can ask it often."""

from django.db import connection


def test_the_health_check_answers_ok_without_touching_the_database(
    client, db, monkeypatch, django_db_blocker
):
    # No warm-up: not even the first request asks anything (the page cache looks only
    # for Wagtail's pages).
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)
    # Any query, or the transaction ATOMIC_REQUESTS opens (as in production), fails here.
    with django_db_blocker.block():
        response = client.get("/healthz/")
        assert response.status_code == 200
        assert response.content == b"ok"
        assert client.head("/healthz/").status_code == 200
        assert client.post("/healthz/").status_code == 405
