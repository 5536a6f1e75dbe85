"""What an import says it did, and writing all of it or nothing."""

import pytest
from django.utils import translation

from regions.models import County
from sheets.checks import SheetError, file_error
from sheets.importing import write_all_or_nothing
from sheets.results import ImportResult


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def test_summary_has_a_line_per_kind_in_the_order_first_counted():
    result = ImportResult()
    result.tally("villages", "Villages").created = 4
    result.tally("counties", "Counties").updated = 1
    result.tally("villages").unchanged = 2

    assert result.summary_lines() == [
        "Villages: 4 added, 0 updated, 2 unchanged.",
        "Counties: 0 added, 1 updated, 0 unchanged.",
    ]


def test_summary_says_how_many_were_made_inactive_only_when_some_were():
    result = ImportResult()
    villages = result.tally("villages", "Villages")
    villages.unchanged, villages.deactivated = 3, 2

    assert result.summary_lines()[0] == (
        "Villages: 0 added, 0 updated, 3 unchanged, 2 made inactive."
    )


def test_summary_adds_the_importers_notes():
    result = ImportResult()
    result.tally("villages", "Villages").created = 1
    result.notes.append("Coverage before: 40%, after: 45%.")

    assert result.summary_lines() == [
        "Villages: 1 added, 0 updated, 0 unchanged.",
        "Coverage before: 40%, after: 45%.",
    ]


def test_summary_says_when_nothing_changed():
    result = ImportResult()
    result.tally("villages", "Villages").unchanged = 5

    assert not result.changed_anything
    assert result.summary_lines()[-1] == ("Nothing changed: the database already matched the file.")


@pytest.mark.parametrize("field", ["created", "updated", "deactivated"])
def test_any_added_updated_or_deactivated_record_is_a_change(field):
    result = ImportResult()
    setattr(result.tally("villages", "Villages"), field, 1)

    assert result.changed_anything
    assert "Nothing changed" not in str(result)


def test_dry_run_says_nothing_was_written_and_not_that_nothing_changed():
    result = ImportResult(dry_run=True)
    result.tally("villages", "Villages").created = 2

    assert result.summary_lines()[-1] == "Dry run: nothing was written."
    assert ImportResult(dry_run=True).summary_lines() == ["Dry run: nothing was written."]


def test_tally_label_defaults_to_its_key():
    result = ImportResult()
    result.tally("members").created = 1

    assert str(result) == "members: 1 added, 0 updated, 0 unchanged."


def write_a_county():
    County.objects.create(name="罗定市")
    result = ImportResult()
    result.tally("counties", "Counties").created = 1
    return result


@pytest.mark.django_db
def test_write_all_or_nothing_keeps_what_was_written():
    result = write_all_or_nothing(write_a_county)

    assert County.objects.filter(name="罗定市").exists()
    assert not result.dry_run
    assert result.tally("counties").created == 1


@pytest.mark.django_db
def test_dry_run_counts_the_same_and_rolls_everything_back():
    result = write_all_or_nothing(write_a_county, dry_run=True)

    assert not County.objects.exists()
    assert result.dry_run
    assert result.tally("counties").created == 1
    assert result.summary_lines()[-1] == "Dry run: nothing was written."


@pytest.mark.django_db
def test_an_error_while_writing_leaves_nothing_written():
    def write():
        County.objects.create(name="罗定市")
        raise file_error("late_problem", "found while writing.")

    with pytest.raises(SheetError):
        write_all_or_nothing(write)

    assert not County.objects.exists()
