"""/healthz/ answers without the database, so a proxy or supervisor can ask it often."""

from django.db import connection


def test_the_health_check_answers_ok_without_touching_the_database(client, monkeypatch):
    # No django_db mark: any query, or the transaction ATOMIC_REQUESTS opens (as in
    # production), fails the test.
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert client.head("/healthz/").status_code == 200
    assert client.post("/healthz/").status_code == 405
