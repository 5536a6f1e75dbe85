"""Certificates of completion (结业证书): who may see one, the public check, the picture.

A certificate is a Completion seen from outside: its code is printed on it and anyone
holding the paper can check it at the public verification page, which shows only
what the paper already shows, with the name masked.

It is a document: it shows the holder frozen on the completion when it was issued
(``holder_name``, ``holder_id_masked``), never the profile as it is today. A completion
whose trainee had no real name is recorded all the same (it counts in the figures) but
has no certificate yet: its page asks the trainee for the name to print, once, and
freezes it then (``issue_certificate``). Until then neither the picture nor the public
check knows the code.

The picture is drawn once and kept in the cache under the certificate's code and a
digest of what it shows, so a reprint costs nothing and a completion re-dated by the
ledger gets a new picture. The cache, not MEDIA_ROOT: the picture carries a name and an
ID mask, and MEDIA_ROOT is served to anyone.
"""

import functools
import hashlib
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from .models import Completion

# Debian's fonts-noto-cjk; face 2 of the collection is Simplified Chinese.
NOTO_CJK = (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2)
SIZE = (1600, 1130)  # A4 landscape, about 135 dpi
GREEN = "#1f7a4d"
INK = "#1d2327"
MUTED = "#5f6b73"
PAPER = "#fffdf6"


class MissingCJKFont(ImproperlyConfigured):
    """No font with Chinese glyphs: a certificate would show boxes instead of the name."""


def certificates_visible_to(user):
    """Completions whose certificate ``user`` may open: their own, or any for whoever may
    view completions (``learning.view_completion``; superusers)."""
    if not user.is_authenticated:
        return Completion.objects.none()
    if user.is_active and user.has_perm("learning.view_completion"):
        return Completion.objects.all()
    return Completion.objects.filter(user=user)


def normalize_code(code: str) -> str:
    """A code as typed from paper: any case, with spaces or dashes between groups."""
    return "".join(code.split()).replace("-", "").upper()


def find_certificate(code: str):
    """The issued certificate with this verification code, or None."""
    code = normalize_code(code)
    if not code:
        return None
    return (
        Completion.objects.select_related("course")
        .filter(certificate_code=code)
        .exclude(holder_name="")
        .first()
    )


def may_issue(user, completion) -> bool:
    """Only the holder names their certificate: staff may look, not sign for them."""
    return completion.user_id == user.pk


@transaction.atomic
def issue_certificate(completion, real_name: str) -> Completion:
    """Freeze the holder on a completion that has none yet: ``real_name`` and the ID mask
    on the profile now. A profile without a real name takes this one, so the site calls
    the trainee by the name on their certificate. Issued once: a second call changes
    nothing."""
    user = type(completion.user).objects.select_for_update().get(pk=completion.user_id)
    if not user.real_name.strip():
        user.real_name = real_name
        user.save(update_fields=["real_name"])
    Completion.objects.filter(pk=completion.pk, holder_name="").update(
        holder_name=real_name, holder_id_masked=user.id_number_masked
    )
    completion.refresh_from_db(fields=["holder_name", "holder_id_masked"])
    return completion


def mask_name(name: str) -> str:
    """A name for the public page: first and last character, stars between (黄*梅, 张*)."""
    name = name.strip()
    if len(name) <= 1:
        return "*" if name else ""
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def format_hours(hours: Decimal) -> str:
    """6.00 → 6, 6.50 → 6.5: the hours without trailing zeros."""
    return f"{hours.normalize():f}"


def completion_date(completion) -> str:
    """The completion date in the local time zone, as the active language writes dates."""
    return formats.date_format(timezone.localdate(completion.completed_at), "DATE_FORMAT")


def _fc_match_cjk():
    """Ask fontconfig for a font covering Simplified Chinese: ``(path, index)`` or None."""
    fc_match = shutil.which("fc-match")
    if not fc_match:
        return None
    try:
        found = subprocess.run(
            [fc_match, "--format=%{file}|%{index}|%{lang}", ":lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, _sep, rest = found.partition("|")
    index, _sep, langs = rest.partition("|")
    # fc-match always answers with its best font, Chinese or not: check it covers zh-cn.
    if not path or "zh-cn" not in langs.split("|"):
        return None
    return Path(path), int(index or 0)


@functools.cache
def find_cjk_font() -> tuple[Path, int]:
    """``(path, face index)`` of a font with Chinese glyphs; raise MissingCJKFont if none."""
    path, index = NOTO_CJK
    if path.is_file():
        return path, index
    found = _fc_match_cjk()
    if found and found[0].is_file():
        return found
    raise MissingCJKFont(
        "No CJK font found for certificates: install Debian's fonts-noto-cjk "
        f"({path}) or any font that fontconfig lists for :lang=zh-cn."
    )


def _font(size: int):
    path, index = find_cjk_font()
    return ImageFont.truetype(str(path), size, index=index)


def _wrap(draw, text: str, font, width: int) -> list[str]:
    """Break ``text`` into lines no wider than ``width``; Chinese breaks between any two
    characters, so measure character by character rather than by word."""
    lines, line = [], ""
    for char in text:
        if line and draw.textlength(line + char, font=font) > width:
            lines.append(line)
            line = char.lstrip()
        else:
            line += char
    return [*lines, line] if line else lines


def certificate_png(completion, verify_url: str) -> bytes:
    """The certificate as a PNG: name, course, hours, date, code and where to check it."""
    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    draw.rectangle((30, 30, width - 31, height - 31), outline=GREEN, width=10)
    draw.rectangle((55, 55, width - 56, height - 56), outline=GREEN, width=2)

    def centred(y, text, font, fill=INK):
        draw.text((width / 2, y), text, font=font, fill=fill, anchor="ma")
        return y + font.size * 1.5

    y = centred(120, _("Certificate of Completion"), _font(96), GREEN)
    y = centred(y + 40, completion.holder_name, _font(72))
    if completion.holder_id_masked:
        id_line = _("ID-card number %(number)s") % {"number": completion.holder_id_masked}
        y = centred(y - 20, id_line, _font(32), MUTED)
    y = centred(y, _("has completed the course"), _font(40), MUTED)
    title_font = _font(60)
    for line in _wrap(draw, completion.course.title, title_font, width - 300)[:3]:
        y = centred(y, line, title_font, GREEN)
    facts = _("%(hours)s study hours · completed on %(date)s") % {
        "hours": format_hours(completion.hours),
        "date": completion_date(completion),
    }
    centred(y + 20, facts, _font(40))

    small = _font(30)
    issuer = _("Yunfu Municipal Bureau of Commerce · rural e-commerce training")
    draw.text((width / 2, height - 290), issuer, font=_font(40), fill=INK, anchor="ma")
    code = _("Verification code: %(code)s") % {"code": completion.certificate_code}
    draw.text((width / 2, height - 190), code, font=_font(36), fill=INK, anchor="ma")
    check = _("Check it at %(url)s") % {"url": verify_url}
    draw.text((width / 2, height - 130), check, font=small, fill=MUTED, anchor="ma")

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _picture_key(completion, verify_url: str) -> str:
    """The cache key of a certificate's picture: its code, and a digest of everything
    drawn on it (a completion re-dated by the ledger, another language: another picture)."""
    drawn = "\n".join(
        [
            completion.holder_name,
            completion.holder_id_masked,
            completion.course.title,
            str(completion.hours),
            completion_date(completion),
            verify_url,
            translation.get_language() or "",
        ]
    )
    digest = hashlib.sha256(drawn.encode()).hexdigest()[:16]
    return f"certificate-png:{completion.certificate_code}:{digest}"


def certificate_picture(completion, verify_url: str) -> bytes:
    """The certificate's PNG, drawn the first time it is asked for and kept since."""
    key = _picture_key(completion, verify_url)
    png = cache.get(key)
    if png is None:
        png = certificate_png(completion, verify_url)
        cache.set(key, png, timeout=None)
    return png
