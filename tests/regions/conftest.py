import pytest

from regions.models import County, Town, Village
from tests.support import write_sheet

# Written out, not taken from regions.importing, so that the tests pin the header down.
HEADER = ("县(市、区)", "乡(镇)", "行政村", "是否示范县", "是否省定贫困村", "是否有电商服务点")


@pytest.fixture
def region_file(tmp_path):
    """Write rows under a header to a file in tmp_path: CSV in any encoding, or XLSX."""

    def write(rows, *, name="regions.csv", encoding="utf-8", header=HEADER):
        return write_sheet(tmp_path / name, [header, *rows], encoding)

    return write


@pytest.fixture
def region_counts():
    """How many counties, towns and villages the database holds, to compare before/after."""

    def count():
        return (County.objects.count(), Town.objects.count(), Village.objects.count())

    return count
