"""An expert whom staff entered (with a mentee already) signs up on a phone with the number
on their record: once the texted code is in, their first visit to /mentoring/group/ is
their group, with nobody in the CMS linking the account by hand (mentors.account_links)."""

import re

import pytest

from tests.browser.test_signup_phone import sms_code_for
from tests.support import assert_fits_phone_width, screenshot

pytestmark = pytest.mark.browser

EXPERT = "13501404777"
MENTEE = "13501404778"

# As staff leave it: an expert record with no account, and an entrepreneur in their group.
RECORDS = f"""
import datetime
from django.utils import timezone
from matching.models import MentoringGroup
from mentors.models import Entrepreneur, Expert, ExpertiseTag
from regions.models import Village

expert = Expert.objects.create(
    name="罗建华", expert_type="农村电商专家", organisation="云浮市电子商务协会",
    organisation_kind="商协会", introduction="帮农户开网店。", phone="+86{EXPERT}",
)
expert.tags.set(ExpertiseTag.objects.filter(name="开网店"))
Entrepreneur.objects.create(
    name="陈晓燕", phone="+86{MENTEE}", background="本地农户",
    village=Village.objects.order_by("pk").first(), stage="想法阶段",
    needs="想在网上卖自家的肉桂。", mentor=expert,
    mentor_since=timezone.localdate() - datetime.timedelta(days=3),
)
MentoringGroup.objects.get_or_create(expert=expert)
print("USER", Expert.objects.get(pk=expert.pk).user_id)
"""


def test_an_expert_who_signs_up_with_their_number_reaches_their_group(phone, server):
    assert server.manage("shell", "-c", RECORDS).split()[-1] == "None"

    phone.goto("/accounts/signup/")
    phone.get_by_label("手机号码").fill(EXPERT)
    phone.get_by_label("真实姓名").fill("罗建华")
    phone.locator("#id_password1").fill("Yunfu-2026-pass")
    phone.locator("#id_password2").fill("Yunfu-2026-pass")
    phone.get_by_role("button", name="注册").click()
    phone.wait_for_url("**/accounts/phone/verify/")
    phone.locator("#id_code").fill(sms_code_for(server, "135****4777"))
    phone.get_by_role("button", name="确认").click()
    phone.wait_for_url(re.compile(r"/$"))

    response = phone.goto("/mentoring/group/")
    assert response.status == 200
    assert phone.get_by_role("heading", level=1).inner_text() == "我的帮带小组"
    assert "陈晓燕" in phone.locator(".member").inner_text()
    assert_fits_phone_width(phone)
    screenshot(phone, "expert-first-login-group")
