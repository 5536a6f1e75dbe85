"""A coordinator narrows a run's proposals to one county, opens a proposal's other
experts, moves it to one of them with 改为此专家, and approves it."""

import re

import pytest

from tests.support import screenshot

pytestmark = pytest.mark.browser

ADMIN = "13800000000"
PASSWORD = "yunfu-demo-2026"

# A finished run with two open proposals in 郁南县 and one in 新兴县; the proposed experts
# are poor fits, so better ones with open places exist. Numbers 137000070xx are this
# test's own.
SETUP = """
from matching.models import MatchingRun, Proposal
from mentors.models import Entrepreneur, Expert, ExpertiseTag, Product, SalesChannel
from regions.models import County, Town, Village

def village(county, town, name):
    county, _ = County.objects.get_or_create(name=county)
    town, _ = Town.objects.get_or_create(county=county, name=town)
    return Village.objects.get_or_create(town=town, name=name)[0]

def expert(name, phone, tags, introduction, county, capacity):
    x = Expert.objects.create(
        name=name, phone=phone, expert_type="农村电商专家", organisation="云浮市电子商务协会",
        organisation_kind="商协会", introduction=introduction, capacity=capacity,
    )
    x.tags.set([ExpertiseTag.objects.get_or_create(name=t)[0] for t in tags])
    x.counties.set([County.objects.get_or_create(name=county)[0]])
    return x

def person(name, phone, place, needs):
    e = Entrepreneur.objects.create(
        name=name, phone=phone, background="migrant", stage="想法阶段", needs=needs, village=place,
    )
    e.products.set([Product.objects.get_or_create(name="沙糖桔")[0]])
    e.channels.set([SalesChannel.objects.get_or_create(name="微信小店/微店")[0]])
    return e

yunan = village("郁南县", "连滩镇", "西坝村")
xinxing = village("新兴县", "六祖镇", "夏卢村")
poor = expert("备选甲老师", "+8613700007001", ["财务"], "做账报税。", "云城区", 5)
expert("微店乙老师", "+8613700007002", ["微店运营", "种植技术"],
       "专做郁南县沙糖桔微店运营，帮农户开微店。", "郁南县", 2)
run = MatchingRun.objects.create(status="done", balanced=True,
                                 figures={"matched": 3, "entrepreneurs": 3})
reason = [{"criterion": "stage", "args": {"stage": "想法阶段", "expert_type": "农村电商专家"},
           "contribution": 0.28}]
for name, phone, place, score in [
    ("郁南丙", "+8613700007011", yunan, 0.31),
    ("郁南丁", "+8613700007012", yunan, 0.30),
    ("新兴戊", "+8613700007013", xinxing, 0.29),
]:
    e = person(name, phone, place, "想开微店卖沙糖桔，不会拍照。")
    Proposal.objects.create(run=run, entrepreneur=e, expert=poor, score=score, reasons=reason)
print("RUN", run.pk)
"""


def log_in(page):
    page.get_by_label("手机号码").fill(ADMIN)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="登录").click()


def test_a_coordinator_moves_a_proposal_to_another_expert_and_approves_it(browser, server):
    output = server.manage("shell", "-c", SETUP)
    run = next(line.split()[1] for line in output.splitlines() if line.startswith("RUN"))
    desk = browser.new_context(locale="zh-CN", base_url=server.url)
    page = desk.new_page()
    page.goto(f"/cms/matching/runs/{run}/")
    log_in(page)
    page.wait_for_url(re.compile(rf"/cms/matching/runs/{run}/"))

    proposals = page.locator("article.proposal")
    assert proposals.count() == 3
    page.get_by_label("带头人所在县区").select_option(label="郁南县")
    page.locator(".proposal-filters").get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r"county=\d+"))
    names = page.locator(".proposal-entrepreneur h3").evaluate_all(
        "hs => hs.map(h => h.dataset.name)"
    )
    assert sorted(names) == ["郁南丁", "郁南丙"]

    card = page.locator("article.proposal", has=page.locator('h3[data-name="郁南丙"]'))
    assert card.locator(".proposal-expert h3").get_attribute("data-name") == "备选甲老师"
    card.locator(".proposal-alternatives summary").click()
    alternatives = card.locator(".proposal-alternative")
    assert 1 <= alternatives.count() <= 2
    first = alternatives.first
    other = first.locator("h4").get_attribute("data-name")
    assert other != "备选甲老师"
    assert first.locator(".proposal-reasons li").count() >= 1
    screenshot(page, "proposal-alternatives-1-open")

    first.get_by_role("button", name="改为此专家").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"郁南丙现建议由{other}帮带").is_visible()
    # The county filter is kept, and the proposal is still open, with the other expert.
    assert "county=" in page.url
    card = page.locator("article.proposal", has=page.locator('h3[data-name="郁南丙"]'))
    assert card.get_attribute("data-status") == "proposed"
    assert card.locator(".proposal-expert h3").get_attribute("data-name") == other
    screenshot(page, "proposal-alternatives-2-changed")

    card.get_by_role("button", name="批准").click()
    page.wait_for_load_state()
    assert page.get_by_text(re.compile(rf"已批准：{re.escape(other)}帮带郁南丙")).is_visible()
    card = page.locator("article.proposal", has=page.locator('h3[data-name="郁南丙"]'))
    assert card.get_attribute("data-status") == "approved"
    desk.close()
