"""The cycle collector is paused while a sheet's rows are read and checked, and on again
afterwards, also when the sheet is refused (sheets.collector)."""

import gc

import pytest

from coverage.registry_import import parse_registry
from sheets.checks import SheetError
from sheets.collector import collector_paused
from tests.coverage.conftest import REGISTRY_HEADER


def test_the_collector_is_off_inside_and_on_after_an_error():
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()


def test_it_stays_off_where_it_was_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.django_db
def test_the_registry_is_checked_with_the_collector_paused():
    seen = []

    def table():
        yield REGISTRY_HEADER
        for _ in range(3):
            seen.append(gc.isenabled())
            yield ["?"] * len(REGISTRY_HEADER)

    with pytest.raises(SheetError):
        parse_registry(table())
    assert seen == [False, False, False]
    assert gc.isenabled()
