"""The personal-data audit log page (coverage:audit_log): the bureau's list of who was
shown whose unmasked record, when and where; masked itself, filtered, paginated."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coverage.audit_views import PER_PAGE
from coverage.drilldown import record_personal_data_view
from coverage.idcrypt import decrypt_id_number
from coverage.models import PersonalDataView, RegistryMember
from coverage.roles import BUREAU
from tests.accounts.factories import UserFactory
from tests.coverage.conftest import member, staff

URL = reverse("coverage:audit_log")


def at(day, hour=10, minute=0):
    """A moment in the site's time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime.datetime(2026, 3, day, hour, minute))


def viewed(viewer, record, when, context="coverage member page"):
    entry = record_personal_data_view(viewer, record, context)
    PersonalDataView.objects.filter(pk=entry.pk).update(viewed_at=when)
    return entry


def rows(html: str) -> list[dict[str, str]]:
    """The table's rows, each cell by its label."""
    soup = BeautifulSoup(html, "html.parser")
    return [
        {td["data-label"]: td.get_text(" ", strip=True) for td in tr.select("td")}
        for tr in soup.select(".coverage-table tbody tr")
    ]


def errors(html: str) -> dict[str, str]:
    soup = BeautifulSoup(html, "html.parser")
    return {e["id"].removesuffix("-error"): e.get_text() for e in soup.select(".error")}


@pytest.fixture
def log(places, bureau):
    """Two viewers; a member's page seen twice and a village's records once."""
    other = staff(BUREAU, real_name="李审核")
    bureau.real_name = "王局长"
    bureau.save()
    person = member(places["v1"])
    viewed(bureau, person, at(1, 9, 30))
    viewed(other, places["v2"], at(2), "names of the training records 2018-01-01–2020-12-31")
    viewed(bureau, person, at(3, 0, 30))  # just after midnight, Beijing time
    return {"bureau": bureau, "other": other, "person": person}


def test_the_bureau_sees_who_saw_whose_record_newest_first(client, log, places):
    client.force_login(log["bureau"])
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    person = log["person"]
    listed = rows(html)
    assert [row["时间"] for row in listed] == [
        "2026-03-03 00:30",
        "2026-03-02 10:00",
        "2026-03-01 09:30",
    ]
    assert [row["查看人"] for row in listed] == ["王局长", "李审核", "王局长"]
    assert listed[0]["记录类型"] == "建档立卡人员"
    masked_name = person.name[0] + "*" * (len(person.name) - 2) + person.name[-1]
    assert listed[0]["记录"] == f"{masked_name} {person.id_number_masked}"
    assert listed[1]["记录类型"] == "村培训记录"
    assert listed[1]["记录"].startswith(places["v2"].name)
    assert listed[1]["查看位置"] == "村培训记录页（2018-01-01 – 2020-12-31）"
    assert listed[0]["查看位置"] == "人员详情页"


def test_the_log_says_in_words_where_the_report_pages_showed_personal_data(
    client, bureau, data, places
):
    """The entries the report pages themselves write: a member's page, a village's
    records with names, and their export."""
    client.force_login(bureau)
    person = RegistryMember.objects.filter(village=places["v1"]).first()
    assert client.get(reverse("coverage:member", args=[person.pk])).status_code == 200
    records = reverse("coverage:village_records", args=[places["v1"].pk])
    period = {"start": "2026-01-01", "end": "2026-12-31"}
    assert client.get(records, period).status_code == 200
    export = reverse("coverage:village_records_export", args=[places["v1"].pk])
    assert client.get(export, period).status_code == 200
    listed = rows(client.get(URL).content.decode())
    assert [(row["记录类型"], row["查看位置"]) for row in listed] == [
        ("村培训记录", "导出村培训记录（2026-01-01 – 2026-12-31）"),
        ("村培训记录", "村培训记录页（2026-01-01 – 2026-12-31）"),
        ("建档立卡人员", "人员详情页"),
    ]
    assert listed[0]["记录"].startswith(places["v1"].name)


def test_the_log_never_shows_a_full_name_or_id_number(client, log):
    client.force_login(log["bureau"])
    html = client.get(URL).content.decode()
    person = log["person"]
    assert person.id_number_masked in html
    assert decrypt_id_number(person.id_number_encrypted) not in html
    assert person.name not in html


def test_a_record_since_removed_is_said_to_be_gone(client, log):
    PersonalDataView.objects.create(
        viewer=log["bureau"], record_type="coverage.registrymember", record_id=987654
    )
    client.force_login(log["bureau"])
    (newest, *_rest) = rows(client.get(URL).content.decode())
    assert newest["记录类型"] == "建档立卡人员"
    assert "987654" in newest["记录"] and "已不存在" in newest["记录"]


def test_the_log_filters_by_viewer(client, log):
    client.force_login(log["bureau"])
    listed = rows(client.get(URL, {"viewer": log["other"].pk}).content.decode())
    assert [row["查看人"] for row in listed] == ["李审核"]


def test_the_log_filters_by_local_dates_inclusive(client, log):
    client.force_login(log["bureau"])
    listed = rows(client.get(URL, {"start": "2026-03-02", "end": "2026-03-03"}).content.decode())
    # 03-03 00:30 in Beijing is still 03-02 in UTC: the day counted is the local one.
    assert [row["时间"] for row in listed] == ["2026-03-03 00:30", "2026-03-02 10:00"]
    listed = rows(client.get(URL, {"end": "2026-03-01"}).content.decode())
    assert [row["时间"] for row in listed] == ["2026-03-01 09:30"]


@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"viewer": "abc"}, "id_viewer", "选择一个有效的选项"),
        ({"viewer": "99999999999999999999999"}, "id_viewer", "选择一个有效的选项"),
        ({"start": "2026-13-01"}, "id_start", "输入一个有效的日期"),
        ({"start": "2026-03-03", "end": "2026-03-01"}, "id_end", "结束日期不能早于开始日期"),
    ],
)
def test_bad_filters_are_form_errors_in_chinese(client, log, query, field, message):
    client.force_login(log["bureau"])
    response = client.get(URL, query)
    assert response.status_code == 200
    assert message in errors(response.content.decode())[field]
    assert rows(response.content.decode()) == []


def test_the_log_is_paginated_and_pages_keep_the_filter(client, log):
    bureau, person = log["bureau"], log["person"]
    for minute in range(PER_PAGE):
        viewed(bureau, person, at(4, 8, minute % 60))
    client.force_login(bureau)
    first = client.get(URL, {"viewer": bureau.pk}).content.decode()
    assert len(rows(first)) == PER_PAGE
    soup = BeautifulSoup(first, "html.parser")
    assert soup.select_one('.pagination a[rel="prev"]') is None
    following = soup.select_one('.pagination a[rel="next"]')
    assert following.get_text() == "下一页"
    second = client.get(URL + following["href"]).content.decode()
    # The bureau's own two older views, on the second page; the other viewer's is filtered out.
    assert [row["时间"] for row in rows(second)] == ["2026-03-03 00:30", "2026-03-01 09:30"]
    back = BeautifulSoup(second, "html.parser").select_one('.pagination a[rel="prev"]')
    assert back.get_text() == "上一页"
    assert f"viewer={bureau.pk}" in back["href"]


@pytest.mark.parametrize("page", ["abc", "999", "-1"])
def test_a_page_number_that_is_not_one_still_shows_a_page(client, log, page):
    client.force_login(log["bureau"])
    response = client.get(URL, {"page": page})
    assert response.status_code == 200
    assert len(rows(response.content.decode())) == 3


def _queries_for_page(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_rows(client, log, places):
    client.force_login(log["bureau"])
    client.get(URL)  # the first page a user opens sets up their CMS profile (the user bar)
    few = _queries_for_page(client)
    viewers = [staff(BUREAU) for _ in range(5)]
    for n in range(30):
        record = member(places["v2"]) if n % 2 else [places["v1"], places["v2"]][n % 4 // 2]
        viewed(viewers[n % 5], record, at(5, 9, n))
    assert _queries_for_page(client) == few


def test_county_staff_and_trainees_are_refused(client, log, officer, trainee):
    for user in (officer, trainee):
        client.force_login(user)
        assert client.get(URL).status_code == 403


def test_personal_data_permission_alone_is_not_enough(client, log):
    """The log is the bureau's: someone given the permission outside the bureau is refused."""
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
