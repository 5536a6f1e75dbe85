"""Certificates of completion: the printable page, the PNG, who may open them, and the
public verification page that shows no personal data beyond a masked name."""

import datetime
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from PIL import Image, ImageStat

from learning import certificates
from learning.certificates import (
    MissingCJKFont,
    certificate_png,
    find_certificate,
    find_cjk_font,
    format_hours,
    mask_name,
)
from tests.accounts.factories import UserFactory
from tests.learning import enrolment_factories as make
from tests.support import require

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def completion(db):
    trainee = UserFactory(real_name="黄小梅", phone="+8613912345678")
    trainee.set_id_number("445302199001011235")
    trainee.save()
    course = make.course("农村电商入门", hours="6")
    # Late on 5 March in Yunfu is already the 5th there but still the 5th in UTC too;
    # 00:30 on the 6th is the 6th locally and the 5th in UTC: the local date counts.
    when = datetime.datetime(2026, 3, 6, 0, 30, tzinfo=SHANGHAI)
    return make.completion(trainee, course, hours="6.5", when=when)


@pytest.fixture(autouse=True)
def _fresh_font_lookup():
    find_cjk_font.cache_clear()
    yield
    find_cjk_font.cache_clear()


def test_the_owner_sees_a_printable_certificate(client, completion):
    client.force_login(completion.user)
    response = client.get(reverse("certificate", args=[completion.certificate_code]))
    assert response.status_code == 200
    page = response.content.decode()
    for shown in ("结业证书", "黄小梅", "农村电商入门", "6.5", "2026年3月6日"):
        assert shown in page
    assert completion.certificate_code in page
    assert "http://testserver" + reverse("verify_code", args=[completion.certificate_code]) in page
    assert "data-print" in page and "js/site.js" in page, "the print button (site.js)"
    assert reverse("certificate_png", args=[completion.certificate_code]) in page


def viewer_of_completions():
    viewer = UserFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="view_completion"))
    return viewer


def test_others_get_not_found_staff_get_the_certificate_anonymous_must_log_in(client, completion):
    code = completion.certificate_code
    for url in (reverse("certificate", args=[code]), reverse("certificate_png", args=[code])):
        client.logout()
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

        client.force_login(UserFactory())
        assert client.get(url).status_code == 404
        # Django's staff flag alone (the old check) is no permission.
        client.force_login(UserFactory(is_staff=True))
        assert client.get(url).status_code == 404

        client.force_login(viewer_of_completions())
        assert client.get(url).status_code == 200


def test_the_png_is_a_real_picture_with_something_drawn_on_it(client, completion):
    client.force_login(completion.user)
    response = client.get(reverse("certificate_png", args=[completion.certificate_code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "private" in response["Cache-Control"]
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    width, height = image.size
    assert 1000 <= width <= 4000 and 700 <= height <= 3000
    assert width > height, "landscape, like a printed certificate"
    variance = ImageStat.Stat(image.convert("L")).var[0]
    assert variance > 100, "the picture is (nearly) blank"


def test_the_png_draws_the_name_in_chinese_glyphs_not_boxes(completion):
    """The same certificate for two names that differ only in Chinese characters must
    differ: a font without Chinese would draw both as the same row of boxes."""
    one = Image.open(io.BytesIO(certificate_png(completion, "http://x/v/")))
    completion.holder_name = "张小梅"
    other = Image.open(io.BytesIO(certificate_png(completion, "http://x/v/")))
    assert one.tobytes() != other.tobytes()


def test_a_long_course_title_wraps_inside_the_picture(completion):
    completion.course.title = "农村电商" * 20
    image = Image.open(io.BytesIO(certificate_png(completion, "http://x/v/")))
    border = image.crop((0, 0, 20, image.height))
    assert ImageStat.Stat(border.convert("L")).var[0] == 0, "text ran into the margin"


def test_the_cjk_font_is_found_and_has_chinese(db):
    path, index = find_cjk_font()
    assert path.is_file()
    from PIL import ImageFont

    font = ImageFont.truetype(str(path), 40, index=index)
    assert "CJK" in " ".join(font.getname()) or "Chinese" in " ".join(font.getname())


def test_without_a_cjk_font_certificates_fail_loudly(monkeypatch):
    monkeypatch.setattr(certificates, "NOTO_CJK", (Path("/nonexistent/font.ttc"), 2))
    monkeypatch.setattr(certificates.shutil, "which", lambda name: None)
    with pytest.raises(MissingCJKFont, match="fonts-noto-cjk"):
        find_cjk_font()


def test_fontconfig_is_asked_when_the_noto_file_is_elsewhere(monkeypatch):
    require(certificates.shutil.which("fc-match"), "fontconfig's fc-match (installed with fonts)")
    monkeypatch.setattr(certificates, "NOTO_CJK", (Path("/nonexistent/font.ttc"), 2))
    path, index = find_cjk_font()
    assert path.is_file() and index >= 0


def test_verification_shows_the_course_date_and_a_masked_name_only(client, completion):
    response = client.get(reverse("verify_code", args=[completion.certificate_code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "该证书真实有效" in page
    assert "黄*梅" in page
    assert "农村电商入门" in page
    assert "2026年3月6日" in page
    assert "黄小梅" not in page
    user = completion.user
    for private in ("13912345678", user.masked_phone, user.id_number_masked, user.id_number_hash):
        assert private not in page


def test_an_unknown_code_is_a_chinese_not_found(client, db):
    response = client.get(reverse("verify_code", args=["NOSUCHCODE22"]))
    assert response.status_code == 404
    assert "未找到编号为 NOSUCHCODE22 的结业证书" in response.content.decode()


def test_the_form_takes_a_code_as_typed_from_paper(client, completion):
    code = completion.certificate_code
    typed = f" {code[:4].lower()} {code[4:8]}-{code[8:]} "
    response = client.get(reverse("verify"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("verify_code", args=[code])
    assert find_certificate(typed) == completion


def test_the_form_without_a_code_asks_for_one(client, db):
    response = client.get(reverse("verify"))
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()
    assert find_certificate("  ") is None


@pytest.mark.parametrize(
    ("name", "masked"),
    [("黄小梅", "黄*梅"), ("张伟", "张*"), ("欧阳小明", "欧**明"), ("王", "*"), ("", "")],
)
def test_names_are_masked_but_for_the_first_and_last_character(name, masked):
    assert mask_name(name) == masked


def test_hours_lose_their_trailing_zeros():
    from decimal import Decimal

    assert [format_hours(Decimal(h)) for h in ("6.00", "6.50", "12.25", "100")] == [
        "6",
        "6.5",
        "12.25",
        "100",
    ]
