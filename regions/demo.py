"""Demonstration regions: Yunfu's five county-level areas with some of their towns.

The counties and towns are real; the villages are plausible local names chosen for the
demo, not an official list, and their flags are made up. Everything is marked as demo
data so that it can be told from, and never overwrites, an imported register.
"""

from .importing import ImportResult, RegionRow, save_region_rows

# Every county but 云城区 is a demonstration county, so the demo shows both sides of
# the coverage scope.
DEMONSTRATION_COUNTIES = {"罗定市", "新兴县", "郁南县", "云安区"}

POOR = "poor"
SERVICE = "service point"

# county -> town -> [(village, flags)]
DEMO_VILLAGES = {
    "罗定市": {
        "罗城街道": [("大岗村", ()), ("龙华村", (SERVICE,)), ("太平村", (POOR,))],
        "附城街道": [("大垌村", (POOR, SERVICE)), ("新榕村", ()), ("石围村", ())],
        "素龙街道": [("岗咀村", ()), ("大桥村", (POOR,)), ("沙头村", (SERVICE,))],
        "罗镜镇": [
            ("水摆村", (POOR,)),
            ("龙岩村", (POOR, SERVICE)),
            ("罗镜村", ()),
            ("大塘村", ()),
        ],
        "泗纶镇": [("杨绿村", (POOR, SERVICE)), ("泗纶村", (SERVICE,)), ("坑塘村", (POOR,))],
        "榃滨镇": [("榃滨村", ()), ("金滩村", (POOR,)), ("良塘村", ()), ("竹山村", (SERVICE,))],
    },
    "新兴县": {
        "新城镇": [("东堤村", (SERVICE,)), ("良洞村", ()), ("古楼村", (POOR,))],
        "六祖镇": [("夏卢村", (SERVICE,)), ("龙山村", (POOR, SERVICE)), ("塔脚村", ())],
        "天堂镇": [
            ("朱所村", (POOR,)),
            ("内洞村", (POOR,)),
            ("天堂村", (SERVICE,)),
            ("黄坭村", ()),
        ],
        "东成镇": [("云河村", ()), ("石头村", (POOR, SERVICE)), ("新围村", ())],
    },
    "郁南县": {
        "都城镇": [("大湾村", (SERVICE,)), ("罗旁村", ()), ("青石村", (POOR,))],
        "连滩镇": [("兰寨村", (SERVICE,)), ("西坝村", (POOR,)), ("张公庙村", ()), ("山旁村", ())],
        "河口镇": [("厚元村", (POOR, SERVICE)), ("宝珠村", ()), ("河口村", ())],
        "宋桂镇": [("宋桂村", ()), ("木江村", (POOR,)), ("大田村", (POOR, SERVICE))],
    },
    "云安区": {
        "六都镇": [("大岗村", (SERVICE,)), ("水口村", (POOR,)), ("六都村", ())],
        "高村镇": [("高村村", ()), ("塘岗村", (POOR, SERVICE)), ("南乡村", ())],
        "白石镇": [("白石村", (SERVICE,)), ("朗塘村", (POOR,)), ("龙塘村", ()), ("石底村", ())],
        "镇安镇": [("镇安村", ()), ("西安村", (POOR,)), ("永安村", (SERVICE,))],
    },
    "云城区": {
        "云城街道": [("蟠龙村", (SERVICE,)), ("罗岗村", ()), ("黄湾村", ())],
        "腰古镇": [("水东村", (POOR,)), ("腰古村", (SERVICE,)), ("大田村", ())],
        "思劳镇": [("思劳村", ()), ("横岗村", (POOR, SERVICE)), ("南庄村", ())],
        "前锋镇": [("前锋村", (SERVICE,)), ("大塘村", (POOR,)), ("新城村", ()), ("塘口村", ())],
    },
}


def demo_region_rows() -> list[RegionRow]:
    """The demo regions as rows of the import file, one per village."""
    return [
        RegionRow(
            county=county,
            town=town,
            village=village,
            is_demonstration=county in DEMONSTRATION_COUNTIES,
            is_provincial_poor=POOR in flags,
            has_service_point=SERVICE in flags,
        )
        for county, towns in DEMO_VILLAGES.items()
        for town, villages in towns.items()
        for village, flags in villages
    ]


def load_demo_regions() -> ImportResult:
    """Create the demo counties, towns and villages, or reset demo records to these values.

    Safe to run again. Records already there as real data (imported from a register) are
    left as they are.
    """
    return save_region_rows(demo_region_rows(), is_demo_data=True)
