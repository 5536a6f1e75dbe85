"""Importing entrepreneur-leaders (带头人) from a county's existing list.

Columns are found by heading, in any order, other columns ignored (see ``LAYOUT``).
产品, 销售渠道 and 带动贫困户数 may be empty (no households is 0); every other cell is
required.

- 行政村 is written ``县/镇/村`` (罗定市/罗镜镇/水摆村), run together (罗定市罗镜镇水摆村),
  as ``镇/村``, or as the village's name alone where no other village has it. Names are
  compared as regions.places does, so 水摆村 finds the official 水摆村委会.
- 产品 and 销售渠道 hold several items separated by 、 (or ，；;). Products on the list staff
  keep are linked; the others are kept as text in “other products”. Every sales channel
  must be on its list; 微信小店 and 微店 alone both mean the channel 微信小店/微店.

Every row is checked before anything is written. An entrepreneur is known by their
mobile number: the same file again changes nothing, a changed row updates them in place,
and their mentor (set by the matcher) is kept. When a user account has verified the same
number, the entrepreneur is linked to it (mentors.account_links), unless either is
already linked to someone else.
Error codes, besides the sheet layer's (sheets.checks.SheetError): unknown_village,
ambiguous_village, inactive_village, unknown_channel, bad_phone, account_conflict.
"""

import difflib
import re
from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.phone import normalize_mobile
from regions.importing import VILLAGE_COLUMN
from regions.models import Village
from regions.places import VillageFinder, place_key
from sheets.checks import SheetError
from sheets.columns import Column, Layout
from sheets.importing import write_all_or_nothing
from sheets.reading import read_table
from sheets.results import ImportResult

from .account_links import link_imported_rows
from .models import Background, Entrepreneur, Product, SalesChannel, Stage
from .sheet_rows import PersonRow, save_by_phone

LAYOUT = Layout(
    (
        Column("name", "姓名", ("带头人姓名",)),
        Column("phone", "手机号", ("联系电话", "手机号码", "手机")),
        Column("background", "背景", ("人员类别", "身份")),
        Column(
            "village",
            VILLAGE_COLUMN.heading,
            (*VILLAGE_COLUMN.aliases, "所在村", "所在行政村"),
        ),
        Column("products", "产品", ("主要产品", "产品名称"), blank=True),
        Column("stage", "经营阶段", ("创业阶段", "阶段")),
        Column("channels", "销售渠道", ("渠道",), blank=True),
        Column("needs", "需求", ("帮扶需求", "需要的帮助")),
        Column("households", "带动贫困户数", ("带动贫困户", "带动户数"), blank=True),
    ),
    name_key="name",
)
# The headings in the order the sample sheet and the CMS export write them.
HEADER = tuple(column.heading for column in LAYOUT.columns)
MAX_HOUSEHOLDS = 100000
# What people call the one channel whose name has both spellings in it.
CHANNEL_ALIASES = {"微信小店": "微信小店/微店", "微店": "微信小店/微店"}
SLASHES = re.compile(r"[/／]")
SUGGESTIONS = 3


def import_entrepreneurs(source, *, dry_run=False) -> ImportResult:
    """Import an entrepreneurs' sheet (a path or an upload). Raises SheetError, having
    written nothing."""
    rows = parse_entrepreneurs(read_table(source))
    return write_all_or_nothing(lambda: save_entrepreneurs(rows), dry_run=dry_run)


def parse_entrepreneurs(table) -> list[PersonRow]:
    """Every row checked; all of them, or SheetError listing every bad one."""
    places = VillagePlaces()
    products = dict(Product.objects.values_list("name", "pk"))
    channels = dict(SalesChannel.objects.values_list("name", "pk"))
    other_limit = Entrepreneur._meta.get_field("other_products").max_length
    checked, phones = [], {}
    for check in LAYOUT.rows(table):
        check.length("name", Entrepreneur, "name")
        check.length("needs", Entrepreneur, "needs")
        phone = check.parsed("phone", normalize_mobile, "bad_phone") if check["phone"] else None
        check.once("phone", phone, phones)
        for key, choices in (("background", Background), ("stage", Stage)):
            if check[key]:  # an empty cell is reported once, as empty
                check.choice(key, choices)
        village = None
        if check["village"]:
            village, problem = places.find(check["village"])
            if problem:
                code, message = problem
                check.column_problem(code, "village", message)
        product_names = check.listed("products")
        others = "、".join(item for item in product_names if item not in products)
        if len(others) > other_limit:
            check.column_problem(
                "too_long",
                "products",
                _(
                    "the products not on the product list come to more than %(max)d "
                    "characters; shorten them, or ask staff to add them to the list."
                )
                % {"max": other_limit},
            )
        channel_pks = []
        for channel in check.listed("channels"):
            pk = channels.get(channel) or channels.get(CHANNEL_ALIASES.get(channel))
            if pk is None:
                check.column_problem(
                    "unknown_channel",
                    "channels",
                    _("there is no sales channel “%(value)s”; the channels are %(values)s.")
                    % {"value": channel, "values": "、".join(channels)},
                )
            else:
                channel_pks.append(pk)
        helped = check.whole_number("households", 0, MAX_HOUSEHOLDS) if check["households"] else 0
        row = PersonRow(
            fields={
                "phone": phone,
                "name": check["name"],
                "background": check["background"],
                "village_id": village.pk if village else None,
                "other_products": others,
                "stage": check["stage"],
                "needs": check["needs"],
                "households_helped": helped,
            },
            relations={
                "products": [products[item] for item in product_names if item in products],
                "channels": list(dict.fromkeys(channel_pks)),
            },
        )
        checked.append((check, row))
    link_imported_rows(Entrepreneur, [(check, row) for check, row in checked if check.ok])
    errors = [error for check, _row in checked for error in check.errors]
    if errors:
        raise SheetError(errors)
    return [row for _check, row in checked]


def save_entrepreneurs(rows) -> ImportResult:
    """Create or update the entrepreneurs; the caller runs this in a transaction."""
    result = ImportResult()
    save_by_phone(Entrepreneur, rows, result.tally("entrepreneurs", gettext_lazy("Entrepreneurs")))
    return result


class VillagePlaces:
    """Every village by each way the sheet may write it, names compared by ``place_key``.

    ``县/镇/村`` goes to regions.places.VillageFinder, whose messages name the county,
    town or village that is wrong; the shorter forms are looked up here.
    """

    def __init__(self):
        villages = list(Village.objects.with_places())
        self.finder = VillageFinder(villages)
        self.by_key = defaultdict(list)
        for village in villages:
            county, town, name = (
                place_key(village.town.county.name),
                place_key(village.town.name),
                place_key(village.name),
            )
            for key in {f"{town}/{name}", f"{county}{town}{name}", f"{town}{name}", name}:
                self.by_key[key].append(village)

    def find(self, cell):
        """(village, None) or (None, (code, message)), as VillageFinder.find."""
        parts = [part.strip() for part in SLASHES.split(cell)]
        if len(parts) == 3:
            return self.finder.find(*parts)
        found = self.by_key.get("/".join(place_key(part) for part in parts), [])
        # A village made inactive keeps its name; the one on the official list is meant.
        active = [village for village in found if village.is_active]
        if len(active) == 1:
            return active[0], None
        candidates = active or found
        if len(candidates) > 1:
            return None, (
                "ambiguous_village",
                _(
                    "more than one village is called “%(value)s” (%(matches)s); write it as "
                    "county/town/village."
                )
                % {
                    "value": cell,
                    "matches": "、".join(sorted(village.full_name for village in candidates)),
                },
            )
        if found:
            village = found[0]
            return self.finder.find(village.town.county.name, village.town.name, village.name)
        return None, ("unknown_village", self._unknown(cell, parts))

    def _unknown(self, cell, parts):
        message = _(
            "there is no village “%(value)s”; write it as county/town/village, with the "
            "names the regions list uses."
        ) % {"value": cell}
        near_keys = difflib.get_close_matches(
            "/".join(place_key(part) for part in parts), self.by_key, SUGGESTIONS, 0.6
        )
        near = sorted({village.full_name for key in near_keys for village in self.by_key[key]})
        if not near:
            return message
        return f"{message} " + _("Did you mean %(names)s?") % {
            "names": "、".join(f"“{name}”" for name in near[:SUGGESTIONS])
        }
