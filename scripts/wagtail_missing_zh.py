"""List the Wagtail admin strings that still have no Simplified Chinese translation.

Wagtail ships a ``zh_Hans`` catalog beside each ``en`` catalog
(``<wagtail package>/**/locale/{en,zh_Hans}/LC_MESSAGES/django.po``), but the
``zh_Hans`` ones leave several hundred msgids out or empty, so parts of the admin
stay in English. The project fills the gap in its own catalog,
``locale/zh_Hans/LC_MESSAGES/django.po`` (``LOCALE_PATHS`` catalogs take
precedence over the apps' catalogs).

For every Wagtail catalog pair this script lists the msgids (with their
``msgctxt`` and plural forms) that are in the ``en`` catalog but missing, empty or
fuzzy in the ``zh_Hans`` one *and* not yet translated in the project catalog. It
prints counts per catalog and in total; an entry missing from several Wagtail
catalogs is counted once in the total.

Usage::

    .venv/bin/python scripts/wagtail_missing_zh.py                # counts
    .venv/bin/python scripts/wagtail_missing_zh.py --list         # and each msgid
    .venv/bin/python scripts/wagtail_missing_zh.py --write-template missing.po
    .venv/bin/python scripts/wagtail_missing_zh.py --check        # exit 1 if any left
    .venv/bin/python scripts/wagtail_missing_zh.py --domain djangojs

``--write-template FILE`` writes the missing entries as a ``.po`` stub with empty
``msgstr``; each entry keeps its format flags (so ``msgfmt --check`` verifies the
placeholders) and names the Wagtail catalogs it comes from, plus, as a comment,
the translation another Wagtail ``zh_Hans`` catalog already uses for the same
msgid, if any, to keep the wording consistent. JavaScript strings live in the
separate ``djangojs`` domain (``--domain djangojs``), checked against the project's
``locale/zh_Hans/LC_MESSAGES/djangojs.po``.

Catalogs are read and written with polib.
"""

import argparse
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import polib

PROJECT_DIR = Path(__file__).resolve().parents[1]
PROJECT_LOCALE = PROJECT_DIR / "locale"
TARGET_LANGUAGE = "zh_Hans"
SOURCE_LANGUAGE = "en"
DOMAINS = ("django", "djangojs")

Key = tuple[str | None, str]  # (msgctxt, msgid)


@dataclass
class Entry:
    """One message of a .po file."""

    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)  # msgstr, or msgstr[0..n]
    flags: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # "file:line"

    @property
    def key(self) -> Key:
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        """True when gettext would use this entry: not fuzzy and no empty msgstr."""
        return bool(self.msgstr) and all(self.msgstr) and not self.fuzzy


# --- reading -------------------------------------------------------------------------------


def _entry(found: polib.POEntry) -> Entry:
    plural = found.msgstr_plural
    return Entry(
        msgid=found.msgid,
        msgctxt=found.msgctxt,
        msgid_plural=found.msgid_plural or None,
        msgstr=[plural[i] for i in sorted(plural)] if plural else [found.msgstr],
        flags=list(found.flags),
        references=[f"{name}:{line}" if line else name for name, line in found.occurrences],
    )


def parse_po(path: Path | str) -> dict[Key, Entry]:
    """A .po file's live entries as ``{(msgctxt, msgid): Entry}`` (polib reads it; the
    header and obsolete ``#~`` entries are left out)."""
    return {
        (e.msgctxt, e.msgid): _entry(e)
        for e in polib.pofile(str(path), wrapwidth=0)
        if not e.obsolete
    }


# --- catalogs ------------------------------------------------------------------------------


def wagtail_dir() -> Path:
    import wagtail

    return Path(wagtail.__file__).resolve().parent


def catalog_pairs(domain: str = "django", root: Path | None = None) -> list[tuple[Path, Path]]:
    """Every (en, zh_Hans) catalog pair of the domain under the Wagtail package."""
    root = root or wagtail_dir()
    pairs = []
    for en in sorted(root.glob(f"**/locale/{SOURCE_LANGUAGE}/LC_MESSAGES/{domain}.po")):
        zh = en.parents[2] / TARGET_LANGUAGE / "LC_MESSAGES" / en.name
        pairs.append((en, zh))
    return pairs


def project_catalog(domain: str = "django") -> Path:
    return PROJECT_LOCALE / TARGET_LANGUAGE / "LC_MESSAGES" / f"{domain}.po"


def translated_keys(path: Path) -> dict[Key, Entry]:
    """The translated entries of a catalog (empty when the file does not exist)."""
    if not path.exists():
        return {}
    return {k: e for k, e in parse_po(path).items() if e.msgid and e.translated}


@dataclass
class CatalogReport:
    en: Path
    zh: Path
    total: int  # msgids in the en catalog
    translated_by_wagtail: int
    translated_by_project: int
    missing: list[Entry]  # neither


@dataclass
class Report:
    domain: str
    catalogs: list[CatalogReport]
    missing: dict[Key, Entry]  # de-duplicated across catalogs, in first-seen order
    sources: dict[Key, list[str]]  # which Wagtail catalogs each missing entry comes from
    references: dict[Key, list[str]]  # source references, prefixed with the catalog's package
    hints: dict[Key, Entry]  # a translation another Wagtail zh_Hans catalog has


def find_missing(
    domain: str = "django", project_po: Path | None = None, root: Path | None = None
) -> Report:
    """Compare every Wagtail en/zh_Hans catalog pair and the project catalog."""
    root = root or wagtail_dir()
    project = translated_keys(project_po or project_catalog(domain))
    pairs = catalog_pairs(domain, root)
    wagtail_translated = {zh: translated_keys(zh) for _, zh in pairs}
    everywhere: dict[Key, Entry] = {}
    for entries in wagtail_translated.values():
        for key, entry in entries.items():
            everywhere.setdefault(key, entry)

    catalogs, missing, sources, references = [], {}, {}, {}
    for en_path, zh_path in pairs:
        en = [e for e in parse_po(en_path).values() if e.msgid]
        zh = wagtail_translated[zh_path]
        by_wagtail = [e for e in en if e.key in zh]
        by_project = [e for e in en if e.key not in zh and e.key in project]
        left = [e for e in en if e.key not in zh and e.key not in project]
        catalogs.append(
            CatalogReport(en_path, zh_path, len(en), len(by_wagtail), len(by_project), left)
        )
        label = str(en_path.parents[3].relative_to(root.parent))  # e.g. wagtail/admin
        for entry in left:
            if entry.key not in missing or (
                entry.msgid_plural and not missing[entry.key].msgid_plural
            ):
                missing[entry.key] = entry
            sources.setdefault(entry.key, []).append(label)
            references.setdefault(entry.key, []).extend(f"{label}/{r}" for r in entry.references)
    hints = {key: everywhere[key] for key in missing if key in everywhere}
    return Report(domain, catalogs, missing, sources, references, hints)


# --- writing -------------------------------------------------------------------------------

HEADER_COMMENT = (
    "Simplified Chinese translations of Wagtail strings that Wagtail's own zh_Hans\n"
    "catalogs leave untranslated; scripts/wagtail_missing_zh.py lists them."
)
NPLURALS = 1


def _occurrence(reference: str) -> tuple[str, str]:
    name, _colon, line = reference.rpartition(":")
    return (name, line) if name else (reference, "")


def write_template(report: Report, path: Path) -> None:
    """Write the missing entries as a .po stub with empty msgstr."""
    stub = polib.POFile(wrapwidth=0)
    stub.header = HEADER_COMMENT
    stub.metadata = {
        "Project-Id-Version": "yunfu wagtail zh_Hans",
        "PO-Revision-Date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M%z"),
        "Last-Translator": "yunfu",
        "Language-Team": "Chinese (Simplified)",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Language": "zh_Hans",
        "Plural-Forms": f"nplurals={NPLURALS}; plural=0;",
    }
    for key, entry in report.missing.items():
        comments = [f"from {', '.join(report.sources[key])}"]
        hint = report.hints.get(key)
        if hint is not None:
            comments.append(f"elsewhere in Wagtail zh_Hans: {' | '.join(hint.msgstr)!r}")
        stub.append(
            polib.POEntry(
                msgctxt=entry.msgctxt,
                msgid=entry.msgid,
                msgid_plural=entry.msgid_plural or "",
                msgstr="",
                msgstr_plural={i: "" for i in range(NPLURALS)} if entry.msgid_plural else {},
                flags=[f for f in entry.flags if f != "fuzzy"],
                occurrences=[_occurrence(r) for r in report.references[key]],
                comment="\n".join(comments),
            )
        )
    stub.save(str(path))


# --- command line --------------------------------------------------------------------------


def print_report(report: Report, root: Path, listing: bool) -> None:
    print(f"domain {report.domain}: project catalog {project_catalog(report.domain)}")
    row = "{:45} {:>5} {:>8} {:>8} {:>8}".format
    print(row("catalog", "en", "wagtail", "project", "missing"))
    counts = []
    for c in report.catalogs:
        counts.append((c.total, c.translated_by_wagtail, c.translated_by_project, len(c.missing)))
        print(row(str(c.en.parents[3].relative_to(root.parent)), *counts[-1]))
    print(row("total", *(sum(column) for column in zip(*counts, strict=True))))
    plural = sum(1 for e in report.missing.values() if e.msgid_plural)
    context = sum(1 for e in report.missing.values() if e.msgctxt is not None)
    print(
        f"unique msgids still untranslated: {len(report.missing)} "
        f"({plural} plural, {context} with msgctxt, "
        f"{len(report.hints)} translated in another Wagtail zh_Hans catalog)"
    )
    if listing:
        for (ctx, msgid), entry in report.missing.items():
            prefix = f"[{ctx}] " if ctx is not None else ""
            plural_note = f" / {entry.msgid_plural!r}" if entry.msgid_plural else ""
            print(f"  {prefix}{msgid!r}{plural_note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--domain", choices=DOMAINS, default="django")
    parser.add_argument("--write-template", metavar="FILE", type=Path)
    parser.add_argument("--list", action="store_true", help="print every missing msgid")
    parser.add_argument("--check", action="store_true", help="exit 1 if anything is missing")
    args = parser.parse_args(argv)

    root = wagtail_dir()
    report = find_missing(args.domain, root=root)
    print_report(report, root, args.list)
    if args.write_template:
        write_template(report, args.write_template)
        print(f"wrote {len(report.missing)} entries to {args.write_template}")
    return 1 if args.check and report.missing else 0


if __name__ == "__main__":
    sys.exit(main())
