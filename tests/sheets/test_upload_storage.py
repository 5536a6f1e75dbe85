"""Where an uploaded sheet waits for its import (sheets.storage): encrypted, readable by
the site's own user only, outside MEDIA_ROOT, never outside PRIVATE_UPLOAD_ROOT."""

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.files.uploadedfile import SimpleUploadedFile

from sheets import storage

CONTENT = "姓名,证件号码\n罗春燕,445381198501010013\n".encode("gbk")


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_UPLOAD_ROOT = tmp_path / "private"
    return settings.PRIVATE_UPLOAD_ROOT


def test_a_stored_file_is_encrypted_private_and_read_back_whole(private_root, settings):
    name = storage.store(SimpleUploadedFile("罗定市.csv", CONTENT))
    path = private_root / name
    data = path.read_bytes()
    assert "罗春燕".encode("gbk") not in data and b"445381198501010013" not in data
    assert path.stat().st_mode & 0o777 == 0o600
    assert settings.MEDIA_ROOT not in path.parents
    assert "罗定市" not in name  # the name tells nothing either
    content = storage.open_stored(name, "罗定市.csv")
    assert (content.read(), content.name) == (CONTENT, "罗定市.csv")


def test_two_uploads_of_one_file_are_two_files(private_root):
    first = storage.store(SimpleUploadedFile("a.csv", CONTENT))
    second = storage.store(SimpleUploadedFile("a.csv", CONTENT))
    assert first != second
    storage.discard(first)
    assert not (private_root / first).exists()
    assert storage.open_stored(second).read() == CONTENT


def test_a_file_stored_before_a_key_change_is_still_read(settings):
    """A new key goes first in REGISTRY_ENCRYPTION_KEYS; files waiting under the old one
    are still imported."""
    name = storage.store(SimpleUploadedFile("a.csv", CONTENT))
    settings.REGISTRY_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.REGISTRY_ENCRYPTION_KEYS,
    ]
    assert storage.open_stored(name).read() == CONTENT
    settings.REGISTRY_ENCRYPTION_KEYS = settings.REGISTRY_ENCRYPTION_KEYS[:1]
    with pytest.raises(InvalidToken):
        storage.open_stored(name)


@pytest.mark.parametrize("name", ["../secret.bin", "/etc/passwd", "a/../../b.bin", ""])
def test_a_name_never_leads_outside_the_private_root(name):
    with pytest.raises(ValueError):
        storage.open_stored(name)


def test_discarding_nothing_or_a_gone_file_is_harmless(private_root):
    storage.discard("")
    storage.discard("0123456789abcdef.bin")
