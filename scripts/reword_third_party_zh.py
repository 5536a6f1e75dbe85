"""Write locale_overrides/zh_Hans/LC_MESSAGES/django.po: Django's and allauth's own Chinese
messages reworded to the site's copy (您, 退出登录, 验证码, 电子邮箱), for the pages trainees
see. Run it after upgrading either package, then `manage.py compilemessages`.

Only the wording changes: each entry is one the package translates, with its msgid as
the package has it, so the override can never carry app strings.
"""

import re
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
SITE_PACKAGES = Path(polib.__file__).resolve().parent
ZH = "locale/zh_Hans/LC_MESSAGES/django.po"
CATALOGS = {
    "django.contrib.auth": SITE_PACKAGES / "django" / "contrib" / "auth" / ZH,
    "allauth": SITE_PACKAGES / "allauth" / ZH,
}
OUT = ROOT / "locale_overrides" / "zh_Hans" / "LC_MESSAGES" / "django.po"

# allauth's messages for features this site does not use (two-factor, social accounts,
# devices, its OpenID provider): left as they are.
UNUSED = re.compile(
    r"recovery|two-factor|authenticator|device|provider|%s|social|client|scope|token", re.I
)
# Whole rewordings where a word-for-word change would read wrong.
WHOLE = {
    "Enter a phone number including country code (e.g. +1 for the US).": (
        "请输入包含国家/地区区号的电话号码（例如中国为 +86）。"
    ),
    "Incorrect code.": "验证码不正确。",
}
WORDS = [
    (re.compile(r"你(?!们)"), "您"),
    (re.compile(r"登出|注销"), "退出登录"),
    (re.compile(r"(?<!验证)代码"), "验证码"),
    (re.compile(r"E-?mail", re.I), "电子邮箱"),
]
RETIRED = re.compile(r"你(?!们)|注销|登出|代码|E-?mail", re.I)


def reword(text: str) -> str:
    for pattern, word in WORDS:
        text = pattern.sub(word, text)
    return text


def overrides():
    for package, path in CATALOGS.items():
        for entry in polib.pofile(str(path)):
            texts = [entry.msgstr, *entry.msgstr_plural.values()]
            if entry.obsolete or not any(texts) or UNUSED.search(entry.msgid):
                continue
            if entry.msgid in WHOLE:
                yield package, entry, {"": WHOLE[entry.msgid]}
            elif any(RETIRED.search(text) for text in texts):
                if entry.msgid_plural:
                    yield package, entry, {k: reword(v) for k, v in entry.msgstr_plural.items()}
                else:
                    yield package, entry, {"": reword(entry.msgstr)}


def main():
    po = polib.POFile()
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "zh_Hans",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    for package, entry, texts in overrides():
        new = polib.POEntry(
            msgid=entry.msgid,
            msgctxt=entry.msgctxt,
            msgid_plural=entry.msgid_plural,
            comment=f"reworded from {package}",
            flags=[f for f in entry.flags if f != "fuzzy"],
        )
        if entry.msgid_plural:
            new.msgstr_plural = texts
        else:
            new.msgstr = texts[""]
        po.append(new)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(OUT))
    print(f"{len(po)} messages reworded into {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
