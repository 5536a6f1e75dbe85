"""Importing entrepreneur-leaders (带头人) from a county's existing list.

Header: 姓名,手机号,背景,行政村,产品,经营阶段,销售渠道,需求,带动贫困户数. 产品, 销售渠道
and 带动贫困户数 may be empty (no households is 0); every other cell is required.

- 行政村 is written ``县/镇/村`` (罗定市/罗镜镇/水摆村), run together (罗定市罗镜镇水摆村),
  as ``镇/村``, or as the village's name alone where no other village has it.
- 产品 and 销售渠道 hold several items separated by 、 (or ，；;). Products on the list staff
  keep are linked; the others are kept as text in “other products”. Every sales channel
  must be on its list; 微信小店 and 微店 alone both mean the channel 微信小店/微店.

Every row is checked before anything is written. An entrepreneur is known by their
mobile number: the same file again changes nothing, a changed row updates them in place,
and their mentor (set by the matcher) is kept. When a user account has the same number,
the entrepreneur is linked to it, unless either is already linked to someone else.
"""

import re
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from regions.models import Village
from regions.sheets import SheetError

from .models import Background, Entrepreneur, Product, SalesChannel, Stage
from .sheet_rows import ImportResult, PersonRow, RowCheck, raise_if_wrong, save_by_phone, sheet_rows

HEADER = tuple("姓名,手机号,背景,行政村,产品,经营阶段,销售渠道,需求,带动贫困户数".split(","))
OPTIONAL = ("产品", "销售渠道", "带动贫困户数")
MAX_HOUSEHOLDS = 100000
# What people call the one channel whose name has both spellings in it.
CHANNEL_ALIASES = {"微信小店": "微信小店/微店", "微店": "微信小店/微店"}


class EntrepreneurFileError(SheetError):
    """The entrepreneurs' sheet cannot be imported; ``errors`` lists every problem.

    Row error codes: unknown_format, unreadable, empty_file, bad_header,
    too_many_columns, empty_cell, too_long, unknown_background, unknown_stage,
    unknown_village, ambiguous_village, unknown_channel, bad_households, bad_phone,
    duplicate_phone, account_conflict.
    """


@dataclass
class EntrepreneurImportResult(ImportResult):
    def __str__(self):
        return _(
            "Entrepreneurs: %(created)d added, %(updated)d updated, %(unchanged)d unchanged."
        ) % vars(self)


@transaction.atomic
def import_entrepreneurs(source) -> EntrepreneurImportResult:
    """Import an entrepreneurs' sheet (a path or an upload). Raises EntrepreneurFileError,
    having written nothing."""
    rows = parse_entrepreneurs(sheet_rows(source, HEADER, EntrepreneurFileError))
    return save_by_phone(Entrepreneur, rows, EntrepreneurImportResult())


def village_places() -> dict[str, list[Village]]:
    """Every way the sheet may name a village, with the villages so named."""
    places = defaultdict(list)
    for village in Village.objects.with_places():
        county, town, name = village.town.county.name, village.town.name, village.name
        for key in {
            f"{county}/{town}/{name}",
            f"{county}{town}{name}",
            f"{town}/{name}",
            f"{town}{name}",
            name,
        }:
            places[key].append(village)
    return places


def parse_entrepreneurs(numbered_rows) -> list[PersonRow]:
    places = village_places()
    products = dict(Product.objects.values_list("name", "pk"))
    channels = dict(SalesChannel.objects.values_list("name", "pk"))
    other_limit = Entrepreneur._meta.get_field("other_products").max_length
    checked, first_rows = [], {}
    for number, cells, problems in numbered_rows:
        name, phone, background, place, product_cell, stage, channel_cell, needs, households = (
            cells[: len(HEADER)]
        )
        check = RowCheck(number, name, problems)
        check.required(HEADER, cells[: len(HEADER)], OPTIONAL)
        check.length(HEADER[0], name, Entrepreneur, "name")
        check.length(HEADER[7], needs, Entrepreneur, "needs")
        phone = check.phone(HEADER[1], phone, first_rows)
        check.choice("unknown_background", HEADER[2], background, Background)
        check.choice("unknown_stage", HEADER[5], stage, Stage)
        village = find_village(check, place, places) if place else None
        product_names = check.listed(HEADER[4], product_cell)
        others = "、".join(item for item in product_names if item not in products)
        if len(others) > other_limit:
            check.problem(
                "too_long",
                _(
                    "“%(column)s”: the products not on the product list come to more than "
                    "%(max)d characters; shorten them, or ask staff to add them to the list."
                )
                % {"column": HEADER[4], "max": other_limit},
            )
        channel_pks = []
        for channel in check.listed(HEADER[6], channel_cell):
            pk = channels.get(channel) or channels.get(CHANNEL_ALIASES.get(channel))
            if pk is None:
                check.problem(
                    "unknown_channel",
                    _(
                        "“%(column)s”: there is no sales channel “%(value)s”; the channels "
                        "are %(values)s."
                    )
                    % {"column": HEADER[6], "value": channel, "values": "、".join(channels)},
                )
            else:
                channel_pks.append(pk)
        helped = (
            check.whole_number("bad_households", HEADER[8], households, 0, MAX_HOUSEHOLDS)
            if households
            else 0
        )
        row = PersonRow(
            fields={
                "phone": phone,
                "name": name,
                "background": background,
                "village_id": village.pk if village else None,
                "other_products": others,
                "stage": stage,
                "needs": needs,
                "households_helped": helped,
            },
            relations={
                "products": [products[item] for item in product_names if item in products],
                "channels": list(dict.fromkeys(channel_pks)),
            },
        )
        checked.append((check, row))
    link_accounts([(check, row) for check, row in checked if not check.errors])
    errors = [error for check, _row in checked for error in check.errors]
    rows = [row for check, row in checked if not check.errors]
    raise_if_wrong(errors, rows, EntrepreneurFileError)
    return rows


def find_village(check, place, places):
    key = re.sub(r"\s+", "", place).replace("／", "/")
    matches = places.get(key, [])
    if len(matches) == 1:
        return matches[0]
    if matches:
        check.problem(
            "ambiguous_village",
            _(
                "“%(column)s”: more than one village is called “%(value)s” (%(matches)s); "
                "write it as county/town/village."
            )
            % {
                "column": HEADER[3],
                "value": place,
                "matches": "、".join(sorted(village.full_name for village in matches)),
            },
        )
    else:
        check.problem(
            "unknown_village",
            _(
                "“%(column)s”: there is no village “%(value)s”; write it as "
                "county/town/village, with the names the regions list uses."
            )
            % {"column": HEADER[3], "value": place},
        )
    return None


def link_accounts(checked):
    """Link each row to the user account with its phone number, if there is one and
    neither it nor the entrepreneur already belongs to someone else."""
    phones = [row.phone for _check, row in checked]
    account_of_phone = dict(
        get_user_model().objects.filter(phone__in=phones).values_list("phone", "pk")
    )
    linked_account = dict(
        Entrepreneur.objects.filter(phone__in=phones).values_list("phone", "user_id")
    )
    phone_of_account = dict(
        Entrepreneur.objects.filter(user_id__in=account_of_phone.values()).values_list(
            "user_id", "phone"
        )
    )
    for check, row in checked:
        account = account_of_phone.get(row.phone)
        if account is None:
            continue
        current = linked_account.get(row.phone)
        if current is not None and current != account:
            check.problem(
                "account_conflict",
                _(
                    "This entrepreneur is linked to a user account other than the one with "
                    "this mobile number; staff must sort out the link in the CMS first."
                ),
            )
        elif phone_of_account.get(account, row.phone) != row.phone:
            check.problem(
                "account_conflict",
                _(
                    "The user account with this mobile number already has another "
                    "entrepreneur profile; staff must sort out the link in the CMS first."
                ),
            )
        else:
            row.fields["user_id"] = account
