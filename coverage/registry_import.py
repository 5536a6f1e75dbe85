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

import functools
from typing import NamedTuple

from django.db import connection
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.idcard import id_number_hash, mask_id_number, normalize_id_number
from regions.importing import COUNTY_COLUMN, TOWN_COLUMN, VILLAGE_COLUMN
from regions.places import VillageFinder
from sheets.checks import SheetError
from sheets.collector import collector_paused
from sheets.columns import Column, Layout
from sheets.importing import write_all_or_nothing
from sheets.reading import read_rows
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


class MemberRow(NamedTuple):
    """What a checked row says of a member: ``UPDATED_FIELDS`` in their order (a row always
    makes its member active), then where it is counted and the ID-card number, which is
    encrypted only for members the database does not know yet."""

    village_id: int
    household_id: str
    name: str
    relation_to_head: str
    labour_category: str
    work_status: str
    is_active: bool
    county_id: int
    id_number: str

    @property
    def fields(self) -> tuple:
        return self[: len(UPDATED_FIELDS)]


class RegistryRows(NamedTuple):
    """A checked file: its members by ID-number hash, in the file's order, and the
    counties they live in (a file replaces these counties' members)."""

    members: dict
    counties: dict


def import_registry(source, *, dry_run=False, progress=None) -> ImportResult:
    """Import a registry file (a path or an upload). ``progress(done, total)`` is told how
    far the writing has come. Raises SheetError, having written nothing."""
    rows = parse_registry(read_rows(source))
    return write_all_or_nothing(
        lambda: save_registry_members(rows, progress=progress), dry_run=dry_run
    )


def parse_registry(table) -> RegistryRows:
    """Every row checked as it is read (``table``: rows of cells, a list or a stream), kept
    as a MemberRow; or SheetError listing every bad row.

    A county's file repeats a few hundred villages and a handful of words on 100,000 rows,
    so each place and word is looked up once (the words through a small cache) and the
    same string kept for every row.
    """
    finder = VillageFinder()
    places, words = {}, {}
    labour_word = functools.lru_cache(maxsize=256)(canonical_labour_category)
    work_word = functools.lru_cache(maxsize=256)(canonical_work_status)
    members, errors, first_row, counties = {}, [], {}, {}
    # Reading, checking and keeping 100,000 members: no cycles to collect (sheets.collector).
    with collector_paused():
        for check in LAYOUT.checks(table):
            for key in ("household_id", "name", "relation_to_head"):
                check.length(key, RegistryMember, key)
            village = None
            if check["county"] and check["town"] and check["village"]:
                place = (check["county"], check["town"], check["village"])
                if place not in places:
                    places[place] = finder.find(*place)
                village, problem = places[place]
                if problem:
                    check.column_problem(problem[0], "village", problem[1])
            number = (
                check.parsed("id_number", normalize_id_number, "bad_id_number")
                if check["id_number"]
                else None
            )
            hashed = id_number_hash(number) if number else None
            if hashed:
                check.once("id_number", hashed, first_row, code="duplicate_id_number")
            labour = (
                check.word("labour_category", labour_word, LABOUR_CATEGORY_WORDS)
                if check["labour_category"]
                else None
            )
            work = check.word("work_status", work_word, WORK_STATUS_WORDS)
            if check.ok:
                county = village.town.county
                counties.setdefault(county.pk, county)
                members[hashed] = MemberRow(
                    village_id=village.pk,
                    household_id=check["household_id"],
                    name=check["name"],
                    relation_to_head=words.setdefault(
                        check["relation_to_head"], check["relation_to_head"]
                    ),
                    labour_category=words.setdefault(labour, labour),
                    work_status=words.setdefault(work, work),
                    is_active=True,
                    county_id=county.pk,
                    id_number=number,
                )
            errors.extend(check.errors)
    if errors:
        raise SheetError(errors)
    return RegistryRows(members, counties)


def save_registry_members(rows: RegistryRows, progress=None) -> ImportResult:
    """Add, update and (in the rows' counties only) deactivate members; count per county.

    Members are compared as values (hash and fields), never loaded as model objects: the
    rows' counties are read in one pass, then the rest of the file's hashes (members who
    moved from another county) in batches. Writes go in batches of BATCH. The caller
    runs this in a transaction.
    """
    counties = sorted(rows.counties.values(), key=lambda county: county.name)
    result = ImportResult()
    tallies = {
        county.pk: result.tally(
            county.pk, _("Registry members in %(county)s") % {"county": county.name}
        )
        for county in counties
    }
    before = _eligible_by_county(counties)
    wanted = rows.members
    changed, found, gone = [], set(), []
    for pk, hashed, county_id, *fields in _known(county__in=counties):
        row = wanted.get(hashed)
        if row is None:
            if fields[-1]:  # active, and no longer listed
                gone.append(pk)
                tallies[county_id].deactivated += 1
            continue
        found.add(hashed)
        _compare(pk, fields, row, tallies, changed)
    elsewhere = [hashed for hashed in wanted if hashed not in found]
    for start in range(0, len(elsewhere), BATCH):
        batch = elsewhere[start : start + BATCH]
        for pk, hashed, _county_id, *fields in _known(id_number_hash__in=batch):
            found.add(hashed)
            _compare(pk, fields, wanted[hashed], tallies, changed)
    new = [(hashed, row) for hashed, row in wanted.items() if hashed not in found]
    for _hashed, row in new:
        tallies[row.county_id].created += 1

    steps = [
        (new, _insert),
        (changed, lambda batch: RegistryMember.objects.bulk_update(batch, UPDATED_FIELDS)),
        (gone, lambda batch: RegistryMember.objects.filter(pk__in=batch).update(is_active=False)),
    ]
    total, done = len(new) + len(changed) + len(gone), 0
    for items, write in steps:
        for start in range(0, len(items), BATCH):
            write(items[start : start + BATCH])
            done += len(items[start : start + BATCH])
            if progress is not None:
                progress(done, total)

    after = _eligible_by_county(counties)
    for county in counties:
        result.notes.append(
            _("%(county)s: eligible for the 50%% figure %(before)d → %(after)d.")
            % {"county": county.name, "before": before[county.pk], "after": after[county.pk]}
        )
    return result


def _known(**where):
    """(pk, hash, county, *UPDATED_FIELDS) of the members ``where`` selects, streamed."""
    where = {
        f"village__town__{key}" if key.startswith("county") else key: value
        for key, value in where.items()
    }
    return (
        RegistryMember.objects.filter(**where)
        .order_by()
        .values_list("pk", "id_number_hash", "village__town__county_id", *UPDATED_FIELDS)
        .iterator(chunk_size=BATCH * 5)
    )


def _compare(pk, fields, row, tallies, changed):
    """Count the member as unchanged, or keep the update the row asks for."""
    tally = tallies[row.county_id]
    wanted = row.fields
    if tuple(fields) == wanted:
        tally.unchanged += 1
        return
    changed.append(RegistryMember(pk=pk, **dict(zip(UPDATED_FIELDS, wanted, strict=True))))
    tally.updated += 1


INSERTED = [*UPDATED_FIELDS, "id_number_hash", "id_number_masked", "id_number_encrypted"]


def _insert(batch):
    """New members, one INSERT run over the batch's rows: no model object is built for
    them (bulk_create's cost per object was most of a first import's writing). Only new
    members need their number encrypted and masked. ``updated_at`` is set as auto_now
    would set it."""
    fields = [RegistryMember._meta.get_field(name) for name in [*INSERTED, "updated_at"]]
    now = fields[-1].get_db_prep_value(timezone.now(), connection)
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(RegistryMember._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [
        (
            *row.fields,
            hashed,
            mask_id_number(row.id_number),
            encrypt_id_number(row.id_number),
            now,
        )
        for hashed, row in batch
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _eligible_by_county(counties) -> dict:
    counts = dict(
        RegistryMember.objects.eligible()
        .filter(village__town__county__in=counties)
        .values_list("village__town__county")
        .annotate(count=Count("pk"))
        .values_list("village__town__county", "count")
    )
    return {county.pk: counts.get(county.pk, 0) for county in counties}
