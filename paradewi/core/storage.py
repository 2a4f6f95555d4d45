"""Stored files encrypted at rest: envelope encryption under Django's storage API.

Every file written through the default storage (uploaded scans, issued PDFs, previews) gets
its own random data key; the key is wrapped with the current key-encryption key from
``ENCRYPTION_KEYS`` (core/crypto.py) and kept in the file's header. A copy of the folder or
the bucket without the keys holds no readable document.

Layout of a stored file (all integers big-endian)::

    "PDWENC" | version 1 (1 byte) | segment size (4) | nonce prefix (7)    <- fixed part
    | key id length (1) | key id | wrapped key length (2) | wrapped data key
    | segment 0 | segment 1 | ... | last segment

The content is cut into segments of ``segment size`` plaintext bytes (the last one shorter,
or empty for an empty file), each sealed with AES-256-GCM under the data key (16-byte tag).
A segment's nonce is the prefix, the segment's number (4 bytes) and a last-segment flag
(1 byte); the fixed part and the number are its associated data. A segment moved, dropped or
cut off, or bytes added after the end, fail to decrypt: `DamagedFileError`, never garbage.
Reading decrypts one segment at a time, so a download streams in bounded memory and a reader
can seek (FileResponse's Content-Length, zipfile, Pillow).

Rotation (`rewrap_files`, called by ``manage.py rotate_keys``) rewrites only the header: the
data key is unwrapped with the old key and wrapped with the current one; the segments are
copied byte for byte. A file without the magic (stored before encryption was switched on)
is read as is and encrypted by `rewrap_files`.
"""

from __future__ import annotations

import contextlib
import io
import os
import posixpath
import struct
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any, cast

from botocore.exceptions import ClientError
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.core.files.utils import validate_file_name
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from paradewi.core.crypto import DecryptionError, keyring, new_data_key, unwrap_key, wrap_key

MAGIC = b"PDWENC"
VERSION = 1
SEGMENT_BYTES = 64 * 1024
TAG_BYTES = 16
PREFIX_BYTES = 7
_FIXED = struct.Struct(">6sBI7s")  # magic, version, segment size, nonce prefix
# Stored ciphertext is spooled in memory up to this size while a file is written, on disk beyond.
SPOOL_BYTES = 1024 * 1024
# Bytes read to find a header (a key id of at most 16 characters and a 60-byte wrapped key
# make ~100).
HEAD_BYTES = 1024
# Local files being replaced by `rewrap_files` are written next to them under this prefix.
TEMP_PREFIX = ".rewrap-"


class DamagedFileError(DecryptionError):
    """A stored file whose header or content does not decrypt: damaged, cut off or forged."""


@dataclass(frozen=True)
class Header:
    fixed: bytes
    segment_bytes: int
    prefix: bytes
    key_id: str
    wrapped: bytes

    @property
    def length(self) -> int:
        return len(self.fixed) + 1 + len(self.key_id) + 2 + len(self.wrapped)

    def encode(self) -> bytes:
        key_id = self.key_id.encode("ascii")
        return (
            self.fixed
            + bytes([len(key_id)])
            + key_id
            + struct.pack(">H", len(self.wrapped))
            + self.wrapped
        )

    def rewrapped(self, key_id: str, wrapped: bytes) -> Header:
        return Header(self.fixed, self.segment_bytes, self.prefix, key_id, wrapped)

    def plaintext_size(self, stored_size: int) -> int:
        """The content's size from the stored size; DamagedFileError if no layout gives it."""
        body = stored_size - self.length
        full, rest = divmod(body, self.segment_bytes + TAG_BYTES)
        if body < TAG_BYTES or (rest and rest < TAG_BYTES):
            raise DamagedFileError("The stored file is cut off.")
        return full * self.segment_bytes + (rest - TAG_BYTES if rest else 0)


def _read_exactly(source: IO[bytes], count: int) -> bytes:
    parts, missing = [], count
    while missing:
        chunk = source.read(missing)
        if not chunk:
            break
        parts.append(chunk)
        missing -= len(chunk)
    return b"".join(parts)


def read_header(source: IO[bytes]) -> Header | None:
    """The header at the start of `source` (read past it), or None for a plaintext file
    (`source` is then rewound). DamagedFileError for a header that cannot be parsed."""
    start = _read_exactly(source, _FIXED.size)
    if not start.startswith(MAGIC):
        source.seek(0)
        return None
    if len(start) < _FIXED.size:
        raise DamagedFileError("The stored file's header is cut off.")
    _magic, version, segment_bytes, prefix = _FIXED.unpack(start)
    if version != VERSION or not 0 < segment_bytes <= 16 * 1024 * 1024:
        raise DamagedFileError(f"Unknown stored file format (version {version}).")
    id_length = _read_exactly(source, 1)
    key_id_bytes = _read_exactly(source, id_length[0]) if id_length else b""
    wrapped_length = _read_exactly(source, 2)
    if not id_length or len(key_id_bytes) != id_length[0] or len(wrapped_length) != 2:
        raise DamagedFileError("The stored file's header is cut off.")
    (wrapped_size,) = struct.unpack(">H", wrapped_length)
    wrapped = _read_exactly(source, wrapped_size)
    try:
        key_id = key_id_bytes.decode("ascii")
    except UnicodeDecodeError:
        raise DamagedFileError("The stored file's header is damaged.") from None
    if len(wrapped) != wrapped_size:
        raise DamagedFileError("The stored file's header is cut off.")
    return Header(start, segment_bytes, prefix, key_id, wrapped)


def _nonce(header: Header, index: int, last: bool) -> bytes:
    return header.prefix + struct.pack(">I?", index, last)


def _associated(header: Header, index: int) -> bytes:
    return header.fixed + struct.pack(">I", index)


def _data_key(header: Header) -> bytes:
    if header.key_id not in keyring().keys:
        raise DecryptionError(
            f"The stored file is encrypted with the key {header.key_id!r}, which is not in "
            "ENCRYPTION_KEYS."
        )
    try:
        return unwrap_key(header.key_id, header.wrapped)
    except DecryptionError:
        raise DamagedFileError("The stored file's key is damaged or was not made here.") from None


def encrypted_chunks(source: IO[bytes]) -> Iterator[bytes]:
    """`source` (read from where it stands to its end) encrypted with a new data key wrapped
    under the current key: the header, then one sealed segment at a time."""
    data_key = new_data_key()
    key_id, wrapped = wrap_key(data_key)
    prefix = os.urandom(PREFIX_BYTES)
    fixed = _FIXED.pack(MAGIC, VERSION, SEGMENT_BYTES, prefix)
    header = Header(fixed, SEGMENT_BYTES, prefix, key_id, wrapped)
    yield header.encode()
    aead = AESGCM(data_key)
    index = 0
    segment = _read_exactly(source, SEGMENT_BYTES)
    while True:
        following = _read_exactly(source, SEGMENT_BYTES) if len(segment) == SEGMENT_BYTES else b""
        last = not following
        yield aead.encrypt(_nonce(header, index, last), segment, _associated(header, index))
        if last:
            return
        segment, index = following, index + 1


def encrypt_stream(source: IO[bytes], target: IO[bytes]) -> None:
    """Write `source` encrypted into `target` (see `encrypted_chunks`)."""
    for chunk in encrypted_chunks(source):
        target.write(chunk)


class _Sealing(File):  # type: ignore[type-arg]
    """The ciphertext of `content` as a File whose chunks are encrypted while they are read:
    what FileSystemStorage._save writes, with no temporary copy."""

    def __init__(self, content: File[bytes], name: str) -> None:
        super().__init__(None, name)
        self._content = content

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        with contextlib.suppress(AttributeError, io.UnsupportedOperation):
            self._content.seek(0)
        return encrypted_chunks(cast(IO[bytes], self._content))


class DecryptingReader(io.BufferedIOBase):
    """The plaintext of an encrypted stored file, decrypted one segment at a time.

    `raw` is the stored file, seekable (a local file, or django-storages' S3File, which spools
    the object to a temporary file); it is closed with the reader.
    """

    def __init__(self, raw: IO[bytes], header: Header, stored_size: int) -> None:
        super().__init__()
        self._raw = raw
        self._header = header
        self._stored_size = stored_size
        self._aead = AESGCM(_data_key(header))
        self.size = header.plaintext_size(stored_size)
        step = header.segment_bytes
        self._last_index = max(0, (self.size - 1) // step) if self.size else 0
        self._position = 0
        self._index = -1
        self._plain = b""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            position = offset
        elif whence == io.SEEK_CUR:
            position = self._position + offset
        elif whence == io.SEEK_END:
            position = self.size + offset
        else:
            raise ValueError(f"Invalid whence ({whence}).")
        if position < 0:
            raise ValueError("Negative seek position.")
        self._position = position
        return position

    def _load(self, index: int) -> None:
        if index == self._index:
            return
        header = self._header
        stride = header.segment_bytes + TAG_BYTES
        offset = header.length + index * stride
        last = index == self._last_index
        length = self._stored_size - offset if last else stride
        self._raw.seek(offset)
        sealed = _read_exactly(self._raw, length)
        if len(sealed) != length:
            raise DamagedFileError("The stored file is cut off.")
        try:
            self._plain = self._aead.decrypt(
                _nonce(header, index, last), sealed, _associated(header, index)
            )
        except InvalidTag:
            raise DamagedFileError(
                "The stored file is damaged or was not made here (a segment does not decrypt)."
            ) from None
        self._index = index

    def read1(self, size: int | None = -1) -> bytes:
        if self.closed:
            raise ValueError("I/O operation on closed file.")
        if self._position >= self.size:
            self._load(self._last_index)  # the end is authenticated too (nothing cut off)
            return b""
        step = self._header.segment_bytes
        index, start = divmod(self._position, step)
        self._load(index)
        end = len(self._plain) if size is None or size < 0 else min(len(self._plain), start + size)
        chunk = self._plain[start:end]
        self._position += len(chunk)
        return chunk

    def read(self, size: int | None = -1) -> bytes:
        parts: list[bytes] = []
        missing = -1 if size is None or size < 0 else size
        if missing > 0:  # usually within the current segment: no joining
            chunk = self.read1(missing)
            if len(chunk) in (0, missing):
                return chunk
            parts.append(chunk)
            missing -= len(chunk)
        while missing:
            chunk = self.read1(missing)
            if not chunk:
                break
            parts.append(chunk)
            if missing > 0:
                missing -= len(chunk)
        return b"".join(parts)

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self.read(len(view))
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


def _length_of(raw: IO[bytes]) -> int:
    raw.seek(0, io.SEEK_END)
    size = raw.tell()
    raw.seek(0)
    return size


class EncryptedStorageMixin(Storage):
    """Encrypts on `_save`, decrypts on `_open`; the parent class stores the bytes.

    Subclasses implement `_replace_stored` (an atomic replacement of a stored file, for
    `rewrap_files`) and may read headers more cheaply in `_stored_head`.
    """

    def _open_stored(self, name: str) -> File[bytes]:
        return cast("File[bytes]", super()._open(name, "rb"))  # type: ignore[misc]

    def _save_stored(self, name: str, content: File[bytes]) -> str:
        return cast(str, super()._save(name, content))  # type: ignore[misc]

    def _replace_stored(self, name: str, content: IO[bytes]) -> None:
        raise NotImplementedError

    def _open(self, name: str, mode: str = "rb") -> File[bytes]:
        if mode not in ("r", "rb"):
            raise ValueError("Encrypted storage opens files for reading only (use save()).")
        raw = self._open_stored(name)
        try:
            header = read_header(raw)
            if header is None:
                return raw  # stored before encryption: read as it is
            reader = DecryptingReader(raw, header, _length_of(raw))
        except BaseException:
            raw.close()
            raise
        return File(cast(IO[bytes], reader), name)

    def _save(self, name: str, content: File[bytes]) -> str:
        # The ciphertext is spooled (memory, then a temporary file): a seekable body, which an
        # object store upload needs to retry.
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as sealed:
            with contextlib.suppress(AttributeError, io.UnsupportedOperation):
                content.seek(0)
            encrypt_stream(cast(IO[bytes], content), cast(IO[bytes], sealed))
            sealed.seek(0)
            return self._save_stored(name, File(sealed, name))

    def _stored_head(self, name: str) -> bytes:
        """The first HEAD_BYTES stored bytes of `name` (enough for any header written here)."""
        with self._open_stored(name) as raw:
            return cast(bytes, raw.read(HEAD_BYTES))

    def header(self, name: str) -> Header | None:
        """The header of a stored file, None for a file stored in clear."""
        return read_header(io.BytesIO(self._stored_head(name)))

    def size(self, name: str) -> int:
        """The plaintext size (read from the header and the stored size)."""
        stored = self._stored_size(name)
        header = self.header(name) if stored else None
        return stored if header is None else header.plaintext_size(stored)

    def _stored_size(self, name: str) -> int:
        stored: int = super().size(name)
        return stored


class EncryptedFileSystemStorage(EncryptedStorageMixin, FileSystemStorage):
    def _save(self, name: str, content: File[bytes]) -> str:
        # Encrypted while it is written: no temporary copy.
        return self._save_stored(name, _Sealing(content, name))

    def _replace_stored(self, name: str, content: IO[bytes]) -> None:
        path = self.path(name)
        mode = os.stat(path).st_mode & 0o777
        handle, temporary = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=os.path.dirname(path))
        try:
            with os.fdopen(handle, "wb") as target:
                while chunk := content.read(SEGMENT_BYTES):
                    target.write(chunk)
                target.flush()
                os.fsync(target.fileno())
            os.chmod(temporary, mode)
            if not os.path.exists(path):
                raise FileNotFoundError(name)  # deleted meanwhile: not brought back
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise


class EncryptedS3Storage(EncryptedStorageMixin, S3Storage):  # type: ignore[misc]
    def get_object_parameters(self, name: str) -> dict[str, Any]:
        # The stored bytes are ciphertext, whatever the name says.
        parameters: dict[str, Any] = super().get_object_parameters(name)
        parameters.setdefault("ContentType", "application/octet-stream")
        return parameters

    def _stored_head(self, name: str) -> bytes:
        # A ranged GET, not a download of the whole object (S3File would fetch it all).
        key = self._normalize_name(clean_name(name))
        try:
            body = self.bucket.Object(key).get(Range=f"bytes=0-{HEAD_BYTES - 1}")["Body"]
        except ClientError as error:
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if status == 404:
                raise FileNotFoundError(name) from None
            if status == 416:  # an empty object has no byte 0
                return b""
            raise
        head: bytes = body.read()
        return head

    def _replace_stored(self, name: str, content: IO[bytes]) -> None:
        if not self.exists(name):
            raise FileNotFoundError(name)  # deleted meanwhile: not brought back
        key = self._normalize_name(clean_name(name))
        # One PUT (or one completed multipart upload): readers see the old or the new object.
        self.bucket.Object(key).upload_fileobj(
            content, ExtraArgs=self._get_write_parameters(key), Config=self.transfer_config
        )


def is_encrypted(storage: Storage) -> bool:
    """Whether `storage` (or the lazy default storage it stands for) encrypts its files: such
    files must be sent by Django, never handed to nginx (X-Accel-Redirect would send ciphertext)."""
    return isinstance(storage, EncryptedStorageMixin)


def open_raw(storage: Storage, name: str) -> File[bytes]:
    """The stored bytes of `name` as they are (ciphertext), for backups."""
    if isinstance(storage, EncryptedStorageMixin):
        return storage._open_stored(name)
    return cast("File[bytes]", storage.open(name, "rb"))


def save_raw(storage: Storage, name: str, content: bytes | IO[bytes] | File[bytes]) -> str:
    """Store `content` under exactly `name` without encrypting it (restoring a backup of
    `open_raw` bytes). FileExistsError if `name` is taken; returns `name`."""
    validate_file_name(name, allow_relative_path=True)
    if storage.exists(name):
        raise FileExistsError(f"{name} is already stored.")
    if isinstance(content, bytes):
        content = ContentFile(content, name)
    elif not isinstance(content, File):
        content = File(content, name)
    if isinstance(storage, EncryptedStorageMixin):
        saved = storage._save_stored(name, content)
    else:
        saved = storage.save(name, content)
    if saved != name:  # stored meanwhile under `name` by someone else
        storage.delete(saved)
        raise FileExistsError(f"{name} is already stored.")
    return saved


def stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in the storage, walking folders."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for file in sorted(files):
        if not file.startswith(TEMP_PREFIX):
            yield posixpath.join(folder, file) if folder else file
    for sub in sorted(folders):
        yield from stored_names(storage, posixpath.join(folder, sub) if folder else sub)


def key_ids(*, storage: Storage | None = None) -> dict[str, int]:
    """How many stored files each key id wraps ("" for files stored in clear), reading only
    their headers: what `rewrap_files` would change, for a dry run."""
    target = default_storage if storage is None else storage
    if not isinstance(target, EncryptedStorageMixin):
        raise TypeError(f"{type(target).__name__} does not encrypt files.")
    counts: dict[str, int] = {}
    for name in stored_names(target):
        try:
            header = target.header(name)
        except FileNotFoundError:
            continue
        key_id = "" if header is None else header.key_id
        counts[key_id] = counts.get(key_id, 0) + 1
    return counts


def _quiet(message: str) -> None:
    pass


def rewrap_files(*, storage: Storage | None = None, log: Callable[[str], None] = _quiet) -> int:
    """Bring every stored file under the current key; returns how many files changed.

    A file under an older key gets its data key re-wrapped (only the header is rewritten; the
    content stays byte for byte); a plaintext file from before encryption is encrypted. Each
    file is replaced atomically, so readers see the old or the new version, and both decrypt
    while the old key is still listed in ENCRYPTION_KEYS: the site keeps running throughout.
    Remove the old key only after this has run without errors.
    """
    target = default_storage if storage is None else storage
    if not isinstance(target, EncryptedStorageMixin):
        raise TypeError(f"{type(target).__name__} does not encrypt files; nothing to re-wrap.")
    current = keyring().current_id
    changed = 0
    for name in stored_names(target):
        try:
            if _rewrap_one(target, name, current, log):
                changed += 1
        except FileNotFoundError:
            log(f"{name}: deleted while rotating, skipped")
    log(f"{changed} file(s) re-keyed to {current!r}")
    return changed


def _rewrap_one(
    storage: EncryptedStorageMixin, name: str, current: str, log: Callable[[str], None]
) -> bool:
    head = storage.header(name)
    if head is not None and head.key_id == current:
        return False  # already current: not read in full
    with (
        storage._open_stored(name) as stored,
        tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as replacement,
    ):
        raw = cast(IO[bytes], stored)
        header = read_header(raw)
        if header is None:
            encrypt_stream(raw, cast(IO[bytes], replacement))
            log(f"{name}: encrypted (was stored in clear)")
        elif header.key_id == current:
            return False
        else:
            key_id, wrapped = wrap_key(_data_key(header))
            replacement.write(header.rewrapped(key_id, wrapped).encode())
            raw.seek(header.length)
            while chunk := raw.read(SEGMENT_BYTES):
                replacement.write(chunk)
            log(f"{name}: key {header.key_id!r} -> {key_id!r}")
        replacement.seek(0)
        storage._replace_stored(name, cast(IO[bytes], replacement))
    return True
