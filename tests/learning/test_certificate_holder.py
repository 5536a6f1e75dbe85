"""A certificate is a document: its holder is frozen when it is issued, it needs a real
name (asked for on its page), and its picture is drawn once."""

import importlib

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.urls import reverse

from learning import certificates
from learning.completion import settle_completion
from learning.models import Completion
from tests.accounts.factories import UserFactory
from tests.learning import enrolment_factories as make

HOUR = 3600


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def trainee(real_name="黄小梅"):
    user = UserFactory(real_name=real_name, phone="+8613912345678")
    user.set_id_number("445302199001011235")
    user.save()
    return user


def complete(user):
    course = make.course("农村电商入门", hours="1")
    make.study_online(user, course, HOUR)
    return settle_completion(user, course)


def test_a_completion_freezes_its_holder_when_it_is_recorded(db):
    completion = complete(trainee())
    assert completion.holder_name == "黄小梅"
    assert completion.holder_id_masked == "4453**********1235"
    assert completion.is_issued


def test_clearing_the_real_name_later_changes_nothing_on_the_certificate(client, db):
    user = trainee()
    completion = complete(user)
    code = completion.certificate_code
    client.force_login(user)
    picture_before = client.get(reverse("certificate_png", args=[code])).content
    cache.clear()  # draw it again from the database, not from the cache

    user.real_name = ""
    user.set_id_number("")
    user.save()

    page = client.get(reverse("certificate", args=[code])).content.decode()
    certificate = page.split('<article class="certificate">')[1]
    assert "黄小梅" in certificate and "4453**********1235" in certificate
    assert user.masked_phone not in certificate
    assert client.get(reverse("certificate_png", args=[code])).content == picture_before
    client.logout()
    verified = client.get(reverse("verify_code", args=[code])).content.decode()
    assert "黄*梅" in verified


def test_without_a_real_name_the_completion_counts_but_the_certificate_asks_for_one(client, db):
    user = trainee(real_name="")
    completion = complete(user)
    assert completion is not None and completion.online_completed_on is not None
    assert not completion.is_issued
    code = completion.certificate_code

    client.force_login(user)
    page = client.get(reverse("certificate", args=[code])).content.decode()
    assert 'name="real_name"' in page and "填写您的真实姓名" in page
    assert client.get(reverse("certificate_png", args=[code])).status_code == 404
    client.logout()
    assert client.get(reverse("verify_code", args=[code])).status_code == 404

    client.force_login(user)
    response = client.post(reverse("certificate", args=[code]), {"real_name": " 黄小梅 "})
    assert response.status_code == 302
    assert response["Location"] == reverse("certificate", args=[code])
    completion.refresh_from_db()
    user.refresh_from_db()
    assert completion.holder_name == "黄小梅"
    assert completion.holder_id_masked == "4453**********1235"
    assert user.real_name == "黄小梅", "the profile takes the name too"
    page = client.get(reverse("certificate", args=[code])).content.decode()
    assert "黄小梅" in page and 'name="real_name"' not in page


def test_a_blank_name_issues_nothing(client, db):
    user = trainee(real_name="")
    completion = complete(user)
    client.force_login(user)
    url = reverse("certificate", args=[completion.certificate_code])
    response = client.post(url, {"real_name": "  "})
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    completion.refresh_from_db()
    assert not completion.is_issued


def test_the_name_form_offers_the_profile_name_and_a_name_is_issued_once(client, db):
    user = trainee(real_name="")
    completion = complete(user)
    user.real_name = "黄小梅"
    user.save()
    client.force_login(user)
    url = reverse("certificate", args=[completion.certificate_code])
    assert 'value="黄小梅"' in client.get(url).content.decode()
    client.post(url, {"real_name": "黄小梅"})
    client.post(url, {"real_name": "别人"})
    completion.refresh_from_db()
    assert completion.holder_name == "黄小梅"


def test_staff_cannot_name_someone_elses_certificate(client, db):
    completion = complete(trainee(real_name=""))
    viewer = UserFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="view_completion"))
    client.force_login(viewer)
    url = reverse("certificate", args=[completion.certificate_code])
    page = client.get(url).content.decode()
    assert 'name="real_name"' not in page and "尚未颁发" in page
    client.post(url, {"real_name": "冒名"})
    completion.refresh_from_db()
    assert not completion.is_issued


def test_the_picture_is_drawn_once_and_then_served_from_the_cache(client, db, monkeypatch):
    completion = complete(trainee())
    drawn = []
    draw = certificates.certificate_png

    def counting(*args, **kwargs):
        drawn.append(args[0].certificate_code)
        return draw(*args, **kwargs)

    monkeypatch.setattr(certificates, "certificate_png", counting)
    client.force_login(completion.user)
    url = reverse("certificate_png", args=[completion.certificate_code])
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert len(drawn) == 1


def test_a_redated_completion_gets_a_new_picture(client, db, monkeypatch):
    """The cache key holds what is drawn: the ledger moving the date draws it again."""
    completion = complete(trainee())
    drawn = []
    draw = certificates.certificate_png
    monkeypatch.setattr(
        certificates, "certificate_png", lambda *a, **k: drawn.append(1) or draw(*a, **k)
    )
    client.force_login(completion.user)
    url = reverse("certificate_png", args=[completion.certificate_code])
    client.get(url)
    Completion.objects.filter(pk=completion.pk).update(
        completed_at=completion.completed_at.replace(year=2020)
    )
    client.get(url)
    assert len(drawn) == 2


def test_the_data_migration_freezes_existing_holders(db):
    from django.apps import apps

    named = complete(trainee())
    unnamed_user = UserFactory(real_name="")
    unnamed = make.completion(unnamed_user, make.course("网店开设", hours="1"))
    Completion.objects.update(holder_name="", holder_id_masked="")
    migration = importlib.import_module("learning.migrations.0004_certificate_holder")
    migration.freeze_holders(apps, None)
    named.refresh_from_db()
    unnamed.refresh_from_db()
    assert (named.holder_name, named.holder_id_masked) == ("黄小梅", "4453**********1235")
    assert unnamed.holder_name == "" and not unnamed.is_issued
