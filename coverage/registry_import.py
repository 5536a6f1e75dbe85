"""Importing the poverty registry (建档立卡) as the national system exports it.

The national system (全国扶贫开发信息系统) exports about 26 columns per member, one
county per file, often as GBK CSV or XLS; a county office may also keep the nine
columns of ``LAYOUT`` alone. Columns are found by heading in any order and the others
ignored. Villages are matched however their committee is written (regions.places), ID
numbers in either the 18-digit or the old 15-digit form (accounts.idcard), and the
words of 劳动技能 and 务工状况 in the national spelling or an older one
(coverage.vocabulary).

A member is known by the keyed hash of their ID-card number, so a new file updates
members in place. A file replaces only its own counties: their members it no longer
lists are made inactive (never deleted: their past training still happened), and
members of other counties are left alone. Every row is checked before anything is
written; a dry run writes and rolls back, so its figures are the real import's. The
ID-card number never appears in a message: rows are named by number and name.
"""

from django.db.models import Count
from django.utils.translation import gettext as _

from accounts.idcard import id_number_hash, mask_id_number, normalize_id_number
from regions.importing import COUNTY_COLUMN, TOWN_COLUMN, VILLAGE_COLUMN
from regions.places import VillageFinder
from sheets.checks import SheetError
from sheets.columns import Column, Layout
from sheets.importing import write_all_or_nothing
from sheets.reading import read_table
from sheets.results import ImportResult

from .idcrypt import encrypt_id_number
from .models import RegistryMember
from .vocabulary import (
    LABOUR_CATEGORY_WORDS,
    WORK_STATUS_WORDS,
    canonical_labour_category,
    canonical_work_status,
)

LAYOUT = Layout(
    (
        COUNTY_COLUMN,
        TOWN_COLUMN,
        VILLAGE_COLUMN,
        Column("household_id", "户编号", ("户码", "户号")),
        Column("name", "姓名"),
        Column("id_number", "证件号码", ("身份证号码", "身份证号", "身份证件号码", "公民身份号码")),
        Column("relation_to_head", "与户主关系", ("与户主的关系",)),
        Column("labour_category", "劳动技能", ("劳动能力",)),
        Column("work_status", "务工状况", ("务工情况",), blank=True),
    ),
    name_key="name",
)
BATCH = 1000
# The fields a new file may change for a member already known by their hash.
UPDATED_FIELDS = [
    "village_id",
    "household_id",
    "name",
    "relation_to_head",
    "labour_category",
    "work_status",
    "is_active",
]


def import_registry(source, *, dry_run=False, progress=None) -> ImportResult:
    """Import a registry file (a path or an upload). ``progress(done, total)`` is told how
    far the writing has come. Raises SheetError, having written nothing."""
    members = parse_registry(read_table(source))
    return write_all_or_nothing(
        lambda: save_registry_members(members, progress=progress), dry_run=dry_run
    )


def parse_registry(table) -> list[RegistryMember]:
    """Every row as an unsaved RegistryMember, or SheetError listing every bad row."""
    finder = VillageFinder()
    members, errors, first_row = [], [], {}
    for check in LAYOUT.rows(table):
        for key in ("household_id", "name", "relation_to_head"):
            check.length(key, RegistryMember, key)
        village = None
        if check["county"] and check["town"] and check["village"]:
            village, problem = finder.find(check["county"], check["town"], check["village"])
            if problem:
                check.column_problem(problem[0], "village", problem[1])
        number = (
            check.parsed("id_number", normalize_id_number, "bad_id_number")
            if check["id_number"]
            else None
        )
        if number:
            check.once("id_number", number, first_row, code="duplicate_id_number")
        labour = (
            check.word("labour_category", canonical_labour_category, LABOUR_CATEGORY_WORDS)
            if check["labour_category"]
            else None
        )
        work = check.word("work_status", canonical_work_status, WORK_STATUS_WORDS)
        if check.ok:
            members.append(
                RegistryMember(
                    village=village,
                    household_id=check["household_id"],
                    name=check["name"],
                    id_number_hash=id_number_hash(number),
                    id_number_masked=mask_id_number(number),
                    id_number_encrypted=encrypt_id_number(number),
                    relation_to_head=check["relation_to_head"],
                    labour_category=labour,
                    work_status=work,
                )
            )
        errors.extend(check.errors)
    if errors:
        raise SheetError(errors)
    return members


def save_registry_members(rows, progress=None) -> ImportResult:
    """Add, update and (in the rows' counties only) deactivate members; count per county.

    The caller runs this in a transaction.
    """
    counties = {row.village.town.county for row in rows}
    result = ImportResult()
    tallies = {
        county.pk: result.tally(
            county.pk, _("Registry members in %(county)s") % {"county": county.name}
        )
        for county in sorted(counties, key=lambda county: county.name)
    }
    before = _eligible_by_county(counties)
    known = {member.id_number_hash: member for member in RegistryMember.objects.all()}
    new, changed, seen = [], [], set()
    for row in rows:
        seen.add(row.id_number_hash)
        tally = tallies[row.village.town.county_id]
        member = known.get(row.id_number_hash)
        if member is None:
            new.append(row)
            tally.created += 1
            continue
        wanted = {field: getattr(row, field) for field in UPDATED_FIELDS if field != "is_active"}
        wanted["is_active"] = True
        if all(getattr(member, field) == value for field, value in wanted.items()):
            tally.unchanged += 1
            continue
        for field, value in wanted.items():
            setattr(member, field, value)
        changed.append(member)
        tally.updated += 1
    gone = _gone_in(counties, seen)
    for _pk, county in gone:
        tallies[county].deactivated += 1

    steps = [
        (new, lambda batch: RegistryMember.objects.bulk_create(batch)),
        (changed, lambda batch: RegistryMember.objects.bulk_update(batch, UPDATED_FIELDS)),
        (
            [pk for pk, _county in gone],
            lambda batch: RegistryMember.objects.filter(pk__in=batch).update(is_active=False),
        ),
    ]
    total, done = len(new) + len(changed) + len(gone), 0
    for items, write in steps:
        for start in range(0, len(items), BATCH):
            write(items[start : start + BATCH])
            done += len(items[start : start + BATCH])
            if progress is not None:
                progress(done, total)

    after = _eligible_by_county(counties)
    for county in sorted(counties, key=lambda county: county.name):
        result.notes.append(
            _("%(county)s: eligible for the 50%% figure %(before)d → %(after)d.")
            % {"county": county.name, "before": before[county.pk], "after": after[county.pk]}
        )
    return result


def _gone_in(counties, seen):
    """Active members of ``counties`` whose hash is not in ``seen``, without sending tens of
    thousands of hashes to the database in one query."""
    return [
        (pk, county)
        for pk, county, hashed in RegistryMember.objects.active()
        .filter(village__town__county__in=counties)
        .values_list("pk", "village__town__county", "id_number_hash")
        if hashed not in seen
    ]


def _eligible_by_county(counties) -> dict:
    counts = dict(
        RegistryMember.objects.eligible()
        .filter(village__town__county__in=counties)
        .values_list("village__town__county")
        .annotate(count=Count("pk"))
        .values_list("village__town__county", "count")
    )
    return {county.pk: counts.get(county.pk, 0) for county in counties}
