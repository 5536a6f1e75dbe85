import pytest
from django.urls import reverse

from accounts.models import User

from .factories import UserFactory


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.mark.django_db
def test_staff_add_a_user_by_mobile_number_in_the_wagtail_admin(admin_client):
    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        {
            "phone": "139 0000 0001",
            "real_name": "李四",
            "email": "",
            "password1": "Yunfu-2026-pass",
            "password2": "Yunfu-2026-pass",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert User.objects.get(real_name="李四").phone == "+8613900000001"


@pytest.mark.django_db
def test_the_admin_refuses_a_number_already_taken(admin_client):
    UserFactory(phone="+8613900000001")
    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        {
            "phone": "13900000001",
            "real_name": "李四",
            "password1": "Yunfu-2026-pass",
            "password2": "Yunfu-2026-pass",
        },
    )
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert User.objects.count() == 2


@pytest.mark.django_db
def test_the_user_list_and_edit_form_render(admin_client):
    user = UserFactory(real_name="赵六")
    listing = admin_client.get(reverse("wagtailusers_users:index"))
    assert "赵六" in listing.content.decode()
    edit = admin_client.get(reverse("wagtailusers_users:edit", args=[user.pk]))
    assert edit.status_code == 200
    assert 'name="phone"' in edit.content.decode()
