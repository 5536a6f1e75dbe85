"""The README's table of accepted columns is the one the importers use."""

import pytest

from sheets.kinds import KINDS
from tests.support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_rows():
    """(heading, aliases) of each row of the README's table of columns."""
    section = README[README.index("## Sheets in") :]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[1] and cells[1] not in ("column", "---"):
            rows.append((cells[1], cells[2]))
    return rows


def test_every_kind_is_registered():
    assert set(KINDS) == {"regions", "registry", "attendance", "experts", "entrepreneurs"}


@pytest.mark.parametrize("slug", ["regions", "registry", "attendance", "experts", "entrepreneurs"])
def test_each_column_and_its_spellings_are_in_the_readme(slug):
    documented = readme_rows()
    for column in KINDS[slug].layout.columns:
        assert (column.heading, "、".join(column.aliases)) in documented, column.heading
