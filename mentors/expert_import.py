"""Importing the lecturer team (讲师团) from the bureau's sheet of experts.

Columns are found by heading, in any order, other columns ignored (see ``LAYOUT``).
Every cell but 简介 is required. 擅长领域 and 服务县区 hold several items in one cell,
separated by 、 (a full-width comma ，or a semicolon ; ； also works). Every tag must
already be in the expertise list staff keep in the CMS, and every county must exist
(regions).

Every row is checked before anything is written; an expert is known by their mobile
number, so the same file imported again changes nothing, and a changed row updates the
expert in place (tags and counties replaced by the file's). An expert whose number a user
account has verified is linked to it, unless either is already linked to someone else
(mentors.account_links). Error codes, besides the sheet layer's (sheets.checks.SheetError):
unknown_tag, unknown_county, bad_phone, account_conflict.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.phone import normalize_mobile
from regions.models import County
from regions.places import place_key
from sheets.checks import SheetError
from sheets.columns import Column, Layout
from sheets.importing import write_all_or_nothing
from sheets.reading import read_table
from sheets.results import ImportResult

from .account_links import link_imported_rows
from .models import Expert, ExpertiseTag, ExpertType, OrganisationKind
from .sheet_rows import PersonRow, save_by_phone

LAYOUT = Layout(
    (
        Column("name", "姓名", ("专家姓名",)),
        Column("expert_type", "专家类型", ("类型", "专家类别")),
        Column("organisation", "单位", ("工作单位", "所在单位", "单位名称")),
        Column("organisation_kind", "单位类型", ("单位性质", "单位类别")),
        Column("tags", "擅长领域", ("专长", "擅长", "专业领域")),
        Column("introduction", "简介", ("个人简介", "专家简介"), blank=True),
        Column("counties", "服务县区", ("服务县(市、区)", "服务区县", "服务县")),
        Column("capacity", "带教名额", ("名额", "带教人数")),
        Column("phone", "手机号", ("联系电话", "手机号码", "手机")),
    ),
    name_key="name",
)
# The headings in the order the sample sheet and the CMS export write them.
HEADER = tuple(column.heading for column in LAYOUT.columns)
MAX_CAPACITY = 50


def import_experts(source, *, dry_run=False) -> ImportResult:
    """Import an experts' sheet (a path or an upload). Raises SheetError, having written
    nothing."""
    rows = parse_experts(read_table(source))
    return write_all_or_nothing(lambda: save_experts(rows), dry_run=dry_run)


def parse_experts(table) -> list[PersonRow]:
    """Every row checked; all of them, or SheetError listing every bad one."""
    tags = dict(ExpertiseTag.objects.values_list("name", "pk"))
    counties = {
        place_key(name): (name, pk) for name, pk in County.objects.values_list("name", "pk")
    }
    checks, checked, phones = [], [], {}
    for check in LAYOUT.rows(table):
        checks.append(check)
        check.length("name", Expert, "name")
        check.length("organisation", Expert, "organisation")
        for key, choices in (("expert_type", ExpertType), ("organisation_kind", OrganisationKind)):
            if check[key]:  # an empty cell is reported once, as empty
                check.choice(key, choices)
        tag_names = check.listed("tags")
        for tag in tag_names:
            if tag not in tags:
                check.column_problem(
                    "unknown_tag",
                    "tags",
                    _(
                        "“%(value)s” is not in the expertise list; staff can add it to the "
                        "list in the CMS, or use one of %(values)s."
                    )
                    % {"value": tag, "values": "、".join(tags)},
                )
        county_names = check.listed("counties")
        county_keys = [place_key(county) for county in county_names]
        for county, key in zip(county_names, county_keys, strict=True):
            if key not in counties:
                check.column_problem(
                    "unknown_county",
                    "counties",
                    _("there is no county “%(value)s”; the counties are %(values)s.")
                    % {
                        "value": county,
                        "values": "、".join(name for name, _pk in counties.values()),
                    },
                )
        capacity = check.whole_number("capacity", 0, MAX_CAPACITY) if check["capacity"] else None
        phone = check.parsed("phone", normalize_mobile, "bad_phone") if check["phone"] else None
        check.once("phone", phone, phones)
        if check.ok:
            checked.append(
                (
                    check,
                    PersonRow(
                        fields={
                            "phone": phone,
                            "name": check["name"],
                            "expert_type": check["expert_type"],
                            "organisation": check["organisation"],
                            "organisation_kind": check["organisation_kind"],
                            "introduction": check["introduction"],
                            "capacity": capacity,
                        },
                        relations={
                            "tags": [tags[tag] for tag in tag_names],
                            "counties": list(
                                dict.fromkeys(counties[key][1] for key in county_keys)
                            ),
                        },
                    ),
                )
            )
    # Only valid rows are looked up: the others are refused anyway.
    link_imported_rows(Expert, checked)
    errors = [error for check in checks for error in check.errors]
    if errors:
        raise SheetError(errors)
    return [row for _check, row in checked]


def save_experts(rows) -> ImportResult:
    """Create or update the experts; the caller runs this in a transaction."""
    result = ImportResult()
    save_by_phone(Expert, rows, result.tally("experts", gettext_lazy("Experts")))
    return result
