"""Importing the poverty registry (建档立卡) from the poverty-alleviation office's sheet.

Every row is checked before anything is written. A member is matched by the keyed hash
of their ID-card number, so a new year's file updates members in place; members missing
from it are marked inactive, never deleted (their past training still happened). The
ID-card number never appears in a message: rows are named by number and name.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.idcard import id_number_hash, mask_id_number, normalize_id_number
from regions.models import Village
from regions.sheets import RowError, SheetError, body_rows, read_table

from .idcrypt import encrypt_id_number
from .models import LabourCategory, RegistryMember, WorkStatus

HEADER = (
    "县(市、区)",
    "乡(镇)",
    "行政村",
    "户编号",
    "姓名",
    "证件号码",
    "与户主关系",
    "劳动技能",
    "务工状况",
)
REQUIRED = HEADER[:8]
BATCH = 1000
# The fields a new year's file may change for a member already known by their hash.
UPDATED_FIELDS = [
    "village_id",
    "household_id",
    "name",
    "relation_to_head",
    "labour_category",
    "work_status",
    "is_active",
]


class RegistryFileError(SheetError):
    """The registry file cannot be imported; ``errors`` lists every problem (RowError).

    Row error codes: unknown_format, unreadable, empty_file, bad_header,
    too_many_columns, empty_cell, too_long, unknown_village, bad_id_number,
    duplicate_id_number, unknown_labour_category, unknown_work_status.
    """


@dataclass(frozen=True)
class RegistryRow:
    village_id: int
    household_id: str
    name: str
    id_number: str
    relation_to_head: str
    labour_category: str
    work_status: str


@dataclass
class RegistryImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0

    def __str__(self):
        return _(
            "Registry: %(created)d members added, %(updated)d updated, "
            "%(unchanged)d unchanged, %(deactivated)d no longer listed (made inactive)."
        ) % vars(self)


def import_registry(source, progress=None) -> RegistryImportResult:
    """Import a registry file (a path or an upload). ``progress(done, total)`` is told how
    far the writing has come. Raises RegistryFileError, having written nothing."""
    try:
        table = read_table(source)
    except SheetError as exc:
        raise RegistryFileError(exc.errors) from None
    return save_registry_rows(parse_registry(table), progress=progress)


def parse_registry(table) -> list[RegistryRow]:
    villages = {
        (v.town.county.name, v.town.name, v.name): v.pk for v in Village.objects.with_places()
    }
    rows, errors, first_row_of = [], [], {}
    for number, cells, problems in body_rows(table, HEADER, RegistryFileError):
        county, town, village, household, name, raw_id, relation, labour, work = cells[:9]
        row_errors = list(problems)

        def problem(code, message, number=number, name=name, row_errors=row_errors):
            row_errors.append(RowError(number, code, message, name=name))

        for column, value in zip(HEADER, cells[:9], strict=True):
            if column in REQUIRED and not value:
                problem("empty_cell", _("“%(column)s” is empty.") % {"column": column})
        for column, value, field in (
            (HEADER[3], household, "household_id"),
            (HEADER[4], name, "name"),
            (HEADER[6], relation, "relation_to_head"),
        ):
            limit = RegistryMember._meta.get_field(field).max_length
            if len(value) > limit:
                problem(
                    "too_long",
                    _("“%(column)s” is longer than %(max)d characters.")
                    % {"column": column, "max": limit},
                )
        village_id = villages.get((county, town, village))
        if county and town and village and village_id is None:
            problem(
                "unknown_village",
                _("There is no village %(place)s; import the regions first.")
                % {"place": f"{county}/{town}/{village}"},
            )
        number_ok = ""
        if raw_id:
            try:
                number_ok = normalize_id_number(raw_id)
            except ValidationError as exc:
                problem("bad_id_number", exc.messages[0])
        if number_ok:
            first = first_row_of.setdefault(number_ok, number)
            if first != number:
                problem(
                    "duplicate_id_number",
                    _("The same ID-card number is in row %(row)d.") % {"row": first},
                )
        if labour and labour not in LabourCategory.values:
            problem(
                "unknown_labour_category",
                _("“%(column)s” must be one of %(values)s, not “%(value)s”.")
                % {
                    "column": HEADER[7],
                    "values": "、".join(LabourCategory.values),
                    "value": labour,
                },
            )
        if work not in WorkStatus.values:
            problem(
                "unknown_work_status",
                _("“%(column)s” must be empty or one of %(values)s, not “%(value)s”.")
                % {
                    "column": HEADER[8],
                    "values": "、".join(v for v in WorkStatus.values if v),
                    "value": work,
                },
            )
        if row_errors:
            errors.extend(row_errors)
        else:
            rows.append(RegistryRow(village_id, household, name, number_ok, relation, labour, work))
    if errors:
        raise RegistryFileError(errors)
    if not rows:
        raise RegistryFileError([RowError(None, "empty_file", _("The file lists no one."))])
    return rows


@transaction.atomic
def save_registry_rows(rows, progress=None) -> RegistryImportResult:
    result = RegistryImportResult()
    known = {member.id_number_hash: member for member in RegistryMember.objects.all()}
    new, changed, seen = [], [], set()
    for row in rows:
        hashed = id_number_hash(row.id_number)
        seen.add(hashed)
        member = known.get(hashed)
        if member is None:
            new.append(
                RegistryMember(
                    village_id=row.village_id,
                    household_id=row.household_id,
                    name=row.name,
                    id_number_hash=hashed,
                    id_number_masked=mask_id_number(row.id_number),
                    id_number_encrypted=encrypt_id_number(row.id_number),
                    relation_to_head=row.relation_to_head,
                    labour_category=row.labour_category,
                    work_status=row.work_status,
                )
            )
            continue
        wanted = {
            "village_id": row.village_id,
            "household_id": row.household_id,
            "name": row.name,
            "relation_to_head": row.relation_to_head,
            "labour_category": row.labour_category,
            "work_status": row.work_status,
            "is_active": True,
        }
        if all(getattr(member, field) == value for field, value in wanted.items()):
            result.unchanged += 1
            continue
        for field, value in wanted.items():
            setattr(member, field, value)
        changed.append(member)
    gone = [m.pk for h, m in known.items() if h not in seen and m.is_active]

    total, done = len(new) + len(changed) + len(gone), 0
    for start in range(0, len(new), BATCH):
        RegistryMember.objects.bulk_create(new[start : start + BATCH])
        done += len(new[start : start + BATCH])
        _report(progress, done, total)
    for start in range(0, len(changed), BATCH):
        RegistryMember.objects.bulk_update(changed[start : start + BATCH], UPDATED_FIELDS)
        done += len(changed[start : start + BATCH])
        _report(progress, done, total)
    for start in range(0, len(gone), BATCH):
        RegistryMember.objects.filter(pk__in=gone[start : start + BATCH]).update(is_active=False)
        done += len(gone[start : start + BATCH])
        _report(progress, done, total)
    result.created, result.updated, result.deactivated = len(new), len(changed), len(gone)
    return result


def _report(progress, done, total):
    if progress is not None:
        progress(done, total)
