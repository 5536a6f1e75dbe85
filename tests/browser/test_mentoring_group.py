"""A mentoring group on phones: the mentee logs a meeting and rates their mentor on
/mentoring/my-mentor/; the expert, in a browser of their own, finds both on
/mentoring/group/ with the mentee's full number. No sideways scroll."""

import datetime
import re

import pytest

from tests.support import PHONE, assert_fits_phone_width, screenshot

pytestmark = pytest.mark.browser

PASSWORD = "Yunfu-2026-pass"
EXPERT = "13955500001"
MENTEE = "13955500002"

# An expert with an account and, in their group for a week, an entrepreneur with one;
# as staff would have set them up by approving a proposal.
GROUP = f"""
import datetime
from django.utils import timezone
from accounts.models import User
from matching.models import MentoringGroup
from mentors.models import Entrepreneur, Expert, ExpertiseTag, Product, SalesChannel
from regions.models import Village

expert = Expert.objects.create(
    name="邓志强", expert_type="农村电商专家", organisation="云浮市电子商务协会",
    organisation_kind="商协会", introduction="十年农村电商经验，帮农户开网店、做直播。",
    phone="+86{EXPERT}",
    user=User.objects.create_user(phone="+86{EXPERT}", password="{PASSWORD}",
                                  real_name="邓志强", phone_verified=True),
)
expert.tags.set(ExpertiseTag.objects.filter(name__in=["开网店", "直播带货"]))
mentee = Entrepreneur.objects.create(
    name="黄小梅", phone="+86{MENTEE}", background="返乡大学生", school="广东农工商职业技术学院",
    graduation_year=2024, village=Village.objects.order_by("pk").first(), stage="想法阶段",
    needs="想开网店卖自家的沙糖桔，不会拍照。", mentor=expert,
    mentor_since=timezone.localdate() - datetime.timedelta(days=7),
    user=User.objects.create_user(phone="+86{MENTEE}", password="{PASSWORD}",
                                  real_name="黄小梅", phone_verified=True),
)
mentee.products.set(Product.objects.filter(name="沙糖桔"))
mentee.channels.set(SalesChannel.objects.filter(name="淘宝"))
MentoringGroup.objects.get_or_create(expert=expert)
"""


@pytest.fixture(scope="module")
def group(server):
    server.manage("shell", "-c", GROUP)
    return server


def log_in(page, number, next_url):
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("手机号码").fill(number)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{next_url}")


def test_the_mentee_logs_a_meeting_and_rates_and_the_expert_sees_both(phone, browser, group):
    log_in(phone, MENTEE, "/mentoring/my-mentor/")
    assert phone.get_by_role("heading", level=1).inner_text() == "我的帮带专家"
    card = phone.locator(".mentor-card")
    assert "邓志强" in card.inner_text()
    assert "十年农村电商经验" in card.inner_text()
    assert card.get_by_role("link", name=f"拨打 {EXPERT}").is_visible()
    assert_fits_phone_width(phone)
    screenshot(phone, "mentoring-1-my-mentor")

    # A day in the future is refused beside the date; the notes typed stay.
    form = phone.locator("form.meeting-form")
    today = datetime.date.fromisoformat(form.locator("#id_date").get_attribute("max"))
    form.locator("#id_date").fill((today + datetime.timedelta(days=1)).isoformat())
    form.locator('input[name="way"][value="video"]').check()
    form.get_by_label("记录").fill("视频里教我拍沙糖桔的照片，下周上架。")
    form.get_by_role("button", name="保存见面记录").click()
    form = phone.locator("form.meeting-form")
    assert form.locator("#field-date .errorlist").inner_text() == "见面日期不能晚于今天。"
    assert form.get_by_label("记录").input_value() == "视频里教我拍沙糖桔的照片，下周上架。"
    assert_fits_phone_width(phone)
    screenshot(phone, "mentoring-2-meeting-refused")

    form.locator("#id_date").fill(today.isoformat())
    form.get_by_role("button", name="保存见面记录").click()
    phone.wait_for_url("**/mentoring/my-mentor/")
    assert phone.get_by_text("见面记录已保存。").is_visible()
    meetings = phone.locator(".meetings")
    assert "视频里教我拍沙糖桔的照片，下周上架。" in meetings.inner_text()
    assert "黄小梅记录" in meetings.inner_text()

    rating = phone.locator("form.rating-form")
    rating.get_by_label("5 星 · 帮助非常大").check()
    rating.get_by_label("评语").fill("很耐心，手把手教。")
    rating.get_by_role("button", name="提交评分").click()
    phone.wait_for_url("**/mentoring/my-mentor/")
    assert phone.get_by_text("感谢您为导师评分。").is_visible()
    assert phone.get_by_text(re.compile("您给了 5 星")).is_visible()
    assert phone.locator("form.rating-form").get_by_label("5 星 · 帮助非常大").is_checked()
    assert_fits_phone_width(phone)
    screenshot(phone, "mentoring-3-rated")

    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN", base_url=group.url
    )
    try:
        expert = context.new_page()
        log_in(expert, EXPERT, "/mentoring/group/")
        assert expert.get_by_role("heading", level=1).inner_text() == "我的帮带小组"
        member = expert.locator(".member")
        assert "黄小梅" in member.inner_text()
        assert "想开网店卖自家的沙糖桔，不会拍照。" in member.inner_text()
        assert member.get_by_role("link", name=f"拨打 {MENTEE}").is_visible()
        meetings = expert.locator(".meetings")
        assert "视频里教我拍沙糖桔的照片，下周上架。" in meetings.inner_text()
        assert "与黄小梅" in meetings.inner_text()
        ratings = expert.locator(".ratings")
        assert "★★★★★" in ratings.inner_text()
        assert "很耐心，手把手教。" in ratings.inner_text()
        assert_fits_phone_width(expert)
        screenshot(expert, "mentoring-4-expert-group")

        # The expert logs a meeting with the whole group; the mentee will see it too.
        form = expert.locator("form.meeting-form")
        form.locator('input[name="way"][value="in_person"]').check()
        form.get_by_label("和谁见面").select_option(label="整个小组")
        form.get_by_label("记录").fill("全组到罗镜镇看冷库。")
        form.get_by_role("button", name="保存见面记录").click()
        expert.wait_for_url("**/mentoring/group/")
        assert "全组到罗镜镇看冷库。" in expert.locator(".meetings").inner_text()
    finally:
        context.close()

    phone.reload()
    assert "全组到罗镜镇看冷库。" in phone.locator(".meetings").inner_text()
