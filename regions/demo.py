"""Demonstration regions: Yunfu's real counties, towns and villages, with made-up flags.

The places are the statistics bureau's list, shipped as ``data/yunfu_villages.csv`` and
used verbatim (see ``data/README.md``). The flags are not the bureau's: no public list of
Yunfu's provincial poor villages was found, so the demo flags a fixed sample, chosen by
the rules below so that anyone can tell which villages they are. Everything is marked as
demo data so that it can be told from, and never overwrites, an imported register.
"""

from pathlib import Path

from django.db import transaction

from sheets.reading import read_table

from .importing import RegionRow, parse_table, save_region_rows

VILLAGES_FILE = Path(__file__).resolve().parent / "data" / "yunfu_villages.csv"

# Every county but 云城区 is a demonstration county, so the demo shows both sides of
# the coverage scope.
DEMONSTRATION_COUNTIES = {"罗定市", "新兴县", "郁南县", "云安区"}

# Only village committees are flagged, never a community (社区居民委员会, 居委会) or a
# state farm's 虚拟生活区: poor villages and village service points are rural.
VILLAGE_COMMITTEE_SUFFIXES = ("村民委员会", "村委会")

# Yunfu has 105 provincial poor villages, but no public list of them was found: this
# sample is made up. Every 8th village committee of the file, in its order (the bureau's
# codes): the 8th, 16th, 24th, ... (105 of 847), so that each county has its share; and
# 水摆村委会, which the sample sheets and tests use.
POOR_EVERY = 8
POOR_ALSO = {("罗定市", "罗镜镇", "水摆村委会")}

# An e-commerce service point in every 3rd village committee: the 1st, 4th, 7th, ...
SERVICE_POINT_EVERY = 3


def official_villages() -> list[tuple[str, str, str]]:
    """(county, town, village) for each row of the statistics bureau's list, in its order,
    read as any regions file is."""
    return [(row.county, row.town, row.village) for row in parse_table(read_table(VILLAGES_FILE))]


def is_village_committee(name: str) -> bool:
    return name.endswith(VILLAGE_COMMITTEE_SUFFIXES)


def demo_region_rows() -> list[RegionRow]:
    """The demo regions as rows of the import file, one per village, flags by the rules above."""
    rows = []
    committees = 0  # village committees seen before this row
    for county, town, village in official_villages():
        poor = service_point = False
        if is_village_committee(village):
            committees += 1
            poor = committees % POOR_EVERY == 0 or (county, town, village) in POOR_ALSO
            service_point = committees % SERVICE_POINT_EVERY == 1
        rows.append(
            RegionRow(
                county=county,
                town=town,
                village=village,
                is_demonstration=county in DEMONSTRATION_COUNTIES,
                is_provincial_poor=poor,
                has_service_point=service_point,
            )
        )
    return rows


def load_demo_regions():
    """Create the demo counties, towns and villages, or reset demo records to these values;
    return the import's result.

    Safe to run again. Records already there as real data (imported from a register) are
    left as they are.
    """
    with transaction.atomic():
        return save_region_rows(demo_region_rows(), is_demo_data=True)
