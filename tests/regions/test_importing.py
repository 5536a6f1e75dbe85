import pytest
from django.utils import translation

from regions.importing import import_regions
from regions.models import County, Town, Village
from sheets.checks import SheetError

GOOD_ROWS = [
    ("罗定市", "罗镜镇", "水摆村", "是", "是", "否"),
    ("罗定市", "罗镜镇", "龙岩村", "是", "否", "是"),
    ("罗定市", "泗纶镇", "杨绿村", "是", "是", "是"),
    ("云城区", "腰古镇", "水东村", "否", "是", "否"),
]
# The statistics bureau's list (regions/data/yunfu_villages.csv): three columns, the
# committees' official names. These rows are copied from it verbatim.
BUREAU_HEADER = ("县(市、区)", "乡(镇)", "行政村")
BUREAU_ROWS = [
    ("云城区", "云城街道", "星岩社区居民委员会"),
    ("云城区", "云城街道", "牧羊村民委员会"),
    ("罗定市", "罗镜镇", "罗镜居委会"),
    ("罗定市", "罗镜镇", "水摆村委会"),
    ("罗定市", "罗镜镇", "龙岩村委会"),
]
HEADER_WITH_FORMER_NAME = (
    "县(市、区)",
    "乡(镇)",
    "行政村",
    "是否示范县",
    "是否省定贫困村",
    "是否有电商服务点",
    "原名称",
)


def village_flags():
    return {
        (v.town.county.name, v.town.name, v.name): (v.is_provincial_poor, v.has_service_point)
        for v in Village.objects.with_places()
    }


def import_problems(path):
    """(row, code) of every problem reported for the file."""
    with pytest.raises(SheetError) as excinfo:
        import_regions(path)
    return [(error.row, error.code) for error in excinfo.value.errors]


def village(name):
    return Village.objects.with_places().get(name=name)


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
    assert not Village.objects.filter(is_active=False).exists()
    created = [result.tally(key).created for key in ("counties", "towns", "villages")]
    assert created == [2, 3, 4]
    with translation.override("en"):
        assert "Villages: 4 added, 0 updated, 0 unchanged." in str(result)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad_row, code",
    [
        (("罗定市", "", "大塘村", "是", "否", "否"), "empty_cell"),
        (("罗定市", "罗镜镇", " ", "是", "否", "否"), "empty_cell"),
        (("罗定市", "罗镜镇", "大塘村", "是", "有", "否"), "bad_flag"),
        (("罗定市", "罗镜镇", "大塘村", "是", "否", "不详"), "bad_flag"),
        (("罗定市", "罗镜镇", "水摆村", "是", "否", "否"), "duplicate_village"),
        (("罗定市", "罗镜镇", "大塘村", "否", "否", "否"), "conflicting_county_flag"),
        (("罗定市", "罗镜镇", "大塘村", "是", "否", "否", "备注"), "too_many_columns"),
        (("罗定市", "罗镜镇", "村" * 51, "是", "否", "否"), "too_long"),
        (("罗定市", "镇" * 51, "大塘村", "是", "否", "否"), "too_long"),
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
def test_flags_accept_y_n_1_0_and_a_blank_flag_means_no(region_file):
    import_regions(
        region_file(
            [
                ("罗定市", "罗镜镇", "水摆村", "Y", "y", "N"),
                ("罗定市", "罗镜镇", "龙岩村", "1", "0", "1"),
                ("罗定市", "罗镜镇", "大塘村", "是", "", " "),
            ]
        )
    )

    assert County.objects.get(name="罗定市").is_demonstration
    assert village_flags() == {
        ("罗定市", "罗镜镇", "水摆村"): (True, False),
        ("罗定市", "罗镜镇", "龙岩村"): (False, True),
        ("罗定市", "罗镜镇", "大塘村"): (False, False),
    }


@pytest.mark.django_db
def test_bad_flag_message_names_the_column_and_the_value(region_file):
    path = region_file([("罗定市", "罗镜镇", "水摆村", "是", "不详", "否")])

    with translation.override("en"), pytest.raises(SheetError) as excinfo:
        import_regions(path)

    with translation.override("en"):
        assert str(excinfo.value.errors[0]) == (
            "Row 2: “是否省定贫困村”: must be 是 or 否, not “不详”."
        )


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
        (3, "empty_cell"),
        (4, "bad_flag"),
        (5, "duplicate_village"),
        (5, "conflicting_county_flag"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "first, second",
    [
        ("水摆村", "水摆村委会"),
        ("牧羊村民委员会", "牧羊村委会"),
        ("星岩社区居民委员会", "星岩社区"),
        ("星岩社区居委会", "星岩社区"),
        ("满（lang）塘村", "满(lang) 塘村"),
    ],
)
def test_two_spellings_of_one_village_are_a_duplicate(region_file, first, second):
    """Else the second would be saved as a village of its own beside the first."""
    path = region_file(
        [
            ("罗定市", "罗镜镇", first, "是", "否", "否"),
            ("罗定市", "罗镜镇", second, "是", "否", "否"),
        ]
    )

    assert import_problems(path) == [(3, "duplicate_village")]


@pytest.mark.django_db
def test_one_name_in_two_towns_is_two_villages(region_file):
    import_regions(
        region_file(
            [
                ("罗定市", "罗镜镇", "新村村委会", "是", "否", "否"),
                ("罗定市", "泗纶镇", "新村", "是", "否", "否"),
            ]
        )
    )

    assert Village.objects.count() == 2


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

    assert import_problems(path) == [(4, "empty_cell")]


@pytest.mark.django_db
def test_header_lacking_the_village_column_is_refused_as_row_one(region_file, region_counts):
    header = ("县", "镇", "村名", "是否示范县", "是否省定贫困村", "是否有电商服务点")

    with translation.override("en"), pytest.raises(SheetError) as excinfo:
        import_regions(region_file(GOOD_ROWS, header=header))

    assert [(e.row, e.code) for e in excinfo.value.errors] == [(1, "missing_column")]
    assert "行政村" in str(excinfo.value)
    assert region_counts() == (0, 0, 0)


@pytest.mark.django_db
def test_short_headings_are_accepted_as_aliases(region_file):
    header = ("县", "镇", "村", "示范县", "省定贫困村", "电商服务点")

    import_regions(region_file(GOOD_ROWS, header=header))

    assert village_flags()[("罗定市", "罗镜镇", "龙岩村")] == (False, True)


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
    path = region_file(
        [*GOOD_ROWS, ("郁南县", "连滩镇", "兰寨村", "是", "否", "不详")], name="r.xlsx"
    )

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
    assert result.tally("villages").unchanged == len(GOOD_ROWS)
    assert (result.tally("counties").unchanged, result.tally("towns").unchanged) == (2, 3)
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

    villages, counties = result.tally("villages"), result.tally("counties")
    assert (villages.updated, villages.unchanged) == (1, 3)
    assert (counties.updated, counties.unchanged) == (1, 1)
    assert village_flags()[("罗定市", "罗镜镇", "水摆村")] == (True, True)
    assert County.objects.get(name="云城区").is_demonstration


@pytest.mark.django_db
def test_dry_run_reports_what_would_change_and_writes_nothing(region_file, region_counts):
    result = import_regions(region_file(GOOD_ROWS), dry_run=True)

    assert result.tally("villages").created == len(GOOD_ROWS)
    assert region_counts() == (0, 0, 0)
    with translation.override("en"):
        assert str(result).endswith("Dry run: nothing was written.")


@pytest.mark.django_db
def test_file_that_is_no_table_is_refused_whatever_its_name(tmp_path, region_counts):
    """The content decides how a file is read: text under .xls is read as CSV, and text
    without the columns is refused."""
    path = tmp_path / "regions.xls"
    path.write_bytes(b"whatever")

    assert import_problems(path) == [(None, "no_header")]
    assert region_counts() == (0, 0, 0)


@pytest.mark.django_db
def test_csv_saved_under_an_xls_name_is_imported(region_file):
    import_regions(region_file(GOOD_ROWS, name="regions.xls", encoding="gbk"))

    assert Village.objects.count() == len(GOOD_ROWS)


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
    demo_pk = Village.objects.get(name="水摆村委会").pk
    import_regions(region_file([("罗定市", "罗镜镇", "水摆村", "是", "否", "否")]))

    village = Village.objects.with_places().get(name="水摆村", town__name="罗镜镇")
    assert village.pk == demo_pk  # the demo's 水摆村委会, taken over and renamed
    assert not village.is_demo_data
    assert not village.town.is_demo_data
    assert not village.town.county.is_demo_data
    assert not village.is_provincial_poor  # the demo has it poor; the file says 否


# The statistics bureau's list, renaming


@pytest.mark.django_db
def test_statistics_bureau_list_imports_names_verbatim_with_every_flag_false(region_file):
    result = import_regions(region_file(BUREAU_ROWS, header=BUREAU_HEADER))

    assert result.tally("villages").created == len(BUREAU_ROWS)
    assert village_flags() == {
        (county, town, name): (False, False) for county, town, name in BUREAU_ROWS
    }
    assert dict(County.objects.values_list("name", "is_demonstration")) == {
        "云城区": False,
        "罗定市": False,
    }


@pytest.mark.django_db
def test_statistics_bureau_list_keeps_the_flags_already_set(region_file):
    flagged = [
        (*BUREAU_ROWS[3], "是", "是", "否"),  # 水摆村委会
        (*BUREAU_ROWS[4], "是", "否", "是"),  # 龙岩村委会
    ]
    import_regions(region_file(flagged, name="flags.csv"))

    result = import_regions(region_file(BUREAU_ROWS, header=BUREAU_HEADER))

    assert village_flags()[("罗定市", "罗镜镇", "水摆村委会")] == (True, False)
    assert village_flags()[("罗定市", "罗镜镇", "龙岩村委会")] == (False, True)
    assert County.objects.get(name="罗定市").is_demonstration
    villages = result.tally("villages")
    assert (villages.created, villages.updated, villages.unchanged) == (3, 0, 2)
    assert result.tally("counties").unchanged == 1


@pytest.mark.django_db
def test_village_stored_by_its_short_name_is_found_by_its_committee_name_and_renamed(
    region_file,
):
    """水摆村委会 is the 水摆村 already there: renamed in place, its records kept."""
    from coverage.models import RegistryMember

    import_regions(region_file(GOOD_ROWS))
    before = village("水摆村")
    member = RegistryMember.objects.create(
        village=before,
        household_id="1",
        name="张三",
        id_number_hash="0" * 64,
        id_number_masked="4453**********1234",
        relation_to_head="户主",
        labour_category="普通劳动力",
    )

    result = import_regions(region_file(BUREAU_ROWS, header=BUREAU_HEADER))

    after = village("水摆村委会")
    assert after.pk == before.pk
    assert (after.is_provincial_poor, after.has_service_point) == (True, False)
    assert not Village.objects.filter(name="水摆村").exists()
    assert Village.objects.filter(town=after.town).count() == 3  # 罗镜居委会 is new
    assert result.tally("villages").updated == 2  # 水摆村 and 龙岩村 renamed
    member.refresh_from_db()
    assert member.village == after


@pytest.mark.django_db
def test_former_name_column_renames_a_village_explicitly(region_file):
    import_regions(region_file(GOOD_ROWS))
    before = village("龙岩村")
    rows = [("罗定市", "罗镜镇", "新龙村", "是", "否", "是", "龙岩村")]

    result = import_regions(region_file(rows, header=HEADER_WITH_FORMER_NAME))

    after = village("新龙村")
    assert after.pk == before.pk
    assert not Village.objects.filter(name="龙岩村").exists()
    assert result.tally("villages").updated == 1
    assert result.tally("villages").created == 0


@pytest.mark.django_db
def test_former_name_is_only_used_when_the_name_itself_is_not_there(region_file):
    import_regions(region_file(GOOD_ROWS))
    shuibai, longyan = village("水摆村"), village("龙岩村")
    rows = [("罗定市", "罗镜镇", "水摆村", "是", "是", "否", "龙岩村")]

    import_regions(region_file(rows, header=HEADER_WITH_FORMER_NAME))

    assert village("水摆村").pk == shuibai.pk
    assert village("龙岩村").pk == longyan.pk


# Keeping the list in step (sync)


@pytest.mark.django_db
def test_sync_makes_the_absent_villages_of_the_files_counties_inactive(region_file):
    import_regions(region_file(GOOD_ROWS))
    rows = [
        GOOD_ROWS[0],  # 水摆村
        GOOD_ROWS[2],  # 杨绿村; 龙岩村 is left out
        ("罗定市", "罗镜镇", "大塘村", "是", "否", "否"),  # new
    ]

    result = import_regions(region_file(rows, name="full.csv"), sync=True)

    active = dict(Village.objects.values_list("name", "is_active"))
    assert active == {
        "水摆村": True,
        "杨绿村": True,
        "大塘村": True,
        "龙岩村": False,
        "水东村": True,
    }
    villages = result.tally("villages")
    assert (villages.created, villages.deactivated) == (1, 1)
    with translation.override("en"):
        assert "罗定市/罗镜镇/龙岩村" in str(result)
        assert "1 made inactive" in str(result)


@pytest.mark.django_db
def test_without_sync_absent_villages_stay_active(region_file):
    import_regions(region_file(GOOD_ROWS))

    import_regions(region_file(GOOD_ROWS[:1], name="one.csv"))

    assert not Village.objects.filter(is_active=False).exists()


@pytest.mark.django_db
def test_inactive_village_leaves_the_coverage_scope_and_comes_back_when_listed(region_file):
    import_regions(region_file(GOOD_ROWS))
    in_scope = set(Village.objects.in_coverage_scope().values_list("name", flat=True))
    assert in_scope == {"水摆村", "杨绿村"}

    import_regions(region_file([GOOD_ROWS[0], GOOD_ROWS[1]], name="part.csv"), sync=True)

    assert list(Village.objects.in_coverage_scope().values_list("name", flat=True)) == ["水摆村"]
    assert not Village.objects.get(name="杨绿村").is_active

    result = import_regions(region_file(GOOD_ROWS, name="all.csv"))

    assert Village.objects.get(name="杨绿村").is_active
    assert result.tally("villages").updated == 1
    in_scope = set(Village.objects.in_coverage_scope().values_list("name", flat=True))
    assert in_scope == {"水摆村", "杨绿村"}
