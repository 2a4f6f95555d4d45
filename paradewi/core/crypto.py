"""Encryption at rest: the keys, field tokens, search-index hashes and wrapped file keys.

Built on the `cryptography` package's AES-256-GCM (authenticated encryption) and HMAC-SHA256;
nothing here invents a primitive, it only names keys and lays out bytes.

- Key-encryption keys come from ``ENCRYPTION_KEYS`` (``id:base64`` of 32 bytes, comma-separated).
  The first encrypts; every listed key decrypts, so a new key is added in front, the rotation
  command (``manage.py rotate_keys``) re-encrypts, and the old key is removed afterwards.
- A database field value is stored as the text token ``pde1.<key id>.<base64url(nonce|ct)>``.
  The column name is bound in as associated data, so a token copied into another column does
  not decrypt.
- Exact-match search uses a keyed hash (``blind_index``) with its own key, ``SEARCH_INDEX_KEY``:
  a copy of the database without the key cannot test NIKs against the index.
- Names are found by word or by the start of a word: ``name_tokens`` gives the keyed 64-bit
  hashes (same key) of every word of a name and of each of its beginnings of three letters and
  more, after ``normalise_name`` (case, accents, punctuation and spaces do not count);
  ``name_query_tokens`` the hashes a typed search looks for (docs/security.md says what the
  hashes tell someone holding a copy of the database).
- Files use envelope encryption: each file has its own random data key, encrypted ("wrapped")
  with the current key-encryption key (``wrap_key``/``unwrap_key``); rotation re-wraps only the
  data keys.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

TOKEN_PREFIX = "pde1"  # noqa: S105 (a format marker, not a secret)
NONCE_BYTES = 12
KEY_BYTES = 32


class DecryptionError(Exception):
    """A token or wrapped key that no configured key opens (wrong key, damaged or forged)."""


@dataclass(frozen=True)
class KeyRing:
    keys: dict[str, bytes]
    current_id: str
    index_key: bytes

    @property
    def current(self) -> bytes:
        return self.keys[self.current_id]


def parse_keys(items: list[str]) -> dict[str, bytes]:
    """``["id:base64", ...]`` -> ``{id: 32 bytes}``, in order; ImproperlyConfigured if malformed."""
    keys: dict[str, bytes] = {}
    for item in items:
        key_id, separator, encoded = item.partition(":")
        key_id = key_id.strip()
        if not separator or not key_id.isalnum() or len(key_id) > 16:
            raise ImproperlyConfigured(
                "ENCRYPTION_KEYS: each key is written id:base64 with a short alphanumeric id."
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"ENCRYPTION_KEYS: the key id {key_id!r} is listed twice.")
        keys[key_id] = decode_key(encoded.strip(), f"ENCRYPTION_KEYS ({key_id})")
    return keys


def decode_key(encoded: str, name: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{name}: the key is not base64.") from None
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(f"{name}: the key must be {KEY_BYTES} bytes, not {len(key)}.")
    return key


def new_key_text() -> str:
    """A fresh random key as written in settings (base64url, no padding)."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).rstrip(b"=").decode()


@lru_cache(maxsize=1)
def keyring() -> KeyRing:
    keys: dict[str, bytes] = dict(settings.ENCRYPTION_KEYS)
    if not keys:
        raise ImproperlyConfigured("ENCRYPTION_KEYS is empty.")
    index_key: bytes = settings.SEARCH_INDEX_KEY
    return KeyRing(keys=keys, current_id=next(iter(keys)), index_key=index_key)


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs: object) -> None:
    if setting in {"ENCRYPTION_KEYS", "SEARCH_INDEX_KEY"}:
        keyring.cache_clear()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encrypt_text(plaintext: str, *, context: str) -> str:
    """A token for ``plaintext`` under the current key; ``context`` (the column) is bound in."""
    ring = keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(ring.current).encrypt(nonce, plaintext.encode(), context.encode())
    return f"{TOKEN_PREFIX}.{ring.current_id}.{_b64(nonce + sealed)}"


def is_token(value: object) -> bool:
    return isinstance(value, str) and value.startswith(TOKEN_PREFIX + ".")


def token_key_id(token: str) -> str:
    return token.split(".", 2)[1]


def decrypt_text(token: str, *, context: str) -> str:
    try:
        prefix, key_id, body = token.split(".", 2)
        key = keyring().keys[key_id]
        raw = _unb64(body)
        plain = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
    except KeyError:
        raise DecryptionError("The key this value was encrypted with is not configured.") from None
    except (ValueError, binascii.Error, InvalidTag):
        raise DecryptionError("The encrypted value is damaged or was not made here.") from None
    if prefix != TOKEN_PREFIX:
        raise DecryptionError("Not an encrypted value.")
    return plain.decode()


def blind_index(value: str, *, purpose: str) -> str:
    """The keyed hash that finds ``value`` by exact match (32 hex characters; "" for "")."""
    if not value:
        return ""
    digest = hmac.new(
        keyring().index_key, f"{purpose}\x00{value}".encode(), hashlib.sha256
    ).hexdigest()
    return digest[:32]


# A name is searched by the start of each word from this many letters (a shorter word typed is
# looked up as a whole word), and a word counts up to MAX_PREFIX letters.
MIN_PREFIX = 3
MAX_PREFIX = 20
NAME_TOKEN_PURPOSE = "name-word"  # noqa: S105 (a label hashed in, not a secret)
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`]")
_NOT_LETTERS = re.compile(r"[^0-9A-Z]+")


def normalise_name(text: str) -> str:
    """A name as it is compared: upper case, no accents, apostrophes dropped ("Ma'ruf" is
    "MARUF"), any other punctuation a space ("Nur-Aini", "M. Ali"), single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = _APOSTROPHES.sub("", plain.upper())
    return _NOT_LETTERS.sub(" ", plain).strip()


def _word_token(text: str) -> int:
    digest = hmac.new(
        keyring().index_key, f"{NAME_TOKEN_PURPOSE}\x00{text}".encode(), hashlib.sha256
    ).digest()
    # Eight bytes as a signed 64-bit integer (a BIGINT column on every database).
    return int.from_bytes(digest[:8], "big", signed=True)


def name_tokens(name: str) -> set[int]:
    """The search hashes of a name: each word's beginnings of MIN_PREFIX letters and more
    (up to MAX_PREFIX), and a shorter word whole. "SRI WAHYUNI" gives SRI, WAH, WAHY, ...,
    WAHYUNI."""
    tokens: set[int] = set()
    for word in normalise_name(name).split():
        word = word[:MAX_PREFIX]
        for length in range(min(MIN_PREFIX, len(word)), len(word) + 1):
            tokens.add(_word_token(word[:length]))
    return tokens


def name_query_tokens(text: str) -> list[int]:
    """One hash per word typed (in order, without repeats): a request matches when its name
    has every one of them, each as a word or the start of a word."""
    tokens: list[int] = []
    for word in normalise_name(text).split():
        token = _word_token(word[:MAX_PREFIX])
        if token not in tokens:
            tokens.append(token)
    return tokens


def new_data_key() -> bytes:
    return os.urandom(KEY_BYTES)


def wrap_key(data_key: bytes) -> tuple[str, bytes]:
    """The data key encrypted with the current key-encryption key: (key id, wrapped bytes)."""
    ring = keyring()
    nonce = os.urandom(NONCE_BYTES)
    return ring.current_id, nonce + AESGCM(ring.current).encrypt(nonce, data_key, b"data-key")


def unwrap_key(key_id: str, wrapped: bytes) -> bytes:
    try:
        key = keyring().keys[key_id]
        return AESGCM(key).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], b"data-key")
    except KeyError:
        raise DecryptionError("The key this file was encrypted with is not configured.") from None
    except (ValueError, InvalidTag):
        raise DecryptionError("The file's key is damaged or was not made here.") from None
