import pytest
from django.utils import translation

from regions.importing import RegionFileError, import_regions
from regions.models import County, Town, Village

GOOD_ROWS = [
    ("罗定市", "罗镜镇", "水摆村", "是", "是", "否"),
    ("罗定市", "罗镜镇", "龙岩村", "是", "否", "是"),
    ("罗定市", "泗纶镇", "杨绿村", "是", "是", "是"),
    ("云城区", "腰古镇", "水东村", "否", "是", "否"),
]


def village_flags():
    return {
        (v.town.county.name, v.town.name, v.name): (v.is_provincial_poor, v.has_service_point)
        for v in Village.objects.with_places()
    }


def import_problems(path):
    """(row, code) of every problem reported for the file."""
    with pytest.raises(RegionFileError) as excinfo:
        import_regions(path)
    return [(error.row, error.code) for error in excinfo.value.errors]


@pytest.mark.django_db
def test_good_csv_creates_counties_towns_and_villages_with_their_flags(region_file):
    result = import_regions(region_file(GOOD_ROWS))

    assert dict(County.objects.values_list("name", "is_demonstration")) == {
        "罗定市": True,
        "云城区": False,
    }
    assert set(Town.objects.values_list("county__name", "name")) == {
        ("罗定市", "罗镜镇"),
        ("罗定市", "泗纶镇"),
        ("云城区", "腰古镇"),
    }
    assert village_flags() == {
        ("罗定市", "罗镜镇", "水摆村"): (True, False),
        ("罗定市", "罗镜镇", "龙岩村"): (False, True),
        ("罗定市", "泗纶镇", "杨绿村"): (True, True),
        ("云城区", "腰古镇", "水东村"): (True, False),
    }
    assert not Village.objects.filter(is_demo_data=True).exists()
    assert (result.counties.created, result.towns.created, result.villages.created) == (2, 3, 4)
    with translation.override("en"):
        assert "Villages: 4 created, 0 updated, 0 unchanged." in str(result)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad_row, code",
    [
        (("罗定市", "", "大塘村", "是", "否", "否"), "empty_name"),
        (("罗定市", "罗镜镇", " ", "是", "否", "否"), "empty_name"),
        (("罗定市", "罗镜镇", "大塘村", "是", "Y", "否"), "bad_flag"),
        (("罗定市", "罗镜镇", "大塘村", "是", "否", ""), "bad_flag"),
        (("罗定市", "罗镜镇", "水摆村", "是", "否", "否"), "duplicate_village"),
        (("罗定市", "罗镜镇", "大塘村", "否", "否", "否"), "conflicting_county_flag"),
        (("罗定市", "罗镜镇", "大塘村", "是", "否", "否", "备注"), "too_many_columns"),
        (("罗定市", "罗镜镇", "村" * 51, "是", "否", "否"), "name_too_long"),
    ],
)
def test_bad_row_is_reported_with_its_row_number_and_nothing_is_written(
    region_file, region_counts, bad_row, code
):
    # The bad row comes after the good ones, so it is row 6 (the header is row 1).
    path = region_file([*GOOD_ROWS, bad_row])
    before = region_counts()

    assert import_problems(path) == [(6, code)]
    assert region_counts() == before == (0, 0, 0)


@pytest.mark.django_db
def test_every_bad_row_is_reported_not_just_the_first(region_file):
    path = region_file(
        [
            ("罗定市", "罗镜镇", "水摆村", "是", "是", "否"),
            ("罗定市", "罗镜镇", "", "是", "是", "否"),  # row 3
            ("罗定市", "罗镜镇", "龙岩村", "是", "有", "否"),  # row 4
            ("罗定市", "罗镜镇", "水摆村", "否", "是", "否"),  # row 5: twice wrong
        ]
    )

    assert import_problems(path) == [
        (3, "empty_name"),
        (4, "bad_flag"),
        (5, "duplicate_village"),
        (5, "conflicting_county_flag"),
    ]


@pytest.mark.django_db
def test_bad_file_changes_nothing_already_in_the_database(region_file, region_counts):
    import_regions(region_file(GOOD_ROWS))
    before = region_counts()
    # Good rows that would add a village and change a flag, then one bad row.
    path = region_file(
        [
            ("罗定市", "罗镜镇", "水摆村", "是", "否", "是"),
            ("新兴县", "六祖镇", "夏卢村", "是", "否", "是"),
            ("新兴县", "六祖镇", "龙山村", "是", "否", "不详"),
        ],
        name="second.csv",
    )

    assert import_problems(path) == [(4, "bad_flag")]
    assert region_counts() == before
    assert village_flags()[("罗定市", "罗镜镇", "水摆村")] == (True, False)


@pytest.mark.django_db
def test_row_numbers_count_blank_lines_as_the_spreadsheet_does(region_file):
    path = region_file(
        [GOOD_ROWS[0], ("", "", "", "", "", ""), ("罗定市", "罗镜镇", "", "是", "否", "否")]
    )

    assert import_problems(path) == [(4, "empty_name")]


@pytest.mark.django_db
def test_wrong_header_is_refused_as_row_one(region_file, region_counts):
    header = ("县", "镇", "村", "是否示范县", "是否省定贫困村", "是否有电商服务点")

    assert import_problems(region_file(GOOD_ROWS, header=header)) == [(1, "bad_header")]
    assert region_counts() == (0, 0, 0)


@pytest.mark.django_db
def test_file_with_only_a_header_is_refused(region_file):
    assert import_problems(region_file([])) == [(None, "empty_file")]


@pytest.mark.django_db
def test_gbk_encoded_csv_is_read(region_file):
    path = region_file(GOOD_ROWS, encoding="gbk")
    assert "罗定市".encode("gbk") in path.read_bytes()  # the file really is GBK

    import_regions(path)

    assert ("罗定市", "泗纶镇", "杨绿村") in village_flags()


@pytest.mark.django_db
def test_utf8_csv_with_byte_order_mark_is_read(region_file):
    path = region_file(GOOD_ROWS, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    import_regions(path)

    assert County.objects.filter(name="罗定市", is_demonstration=True).exists()


@pytest.mark.django_db
def test_xlsx_file_is_read(region_file):
    import_regions(region_file(GOOD_ROWS, name="regions.xlsx"))

    assert village_flags()[("罗定市", "罗镜镇", "龙岩村")] == (False, True)
    assert Village.objects.count() == len(GOOD_ROWS)


@pytest.mark.django_db
def test_bad_xlsx_row_is_reported_by_its_spreadsheet_row(region_file):
    path = region_file([*GOOD_ROWS, ("郁南县", "连滩镇", "兰寨村", "是", "否", "N")], name="r.xlsx")

    assert import_problems(path) == [(6, "bad_flag")]


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing(region_file):
    path = region_file(GOOD_ROWS)
    import_regions(path)
    before = (
        list(Village.objects.values()),
        list(Town.objects.values()),
        list(County.objects.values()),
    )

    result = import_regions(path)

    assert not result.changed_anything
    assert result.villages.unchanged == len(GOOD_ROWS)
    assert (result.counties.unchanged, result.towns.unchanged) == (2, 3)
    assert (
        list(Village.objects.values()),
        list(Town.objects.values()),
        list(County.objects.values()),
    ) == before


@pytest.mark.django_db
def test_reimport_updates_only_what_changed(region_file):
    import_regions(region_file(GOOD_ROWS))
    changed = [list(row) for row in GOOD_ROWS]
    changed[0][5] = "是"  # 水摆村 gets a service point
    changed[3][3] = "是"  # 云城区 becomes a demonstration county

    result = import_regions(region_file(changed, name="changed.csv"))

    assert (result.villages.updated, result.villages.unchanged) == (1, 3)
    assert (result.counties.updated, result.counties.unchanged) == (1, 1)
    assert village_flags()[("罗定市", "罗镜镇", "水摆村")] == (True, True)
    assert County.objects.get(name="云城区").is_demonstration


@pytest.mark.django_db
def test_unknown_extension_is_refused(tmp_path):
    path = tmp_path / "regions.xls"
    path.write_bytes(b"whatever")

    assert import_problems(path) == [(None, "unknown_format")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, content",
    [
        ("broken.xlsx", b"PK\x03\x04 not really a workbook"),
        ("binary.csv", b"\xff\xfe\xff\x00\x81"),
    ],
)
def test_unreadable_file_is_refused(tmp_path, region_counts, name, content):
    path = tmp_path / name
    path.write_bytes(content)

    assert import_problems(path) == [(None, "unreadable")]
    assert region_counts() == (0, 0, 0)


@pytest.mark.django_db
def test_missing_file_is_refused(tmp_path):
    assert import_problems(tmp_path / "nowhere.csv") == [(None, "unreadable")]


@pytest.mark.django_db
def test_uploaded_file_object_is_read_by_its_name(region_file):
    with region_file(GOOD_ROWS, name="upload.xlsx").open("rb") as f:
        import_regions(f)

    assert Village.objects.count() == len(GOOD_ROWS)


@pytest.mark.django_db
def test_real_import_takes_over_demo_records_of_the_same_names(region_file):
    """Else removing the demo data later would remove villages the register names."""
    from regions.demo import load_demo_regions

    load_demo_regions()
    import_regions(region_file([("罗定市", "罗镜镇", "水摆村", "是", "否", "否")]))

    village = Village.objects.with_places().get(name="水摆村", town__name="罗镜镇")
    assert not village.is_demo_data
    assert not village.town.is_demo_data
    assert not village.town.county.is_demo_data
    assert not village.is_provincial_poor  # the demo has it poor; the file says 否
