"""Joining as an entrepreneur (带头人), the status page, editing, and the invitations that
lead there from the home page and the learning page."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts import sms
from accounts.models import User
from learning.models import Enrollment
from mentors.models import Background, Entrepreneur, Product
from tests.accounts.factories import UserFactory
from tests.learning import enrolment_factories as learning
from tests.support import field_html, ok_page

from .factories import make_entrepreneur, make_expert, make_village
from .test_entrepreneur_form import good_data

pytestmark = pytest.mark.django_db

JOIN, STATUS, EDIT = "/mentors/join/", "/mentors/me/", "/mentors/me/edit/"


@pytest.fixture
def user(client):
    user = UserFactory(real_name="黄小梅")
    client.force_login(user)
    return user


def test_the_urls_have_their_names():
    assert reverse("mentors:join") == JOIN
    assert reverse("mentors:status") == STATUS
    assert reverse("mentors:edit") == EDIT
    assert reverse("mentors:entrepreneur", args=[7]) == "/mentors/entrepreneurs/7/"


def test_joining_needs_an_account_and_comes_back_after_login(client):
    response = client.get(JOIN)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/mentors/join/"


def test_a_new_account_signed_up_by_phone_lands_on_the_join_form(client):
    """From the login page the newcomer follows the sign-up link; after the SMS code the
    ``next`` is still there."""
    sms.outbox.clear()
    cache.clear()
    login = ok_page(client.get("/accounts/login/?next=/mentors/join/"))
    main = login.split('class="card-form account"')[1]
    signup_url = re.search(r'href="(/accounts/signup/[^"]*)"', main).group(1)
    assert "next=%2Fmentors%2Fjoin%2F" in signup_url
    response = client.post(
        signup_url.replace("&amp;", "&"),
        {
            "phone": "139 1234 5678",
            "real_name": "黄小梅",
            "password1": "Yunfu-2026-pass",
            "password2": "Yunfu-2026-pass",
            "next": "/mentors/join/",
        },
    )
    assert response.status_code == 302
    code = re.search(r"\d{6}", sms.outbox[-1][1]).group()
    response = client.post(response["Location"], {"code": code})
    assert response.status_code == 302
    assert response["Location"] == JOIN
    form = ok_page(client.get(JOIN))
    assert 'value="黄小梅"' in form, "the name comes from the account"
    assert "139 1234 5678".replace(" ", "") in form


def test_joining_saves_the_profile_with_the_accounts_phone_and_shows_the_status(client, user):
    response = client.post(JOIN, good_data())
    assert response.status_code == 302
    assert response["Location"] == STATUS
    entrepreneur = Entrepreneur.objects.get()
    assert (entrepreneur.user, entrepreneur.phone) == (user, user.phone)
    status = ok_page(client.get(STATUS))
    assert "资料已填写完整" in status
    assert "等待匹配帮带专家" in status
    assert "黄小梅" in status and "云浮职业技术学院" in status


def test_the_phone_cannot_be_changed_through_the_form(client, user):
    client.post(JOIN, good_data(phone="+8613900000000"))
    assert Entrepreneur.objects.get().phone == user.phone


def test_a_mistake_comes_back_in_chinese_beside_the_field_with_everything_kept(client, user):
    village = make_village()
    sugar = Product.objects.get(name="沙糖桔")
    data = good_data(
        village,
        school="",
        graduation_year="2021",
        needs="想学直播带货，把罗定稻米卖到外地。",
        other_products="腐竹",
        products=[sugar.pk],
    )
    html = ok_page(client.post(JOIN, data))
    assert not Entrepreneur.objects.exists()
    assert "请填写毕业院校。" in field_html(html, "school")
    assert "请填写毕业院校。" not in field_html(html, "needs")
    assert 'value="黄小梅"' in html
    assert 'value="2021"' in html
    assert "想学直播带货，把罗定稻米卖到外地。</textarea>" in html
    assert 'value="腐竹"' in html
    assert re.search(rf'value="{sugar.pk}"[^>]*checked', html)
    assert re.search(r'value="返乡大学生"[^>]*checked', html)
    for name, pk in (
        ("county", village.town.county_id),
        ("town", village.town_id),
        ("village", village.pk),
    ):
        assert re.search(rf'<option value="{pk}"[^>]*selected', field_html(html, name)), name


def test_the_place_options_name_their_parent_for_the_chained_pickers(client, user):
    village = make_village()
    html = ok_page(client.get(JOIN))
    assert re.search(
        rf'<option value="{village.town_id}" data-parent="{village.town.county_id}"', html
    )
    assert re.search(rf'<option value="{village.pk}" data-parent="{village.town_id}"', html)
    assert "mentors/place_picker.js" in html


@pytest.mark.parametrize(
    "junk",
    [
        {"village": "99999999999999999999999", "town": "-1", "county": "x"},
        {"products": ["abc", "99999999999999999999"], "channels": ["0"]},
        {"graduation_year": "１９９９", "households_helped": "1e9"},
        {"needs": "想" * 100_000, "name": "黄" * 5000, "school": "学" * 5000},
        {"background": ["返乡大学生", "其他"], "stage": "\x00"},
        {"name": "黄\x00小梅"},
    ],
)
def test_junk_posts_come_back_as_errors_never_a_server_error(client, user, junk):
    response = client.post(JOIN, good_data(**junk))
    assert response.status_code == 200
    assert not Entrepreneur.objects.exists()
    assert 'class="errorlist' in response.content.decode()


def test_an_imported_entrepreneur_is_linked_by_phone_not_duplicated(client, user):
    imported = make_entrepreneur("黄晓梅", phone=user.phone, needs="县里登记的需求：想学开网店。")
    form = ok_page(client.get(JOIN))
    assert "县里已将您登记为带头人" in form
    assert 'value="黄晓梅"' in form
    assert "县里登记的需求：想学开网店。" in form

    response = client.post(JOIN, good_data(name="黄晓梅"))
    assert response["Location"] == STATUS
    assert Entrepreneur.objects.get().pk == imported.pk
    imported.refresh_from_db()
    assert imported.user == user
    assert imported.needs == "想在抖音上卖自家的沙糖桔，不会拍视频。"


def test_an_imported_entrepreneur_is_not_handed_to_an_unverified_number(client):
    user = UserFactory(phone_verified=False)
    client.force_login(user)
    imported = make_entrepreneur(phone=user.phone)
    response = client.get(JOIN)
    assert response.status_code == 409
    assert "无法关联到这个账号" in response.content.decode()
    client.post(JOIN, good_data())
    imported.refresh_from_db()
    assert imported.user is None


def test_a_number_already_linked_to_another_account_is_not_taken_over(client, user):
    other = UserFactory()
    make_entrepreneur(phone=user.phone, user=other)
    assert client.get(JOIN).status_code == 409
    assert client.post(JOIN, good_data()).status_code == 409
    assert Entrepreneur.objects.get().user == other


def test_joining_again_goes_to_the_status_page(client, user):
    make_entrepreneur(user=user, phone=user.phone)
    response = client.get(JOIN)
    assert response["Location"] == STATUS


def test_without_a_profile_the_status_and_edit_pages_send_to_join(client, user):
    assert client.get(STATUS)["Location"] == JOIN
    assert client.get(EDIT)["Location"] == JOIN


def test_the_status_page_shows_the_mentor_with_the_full_phone(client, user):
    mentor = make_expert(
        "陈志强",
        organisation="云浮市电子商务协会",
        tags=("直播带货", "农产品品牌"),
        phone="+8613900001234",
    )
    make_entrepreneur(user=user, phone=user.phone, mentor=mentor, mentor_since=timezone.localdate())
    html = ok_page(client.get(STATUS))
    assert "已匹配帮带专家" in html
    assert "等待匹配帮带专家" not in html
    for text in ("陈志强", "农村电商专家", "云浮市电子商务协会", "直播带货", "农产品品牌"):
        assert text in html
    assert "13900001234" in html
    assert 'href="tel:+8613900001234"' in html


def test_the_status_page_asks_to_complete_an_imported_profile_that_lacks_something(client, user):
    make_entrepreneur(user=user, phone=user.phone, background=Background.GRADUATE)
    html = ok_page(client.get(STATUS))
    assert "资料尚未填写完整" in html
    assert "等待匹配帮带专家" in html
    assert EDIT in html


def test_editing_changes_only_ones_own_profile_and_keeps_input_on_error(client, user):
    mine = make_entrepreneur(user=user, phone=user.phone, village=make_village())
    theirs = make_entrepreneur(needs="别人的需求")
    form = ok_page(client.get(EDIT))
    assert mine.needs in form
    assert "别人的需求" not in form

    html = ok_page(client.post(EDIT, good_data(needs="", other_products="蜂蜜")))
    assert 'value="蜂蜜"' in html
    assert "needs" in html and "errorlist" in field_html(html, "needs")

    response = client.post(EDIT, good_data(needs="想学短视频拍摄。"))
    assert response["Location"] == STATUS
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.needs == "想学短视频拍摄。"
    assert theirs.needs == "别人的需求"


def test_the_learning_page_invites_after_a_completed_course_until_a_profile_exists(client, user):
    invitation = "成为创业带头人"
    assert invitation not in ok_page(client.get(reverse("my_learning")))

    learning.completion(user, learning.course())
    html = ok_page(client.get(reverse("my_learning")))
    assert invitation in html
    assert f'href="{JOIN}"' in html

    make_entrepreneur(user=user, phone=user.phone)
    assert invitation not in ok_page(client.get(reverse("my_learning")))


def test_another_persons_completion_does_not_invite(client, user):
    learning.completion(UserFactory(), learning.course())
    assert "成为创业带头人" not in ok_page(client.get(reverse("my_learning")))


def test_the_home_page_calls_returning_graduates_to_join(client, db):
    html = ok_page(client.get("/"))
    assert "返乡创业？" in html
    assert f'href="{JOIN}"' in html


def test_the_home_page_takes_a_registered_entrepreneur_to_their_status(client, user):
    make_entrepreneur(user=user, phone=user.phone)
    html = ok_page(client.get("/"))
    assert f'href="{STATUS}"' in html
    assert f'href="{JOIN}"' not in html


def test_an_entrepreneur_enrols_in_courses_like_any_trainee(client, user):
    make_entrepreneur(user=user, phone=user.phone)
    course = learning.course()
    response = client.post(reverse("enrol", args=[course.pk]))
    assert response.status_code == 302
    assert Enrollment.objects.filter(user=user, course=course, left_at__isnull=True).exists()
    assert course.title in ok_page(client.get(reverse("my_learning")))


def test_a_new_user_has_no_profile_until_the_form_is_saved(client, user):
    ok_page(client.get(JOIN))
    assert not Entrepreneur.objects.exists()
    assert User.objects.get(pk=user.pk).real_name == "黄小梅"
