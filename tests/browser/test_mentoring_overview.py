"""A mentoring coordinator (帮带管理员) opens the groups overview in the CMS: a group whose
old member has not met the expert for 200 days is red although a new member joined two
days ago; the member's name and days are on the row; 提醒 texts the expert once."""

import re

import pytest

from tests.support import screenshot

pytestmark = pytest.mark.browser

PASSWORD = "Yunfu-2026-pass"
COORDINATOR = "13600001401"
EXPERT = "13600001402"

GROUP = f"""
import datetime
from django.contrib.auth.models import Group
from django.utils import timezone
from accounts.models import User
from matching.flags import flag_quiet_groups
from matching.models import Meeting, MentoringGroup
from mentors.models import Entrepreneur, Expert
from mentors.roles import MENTORING_STAFF
from regions.models import Village

today = timezone.localdate()
coordinator = User.objects.create_user(phone="+86{COORDINATOR}", password="{PASSWORD}",
                                       real_name="帮带管理员乙", phone_verified=True)
coordinator.groups.add(Group.objects.get(name=MENTORING_STAFF))
expert = Expert.objects.create(
    name="韦远航", expert_type="农村电商专家", organisation="云浮市电子商务协会",
    organisation_kind="商协会", introduction="帮农户开网店。", phone="+86{EXPERT}",
)
group = MentoringGroup.objects.get_or_create(expert=expert)[0]
village = Village.objects.order_by("pk").first()
old = Entrepreneur.objects.create(
    name="陈久未", phone="+8613600001403", background="返乡大学生", village=village,
    stage="想法阶段", needs="想卖沙糖桔。", mentor=expert,
    mentor_since=today - datetime.timedelta(days=300),
)
Meeting.objects.create(group=group, entrepreneur=old, way="phone", notes="电话聊了包装。",
                       date=today - datetime.timedelta(days=200))
Entrepreneur.objects.create(
    name="李新来", phone="+8613600001404", background="返乡大学生", village=village,
    stage="想法阶段", needs="想学直播。", mentor=expert,
    mentor_since=today - datetime.timedelta(days=2),
)
flag_quiet_groups()
"""


@pytest.fixture(scope="module")
def quiet_group(server):
    server.manage("shell", "-c", GROUP)
    return server


def test_a_coordinator_sees_the_quiet_member_and_reminds_the_expert(browser, quiet_group):
    desk = browser.new_context(locale="zh-CN", base_url=quiet_group.url)
    try:
        page = desk.new_page()
        page.goto("/cms/matching/groups/")
        page.wait_for_url(re.compile(r"/accounts/login/\?next="))
        page.get_by_label("手机号码").fill(COORDINATOR)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("form").get_by_role("button", name="登录").click()
        page.wait_for_url("**/cms/matching/groups/")

        row = page.locator(".matching-groups tbody tr", has_text="韦远航")
        assert row.get_attribute("data-flag") == "red"
        old = row.locator("li", has_text="陈久未")
        assert old.get_attribute("data-days") == "200"
        assert "200 天" in old.inner_text()
        assert "2 天" in row.locator("li", has_text="李新来").inner_text()
        assert "电话聊了包装。" in row.inner_text()
        row.scroll_into_view_if_needed()
        screenshot(page, "mentoring-overview-1-red-member")

        row.get_by_role("button", name="提醒").click()
        page.wait_for_url("**/cms/matching/groups/")
        assert page.get_by_text("已发短信提醒韦远航。").is_visible()
        row = page.locator(".matching-groups tbody tr", has_text="韦远航")
        assert "上次提醒" in row.inner_text()
        assert "帮带管理员乙" in row.inner_text()
        screenshot(page, "mentoring-overview-2-reminded")

        texts = [
            line
            for line in quiet_group.log_text().splitlines()
            if f"SMS to {EXPERT[:3]}****{EXPERT[-4:]}:" in line
        ]
        assert len(texts) == 1, texts
        assert "陈久未" in texts[0] and "200 天" in texts[0]
        assert "李新来" not in texts[0]

        # A second click within the day is refused with a message; no second text.
        row.get_by_role("button", name="提醒").click()
        page.wait_for_url("**/cms/matching/groups/")
        assert page.get_by_text(re.compile("小时内已提醒过韦远航")).is_visible()
        assert (
            sum(
                f"SMS to {EXPERT[:3]}****{EXPERT[-4:]}:" in line
                for line in quiet_group.log_text().splitlines()
            )
            == 1
        )
    finally:
        desk.close()
