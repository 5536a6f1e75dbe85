"""How big a sheet may be, checked before and while it is read.

A hostile or broken file must not take a worker's memory or time: a 1 MB XLSX can unpack
to a 1 GB cell, and a zip bomb to many gigabytes. Each limit is a setting (SHEETS_*, see
site/settings/base.py) and a file beyond one is refused with a message naming it. An XLSX
is checked in two steps before openpyxl opens it: its zip directory (the sizes its parts
unpack to, which zipfile then holds them to), and a streaming pass over its XML parts
that counts characters, rows and columns without keeping any text. The worksheet that is
read is scanned only up to its rows: they are checked as they are parsed (sheets.xlsx),
since scanning 100,000 rows first cost as much again as reading them.
"""

import re
import xml.parsers.expat
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .checks import RowError, SheetError, file_error

# No spreadsheet program packs a part more than this many times smaller; zip bombs do
# (a run of one character packs about 1,000 times). Small parts are exempt: their ratio
# says nothing and they cannot hurt.
MAX_COMPRESSION_RATIO = 100
RATIO_EXEMPT_BYTES = 1024 * 1024
# A workbook has a dozen parts, a few hundred with many sheets and pictures.
MAX_ZIP_MEMBERS = 1000
# openpyxl keeps a workbook's shared strings in memory; a real sheet has a few per row.
SHARED_STRINGS_PER_ROW = 20
CHUNK = 64 * 1024
CELL_REFERENCE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


@dataclass(frozen=True)
class Limits:
    upload_bytes: int
    uncompressed_bytes: int
    rows: int
    columns: int
    cells: int
    cell_chars: int

    @classmethod
    def current(cls) -> "Limits":
        return cls(
            upload_bytes=settings.SHEETS_MAX_UPLOAD_BYTES,
            uncompressed_bytes=settings.SHEETS_MAX_UNCOMPRESSED_BYTES,
            rows=settings.SHEETS_MAX_ROWS,
            columns=settings.SHEETS_MAX_COLUMNS,
            cells=settings.SHEETS_MAX_CELLS,
            cell_chars=settings.SHEETS_MAX_CELL_CHARS,
        )


def size(n: int) -> str:
    return filesizeformat(n)


# The refusals, each naming its limit.


def too_large(name, length, limits) -> SheetError:
    return file_error(
        "file_too_large",
        _(
            "The file “%(name)s” is %(size)s; files over %(max)s (SHEETS_MAX_UPLOAD_BYTES) "
            "are not accepted. Split it into smaller files, for example one per county."
        )
        % {"name": name, "size": size(length), "max": size(limits.upload_bytes)},
    )


def too_many_rows(limits) -> SheetError:
    return file_error(
        "too_many_rows",
        _(
            "The sheet has more than %(max)d rows (SHEETS_MAX_ROWS). Split it into smaller "
            "files, for example one per county, and upload them one by one."
        )
        % {"max": limits.rows},
    )


def too_many_cells(limits) -> SheetError:
    return file_error(
        "too_many_cells",
        _(
            "The sheet has more than %(max)d filled cells (SHEETS_MAX_CELLS). Delete the "
            "columns the import does not use, or split the file into smaller ones."
        )
        % {"max": limits.cells},
    )


def too_many_strings(limits) -> SheetError:
    return file_error(
        "too_many_rows",
        _(
            "The workbook holds more than %(max)d different texts, more than %(rows)d rows "
            "(SHEETS_MAX_ROWS) can show. Split it into smaller files."
        )
        % {"max": limits.rows * SHARED_STRINGS_PER_ROW, "rows": limits.rows},
    )


def too_wide(row, column, limits) -> SheetError:
    return SheetError(
        [
            RowError(
                row,
                "too_many_columns",
                _(
                    "Column %(column)s is past the last column read (%(max)d columns, "
                    "SHEETS_MAX_COLUMNS)."
                )
                % {"column": column_name(column), "max": limits.columns},
            )
        ]
    )


def declared_too_big(rows, columns, limits) -> SheetError:
    return file_error(
        "too_many_rows" if rows > limits.rows else "too_many_columns",
        _(
            "The sheet says it has %(rows)d rows and %(columns)d columns; at most %(max_rows)d "
            "rows (SHEETS_MAX_ROWS) and %(max_columns)d columns (SHEETS_MAX_COLUMNS) are read. "
            "Split it into smaller files, or delete the rows and columns it does not need."
        )
        % {
            "rows": rows,
            "columns": columns,
            "max_rows": limits.rows,
            "max_columns": limits.columns,
        },
    )


def cell_too_long(row, column, limits) -> SheetError:
    """A cell over the limit; ``row`` and ``column`` (1 for A) name it where known."""
    where = _("Column %(column)s: ") % {"column": column_name(column)} if column else ""
    return SheetError(
        [
            RowError(
                row,
                "cell_too_long",
                where
                + _(
                    "the cell holds more than %(max)d characters (SHEETS_MAX_CELL_CHARS); "
                    "shorten it or move the text elsewhere."
                )
                % {"max": limits.cell_chars},
            )
        ]
    )


def text_too_long(part, limits) -> SheetError:
    return file_error(
        "cell_too_long",
        _(
            "The part “%(part)s” of the workbook holds a text longer than %(max)d characters "
            "(SHEETS_MAX_CELL_CHARS); the file is not read."
        )
        % {"part": part, "max": limits.cell_chars},
    )


def unpacks_too_large(total, limits) -> SheetError:
    return file_error(
        "unpacks_too_large",
        _(
            "Unpacked, this workbook would take %(size)s; at most %(max)s "
            "(SHEETS_MAX_UNCOMPRESSED_BYTES) is read. Save it again without the parts the "
            "import does not need, or split it into smaller files."
        )
        % {"size": size(total), "max": size(limits.uncompressed_bytes)},
    )


def zip_bomb(part, ratio) -> SheetError:
    return file_error(
        "zip_bomb",
        _(
            "The part “%(part)s” of the workbook unpacks %(ratio)d times larger than it is "
            "packed; no spreadsheet program writes that (at most %(max)d times), so the file "
            "is refused as a zip bomb."
        )
        % {"part": part, "ratio": ratio, "max": MAX_COMPRESSION_RATIO},
    )


def column_name(index: int) -> str:
    """1 → A, 27 → AA."""
    from .columns import column_letter

    return column_letter(index - 1)


def column_index(letters: str) -> int:
    """A → 1, AA → 27."""
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - ord("A") + 1
    return index


# XLSX: the zip directory, then its XML parts.


def check_zip_directory(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a workbook whose parts are too many, unpack too large, or pack like a bomb.

    Only the zip's central directory is read. The sizes it declares are the ones zipfile
    holds each part to when reading (a part that unpacks to more fails its check), so a
    file cannot declare small parts and unpack large ones.
    """
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise file_error(
            "too_many_parts",
            _("The workbook has %(count)d parts; a spreadsheet has far fewer (at most %(max)d).")
            % {"count": len(members), "max": MAX_ZIP_MEMBERS},
        )
    total = sum(member.file_size for member in members)
    if total > limits.uncompressed_bytes:
        raise unpacks_too_large(total, limits)
    for member in members:
        if member.file_size <= RATIO_EXEMPT_BYTES:
            continue
        ratio = member.file_size // max(member.compress_size, 1)
        if ratio > MAX_COMPRESSION_RATIO:
            raise zip_bomb(member.filename, ratio)


class _Stop(Exception):
    """Ends a part's scan early, having found what it looked for."""


class PartScan:
    """One XML part read as a stream: no DOCTYPE, no cell longer than the limit, no row or
    column past the limits in a worksheet, no more shared strings than a sheet can use.

    Text is counted per cell (``c``) or shared string (``si``), whatever runs it is split
    into, since openpyxl joins them. A shared string over the limit is remembered by its
    index in ``long_strings``, so that the cell showing it is named when the sheet is
    scanned; nothing else of the text is kept.

    With ``rows=False`` a worksheet is scanned only up to its rows (its DOCTYPE, if any,
    and declared dimension are before them); ``root`` says what the part's root element
    was, so the caller knows whether the rest was left unscanned.
    """

    def __init__(self, part, limits, long_strings, rows=True):
        self.part, self.limits, self.long_strings = part, limits, long_strings
        self.rows = rows
        self.root = None  # the root element's local name, once seen
        self.item = None  # "c" or "si" while inside one
        self.chars = 0
        self.row = 0
        self.column = 0
        self.shared = False  # the cell shows a shared string, by its index
        self.index = []
        self.strings = 0
        parser = xml.parsers.expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = False
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        parser.StartDoctypeDeclHandler = self.doctype
        self.parser = parser

    def feed(self, stream, first=b""):
        try:
            self.parser.Parse(first, False)
            while chunk := stream.read(CHUNK):
                self.parser.Parse(chunk, False)
            self.parser.Parse(b"", True)
        except _Stop:
            pass

    def doctype(self, *args):
        # OOXML parts never declare a DTD; one that does may define entities to expand.
        raise xml.parsers.expat.ExpatError("a DOCTYPE in an XLSX part")

    def start(self, name, attrs):
        local = name.rpartition("}")[2]
        if self.root is None:
            self.root = local
        if self.item is None:
            self.chars = 0
        if local == "sheetData" and not self.rows and self.root == "worksheet":
            raise _Stop
        if local == "row":
            number = attrs.get("r", "")
            self.row = int(number) if number.isdigit() else self.row + 1
            self.column = 0
            if self.row > self.limits.rows:
                raise too_many_rows(self.limits)
        elif local == "c":
            self.item, self.chars, self.index = "c", 0, []
            self.shared = attrs.get("t") == "s"
            match = CELL_REFERENCE.match(attrs.get("r", ""))
            self.column = column_index(match.group(1)) if match else self.column + 1
            if self.column > self.limits.columns:
                raise too_wide(self.row or None, self.column, self.limits)
        elif local == "si":
            self.item, self.chars = "si", 0
            self.strings += 1
            if self.strings > self.limits.rows * SHARED_STRINGS_PER_ROW:
                raise too_many_strings(self.limits)
        elif local == "dimension":
            self.dimension(attrs.get("ref", ""))

    def dimension(self, ref):
        match = CELL_REFERENCE.match(ref.rpartition(":")[2])
        if match is None:
            return
        rows, columns = int(match.group(2)), column_index(match.group(1))
        if rows > self.limits.rows or columns > self.limits.columns:
            raise declared_too_big(rows, columns, self.limits)

    def end(self, name):
        local = name.rpartition("}")[2]
        if local == "c" and self.item == "c":
            self.item = None
            if self.shared and "".join(self.index).strip() in self.long_strings:
                raise cell_too_long(self.row or None, self.column, self.limits)
        elif local == "si" and self.item == "si":
            self.item = None

    def text(self, data):
        self.chars += len(data)
        if self.item == "c" and self.shared:
            self.index.append(data)
        if self.chars <= self.limits.cell_chars:
            return
        if self.item == "c":
            raise cell_too_long(self.row or None, self.column, self.limits)
        if self.item == "si":
            self.long_strings.add(str(self.strings - 1))
            raise _Stop
        raise text_too_long(self.part, self.limits)


def scan_xml_parts(archive: zipfile.ZipFile, limits: Limits) -> set[str]:
    """Stream every XML part of the workbook through PartScan, shared strings first; the
    names of the worksheets, which are scanned only up to their rows.

    A part is XML by its content, not its name: a workbook's relations may point openpyxl
    at any name, and a worksheet is told by its root element. Pictures and other binary
    parts are left alone (openpyxl's read-only mode does not read them). The rows of the
    worksheets are left for the caller: the sheet it reads is checked as it is parsed, the
    others with ``scan_part``. A shared string over the cell limit is the exception: every
    worksheet is scanned whole at once to name the cell that shows it (or the shared
    strings, if none does). Raises SheetError; a part that is not well-formed raises
    ExpatError, one that does not unpack BadZipFile or zlib.error, for the caller to
    report as a damaged file.
    """
    parts = sorted(
        archive.infolist(), key=lambda info: "sharedstrings" not in info.filename.lower()
    )
    long_strings, worksheets = set(), set()
    for info in parts:
        scan = scan_part(archive, info, limits, long_strings, rows=False)
        if scan is not None and scan.root == "worksheet":
            worksheets.add(info.filename)
    if long_strings:
        for name in sorted(worksheets):
            scan_part(archive, name, limits, long_strings)
        raise text_too_long("xl/sharedStrings.xml", limits)
    return worksheets


def scan_part(archive, part, limits, long_strings=None, rows=True) -> PartScan | None:
    """One part (a name or ZipInfo) through PartScan, if it is XML; the finished scan."""
    name = part.filename if isinstance(part, zipfile.ZipInfo) else part
    with archive.open(part) as stream:
        first = stream.read(CHUNK)
        if not first.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"<", b"\xff\xfe", b"\xfe\xff")):
            return None
        scan = PartScan(name, limits, set() if long_strings is None else long_strings, rows)
        scan.feed(stream, first)
        return scan
