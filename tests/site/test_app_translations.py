"""Each app's Chinese catalog: keyed by English text, complete, and compiled as committed."""

import gettext
import re
from pathlib import Path

import pytest

from tests.support import ROOT, load_script

po_tools = load_script("wagtail_missing_zh")
CJK = re.compile(r"[\u4e00-\u9fff]")
APPS = [
    "sheets",
    "accounts",
    "regions",
    "courses",
    "classes",
    "learning",
    "coverage",
    "mentors",
    "matching",
    "site",
]


def catalog(app: str) -> Path:
    return ROOT / app / "locale" / "zh_Hans" / "LC_MESSAGES"


def entries(app: str):
    return [e for e in po_tools.parse_po(catalog(app) / "django.po").values() if e.msgid]


@pytest.mark.parametrize("app", APPS)
def test_every_message_is_english_and_translated_without_fuzzy_guesses(app):
    found = entries(app)
    assert found
    for entry in found:
        # Data values such as 是/否 may appear inside an English sentence.
        assert re.search("[A-Za-z]{2}", entry.msgid), f"{app}: msgid not English: {entry.msgid}"
        assert entry.translated, f"{app}: untranslated or fuzzy: {entry.msgid}"
        assert all(CJK.search(text) for text in entry.msgstr), f"{app}: {entry.msgid}"


@pytest.mark.parametrize("app", APPS)
def test_the_compiled_catalog_matches_the_source(app):
    with (catalog(app) / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for entry in entries(app):
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr[0]
        elif entry.msgctxt:
            found = compiled.pgettext(entry.msgctxt, entry.msgid)
            assert found == entry.msgstr[0], f"{app}: {entry.msgctxt}|{entry.msgid}"
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr[0], f"{app}: {entry.msgid}"
