"""locale_overrides rewords Django's and allauth's own Chinese to the site's copy, and
holds nothing else: every message is one those packages translate, reworded."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from tests.support import load_script

ROOT = Path(__file__).resolve().parents[2]
OVERRIDES = ROOT / "locale_overrides" / "zh_Hans" / "LC_MESSAGES" / "django.po"
RETIRED = re.compile(r"你(?!们)|注销|登出|(?<!验证)代码|E-?mail", re.I)

reword = load_script("reword_third_party_zh")


def test_the_committed_catalog_is_what_the_script_writes(tmp_path, monkeypatch):
    """Regenerated after a package upgrade, it must be committed again."""
    monkeypatch.setattr(reword, "OUT", tmp_path / "django.po")
    reword.main()
    written = reword.polib.pofile(str(tmp_path / "django.po"))
    committed = reword.polib.pofile(str(OVERRIDES))
    assert [(e.msgid, e.msgstr, e.msgstr_plural) for e in written] == [
        (e.msgid, e.msgstr, e.msgstr_plural) for e in committed
    ]


def test_every_override_is_a_third_party_message_in_the_site_s_words():
    packages = {}
    for path in reword.CATALOGS.values():
        packages |= {e.msgid: e for e in reword.polib.pofile(str(path))}
    entries = reword.polib.pofile(str(OVERRIDES))
    assert len(entries) > 20
    for entry in entries:
        assert entry.msgid in packages, entry.msgid
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            assert text and not RETIRED.search(text), (entry.msgid, text)


@pytest.mark.parametrize(
    ("msgid", "expected"),
    [
        ("Sign Out", "退出登录"),
        ("Are you sure you want to sign out?", "您确定要退出登录吗？"),
        ("Your password can’t be entirely numeric.", "您的密码不能全都是数字。"),
        ("Send me a sign-in code", "发送登录验证码给我"),
        ("Add Email", "添加电子邮箱"),
    ],
)
def test_the_site_shows_the_reworded_message(msgid, expected):
    with translation.override("zh-hans"):
        assert translation.gettext(msgid) == expected
