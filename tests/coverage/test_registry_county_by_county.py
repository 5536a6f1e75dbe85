"""County offices send their own files, one after another, in the national layout; the
figure stays equal to a count made straight from the files."""

import datetime

import pytest

from accounts.idcard import check_digit
from coverage.models import RegistryMember
from coverage.registry_import import import_registry
from coverage.report import coverage_by
from regions.importing import import_regions
from regions.models import County, Village
from tests.coverage.conftest import NATIONAL_HEADER, attend, session
from tests.support import ROOT, write_sheet

LABOURS = ["技能劳动力", "普通劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力"]
WORKS = ["乡（镇）内务工", "乡（镇）外县内务工", "县外省内务工", "省外务工", "其他", ""]
CAPACITY, MIGRANT = set(LABOURS[:3]), {"县外省内务工", "省外务工"}
# Poor villages in two demonstration counties, as the registry writes them (牧羊村 for
# the statistics bureau's 牧羊村民委员会), and one village that is not poor.
PLACES = {
    "罗定市": [("罗镜镇", "水摆村", True), ("泗纶镇", "杨绿村", True), ("罗镜镇", "龙岩村", False)],
    "新兴县": [("六祖镇", "夏卢村", True), ("天堂镇", "朱所村", True)],
}
YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def id_number(county_code, n):
    first17 = f"{county_code}19750101{n:03d}"
    return first17 + check_digit(first17)


def county_lines(county, code, count):
    """``count`` members spread over the county's villages, every kind of labour and
    work status among them, as the national system writes them."""
    places = PLACES[county]
    lines = []
    for n in range(1, count + 1):
        town, village, _poor = places[n % len(places)]
        values = {
            "县(市、区、旗)": county,
            "乡(镇)": town,
            "行政村": village,
            "户编号": f"{code}H{n // 3:04d}",
            "人编号": f"{code}P{n:04d}",
            "姓名": f"{county}村民{n}",
            "证件号码": id_number(code, n),
            "与户主关系": "户主" if n % 3 == 0 else "之子",
            "劳动技能": LABOURS[n % 5],
            "务工状况": WORKS[n % 6],
            "人数": 3,
        }
        lines.append(tuple(values.get(column, "") for column in NATIONAL_HEADER))
    return lines


def eligible_by_hand(lines):
    """The definition (DESIGN.md), applied to the file's cells: poor village, capacity,
    not working outside the county."""
    poor = {(town, village) for places in PLACES.values() for town, village, p in places if p}
    column = NATIONAL_HEADER.index
    return [
        line
        for line in lines
        if (line[column("乡(镇)")], line[column("行政村")]) in poor
        and line[column("劳动技能")] in CAPACITY
        and line[column("务工状况")] not in MIGRANT
    ]


@pytest.fixture
def real_regions(db, tmp_path):
    """Yunfu's real villages from the statistics bureau's list, flagged for this test."""
    import_regions(ROOT / "regions" / "data" / "yunfu_villages.csv")
    County.objects.filter(name__in=PLACES).update(is_demonstration=True)
    for county, places in PLACES.items():
        for town, village, poor in places:
            found = [
                v
                for v in Village.objects.filter(town__county__name=county, town__name=town)
                if v.name.startswith(village[:-1])
            ]
            assert len(found) == 1, (county, town, village)
            Village.objects.filter(pk=found[0].pk).update(is_provincial_poor=poor)


@pytest.mark.django_db
def test_counties_imported_one_after_another_give_the_figure_a_hand_count_gives(
    real_regions, tmp_path, course
):
    luoding = county_lines("罗定市", "445381", 90)
    xinxing = county_lines("新兴县", "445321", 60)
    with_title = [("建档立卡贫困人口基础信息（罗定市）",), NATIONAL_HEADER, *luoding]
    import_registry(write_sheet(tmp_path / "罗定市.csv", with_title, "gbk"))
    import_registry(write_sheet(tmp_path / "新兴县.xls", [NATIONAL_HEADER, *xinxing]))

    # Trainees attend a class in 罗定市, some of them from 新兴县: they count at home.
    venue = Village.objects.get(town__name="罗镜镇", name__startswith="水摆")
    held = session(course, venue, datetime.date(2026, 4, 1))
    eligible = {
        name: eligible_by_hand(lines) for name, lines in (("罗定市", luoding), ("新兴县", xinxing))
    }
    name_column = NATIONAL_HEADER.index("姓名")
    attendees = [*eligible["罗定市"][:7], *eligible["新兴县"][:4]]
    for line in attendees:
        attend(held, RegistryMember.objects.get(name=line[name_column]))

    figures = {row.county: row for row in coverage_by("county", *YEAR)}
    assert {name: figures[name].eligible for name in figures} == {
        name: len(lines) for name, lines in eligible.items()
    }
    assert (figures["罗定市"].person_times, figures["新兴县"].person_times) == (7, 4)

    # Next year 罗定市 sends a new file: ten members gone, one now working out of the
    # province. 新兴县's figures do not move.
    gone = {line[name_column] for line in luoding[:10]}
    work_column = NATIONAL_HEADER.index("务工状况")
    later = [list(line) for line in luoding[10:]]
    later[10][work_column] = "省外务工"
    result = import_registry(write_sheet(tmp_path / "罗定市2027.xlsx", [NATIONAL_HEADER, *later]))
    luoding_tally = result.tallies[County.objects.get(name="罗定市").pk]
    assert luoding_tally.deactivated == 10
    assert not RegistryMember.objects.filter(name__in=gone, is_active=True).exists()
    after = {row.county: row for row in coverage_by("county", *YEAR)}
    assert after["罗定市"].eligible == len(eligible_by_hand(later))
    assert after["新兴县"] == figures["新兴县"]
