"""The Wagtail admin is fully Chinese: locale/zh_Hans fills what Wagtail's zh_Hans leaves out.

The logic that finds the gaps is scripts/wagtail_missing_zh.py, loaded here from its file.
"""

import gettext
import json
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.utils import translation

from accounts.models import User
from tests.support import load_script, require

PROJECT_DIR = Path(__file__).resolve().parents[2]
LC_MESSAGES = PROJECT_DIR / "locale" / "zh_Hans" / "LC_MESSAGES"
DOMAINS = ["django", "djangojs"]


missing_zh = load_script("wagtail_missing_zh")


def wagtail_translated(domain="django"):
    """Every msgid some Wagtail zh_Hans catalog of the domain translates."""
    keys = set()
    for _en, zh in missing_zh.catalog_pairs(domain):
        keys |= set(missing_zh.translated_keys(zh))
    return keys


@pytest.mark.parametrize("domain", DOMAINS)
def test_no_wagtail_msgid_is_left_without_a_zh_hans_translation(domain):
    report = missing_zh.find_missing(domain)

    assert report.catalogs, "no Wagtail catalogs found"
    assert not report.missing, "\n".join(
        f"untranslated ({', '.join(report.sources[key])}): {key[1]!r}" for key in report.missing
    )


@pytest.mark.parametrize("domain", DOMAINS)
def test_project_catalog_holds_only_wagtail_msgids_wagtail_leaves_untranslated(domain):
    """App strings belong in the apps' own catalogs, not in the project-level one."""
    ours = set(missing_zh.translated_keys(LC_MESSAGES / f"{domain}.po"))
    in_wagtail_en = set()
    for en, _zh in missing_zh.catalog_pairs(domain):
        in_wagtail_en |= set(missing_zh.parse_po(en))

    assert ours, "the project catalog is empty"
    assert not ours - in_wagtail_en, "not Wagtail msgids"
    assert not ours & wagtail_translated(domain), "already translated by Wagtail"


def test_strings_wagtail_leaves_in_english_come_back_in_chinese():
    msgids = {
        "Content metrics",
        "Use server language: %(language_name)s",
        "%(num_parent_objects)d page",
    }
    # Wagtail 8.0.1's catalogs use no msgctxt, so there is no pgettext string to pick;
    # test_every_project_translation_is_the_one_django_uses covers msgctxt if one appears.
    assert not {(None, m) for m in msgids} & wagtail_translated()

    with translation.override("zh-hans"):
        assert translation.gettext("Content metrics") == "内容指标"
        server_language = translation.gettext("Use server language: %(language_name)s")
        assert server_language % {"language_name": "English"} == "使用服务器语言：English"
        pages = translation.ngettext(
            "%(num_parent_objects)d page", "%(num_parent_objects)d pages", 3
        )
        assert pages % {"num_parent_objects": 3} == "3 个页面"


def test_every_project_translation_is_the_one_django_uses():
    """LOCALE_PATHS wins over every app catalog, for each entry of the project catalog."""
    entries = missing_zh.translated_keys(LC_MESSAGES / "django.po").values()
    wrong = []
    with translation.override("zh-hans"):
        for e in entries:
            if e.msgid_plural is not None and e.msgctxt is not None:
                got = translation.npgettext(e.msgctxt, e.msgid, e.msgid_plural, 2)
            elif e.msgid_plural is not None:
                got = translation.ngettext(e.msgid, e.msgid_plural, 2)
            elif e.msgctxt is not None:
                got = translation.pgettext(e.msgctxt, e.msgid)
            else:
                got = translation.gettext(e.msgid)
            if got != e.msgstr[0]:
                wrong.append((e.msgid, got))
    assert not wrong


@pytest.mark.parametrize("domain", DOMAINS)
def test_committed_mo_is_in_sync_with_the_po(domain, tmp_path):
    msgfmt = shutil.which("msgfmt")
    require(msgfmt is not None, "msgfmt (GNU gettext) is not installed")
    po, mo = LC_MESSAGES / f"{domain}.po", LC_MESSAGES / f"{domain}.mo"
    fresh = tmp_path / f"{domain}.mo"

    subprocess.run([msgfmt, "--check", "-o", str(fresh), str(po)], check=True)

    with mo.open("rb") as committed, fresh.open("rb") as compiled:
        assert gettext.GNUTranslations(committed)._catalog == (
            gettext.GNUTranslations(compiled)._catalog
        ), f"run: msgfmt --check -o {mo.relative_to(PROJECT_DIR)} {po.relative_to(PROJECT_DIR)}"


def test_parse_po_reads_multiline_context_plurals_escapes_and_fuzzy(tmp_path):
    po = tmp_path / "sample.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgctxt "menu"\nmsgid "Open"\nmsgstr "打开"\n\n'
        'msgid ""\n"Line one\\n"\n"say \\"hi\\"\\t\\\\"\nmsgstr "多行"\n\n'
        'msgid "%(n)s page"\nmsgid_plural "%(n)s pages"\nmsgstr[0] "%(n)s 个页面"\n'
        'msgid "Next"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Guess"\nmsgstr "猜"\n\n'
        '#~ msgid "Old"\n#~ msgstr "旧"\n',
        encoding="utf-8",
    )

    entries = missing_zh.parse_po(po)

    assert (None, "") not in entries  # the header
    assert entries[("menu", "Open")].msgstr == ["打开"]
    assert entries[("menu", "Open")].flags == ["python-format"]
    assert entries[("menu", "Open")].references == ["a.py:1"]
    assert entries[(None, 'Line one\nsay "hi"\t\\')].msgstr == ["多行"]
    assert entries[(None, "%(n)s page")].msgid_plural == "%(n)s pages"
    assert entries[(None, "%(n)s page")].translated
    assert not entries[(None, "Next")].translated
    assert not entries[(None, "Guess")].translated
    assert (None, "Old") not in entries


def test_the_template_holds_each_missing_entry_with_its_sources_and_an_empty_translation(
    tmp_path,
):
    page = missing_zh.Entry(msgid="%(n)s page", msgid_plural="%(n)s pages", flags=["python-format"])
    menu = missing_zh.Entry(msgid="Open", msgctxt="menu", flags=["fuzzy"])
    report = missing_zh.Report(
        domain="django",
        catalogs=[],
        missing={page.key: page, menu.key: menu},
        sources={page.key: ["wagtail/admin"], menu.key: ["wagtail/admin", "wagtail/users"]},
        references={page.key: ["wagtail/admin/a.html:3"], menu.key: []},
        hints={menu.key: missing_zh.Entry(msgid="Open", msgctxt="menu", msgstr=["打开"])},
    )

    missing_zh.write_template(report, tmp_path / "missing.po")

    written = missing_zh.parse_po(tmp_path / "missing.po")
    assert list(written) == [page.key, menu.key]
    assert written[page.key].msgid_plural == "%(n)s pages"
    assert written[page.key].msgstr == [""] and not written[page.key].translated
    assert written[page.key].flags == ["python-format"]
    assert written[page.key].references == ["wagtail/admin/a.html:3"]
    assert written[menu.key].flags == []  # a template is never fuzzy
    comment = polib.pofile(str(tmp_path / "missing.po")).find("Open", msgctxt="menu").comment
    assert comment == "from wagtail/admin, wagtail/users\nelsewhere in Wagtail zh_Hans: '打开'"


@pytest.mark.django_db
def test_admin_pages_render_the_added_translations(client):
    client.force_login(User.objects.create_superuser("13800000000", "pw", real_name="管理员"))

    account = client.get("/cms/account/")
    assert account.status_code == 200
    assert "主题偏好" in account.content.decode()  # "Theme preferences"

    root = client.get("/cms/pages/1/")
    assert root.status_code == 200
    assert "有子页面" in root.content.decode()  # "Has child pages"

    js = client.get("/cms/jsi18n/")
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", js.content.decode(), re.S)[1])
    assert catalog["Insert a block"] == "插入块"
