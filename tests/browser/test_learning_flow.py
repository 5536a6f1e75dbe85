"""A trainee on a phone: log in from a course page, enrol, find the course on 我的学习;
anyone checks a certificate code."""

import re

import pytest

from tests.support import assert_fits_phone_width, screenshot

pytestmark = pytest.mark.browser

TRAINEE = ("13800000003", "yunfu-demo-2026")

# A completion for the demo trainee (李学员), made on the server's database as the
# heartbeat or a class would make it; prints the certificate code and the course title.
COMPLETE_A_COURSE = """
from django.utils import timezone
from accounts.models import User
from courses.models import CoursePage
from learning.completion import new_certificate_code
from learning.models import Completion
course = CoursePage.objects.live().order_by("path").last()
completion, _ = Completion.objects.get_or_create(
    user=User.objects.get(phone="+8613800000003"),
    course=course,
    defaults={"completed_at": timezone.now(), "hours": course.required_hours,
              "certificate_code": new_certificate_code()},
)
print(completion.certificate_code, course.title)
"""


def log_in(phone):
    phone.get_by_label("手机号码").fill(TRAINEE[0])
    phone.locator("#id_password").fill(TRAINEE[1])
    phone.locator("form").get_by_role("button", name="登录").click()


def test_enrol_from_a_course_page_and_see_it_on_my_learning(phone):
    phone.goto("/courses/")
    phone.locator(".card h3").first.click()
    phone.wait_for_url("**/courses/*/")
    course_url = phone.url
    title = phone.locator("h1").inner_text()

    phone.get_by_role("link", name="登录后报名").click()
    phone.wait_for_url(re.compile(r"/accounts/login/\?next="))
    assert_fits_phone_width(phone)
    log_in(phone)
    phone.wait_for_url(course_url)

    phone.get_by_role("button", name="报名学习").click()
    phone.wait_for_url(course_url)
    assert phone.get_by_text(f"已报名《{title}》").is_visible()
    panel = phone.locator(".enrolment")
    assert panel.get_by_text("已报名").is_visible()
    assert re.search(r"0 / [\d.]+ 学时", panel.inner_text())
    assert panel.get_by_role("button", name="退出课程").is_visible()
    assert_fits_phone_width(phone)
    screenshot(phone, "learning-1-enrolled")

    phone.locator(".site-nav").get_by_role("link", name="我的学习").click()
    phone.wait_for_url("**/learning/")
    assert phone.locator("h1").inner_text() == "我的学习"
    courses = phone.locator(".progress-item h3").all_inner_texts()
    assert title in courses
    item = phone.locator(".progress-item").filter(has_text=title)
    assert item.get_by_role("progressbar").is_visible()
    assert "课已学" in item.inner_text()
    assert_fits_phone_width(phone)
    screenshot(phone, "learning-2-my-learning")


def test_an_unknown_certificate_code_says_so_in_chinese(phone):
    phone.goto("/learning/verify/")
    assert_fits_phone_width(phone)
    phone.get_by_label("证书编号").fill("abcd efgh jkmn")
    response_status = []
    phone.on("response", lambda response: response_status.append(response.status))
    phone.get_by_role("button", name="查验").click()
    phone.wait_for_url("**/learning/verify/ABCDEFGHJKMN/")
    assert 404 in response_status
    assert phone.get_by_text("未找到编号为 ABCDEFGHJKMN 的结业证书").is_visible()
    assert_fits_phone_width(phone)
    screenshot(phone, "learning-3-verify-unknown")


def test_a_completed_course_has_a_certificate_anyone_can_verify(phone, server):
    # The shell may first say how many models it imported: the answer is the last line.
    output = server.manage("shell", "-c", COMPLETE_A_COURSE).strip().splitlines()[-1]
    code, title = output.split(maxsplit=1)
    phone.goto("/accounts/login/?next=/learning/")
    log_in(phone)
    phone.wait_for_url("**/learning/")
    completed = phone.locator(".completions li").filter(has_text=title)
    completed.get_by_role("link", name="结业证书").click()
    phone.wait_for_url(f"**/learning/certificates/{code}/")
    certificate = phone.locator(".certificate")
    for shown in ("结业证书", "李学员", title, code):
        assert shown in certificate.inner_text()
    assert_fits_phone_width(phone)
    screenshot(phone, "learning-4-certificate")

    picture = phone.request.get(f"/learning/certificates/{code}.png")
    assert picture.ok and picture.headers["content-type"] == "image/png"

    phone.locator(".site-nav").get_by_role("button", name="注销").click()
    phone.goto("/learning/verify/")
    phone.get_by_label("证书编号").fill(code.lower())
    phone.get_by_role("button", name="查验").click()
    phone.wait_for_url(f"**/learning/verify/{code}/")
    result = phone.locator(".verify-result").inner_text()
    assert "该证书真实有效" in result and "李*员" in result and title in result
    assert "李学员" not in phone.content() and "13800000003" not in phone.content()
    assert_fits_phone_width(phone)
    screenshot(phone, "learning-5-verified")
