import logging

import pytest
from django.urls import reverse

from accounts.idcard import id_number_hash

from .factories import UserFactory

ID_NUMBER = "445302199001011235"


@pytest.mark.django_db
def test_profile_keeps_only_the_hash_and_masked_id_number(client):
    """Typed, the number is a claim (hash and masked form) until proven (test_id_claims)."""
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("profile"), {"real_name": "王五", "id_number": ID_NUMBER})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.real_name == "王五"
    claim = user.id_number_claims.pending().get()
    assert claim.id_number_hash == id_number_hash(ID_NUMBER)
    assert claim.id_number_masked == "4453**********1235"
    for record in (user, claim):
        stored = [str(getattr(record, f.attname)) for f in record._meta.concrete_fields]
        assert not any(ID_NUMBER in value for value in stored)

    page = client.get(reverse("profile")).content.decode()
    assert "4453**********1235" in page
    assert ID_NUMBER not in page


@pytest.mark.django_db
def test_a_bad_id_number_is_refused_beside_the_field_in_chinese(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("profile"), {"real_name": "王五", "id_number": "445302199001011234"}
    )
    assert response.status_code == 200
    assert "id_number" in response.context["form"].errors
    assert "校验位不正确" in response.content.decode()
    user.refresh_from_db()
    assert user.id_number_hash == ""
    assert not user.id_number_claims.exists()


@pytest.mark.django_db
def test_the_id_number_never_reaches_the_log(client, caplog):
    client.force_login(UserFactory())
    with caplog.at_level(logging.DEBUG):
        client.post(reverse("profile"), {"real_name": "王五", "id_number": ID_NUMBER})
        client.post(reverse("profile"), {"real_name": "王五", "id_number": ID_NUMBER[:-1] + "4"})
    assert ID_NUMBER not in caplog.text
    assert ID_NUMBER[:-1] not in caplog.text


@pytest.mark.django_db
def test_profile_needs_a_login(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["445302900101123", "４４５３０２１９９００１０１１２３５"])
def test_an_old_15_digit_or_full_width_number_is_the_same_person(client, typed):
    """A trainee who types the 15-digit number of their old card (or types with a Chinese
    input method on) is linked as the 18-digit number the registry holds."""
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("profile"), {"real_name": "王五", "id_number": typed})
    assert response.status_code == 302
    claim = user.id_number_claims.pending().get()
    assert claim.id_number_hash == id_number_hash(ID_NUMBER)
    assert claim.id_number_masked == "4453**********1235"
