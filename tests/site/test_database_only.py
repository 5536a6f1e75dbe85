"""The suite's second run (--database-only, on PostgreSQL) keeps what a change of database
can affect and leaves out what it cannot (tests/conftest.py)."""

import pytest

from tests.conftest import depends_on_the_database


class Item:
    def __init__(self, markers=(), fixtures=()):
        self.markers = {name: getattr(pytest.mark, name).mark for name in markers}
        self.fixturenames = list(fixtures)

    def get_closest_marker(self, name):
        return self.markers.get(name)


@pytest.mark.parametrize(
    ("item", "kept"),
    [
        (Item(markers=["django_db"]), True),
        (Item(fixtures=["client", "db"]), True),
        (Item(fixtures=["transactional_db"]), True),
        (Item(markers=["skipif"]), True),  # says which database it needs
        (Item(fixtures=["tmp_path", "settings"]), False),
        (Item(), False),
        (Item(markers=["browser", "django_db"], fixtures=["db"]), False),
    ],
    ids=["marker", "db", "transactional", "skipif", "pure", "nothing", "browser"],
)
def test_the_second_run_keeps_what_the_database_can_change(item, kept):
    assert depends_on_the_database(item) is kept


def test_the_second_run_is_asked_for_by_the_test_script():
    from tests.support import ROOT

    script = (ROOT / "scripts" / "test.sh").read_text()
    assert 'DATABASE_URL=$PG_URL "$BIN/pytest" --database-only' in script
