import pytest
from cryptography.fernet import Fernet

from coverage.idcrypt import WrongEncryptionKey, decrypt_id_number, encrypt_id_number

NUMBER = "445302199001011235"


def test_the_number_round_trips_and_is_not_stored_in_plain_text():
    token = encrypt_id_number(NUMBER)
    assert NUMBER not in token
    assert decrypt_id_number(token) == NUMBER


def test_a_wrong_key_fails_loudly(settings):
    token = encrypt_id_number(NUMBER)
    settings.REGISTRY_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(WrongEncryptionKey):
        decrypt_id_number(token)


def test_a_rotated_key_still_reads_old_numbers(settings):
    old = settings.REGISTRY_ENCRYPTION_KEYS[0]
    token = encrypt_id_number(NUMBER)
    new = Fernet.generate_key().decode()
    settings.REGISTRY_ENCRYPTION_KEYS = [new, old]
    assert decrypt_id_number(token) == NUMBER
    settings.REGISTRY_ENCRYPTION_KEYS = [new]
    assert decrypt_id_number(encrypt_id_number(NUMBER)) == NUMBER
