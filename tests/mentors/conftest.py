"""Shared by the sheet-import tests: the demo regions, and sheets written to a temp dir."""

import pytest

from regions.demo import load_demo_regions
from tests.support import write_sheet


@pytest.fixture
def regions(db):
    load_demo_regions()


@pytest.fixture
def sheet_file(tmp_path):
    """``sheet_file(header, rows, name=..., encoding=...)``: a CSV or XLSX file to import."""

    def write(header, rows, *, name, encoding="utf-8"):
        return write_sheet(tmp_path / name, [header, *rows], encoding)

    return write
