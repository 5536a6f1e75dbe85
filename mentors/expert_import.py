"""Importing the lecturer team (讲师团) from the bureau's sheet of experts.

Header: 姓名,专家类型,单位,单位类型,擅长领域,简介,服务县区,带教名额,手机号. Every cell but
简介 is required. 擅长领域 and 服务县区 hold several items in one cell, separated by 、
(a full-width comma ，or a semicolon ; ； also works). Every tag must already be in the
expertise list staff keep in the CMS, and every county must exist (regions).

Every row is checked before anything is written; an expert is known by their mobile
number, so the same file imported again changes nothing, and a changed row updates the
expert in place (tags and counties replaced by the file's).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from regions.models import County
from regions.sheets import SheetError

from .models import Expert, ExpertiseTag, ExpertType, OrganisationKind
from .sheet_rows import (
    ImportResult,
    PersonRow,
    RowCheck,
    raise_if_wrong,
    save_by_phone,
    sheet_rows,
)

HEADER = tuple("姓名,专家类型,单位,单位类型,擅长领域,简介,服务县区,带教名额,手机号".split(","))
OPTIONAL = ("简介",)
MAX_CAPACITY = 50


class ExpertFileError(SheetError):
    """The experts' sheet cannot be imported; ``errors`` lists every problem (RowError).

    Row error codes: unknown_format, unreadable, empty_file, bad_header,
    too_many_columns, empty_cell, too_long, unknown_expert_type,
    unknown_organisation_kind, unknown_tag, unknown_county, bad_capacity, bad_phone,
    duplicate_phone.
    """


@dataclass
class ExpertImportResult(ImportResult):
    def __str__(self):
        return _(
            "Experts: %(created)d added, %(updated)d updated, %(unchanged)d unchanged."
        ) % vars(self)


@transaction.atomic
def import_experts(source) -> ExpertImportResult:
    """Import an experts' sheet (a path or an upload). Raises ExpertFileError, having
    written nothing."""
    rows = parse_experts(sheet_rows(source, HEADER, ExpertFileError))
    return save_by_phone(Expert, rows, ExpertImportResult())


def parse_experts(numbered_rows) -> list[PersonRow]:
    tags = dict(ExpertiseTag.objects.values_list("name", "pk"))
    counties = dict(County.objects.values_list("name", "pk"))
    rows, errors, first_rows = [], [], {}
    for number, cells, problems in numbered_rows:
        name, expert_type, organisation, kind, tag_cell, intro, county_cell, places, phone = cells[
            : len(HEADER)
        ]
        check = RowCheck(number, name, problems)
        check.required(HEADER, cells[: len(HEADER)], OPTIONAL)
        for column, value, field_name in (
            (HEADER[0], name, "name"),
            (HEADER[2], organisation, "organisation"),
        ):
            check.length(column, value, Expert, field_name)
        check.choice("unknown_expert_type", HEADER[1], expert_type, ExpertType)
        check.choice("unknown_organisation_kind", HEADER[3], kind, OrganisationKind)
        tag_names = check.listed(HEADER[4], tag_cell)
        county_names = check.listed(HEADER[6], county_cell)
        for tag in tag_names:
            if tag not in tags:
                check.problem(
                    "unknown_tag",
                    _(
                        "“%(column)s”: “%(value)s” is not in the expertise list; staff can "
                        "add it to the list in the CMS, or use one of %(values)s."
                    )
                    % {"column": HEADER[4], "value": tag, "values": "、".join(tags)},
                )
        for county in county_names:
            if county not in counties:
                check.problem(
                    "unknown_county",
                    _("“%(column)s”: there is no county “%(value)s”; the counties are %(values)s.")
                    % {"column": HEADER[6], "value": county, "values": "、".join(counties)},
                )
        capacity = (
            check.whole_number("bad_capacity", HEADER[7], places, 0, MAX_CAPACITY)
            if places
            else None
        )
        phone = check.phone(HEADER[8], phone, first_rows)
        if check.errors:
            errors.extend(check.errors)
            continue
        rows.append(
            PersonRow(
                fields={
                    "phone": phone,
                    "name": name,
                    "expert_type": expert_type,
                    "organisation": organisation,
                    "organisation_kind": kind,
                    "introduction": intro,
                    "capacity": capacity,
                },
                relations={
                    "tags": [tags[tag] for tag in tag_names],
                    "counties": [counties[county] for county in county_names],
                },
            )
        )
    raise_if_wrong(errors, rows, ExpertFileError)
    return rows
