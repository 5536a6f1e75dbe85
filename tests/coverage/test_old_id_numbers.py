"""The registry lists some members by the 15-digit number of their first card (GB 11643-1989)."""

import pytest

from accounts.idcard import id_number_hash
from coverage.idcrypt import decrypt_id_number
from coverage.models import RegistryMember
from coverage.registry_import import import_registry
from regions.models import County, Town, Village
from tests.coverage.conftest import REGISTRY_HEADER as HEADER
from tests.support import write_sheet

NEW = "445381198001010014"  # 445381, born 1980-01-01, sequence 001, check character 4
OLD = "445381800101001"


@pytest.fixture
def registry(db, tmp_path):
    """Write a registry file listing one member by the number given."""
    town = Town.objects.create(county=County.objects.create(name="罗定市"), name="罗镜镇")
    Village.objects.create(town=town, name="太平村")

    def write(number, name):
        row = ("罗定市", "罗镜镇", "太平村", "H001", "村民甲", number, "户主", "普通劳动力", "")
        return write_sheet(tmp_path / name, [HEADER, row])

    return write


def test_the_old_number_is_kept_as_the_18_digit_one(registry):
    import_registry(registry(OLD, "registry.csv"))

    member = RegistryMember.objects.get()
    assert member.id_number_hash == id_number_hash(NEW)
    assert member.id_number_masked == "4453**********0014"
    assert decrypt_id_number(member.id_number_encrypted) == NEW


def test_next_years_file_with_the_new_number_updates_the_same_member(registry):
    import_registry(registry(OLD, "2019.csv"))
    first = RegistryMember.objects.get()

    import_registry(registry(NEW, "2020.csv"))

    assert RegistryMember.objects.get().pk == first.pk
    assert RegistryMember.objects.get().is_active
