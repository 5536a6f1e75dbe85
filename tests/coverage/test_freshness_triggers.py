"""The data version's triggers (coverage.freshness): every write under the figures changes
the version, once per transaction on PostgreSQL however many rows it writes, at commit
for other transactions and at the next read for the writing one."""

import pytest
from django.db import connection, connections, transaction

from accounts.models import User
from coverage.freshness import TRIGGER, VERSION_TABLE, data_version
from regions.models import County
from tests.accounts.factories import UserFactory

postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="PostgreSQL's deferred triggers"
)


def counties(n, prefix="县"):
    County.objects.bulk_create(County(name=f"{prefix}{i}") for i in range(n))


@pytest.fixture
def events_counted(db):
    """The trigger function, replaced for this test's transaction (DDL is rolled back
    with it) by one that also counts how many queued events it runs."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE coverage_test_events (n integer) ON COMMIT DROP")
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN INSERT INTO pg_temp.coverage_test_events VALUES (1); "
            f"UPDATE {VERSION_TABLE} SET version = md5(random()::text); RETURN NULL; END $$"
        )

    def count():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM pg_temp.coverage_test_events")
            return cursor.fetchone()[0]

    return count


@postgresql_only
def test_a_multi_row_insert_queues_one_event(events_counted):
    before = data_version(connection)
    counties(50)
    User.objects.bulk_create(User(phone=f"+8613800000{i:03d}") for i in range(20))
    # Reading fires the transaction's pending events: one, for 70 rows in two tables.
    after = data_version(connection)
    assert events_counted() == 1
    assert after != before
    counties(30, prefix="又一县")
    assert data_version(connection) != after
    assert events_counted() == 2


@postgresql_only
def test_nothing_written_queues_nothing(events_counted):
    data_version(connection)
    User.objects.create(phone="+8613800000999")
    data_version(connection)
    # A login changes no watched column: its update queues no event.
    User.objects.update(last_login="2026-05-05T00:00:00Z")
    data_version(connection)
    assert events_counted() == 1


@pytest.mark.django_db
def test_an_update_that_changes_nothing_does_not_hide_the_next_change():
    """Saving a user writes every column, its ID hash unchanged: that must not count as
    the transaction's change, or the change after it would queue nothing."""
    unchanged, changed = UserFactory(id_number_hash="a" * 64), UserFactory(id_number_hash="")
    before = data_version(connection)
    unchanged.save()
    User.objects.filter(pk=changed.pk).update(id_number_hash="b" * 64)
    assert data_version(connection) != before


@pytest.mark.django_db
def test_a_write_rolled_back_to_a_savepoint_does_not_hide_the_next_one():
    before = data_version(connection)
    with pytest.raises(RuntimeError), transaction.atomic():
        counties(3)
        raise RuntimeError
    counties(3, prefix="再建县")
    assert data_version(connection) != before


@pytest.mark.django_db
def test_each_read_sees_the_writes_since_the_last_one():
    versions = [data_version(connection)]
    for prefix in ("甲县", "乙县", "丙县"):
        counties(2, prefix=prefix)
        versions.append(data_version(connection))
    assert len(set(versions)) == 4


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_another_transactions_write_changes_the_version_when_it_commits():
    before = data_version(connection)
    other = connections.create_connection("default")
    other.set_autocommit(False)
    table = County._meta.db_table
    try:
        with other.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{table}" (name, is_demonstration, is_demo_data) '
                "SELECT '县' || n, false, false FROM generate_series(1, 100) n"
            )
            # Deferred: the version is not written before the writer commits.
            assert data_version(connection) == before
            other.commit()
            committed = data_version(connection)
            assert committed != before
            cursor.execute(f'DELETE FROM "{table}" WHERE name LIKE %s', ["县%"])
            other.commit()
        assert data_version(connection) not in (before, committed)
    finally:
        other.close()
