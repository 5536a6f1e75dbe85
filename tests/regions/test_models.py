import pytest

from regions.models import County, Town, Village


def make_village(county_name, is_demonstration, village_name, is_provincial_poor):
    county, _ = County.objects.get_or_create(
        name=county_name, defaults={"is_demonstration": is_demonstration}
    )
    town, _ = Town.objects.get_or_create(county=county, name="某镇")
    return Village.objects.create(
        town=town, name=village_name, is_provincial_poor=is_provincial_poor
    )


@pytest.mark.django_db
def test_coverage_scope_is_poor_villages_of_demonstration_counties_only():
    in_scope = make_village("罗定市", True, "水摆村", True)
    make_village("罗定市", True, "罗镜村", False)  # demonstration county, not poor
    make_village("云城区", False, "水东村", True)  # poor, not a demonstration county
    make_village("云城区", False, "腰古村", False)

    assert list(Village.objects.in_coverage_scope()) == [in_scope]
