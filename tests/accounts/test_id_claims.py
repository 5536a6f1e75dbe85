"""An ID-card number typed in 我的资料 is a claim, held by at most one account (issue 13)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from accounts.claims import claim_id_number, confirm_claim, reject_claim
from accounts.idcard import check_digit, id_number_hash
from accounts.models import IdNumberClaim

from .factories import UserFactory

NUMBER = "445302199001011235"
OTHER_NUMBER = "44530219900101124" + check_digit("44530219900101124")


def post_profile(client, user, number):
    client.force_login(user)
    return client.post(reverse("profile"), {"real_name": user.real_name, "id_number": number})


@pytest.mark.django_db
def test_a_typed_number_waits_as_a_claim_and_the_profile_says_so(client):
    user = UserFactory()

    response = post_profile(client, user, NUMBER)

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.id_number_hash == ""
    claim = user.id_number_claims.get()
    assert (claim.status, claim.id_number_hash) == ("pending", id_number_hash(NUMBER))
    page = client.get(reverse("profile")).content.decode()
    assert "4453**********1235：待核实" in page
    assert "核验您的身份证" in page


@pytest.mark.django_db
def test_a_number_another_account_holds_is_refused_beside_the_field(client):
    holder = UserFactory(real_name="王村民")
    holder.set_id_number(NUMBER)
    holder.save()
    user = UserFactory(real_name="张冒名")

    response = post_profile(client, user, NUMBER)

    assert response.status_code == 200
    assert "id_number" in response.context["form"].errors
    page = response.content.decode()
    assert "已确认属于另一个账号" in page
    # Whose it is stays unsaid.
    assert "王村民" not in page and holder.masked_phone not in page
    assert not IdNumberClaim.objects.exists()
    user.refresh_from_db()
    assert user.real_name == "张冒名"


@pytest.mark.django_db
def test_typing_again_replaces_the_waiting_claim(client):
    user = UserFactory()
    post_profile(client, user, NUMBER)
    post_profile(client, user, OTHER_NUMBER)

    claim = user.id_number_claims.get()
    assert claim.id_number_hash == id_number_hash(OTHER_NUMBER)


@pytest.mark.django_db
def test_typing_the_number_one_holds_makes_no_claim(client):
    user = UserFactory()
    user.set_id_number(NUMBER)
    user.save()

    assert post_profile(client, user, NUMBER).status_code == 302

    assert not user.id_number_claims.exists()
    user.refresh_from_db()
    assert user.id_number_hash == id_number_hash(NUMBER)


@pytest.mark.django_db
def test_two_accounts_cannot_hold_one_number():
    first, second = UserFactory(), UserFactory()
    first.set_id_number(NUMBER)
    first.save()
    second.set_id_number(NUMBER)

    with pytest.raises(IntegrityError):
        second.save()


@pytest.mark.django_db
def test_confirming_a_claim_to_a_number_held_elsewhere_is_refused():
    """Two accounts claimed the same number; once one holds it, the other cannot be given it."""
    first, second = UserFactory(), UserFactory()
    first_claim = claim_id_number(first, NUMBER)
    second_claim = claim_id_number(second, NUMBER)
    confirm_claim(first_claim, proof=IdNumberClaim.Proof.STAFF)

    with pytest.raises(ValidationError) as refused:
        confirm_claim(second_claim, proof=IdNumberClaim.Proof.STAFF)

    assert refused.value.code == "held_elsewhere"
    second.refresh_from_db()
    assert second.id_number_hash == ""
    second_claim.refresh_from_db()
    assert second_claim.status == IdNumberClaim.Status.PENDING


@pytest.mark.django_db
def test_a_rejected_claim_is_shown_with_what_to_do(client):
    user = UserFactory()
    staff = UserFactory()
    reject_claim(claim_id_number(user, NUMBER), by=staff)
    client.force_login(user)

    page = client.get(reverse("profile")).content.decode()

    assert "4453**********1235 未通过培训工作人员核实" in page
    assert NUMBER not in page
