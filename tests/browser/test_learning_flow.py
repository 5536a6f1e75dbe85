"""A trainee on a phone: log in from a course page, enrol, find the course on 我的学习;
a lesson says when its time counts; leaving a course asks first; a trainee without a
real name gives it to receive the certificate; anyone checks a certificate code."""

import re

import pytest

from tests.support import assert_fits_phone_width, screenshot

pytestmark = pytest.mark.browser

TRAINEE = ("13800000003", "yunfu-demo-2026")
LOG_OUT = re.compile("退出登录|注销")

# A completion for the demo trainee (李学员), made on the server's database as the
# heartbeat or a class would make it; prints the certificate code and the course title.
COMPLETE_A_COURSE = """
from django.utils import timezone
from accounts.models import User
from courses.models import CoursePage
from learning.completion import holder_fields, new_certificate_code
from learning.models import Completion
course = CoursePage.objects.live().order_by("path").last()
user = User.objects.get(phone="+8613800000003")
completion, _ = Completion.objects.get_or_create(
    user=user,
    course=course,
    defaults={"completed_at": timezone.now(), "hours": course.required_hours,
              "certificate_code": new_certificate_code(), **holder_fields(user)},
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
    assert panel.get_by_role("link", name="退出课程").is_visible()
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

    phone.locator(".site-nav").get_by_role("button", name=LOG_OUT).click()
    phone.goto("/learning/verify/")
    phone.get_by_label("证书编号").fill(code.lower())
    phone.get_by_role("button", name="查验").click()
    phone.wait_for_url(f"**/learning/verify/{code}/")
    result = phone.locator(".verify-result").inner_text()
    assert "该证书真实有效" in result and "李*员" in result and title in result
    assert "李学员" not in phone.content() and "13800000003" not in phone.content()
    assert_fits_phone_width(phone)
    screenshot(phone, "learning-5-verified")


# A trainee of this file's own, signed up without a real name (phone 1350000xxxx).
NEW_TRAINEE = """
from accounts.models import User
User.objects.filter(phone="+86{phone}").exists() or User.objects.create_user(
    "{phone}", "yunfu-demo-2026", real_name="", phone_verified=True
)
"""

# The same trainee completes a course by online study, as the heartbeat would.
STUDY_A_COURSE_THROUGH = """
from django.utils import timezone
from accounts.models import User
from courses.models import CoursePage
from learning.completion import settle_completion
from learning.enrolment import enrol
from learning.models import OnlineStudy
user = User.objects.get(phone="+86{phone}")
course = CoursePage.objects.live().order_by("path").first()
enrol(user, course)
OnlineStudy.objects.create(user=user, course=course, day=timezone.localdate(),
                           seconds=int(course.required_hours * 3600))
completion = settle_completion(user, course)
print(completion.certificate_code, course.title)
"""

LESSON_URL = """
from courses.models import CoursePage, LessonPage
course = CoursePage.objects.get(slug="live-streaming-sales")
print(LessonPage.objects.child_of(course).live().order_by("path").first().url)
"""


def log_in_as(phone, number):
    phone.get_by_label("手机号码").fill(number)
    phone.locator("#id_password").fill(TRAINEE[1])
    phone.locator("form").get_by_role("button", name="登录").click()


def test_a_lesson_says_when_its_time_counts_and_leaving_asks_first(phone, server):
    number = "13500000001"
    server.manage("shell", "-c", NEW_TRAINEE.format(phone=number))
    lesson_url = server.manage("shell", "-c", LESSON_URL).strip().splitlines()[-1]

    phone.goto(lesson_url)
    bar = phone.locator(".study-status")
    assert "登录后学习时长才计入" in bar.inner_text()
    assert_fits_phone_width(phone)
    screenshot(phone, "learning-6-lesson-logged-out")
    bar.get_by_role("link", name="登录").click()
    log_in_as(phone, number)
    phone.wait_for_url(f"**{lesson_url}")

    assert "报名后计入学时" in bar.inner_text()
    assert_fits_phone_width(phone)
    screenshot(phone, "learning-7-lesson-not-enrolled")
    bar.get_by_role("button", name="报名学习").click()
    phone.wait_for_url(f"**{lesson_url}")
    assert phone.locator(".study-status").count() == 0

    phone.locator(".breadcrumb a").click()
    phone.get_by_role("link", name="退出课程").click()
    phone.wait_for_url("**/leave/")
    assert "吗？" in phone.locator("h1").inner_text()
    assert_fits_phone_width(phone)
    screenshot(phone, "learning-8-leave-confirm")
    phone.get_by_role("link", name="继续学习本课程").click()
    assert phone.locator(".enrolment").get_by_text("已报名").is_visible()
    phone.get_by_role("link", name="退出课程").click()
    phone.get_by_role("button", name="确定退出课程").click()
    assert phone.get_by_text("已学的学时仍然保留").first.is_visible()
    assert phone.get_by_role("button", name="报名学习").is_visible()


def test_a_trainee_without_a_real_name_gives_it_to_receive_the_certificate(phone, server):
    number = "13500000002"
    server.manage("shell", "-c", NEW_TRAINEE.format(phone=number))
    output = server.manage("shell", "-c", STUDY_A_COURSE_THROUGH.format(phone=number))
    code, title = output.strip().splitlines()[-1].split(maxsplit=1)

    phone.goto("/accounts/login/?next=/learning/")
    log_in_as(phone, number)
    phone.wait_for_url("**/learning/")
    phone.locator(".completions li").filter(has_text=title).get_by_role(
        "link", name="领取结业证书"
    ).click()
    phone.wait_for_url(f"**/learning/certificates/{code}/")
    assert phone.locator("h1").inner_text() == "结业证书上的姓名"
    assert_fits_phone_width(phone)
    screenshot(phone, "learning-9-certificate-name")
    phone.get_by_label("真实姓名").fill("周小兰")
    phone.get_by_role("button", name="领取结业证书").click()
    phone.wait_for_url(f"**/learning/certificates/{code}/")
    assert "周小兰" in phone.locator(".certificate").inner_text()
    picture = phone.request.get(f"/learning/certificates/{code}.png")
    assert picture.ok and picture.headers["content-type"] == "image/png"
