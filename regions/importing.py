"""Importing counties, towns and villages from the bureau's list, or the statistics bureau's.

Columns are found by heading (see ``LAYOUT``); only county, town and village are
required, so the statistics bureau's own list (县(市、区),乡(镇),行政村) imports as it
is. The flag columns, where present, set the flags (是 or 否; an empty cell is 否);
where absent, existing flags are kept. Villages are matched by ``place_key``, so a list
that writes 牧羊村民委员会 finds the 牧羊村 already there, renames it, and keeps its
records; a 原名称 column renames explicitly.

With ``sync``, the file is the full list for its counties: their villages it does not
list are made inactive (never deleted: registry members and classes still point at
them), and listed again, they come back.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sheets.checks import SheetError
from sheets.columns import Column, Layout
from sheets.importing import write_all_or_nothing
from sheets.reading import read_table
from sheets.results import ImportResult

from .models import County, Town, Village
from .places import place_key

COUNTY_COLUMN = Column("county", "县(市、区)", ("县(市、区、旗)", "县(区)", "县(市)", "县区", "县"))
TOWN_COLUMN = Column(
    "town", "乡(镇)", ("镇(乡)", "乡镇", "乡(镇、街道)", "镇(街道)", "乡镇(街道)", "镇街", "镇")
)
VILLAGE_COLUMN = Column("village", "行政村", ("村(社区)", "行政村(社区)", "村委会", "村"))
FLAG_COLUMNS = (
    Column("is_demonstration", "是否示范县", ("示范县",), optional=True, blank=True),
    Column(
        "is_provincial_poor",
        "是否省定贫困村",
        ("是否相对贫困村", "是否贫困村", "省定贫困村", "相对贫困村"),
        optional=True,
        blank=True,
    ),
    Column(
        "has_service_point",
        "是否有电商服务点",
        ("是否有服务点", "电商服务点"),
        optional=True,
        blank=True,
    ),
)
LAYOUT = Layout(
    (
        COUNTY_COLUMN,
        TOWN_COLUMN,
        VILLAGE_COLUMN,
        Column("former_name", "原名称", ("曾用名", "原村名"), optional=True, blank=True),
        *FLAG_COLUMNS,
    )
)
YES = {"是", "Y", "YES", "1", "√", "TRUE"}
NO = {"否", "N", "NO", "0", "×", "FALSE", ""}


@dataclass(frozen=True)
class RegionRow:
    """One village line of the file, checked. A flag of None keeps what is there."""

    county: str
    town: str
    village: str
    is_demonstration: bool | None = None
    is_provincial_poor: bool | None = None
    has_service_point: bool | None = None
    former_name: str = ""


def import_regions(source, *, dry_run=False, sync=False) -> ImportResult:
    """Import a CSV, XLSX or XLS list (a path, or an upload). Raises SheetError, having
    written nothing, if any row is wrong; the same file twice changes nothing."""
    rows = parse_table(read_table(source))
    return write_all_or_nothing(lambda: save_region_rows(rows, sync=sync), dry_run=dry_run)


def parse_table(table) -> list[RegionRow]:
    """Check every row; return them all, or raise SheetError listing every bad one."""
    checks = LAYOUT.rows(table)
    present = {key for key in LAYOUT.labels if any(key in c.values for c in checks)}
    rows, errors, first_row, county_flag = [], [], {}, {}
    for check in checks:
        for column, model in ((COUNTY_COLUMN, County), (TOWN_COLUMN, Town)):
            check.length(column.key, model, "name")
        check.length("village", Village, "name")
        flags = {}
        for column in FLAG_COLUMNS:
            if column.key in present:
                flags[column.key] = _flag(check, column.key)
        place = tuple(place_key(check[key]) for key in ("county", "town", "village"))
        if all(place) and check.ok:
            check.once("village", place, first_row, code="duplicate_village")
        if flags.get("is_demonstration") is not None:
            county = place[0]
            earlier, earlier_row = county_flag.setdefault(
                county, (flags["is_demonstration"], check.number)
            )
            if earlier != flags["is_demonstration"]:
                check.column_problem(
                    "conflicting_county_flag",
                    "is_demonstration",
                    _("%(county)s is “%(value)s” here but “%(earlier)s” in row %(row)d.")
                    % {
                        "county": check["county"],
                        "value": _("yes") if flags["is_demonstration"] else _("no"),
                        "earlier": _("yes") if earlier else _("no"),
                        "row": earlier_row,
                    },
                )
        if check.ok:
            rows.append(
                RegionRow(
                    county=check["county"],
                    town=check["town"],
                    village=check["village"],
                    former_name=check["former_name"],
                    **flags,
                )
            )
        errors.extend(check.errors)
    if errors:
        raise SheetError(errors)
    return rows


def _flag(check, key):
    text = check[key].strip().upper()
    if text in YES:
        return True
    if text in NO:
        return False
    check.column_problem(
        "bad_flag", key, _("must be 是 or 否, not “%(value)s”.") % {"value": check[key]}
    )
    return None


def save_region_rows(rows, *, is_demo_data=False, sync=False) -> ImportResult:
    """Create, update, rename (and with ``sync`` deactivate) to match the rows.

    Demo data never overwrites a real record (one not marked as demo data); real data
    takes over a demo record of the same names, so that removing the demo data later
    cannot remove it. The caller runs this in a transaction.
    """
    result = ImportResult()
    counties = result.tally("counties", gettext_lazy("Counties"))
    towns = result.tally("towns", gettext_lazy("Towns"))
    villages = result.tally("villages", gettext_lazy("Villages"))
    known = _Known()
    seen = set()
    new_villages = []
    for row in rows:
        county = known.county(row, is_demo_data, counties)
        town = known.town(county, row, is_demo_data, towns)
        village = known.village(town, row)
        values = {
            "name": row.village,
            "is_active": True,
            "is_provincial_poor": row.is_provincial_poor,
            "has_service_point": row.has_service_point,
        }
        if village is None:
            new_villages.append(
                Village(
                    town=town,
                    is_demo_data=is_demo_data,
                    name=row.village,
                    is_provincial_poor=bool(row.is_provincial_poor),
                    has_service_point=bool(row.has_service_point),
                )
            )
            villages.created += 1
            continue
        seen.add(village.pk)
        _update(village, values, is_demo_data, villages)
    if sync:
        # Before the new villages are saved: they are on the list, though not in ``seen``.
        gone = (
            Village.objects.with_places()
            .filter(town__county__in=known.used_counties, is_active=True)
            .exclude(pk__in=seen)
        )
        names = [village.full_name for village in gone]
        if names:
            result.notes.append(
                _("Not on the list, made inactive: %(villages)s.") % {"villages": "、".join(names)}
            )
            villages.deactivated = gone.update(is_active=False)
    Village.objects.bulk_create(new_villages)
    return result


class _Known:
    """The counties, towns and villages already there, by key."""

    def __init__(self):
        self.counties = {place_key(c.name): c for c in County.objects.all()}
        self.towns = {(t.county_id, place_key(t.name)): t for t in Town.objects.all()}
        self.villages = {}
        for village in Village.objects.all():
            self.villages.setdefault((village.town_id, place_key(village.name)), village)
        self.used_counties = set()
        self.used_towns = set()

    def county(self, row, is_demo_data, tally):
        key = place_key(row.county)
        county = self.counties.get(key)
        if county is None:
            county = self.counties[key] = County.objects.create(
                name=row.county,
                is_demonstration=bool(row.is_demonstration),
                is_demo_data=is_demo_data,
            )
            tally.created += 1
        elif county.pk not in self.used_counties:
            _update(county, {"is_demonstration": row.is_demonstration}, is_demo_data, tally)
        self.used_counties.add(county.pk)
        return county

    def town(self, county, row, is_demo_data, tally):
        key = (county.pk, place_key(row.town))
        town = self.towns.get(key)
        if town is None:
            town = self.towns[key] = Town.objects.create(
                county=county, name=row.town, is_demo_data=is_demo_data
            )
            tally.created += 1
        elif town.pk not in self.used_towns:
            _update(town, {}, is_demo_data, tally)
        self.used_towns.add(town.pk)
        return town

    def village(self, town, row):
        village = self.villages.get((town.pk, place_key(row.village)))
        if village is None and row.former_name:
            village = self.villages.get((town.pk, place_key(row.former_name)))
        return village


def _update(obj, values, is_demo_data, tally):
    """Set the values that are not None; count the record as updated or unchanged."""
    values = {name: value for name, value in values.items() if value is not None}
    values["is_demo_data"] = is_demo_data
    if is_demo_data and not obj.is_demo_data:
        tally.unchanged += 1
        return
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        tally.unchanged += 1
        return
    for name in changed:
        setattr(obj, name, values[name])
    obj.save(update_fields=changed)
    tally.updated += 1
