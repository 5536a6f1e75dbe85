"""Importing counties, towns and villages from the spreadsheet the commerce bureau keeps.

The whole file is validated before anything is written: a bad row never leaves half an
import behind, and whoever fixes the file sees every problem at once, by the row number
their spreadsheet program shows (the header is row 1).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from .models import County, Town, Village
from .sheets import RowError, SheetError, body_rows
from .sheets import read_table as read_sheet

HEADER = ("县(市、区)", "乡(镇)", "行政村", "是否示范县", "是否省定贫困村", "是否有电商服务点")
FLAG_VALUES = {"是": True, "否": False}
NAME_COLUMNS = ((HEADER[0], County), (HEADER[1], Town), (HEADER[2], Village))
FLAG_COLUMNS = HEADER[3:]


@dataclass(frozen=True)
class RegionRow:
    """One village line of the file, validated."""

    county: str
    town: str
    village: str
    is_demonstration: bool
    is_provincial_poor: bool
    has_service_point: bool


class RegionFileError(SheetError):
    """The regions file cannot be imported; ``errors`` lists every problem found (RowError).

    Row error codes: unknown_format, unreadable, empty_file, bad_header, too_many_columns,
    empty_name, name_too_long, bad_flag, duplicate_village, conflicting_county_flag.
    """


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    """How many records of each level an import created, updated or left as they were."""

    counties: Tally = field(default_factory=Tally)
    towns: Tally = field(default_factory=Tally)
    villages: Tally = field(default_factory=Tally)

    @property
    def changed_anything(self) -> bool:
        return any(t.created or t.updated for t in (self.counties, self.towns, self.villages))

    def summary_lines(self) -> list[str]:
        return [
            _("Counties: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % vars(self.counties),
            _("Towns: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % vars(self.towns),
            _("Villages: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % vars(self.villages),
        ]

    def __str__(self):
        return " ".join(self.summary_lines())


def import_regions(source) -> ImportResult:
    """Import a CSV or XLSX file (a path, or a binary file object with a ``name``).

    Raises RegionFileError, having written nothing, if any row is bad. Importing the same
    file twice changes nothing the second time.
    """
    rows = parse_table(read_table(source))
    return save_region_rows(rows)


def read_table(source) -> list[list[str]]:
    """The cells of the file's first sheet as text, row by row (see regions.sheets)."""
    try:
        return read_sheet(source)
    except SheetError as exc:
        raise RegionFileError(exc.errors) from None


def parse_table(table: list[list[str]]) -> list[RegionRow]:
    """Validate every row; return them all, or raise RegionFileError listing every bad one."""
    rows, errors = [], []
    row_of_village = {}
    county_flag_seen = {}  # county name -> (flag text, row number) where first given
    for number, cells, problems in body_rows(table, HEADER, RegionFileError):
        row_errors = list(problems)
        names, flag_texts = cells[:3], cells[3:6]

        for (column, model), value in zip(NAME_COLUMNS, names, strict=True):
            max_length = model._meta.get_field("name").max_length
            if not value:
                row_errors.append(
                    RowError(number, "empty_name", _("“%(column)s” is empty.") % {"column": column})
                )
            elif len(value) > max_length:
                row_errors.append(
                    RowError(
                        number,
                        "name_too_long",
                        _("“%(column)s” is longer than %(max)d characters.")
                        % {"column": column, "max": max_length},
                    )
                )
        for column, value in zip(FLAG_COLUMNS, flag_texts, strict=True):
            if value not in FLAG_VALUES:
                row_errors.append(
                    RowError(
                        number,
                        "bad_flag",
                        _("“%(column)s” must be 是 or 否, not “%(value)s”.")
                        % {"column": column, "value": value},
                    )
                )

        county, town, village = names
        if all(names):
            first = row_of_village.setdefault((county, town, village), number)
            if first != number:
                row_errors.append(
                    RowError(
                        number,
                        "duplicate_village",
                        _("%(village)s is already in row %(row)d.")
                        % {"village": f"{county}/{town}/{village}", "row": first},
                    )
                )
        demonstration = flag_texts[0]
        if county and demonstration in FLAG_VALUES:
            earlier, earlier_row = county_flag_seen.setdefault(county, (demonstration, number))
            if earlier != demonstration:
                row_errors.append(
                    RowError(
                        number,
                        "conflicting_county_flag",
                        _(
                            "%(county)s is given “%(column)s” = “%(value)s” here "
                            "but “%(earlier)s” in row %(row)d."
                        )
                        % {
                            "county": county,
                            "column": FLAG_COLUMNS[0],
                            "value": demonstration,
                            "earlier": earlier,
                            "row": earlier_row,
                        },
                    )
                )

        if row_errors:
            errors.extend(row_errors)
        else:
            rows.append(RegionRow(*names, *(FLAG_VALUES[text] for text in flag_texts)))

    if errors:
        raise RegionFileError(errors)
    if not rows:
        raise RegionFileError([RowError(None, "empty_file", _("The file has no village rows."))])
    return rows


def save_region_rows(rows, *, is_demo_data=False) -> ImportResult:
    """Create or update the rows' counties, towns and villages, all in one transaction.

    Records are found by their names. Demo data never overwrites a real record (one not
    marked as demo data); real data takes over a demo record of the same names, so that
    removing the demo data later cannot remove it.
    """
    result = ImportResult()
    counties, towns = {}, {}
    with transaction.atomic():
        for row in rows:
            county = counties.get(row.county)
            if county is None:
                county = counties[row.county] = _upsert(
                    County,
                    {"name": row.county},
                    {"is_demonstration": row.is_demonstration},
                    is_demo_data,
                    result.counties,
                )
            town = towns.get((row.county, row.town))
            if town is None:
                town = towns[row.county, row.town] = _upsert(
                    Town, {"county": county, "name": row.town}, {}, is_demo_data, result.towns
                )
            _upsert(
                Village,
                {"town": town, "name": row.village},
                {
                    "is_provincial_poor": row.is_provincial_poor,
                    "has_service_point": row.has_service_point,
                },
                is_demo_data,
                result.villages,
            )
    return result


def _upsert(model, lookup, values, is_demo_data, tally):
    values = {**values, "is_demo_data": is_demo_data}
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    if created:
        tally.created += 1
        return obj
    if is_demo_data and not obj.is_demo_data:
        tally.unchanged += 1
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        tally.updated += 1
    else:
        tally.unchanged += 1
    return obj
