"""mentors 0003 links the records entered before accounts linked themselves, by the same
rule as mentors.account_links: a verified number only, never a record or account already
linked elsewhere."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.classes.test_id_number_migrations import applied_state

BEFORE = [("mentors", "0002_roles_and_lists")]
AFTER = [("mentors", "0003_link_accounts_by_verified_phone")]


def _expert(Expert, phone, **fields):
    return Expert.objects.create(
        name="专家",
        expert_type="农村电商专家",
        organisation="云浮市电子商务协会",
        organisation_kind="商协会",
        phone=phone,
        **fields,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_records_join_the_account_that_verified_their_number():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        apps = applied_state()
        User = apps.get_model("accounts", "User")
        Expert = apps.get_model("mentors", "Expert")
        verified = User.objects.create(phone="+8613500002001", phone_verified=True)
        unverified = User.objects.create(phone="+8613500002002", phone_verified=False)
        busy = User.objects.create(phone="+8613500002003", phone_verified=True)
        waiting = _expert(Expert, verified.phone)
        claimed = _expert(Expert, unverified.phone)
        elsewhere = _expert(Expert, busy.phone)
        _expert(Expert, "+8613500002004", user=busy)

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)

        expert_model = applied_state().get_model("mentors", "Expert")
        linked = dict(expert_model.objects.values_list("pk", "user_id"))
        assert linked[waiting.pk] == verified.pk
        assert linked[claimed.pk] is None
        assert linked[elsewhere.pk] is None
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
