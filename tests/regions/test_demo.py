"""The demo regions: the statistics bureau's list of Yunfu's places, names verbatim, with
the made-up flag sample regions/data/README.md documents."""

import csv

import pytest

from regions.demo import VILLAGES_FILE, demo_region_rows, load_demo_regions
from regions.importing import import_regions
from regions.models import County, Town, Village

COMMITTEE_ENDINGS = ("村民委员会", "村委会")
COMMUNITY_ENDINGS = ("社区居民委员会", "居委会", "居民委员会", "虚拟生活区")


def snapshot():
    return [list(model.objects.order_by("pk").values()) for model in (County, Town, Village)]


def places(villages):
    return {(v.town.county.name, v.town.name, v.name) for v in villages.with_places()}


@pytest.fixture
def demo(db):
    load_demo_regions()


def test_the_shipped_list_is_the_bureaus_974_villages_of_yunfu():
    with VILLAGES_FILE.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["县(市、区)", "乡(镇)", "行政村"]
    assert len(rows[1:]) == len({tuple(row) for row in rows[1:]}) == 974


def test_demo_is_yunfus_five_counties_71_towns_and_974_villages_named_verbatim(demo):
    assert dict(County.objects.values_list("name", "is_demonstration")) == {
        "云城区": False,
        "云安区": True,
        "罗定市": True,
        "新兴县": True,
        "郁南县": True,
    }
    assert Town.objects.count() == 71
    assert Village.objects.count() == 974
    with VILLAGES_FILE.open(encoding="utf-8-sig", newline="") as file:
        assert places(Village.objects) == {tuple(row) for row in list(csv.reader(file))[1:]}
    # 太平镇 is a town of two counties; 满（lang）塘镇 is the bureau's own spelling.
    assert set(Town.objects.filter(name="太平镇").values_list("county__name", flat=True)) == {
        "新兴县",
        "罗定市",
    }
    assert {
        ("罗定市", "罗镜镇", "水摆村委会"),
        ("云城区", "云城街道", "牧羊村民委员会"),
        ("新兴县", "新城镇", "城中社区居民委员会"),
        ("罗定市", "满（lang）塘镇", "满（lang）塘居民委员会"),
    } <= places(Village.objects)


def test_demo_records_are_all_marked_as_demo_data(demo):
    for model in (County, Town, Village):
        assert model.objects.exists()
        assert not model.objects.filter(is_demo_data=False).exists()


def test_the_poor_village_sample_is_every_eighth_village_committee_and_shuibai(demo):
    poor = Village.objects.filter(is_provincial_poor=True)

    assert poor.count() == 106  # Yunfu has 105; 105 by the rule, and 水摆村委会
    assert {
        ("罗定市", "罗镜镇", "水摆村委会"),
        ("罗定市", "泗纶镇", "杨绿村委会"),
    } <= places(poor)
    assert not [v.name for v in poor if not v.name.endswith(COMMITTEE_ENDINGS)]
    per_county = {
        county.name: poor.filter(town__county=county).count() for county in County.objects.all()
    }
    assert per_county == {"罗定市": 39, "郁南县": 22, "新兴县": 20, "云安区": 13, "云城区": 12}
    # 云城区's poor villages are outside the coverage scope: the demo shows both sides.
    assert Village.objects.in_coverage_scope().count() == 106 - 12


def test_service_points_are_in_every_third_village_committee(demo):
    with_point = Village.objects.filter(has_service_point=True)

    assert with_point.count() == 283
    assert not [v.name for v in with_point if v.name.endswith(COMMUNITY_ENDINGS)]
    assert ("罗定市", "泗纶镇", "杨绿村委会") in places(with_point)
    assert with_point.filter(is_provincial_poor=True).count() == 35


def test_the_flag_rules_count_village_committees_in_the_files_order():
    """As regions/data/README.md states them: the 8th, 16th, ... village committee is poor
    (and 水摆村委会), the 1st, 4th, 7th, ... has a service point; nothing else is flagged."""
    rows = demo_region_rows()
    committees = [row for row in rows if row.village.endswith(COMMITTEE_ENDINGS)]
    others = [row for row in rows if not row.village.endswith(COMMITTEE_ENDINGS)]

    assert len(committees) == 847
    assert [(row.is_provincial_poor, row.has_service_point) for row in committees] == [
        (number % 8 == 0 or row.village == "水摆村委会", number % 3 == 1)
        for number, row in enumerate(committees, start=1)
    ]
    assert not [row for row in others if row.is_provincial_poor or row.has_service_point]


@pytest.mark.django_db
def test_loading_the_demo_twice_changes_nothing():
    load_demo_regions()
    before = snapshot()

    second = load_demo_regions()

    assert not second.changed_anything
    assert snapshot() == before


@pytest.mark.django_db
def test_demo_never_overwrites_imported_real_data(region_file):
    import_regions(region_file([("罗定市", "罗镜镇", "水摆村委会", "否", "否", "否")]))

    load_demo_regions()

    county = County.objects.get(name="罗定市")
    village = Village.objects.get(name="水摆村委会", town__name="罗镜镇")
    assert (county.is_demonstration, county.is_demo_data) == (False, False)
    assert (village.is_provincial_poor, village.is_demo_data) == (False, False)
    assert Village.objects.filter(town__name="罗镜镇", name="水摆村委会").count() == 1
    assert Village.objects.count() == 974


@pytest.mark.django_db
def test_demo_data_written_as_a_csv_is_a_valid_import_file(region_file):
    """The demo doubles as a sample of the import format: it must pass its validation."""
    yes_no = {True: "是", False: "否"}
    rows = [
        (
            row.county,
            row.town,
            row.village,
            yes_no[row.is_demonstration],
            yes_no[row.is_provincial_poor],
            yes_no[row.has_service_point],
        )
        for row in demo_region_rows()
    ]

    import_regions(region_file(rows, encoding="gbk"))

    assert Village.objects.count() == len(rows) == 974
    assert Village.objects.filter(is_provincial_poor=True).count() == 106
