"""An expert's record and their user account link themselves by verified mobile number
(mentors.account_links): on sign-up with the texted code, on verifying later, on import
and on saving the expert in the CMS; never across numbers, never to an unverified one."""

import re

import pytest
from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from accounts import sms
from accounts.models import User
from mentors.account_links import AccountState, account_state, with_account_state
from mentors.expert_import import HEADER, import_experts
from mentors.models import Entrepreneur, Expert
from sheets.checks import SheetError
from tests.accounts.factories import UserFactory
from tests.mentors.factories import make_entrepreneur, make_expert, make_mentoring_staff
from tests.mentors.test_admin import expert_form

PASSWORD = "Yunfu-2026-pass"
PHONE = "+8613500001001"


@pytest.fixture(autouse=True)
def _empty_outbox_and_cache():
    sms.outbox.clear()
    cache.clear()


def sign_up(client, phone="135 0000 1001"):
    return client.post(
        reverse("account_signup"),
        {"phone": phone, "real_name": "梁专家", "password1": PASSWORD, "password2": PASSWORD},
    )


def texted_code():
    _phone, message = sms.outbox[-1]
    return re.search(r"\d{6}", message).group()


@pytest.mark.django_db
def test_signing_up_with_the_experts_number_links_once_the_code_is_entered(client):
    expert = make_expert("梁专家", phone=PHONE)
    response = sign_up(client)
    user = User.objects.get(phone=PHONE)
    expert.refresh_from_db()
    assert expert.user is None, "the number is only claimed until the code comes back"

    client.post(response["Location"], {"code": texted_code()})

    expert.refresh_from_db()
    assert expert.user == user
    assert client.get(reverse("matching:group")).status_code == 200


@pytest.mark.django_db
def test_a_wrong_code_links_nothing(client):
    expert = make_expert(phone=PHONE)
    response = sign_up(client)
    wrong = f"{(int(texted_code()) + 1) % 1_000_000:06d}"
    client.post(response["Location"], {"code": wrong})
    expert.refresh_from_db()
    assert expert.user is None


@pytest.mark.django_db
def test_an_account_verifying_its_number_later_is_linked_then():
    user = UserFactory(phone=PHONE, phone_verified=False)
    expert = make_expert(phone=PHONE)
    expert.refresh_from_db()
    assert expert.user is None

    get_adapter().set_phone_verified(user, PHONE)

    expert.refresh_from_db()
    assert expert.user == user


@pytest.mark.django_db
def test_an_entrepreneurs_record_links_on_verification_too():
    entrepreneur = make_entrepreneur(phone=PHONE)
    user = UserFactory(phone=PHONE, phone_verified=False)
    assert Entrepreneur.objects.get(pk=entrepreneur.pk).user is None
    get_adapter().set_phone_verified(user, PHONE)
    assert Entrepreneur.objects.get(pk=entrepreneur.pk).user == user


@pytest.mark.django_db
def test_an_expert_created_for_a_verified_account_is_linked_to_it():
    user = UserFactory(phone=PHONE)
    expert = make_expert(phone=PHONE)
    expert.refresh_from_db()
    assert expert.user == user


@pytest.mark.django_db
def test_an_expert_is_never_linked_to_an_unverified_number():
    UserFactory(phone=PHONE, phone_verified=False)
    expert = make_expert(phone=PHONE)
    expert.name = "改过名字"
    expert.save()
    expert.refresh_from_db()
    assert expert.user is None


@pytest.mark.django_db
def test_an_expert_is_never_linked_across_numbers():
    UserFactory(phone="+8613500001002")
    expert = make_expert(phone=PHONE)
    expert.refresh_from_db()
    assert expert.user is None


@pytest.mark.django_db
def test_an_expert_linked_to_another_account_is_left_alone_and_reported(caplog):
    other = UserFactory(phone="+8613500001002")
    expert = make_expert(phone=PHONE, user=other)
    user = UserFactory(phone=PHONE, phone_verified=False)

    get_adapter().set_phone_verified(user, PHONE)

    expert.refresh_from_db()
    assert expert.user == other
    assert f"expert {expert.pk} was not linked to account {user.pk}" in caplog.text
    assert "13500001001" not in caplog.text, "numbers are not logged"


@pytest.mark.django_db
def test_an_account_linked_to_another_expert_keeps_it_and_the_list_says_so():
    user = UserFactory(phone=PHONE)
    theirs = make_expert(phone="+8613500001002", user=user)
    expert = make_expert(phone=PHONE)

    expert.refresh_from_db()
    assert expert.user is None
    assert Expert.objects.get(pk=theirs.pk).user == user
    states = {e.pk: account_state(e) for e in with_account_state(Expert.objects.all())}
    assert states == {theirs.pk: AccountState.LINKED, expert.pk: AccountState.ELSEWHERE}


# Import


def sheet_row(phone):
    values = {
        "姓名": "梁专家",
        "专家类型": "农村电商专家",
        "单位": "云浮市电子商务协会",
        "单位类型": "商协会",
        "擅长领域": "开网店",
        "简介": "",
        "服务县区": "罗定市",
        "带教名额": "4",
        "手机号": phone,
    }
    return [values[column] for column in HEADER]


@pytest.fixture
def sheet(sheet_file):
    def write(*phones):
        return sheet_file(HEADER, [sheet_row(phone) for phone in phones], name="experts.csv")

    return write


@pytest.mark.django_db
def test_an_imported_expert_is_linked_to_the_account_that_verified_the_number(regions, sheet):
    user = UserFactory(phone=PHONE)
    UserFactory(phone="+8613500001002", phone_verified=False)
    import_experts(sheet("13500001001", "13500001002", "13500001003"))
    assert Expert.objects.get(phone=PHONE).user == user
    assert Expert.objects.get(phone="+8613500001002").user is None
    assert Expert.objects.get(phone="+8613500001003").user is None


@pytest.mark.django_db
def test_importing_an_expert_again_links_an_account_made_since(regions, sheet):
    import_experts(sheet("13500001001"))
    # Verified before linking existed, or by a path that saved no phone fields.
    User.objects.bulk_create([User(phone=PHONE, phone_verified=True)])
    import_experts(sheet("13500001001"))
    assert Expert.objects.get().user == User.objects.get(phone=PHONE)


@pytest.mark.django_db
def test_an_import_reports_an_expert_linked_to_another_account(regions, sheet):
    other = UserFactory(phone="+8613500001002")
    expert = make_expert(phone=PHONE, user=other)
    UserFactory(phone=PHONE)
    with pytest.raises(SheetError) as excinfo, translation.override("zh-hans"):
        import_experts(sheet("13500001001"))
    [error] = excinfo.value.errors
    assert (error.row, error.code) == (2, "account_conflict")
    assert "专家" in str(error.message)
    assert Expert.objects.get(pk=expert.pk).user == other


# The CMS


@pytest.fixture
def staff(client, db):
    client.force_login(make_mentoring_staff())


def test_an_expert_added_in_the_cms_takes_the_account_that_verified_the_number(client, staff):
    user = UserFactory(phone=PHONE)
    response = client.post(reverse("mentor_experts:add"), expert_form(phone="135 0000 1001"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Expert.objects.get().user == user


def test_an_expert_edited_in_the_cms_takes_an_account_made_since(client, staff):
    expert = make_expert(phone=PHONE)
    User.objects.bulk_create([User(phone=PHONE, phone_verified=True)])  # before linking existed
    response = client.post(
        reverse("mentor_experts:edit", args=[expert.pk]), expert_form(phone="135 0000 1001")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    expert.refresh_from_db()
    assert expert.user == User.objects.get(phone=PHONE)


def test_the_expert_list_shows_whether_each_account_is_linked(client, staff):
    make_expert("已注册专家", phone=PHONE, user=UserFactory(phone=PHONE))
    make_expert("未注册专家", phone="+8613500001002")
    taken = UserFactory(phone="+8613500001003")
    make_expert("占用专家", phone="+8613500001004", user=taken)
    make_expert("冲突专家", phone="+8613500001003")
    html = client.get(reverse("mentor_experts:index")).content.decode()
    assert "<th" in html and "账号" in html
    rows = {
        name: row
        for row in re.findall(r"<tr.*?</tr>", html, re.S)
        for name in ("已注册专家", "未注册专家", "冲突专家")
        if name in row
    }
    assert "已关联" in rows["已注册专家"]
    assert "未关联：还没有账号验证过此手机号" in rows["未注册专家"]
    assert "未关联：使用此手机号的账号已关联到另一位专家" in rows["冲突专家"]
