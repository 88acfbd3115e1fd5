"""Files encrypted at rest with the field-encryption keys (uploaded case documents, generated PDFs).

A file under MEDIA_ROOT is one Fernet token (encrypt-then-MAC, AES-128-CBC + HMAC-SHA256) under
the first key of ``KIS_FIELD_ENCRYPTION_KEYS``; any key decrypts, so keys rotate like the fields
(``kis rotate_keys`` re-encrypts the files too). A disk image, a backup of the uploads directory
or a misconfigured web server exposes nothing readable. A file written before encryption was
switched on (no Fernet token) is still served as it is and gets encrypted at the next rotation.

Files are read and written whole: uploads are capped (``KIS_UPLOAD_MAX_BYTES``, 10 MB) and PDFs
are small.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage

from kis.lib import crypto

FERNET_PREFIX = b"gAAAAA"  # base64 of the version byte 0x80 and the timestamp's first bytes


class EncryptedFileSystemStorage(FileSystemStorage):
    def _save(self, name: str, content: File[Any]) -> str:
        content.seek(0)
        data = content.read()
        if isinstance(data, str):
            data = data.encode()
        saved: str = super()._save(name, ContentFile(crypto.fernet().encrypt(data)))  # type: ignore[misc]
        return saved

    def _open(self, name: str, mode: str = "rb") -> File[Any]:
        if "w" in mode or "a" in mode:
            raise ValueError("encrypted files are written through save(), not opened for writing")
        with open(self.path(name), "rb") as handle:
            raw = handle.read()
        data = crypto.fernet().decrypt(raw) if raw.startswith(FERNET_PREFIX) else raw
        return ContentFile(data, name=name)

    def rotate(self, name: str) -> bool:
        """Re-encrypt one file under the newest key (encrypting a legacy plain file); True if rewritten."""
        with open(self.path(name), "rb") as handle:
            raw = handle.read()
        token = crypto.fernet().rotate(raw) if raw.startswith(FERNET_PREFIX) else crypto.fernet().encrypt(raw)
        with open(self.path(name), "wb") as handle:
            handle.write(token)
        return True


def encrypted_storage() -> EncryptedFileSystemStorage:
    """The storage of every FileField that holds personal data (a callable: migrations keep the reference)."""
    return _STORAGE


_STORAGE = EncryptedFileSystemStorage()
