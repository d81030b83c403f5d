"""Field encryption and blind indexes (PRIV-1).

Sensitive values (phone numbers, ID numbers, real names) are stored as AES-GCM ciphertext. The
key never lives in the database: it comes from ``PINQIAO_FIELD_KEY`` (base64, 32 bytes) or from
a key file outside the database. Exact-match lookups use an HMAC-SHA256 blind index computed
with a separate sub-key, so equality can be tested without decrypting.

Ciphertext format: ``v1:<key id>:<base64(nonce || ciphertext || tag)>``. The key id lets a
rotation command re-encrypt old rows while both keys are loaded.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from functools import cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_PREFIX = "v1"


class DecryptionError(Exception):
    """The ciphertext was altered or was made with a key that is not loaded."""


def _derive(master: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)


def _load_master_key() -> bytes:
    raw = settings.FIELD_ENCRYPTION_KEY
    if not raw:
        path = settings.FIELD_ENCRYPTION_KEY_FILE
        if not path.exists():
            if not getattr(settings, "FIELD_KEY_AUTOCREATE", False):
                raise ImproperlyConfigured(
                    "No field encryption key: set PINQIAO_FIELD_KEY or PINQIAO_FIELD_KEY_FILE."
                )
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(base64.b64encode(secrets.token_bytes(32)).decode())
        raw = path.read_text().strip()
    key = base64.b64decode(raw)
    if len(key) != 32:
        raise ImproperlyConfigured("The field encryption key must be 32 bytes, base64-encoded.")
    return key


class FieldCipher:
    """AES-GCM encryption with a key id, and an HMAC blind index from a derived sub-key."""

    def __init__(self, master: bytes) -> None:
        self.key_id = hashlib.sha256(master).hexdigest()[:8]
        self._aead = AESGCM(_derive(master, b"pinqiao field encryption"))
        self._index_key = _derive(master, b"pinqiao blind index")

    def encrypt(self, plaintext: str, *, context: str = "") -> str:
        nonce = secrets.token_bytes(12)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), context.encode())
        return f"{_PREFIX}:{self.key_id}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str, *, context: str = "") -> str:
        try:
            prefix, key_id, body = token.split(":", 2)
        except ValueError as exc:
            raise DecryptionError("malformed ciphertext") from exc
        if prefix != _PREFIX or key_id != self.key_id:
            raise DecryptionError(f"ciphertext made with unknown key {key_id}")
        blob = base64.b64decode(body)
        try:
            return self._aead.decrypt(blob[:12], blob[12:], context.encode()).decode()
        except Exception as exc:  # cryptography raises InvalidTag
            raise DecryptionError("ciphertext failed authentication") from exc

    def encrypt_bytes(self, data: bytes, *, context: str = "") -> bytes:
        nonce = secrets.token_bytes(12)
        sealed = self._aead.encrypt(nonce, data, context.encode())
        return f"{_PREFIX}:{self.key_id}:".encode() + nonce + sealed

    def decrypt_bytes(self, blob: bytes, *, context: str = "") -> bytes:
        header = f"{_PREFIX}:{self.key_id}:".encode()
        if not blob.startswith(header):
            raise DecryptionError("blob made with an unknown key or format")
        body = blob[len(header):]
        try:
            return self._aead.decrypt(body[:12], body[12:], context.encode())
        except Exception as exc:  # cryptography raises InvalidTag
            raise DecryptionError("blob failed authentication") from exc

    def blind_index(self, value: str, *, purpose: str) -> str:
        message = f"{purpose}\x00{value}".encode()
        return hmac.new(self._index_key, message, hashlib.sha256).hexdigest()


@cache
def cipher() -> FieldCipher:
    """The process-wide cipher, built once from the configured master key."""
    return FieldCipher(_load_master_key())


def encrypt(plaintext: str, *, context: str = "") -> str:
    return cipher().encrypt(plaintext, context=context)


def decrypt(token: str, *, context: str = "") -> str:
    return cipher().decrypt(token, context=context)


def encrypt_bytes(data: bytes, *, context: str = "") -> bytes:
    """Encrypt a file's bytes (photos, uploads): ``v1:<key id>:`` then nonce, ciphertext, tag."""
    return cipher().encrypt_bytes(data, context=context)


def decrypt_bytes(blob: bytes, *, context: str = "") -> bytes:
    return cipher().decrypt_bytes(blob, context=context)


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash for exact lookups; ``purpose`` separates e.g. phones from ID numbers."""
    return cipher().blind_index(value, purpose=purpose)


def derived_key(purpose: str) -> bytes:
    """A 32-byte sub-key of the field key for ``purpose`` (HKDF); the key lives outside the
    database, so a database writer cannot compute MACs made with it (SEC-1 checkpoints)."""
    return _derive(_load_master_key(), f"pinqiao:{purpose}".encode())


def keyed_digest(value: str, *, purpose: str) -> str:
    """A keyed hash for secrets that are only ever compared (e.g. SMS codes)."""
    return cipher().blind_index(value, purpose=f"digest:{purpose}")
