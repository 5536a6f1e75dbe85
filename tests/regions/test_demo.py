import pytest

from regions.demo import demo_region_rows, load_demo_regions
from regions.importing import import_regions
from regions.models import County, Town, Village


def snapshot():
    return [list(model.objects.order_by("pk").values()) for model in (County, Town, Village)]


@pytest.mark.django_db
def test_demo_creates_yunfus_five_counties_with_their_demonstration_flags():
    load_demo_regions()

    assert dict(County.objects.values_list("name", "is_demonstration")) == {
        "云城区": False,
        "云安区": True,
        "罗定市": True,
        "新兴县": True,
        "郁南县": True,
    }
    assert set(Town.objects.filter(county__name="罗定市").values_list("name", flat=True)) >= {
        "罗城街道",
        "罗镜镇",
        "泗纶镇",
        "榃滨镇",
    }


@pytest.mark.django_db
def test_demo_records_are_all_marked_as_demo_data():
    load_demo_regions()

    for model in (County, Town, Village):
        assert model.objects.exists()
        assert not model.objects.filter(is_demo_data=False).exists()


@pytest.mark.django_db
def test_every_demo_town_has_three_or_four_villages_and_some_are_poor_in_scope():
    load_demo_regions()

    assert {town.villages.count() for town in Town.objects.all()} <= {3, 4}
    poor_share = Village.objects.filter(is_provincial_poor=True).count() / Village.objects.count()
    assert 0.25 <= poor_share <= 0.45
    assert Village.objects.in_coverage_scope().exists()
    assert Village.objects.filter(has_service_point=True).exists()


@pytest.mark.django_db
def test_loading_the_demo_twice_changes_nothing():
    first = load_demo_regions()
    before = snapshot()

    second = load_demo_regions()

    assert first.villages.created == Village.objects.count()
    assert not second.changed_anything
    assert second.villages.unchanged == Village.objects.count()
    assert snapshot() == before


@pytest.mark.django_db
def test_demo_never_overwrites_imported_real_data(region_file):
    import_regions(region_file([("罗定市", "罗镜镇", "水摆村", "否", "否", "否")]))

    load_demo_regions()

    county = County.objects.get(name="罗定市")
    village = Village.objects.get(name="水摆村", town__name="罗镜镇")
    assert (county.is_demonstration, county.is_demo_data) == (False, False)
    assert (village.is_provincial_poor, village.is_demo_data) == (False, False)


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

    result = import_regions(region_file(rows, encoding="gbk"))

    assert result.villages.created == len(rows) == Village.objects.count()
