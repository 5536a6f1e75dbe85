"""The courses app's Chinese catalog: complete, compiled, and keyed by English text."""

import ast
import gettext
import re
from pathlib import Path

import courses

LC_MESSAGES = Path(courses.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"
CJK = re.compile(r"[\u4e00-\u9fff]")


def po_entries():
    """(msgid, msgstr, flags) for each entry of django.po, plural forms by their singular."""
    entries, entry, field = [], None, None
    for line in (LC_MESSAGES / "django.po").read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry and entry["msgid"]:
                entries.append((entry["msgid"], entry["msgstr"], entry["flags"]))
            entry, field = None, None
            continue
        entry = entry or {"msgid": "", "msgstr": "", "flags": ""}
        if line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith(("msgid ", "msgstr ", "msgstr[0] ")):
            field = "msgid" if line.startswith("msgid ") else "msgstr"
            entry[field] += ast.literal_eval(line.split(" ", 1)[1])
        elif line.startswith('"') and field:
            entry[field] += ast.literal_eval(line)
        elif line.startswith(("msgid_plural", "msgstr[")):
            field = None
    return entries


def test_every_message_is_english_and_translated_without_fuzzy_guesses():
    entries = po_entries()
    assert len(entries) > 50
    for msgid, msgstr, flags in entries:
        assert not CJK.search(msgid), msgid
        assert CJK.search(msgstr), msgid
        assert "fuzzy" not in flags, msgid


def test_the_compiled_catalog_matches_the_source():
    with (LC_MESSAGES / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for msgid, msgstr, _flags in po_entries():
        assert compiled.gettext(msgid) == msgstr, msgid
