"""Where uploaded sheets wait for their import: private, encrypted, and then gone.

A registry export or a sign-in sheet is a list of ID-card and phone numbers. It is
written under ``PRIVATE_UPLOAD_ROOT`` (never under MEDIA_ROOT, so no URL reaches it),
encrypted with the personal-data keys (``REGISTRY_ENCRYPTION_KEYS``: the first
encrypts, all decrypt), read back only by the import, and deleted when the import is
over, unless ``KEEP_IMPORTED_FILES`` keeps it (still encrypted).
"""

import io
import uuid
from pathlib import Path

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.REGISTRY_ENCRYPTION_KEYS])


def _path(name: str) -> Path:
    root = Path(settings.PRIVATE_UPLOAD_ROOT).resolve()
    path = (root / name).resolve()
    if root not in path.parents:
        raise ValueError("A stored upload's name must stay inside PRIVATE_UPLOAD_ROOT.")
    return path


def store(upload) -> str:
    """Encrypt and keep an uploaded file; returns the name to read it back by."""
    name = f"{uuid.uuid4().hex}.bin"
    path = _path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = b"".join(upload.chunks()) if hasattr(upload, "chunks") else upload.read()
    path.write_bytes(_fernet().encrypt(data))
    path.chmod(0o600)
    return name


def open_stored(name: str, display_name: str = "") -> io.BytesIO:
    """The stored file's content as a binary file object named ``display_name``."""
    content = io.BytesIO(_fernet().decrypt(_path(name).read_bytes()))
    content.name = display_name or name
    return content


def discard(name: str) -> None:
    if name:
        _path(name).unlink(missing_ok=True)
