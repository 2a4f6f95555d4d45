"""Stored files are encrypted at rest (core/storage.py): exact round trips, refusal of damaged
or forged files, plaintext files from before, raw access for backups, and key rotation."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from paradewi import settings as project_settings
from paradewi.core.crypto import DecryptionError
from paradewi.core.storage import (
    MAGIC,
    SEGMENT_BYTES,
    TAG_BYTES,
    DamagedFileError,
    EncryptedFileSystemStorage,
    is_encrypted,
    key_ids,
    open_raw,
    read_header,
    rewrap_files,
    save_raw,
    stored_names,
)

SIZES = [0, 1, SEGMENT_BYTES - 1, SEGMENT_BYTES, SEGMENT_BYTES + 1, 3 * SEGMENT_BYTES + 5]
PDF_START = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
NIK = b"3516011205900001"


@pytest.fixture
def storage(tmp_path: Path) -> EncryptedFileSystemStorage:
    return EncryptedFileSystemStorage(location=tmp_path / "store")


@pytest.fixture
def t2_first(settings):
    """ENCRYPTION_KEYS with t2 in front: new files (and re-wrapped ones) go under t2."""
    keys = dict(settings.ENCRYPTION_KEYS)
    settings.ENCRYPTION_KEYS = {"t2": keys["t2"], "t1": keys["t1"]}
    return keys


def content(size: int) -> bytes:
    """Recognisable bytes: a PDF start, a NIK, then random bytes up to `size`."""
    head = PDF_START + NIK
    return (head + os.urandom(max(0, size - len(head))))[:size]


def stored(storage: EncryptedFileSystemStorage, name: str) -> bytes:
    return Path(storage.path(name)).read_bytes()


def write_raw(storage: EncryptedFileSystemStorage, name: str, data: bytes) -> None:
    Path(storage.path(name)).write_bytes(data)


def read(storage: EncryptedFileSystemStorage, name: str) -> bytes:
    with storage.open(name) as handle:
        data: bytes = handle.read()
    return data


def header_length(data: bytes) -> int:
    header = read_header(io.BytesIO(data))
    assert header is not None
    return header.length


def segments(data: bytes) -> list[bytes]:
    body = data[header_length(data) :]
    stride = SEGMENT_BYTES + TAG_BYTES
    return [body[start : start + stride] for start in range(0, len(body), stride)]


# --- round trips --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_a_file_reads_back_exactly_whatever_its_size(storage, size):
    data = content(size)
    name = storage.save("uploads/scan.pdf", ContentFile(data))
    assert read(storage, name) == data
    assert storage.size(name) == size


def test_a_large_file_streams_back_in_bounded_chunks(storage):
    data = os.urandom(5 * 1024 * 1024 + 123)
    name = storage.save("uploads/big.pdf", ContentFile(data))
    digest = hashlib.sha256()
    with storage.open(name) as handle:
        for chunk in handle.chunks():
            assert len(chunk) <= 64 * 1024
            digest.update(chunk)
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("size", SIZES)
def test_the_disk_holds_only_ciphertext(storage, size):
    data = content(size)
    name = storage.save("uploads/scan.pdf", ContentFile(data))
    raw = stored(storage, name)
    assert raw.startswith(MAGIC)
    assert b"%PDF" not in raw
    assert NIK not in raw
    assert len(raw) == header_length(raw) + size + TAG_BYTES * max(1, -(-size // SEGMENT_BYTES))


def test_a_reader_seeks_like_a_file(storage):
    data = content(3 * SEGMENT_BYTES + 77)
    name = storage.save("uploads/scan.pdf", ContentFile(data))
    with storage.open(name) as handle:
        assert handle.size == len(data)
        assert handle.seek(0, io.SEEK_END) == len(data)
        handle.seek(SEGMENT_BYTES - 3)
        assert handle.read(10) == data[SEGMENT_BYTES - 3 : SEGMENT_BYTES + 7]
        handle.seek(5)
        assert handle.read() == data[5:]
        assert handle.read() == b""


def test_a_zip_can_be_read_straight_from_storage(storage):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", b"a" * 200_000)
        archive.writestr("b.pdf", PDF_START)
    name = storage.save("archive.zip", ContentFile(buffer.getvalue()))
    with storage.open(name) as handle, zipfile.ZipFile(handle) as archive:
        assert archive.read("b.pdf") == PDF_START
        assert archive.read("a.txt") == b"a" * 200_000


def test_a_file_is_opened_for_reading_only(storage):
    name = storage.save("x.pdf", ContentFile(b"x"))
    with pytest.raises(ValueError, match="reading only"):
        storage.open(name, "wb")


def test_the_lazy_default_storage_says_it_encrypts(settings, tmp_path):
    from django.core.files.storage import default_storage

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "paradewi.core.storage.EncryptedFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "enc"},
        },
    }
    assert is_encrypted(default_storage)
    assert not is_encrypted(FileSystemStorage(location=tmp_path / "plain"))


def test_the_project_storage_setting_encrypts():
    backend = project_settings.STORAGES["default"]["BACKEND"]
    assert backend in (
        "paradewi.core.storage.EncryptedFileSystemStorage",
        "paradewi.core.storage.EncryptedS3Storage",
    )


# --- damaged and forged files -------------------------------------------------------------------


def damaged_read(storage, name) -> None:
    with pytest.raises(DamagedFileError):
        read(storage, name)


@pytest.mark.parametrize("where", ["first segment", "last tag", "nonce prefix", "wrapped key"])
def test_a_flipped_byte_is_refused(storage, where):
    name = storage.save("uploads/scan.pdf", ContentFile(content(2 * SEGMENT_BYTES + 10)))
    raw = bytearray(stored(storage, name))
    offset = {
        "first segment": header_length(bytes(raw)) + 100,
        "last tag": len(raw) - 1,
        "nonce prefix": len(MAGIC) + 1 + 4 + 2,
        "wrapped key": header_length(bytes(raw)) - 5,
    }[where]
    raw[offset] ^= 0x01
    write_raw(storage, name, bytes(raw))
    damaged_read(storage, name)


@pytest.mark.parametrize("cut", [1, TAG_BYTES, 10 + TAG_BYTES, SEGMENT_BYTES + 10 + TAG_BYTES])
def test_a_truncated_file_is_refused(storage, cut):
    # 2 full segments and 10 bytes: cuts inside the last segment, at the end of the second
    # segment, and inside the second segment.
    name = storage.save("uploads/scan.pdf", ContentFile(content(2 * SEGMENT_BYTES + 10)))
    write_raw(storage, name, stored(storage, name)[:-cut])
    damaged_read(storage, name)


def test_a_file_cut_after_whole_segments_is_refused(storage):
    name = storage.save("uploads/scan.pdf", ContentFile(content(3 * SEGMENT_BYTES)))
    raw = stored(storage, name)
    write_raw(storage, name, raw[: header_length(raw)] + b"".join(segments(raw)[:2]))
    damaged_read(storage, name)


def test_swapped_segments_are_refused(storage):
    name = storage.save("uploads/scan.pdf", ContentFile(content(3 * SEGMENT_BYTES)))
    raw = stored(storage, name)
    first, second, third = segments(raw)
    write_raw(storage, name, raw[: header_length(raw)] + second + first + third)
    damaged_read(storage, name)


def test_a_dropped_segment_is_refused(storage):
    name = storage.save("uploads/scan.pdf", ContentFile(content(3 * SEGMENT_BYTES)))
    raw = stored(storage, name)
    first, _second, third = segments(raw)
    write_raw(storage, name, raw[: header_length(raw)] + first + third)
    damaged_read(storage, name)


def test_bytes_added_after_the_end_are_refused(storage):
    name = storage.save("uploads/scan.pdf", ContentFile(content(1000)))
    write_raw(storage, name, stored(storage, name) + os.urandom(TAG_BYTES + 8))
    damaged_read(storage, name)


def test_a_segment_from_another_file_is_refused(storage):
    one = storage.save("one.pdf", ContentFile(content(100)))
    two = storage.save("two.pdf", ContentFile(content(100)))
    raw_one, raw_two = stored(storage, one), stored(storage, two)
    write_raw(storage, one, raw_one[: header_length(raw_one)] + segments(raw_two)[0])
    damaged_read(storage, one)


def test_an_empty_file_is_authenticated_too(storage):
    name = storage.save("empty.pdf", ContentFile(b""))
    raw = bytearray(stored(storage, name))
    raw[-1] ^= 0x01
    write_raw(storage, name, bytes(raw))
    damaged_read(storage, name)


def test_a_cut_off_header_is_refused(storage):
    name = storage.save("uploads/scan.pdf", ContentFile(content(100)))
    write_raw(storage, name, stored(storage, name)[:20])
    with pytest.raises(DamagedFileError):
        read(storage, name)
    with pytest.raises(DamagedFileError):
        storage.size(name)


def test_a_file_under_a_key_no_longer_listed_names_the_key(storage, settings):
    name = storage.save("uploads/scan.pdf", ContentFile(content(100)))
    settings.ENCRYPTION_KEYS = {"t2": settings.ENCRYPTION_KEYS["t2"]}
    with pytest.raises(DecryptionError, match="'t1'"):
        read(storage, name)


# --- files stored in clear before encryption ----------------------------------------------------


def test_a_file_stored_before_encryption_is_read_as_it_is(storage):
    plain = FileSystemStorage(location=storage.location)
    for name, data in [("old.pdf", content(5000)), ("tiny.txt", b"ab"), ("empty.txt", b"")]:
        plain.save(name, ContentFile(data))
        assert read(storage, name) == data
        assert storage.size(name) == len(data)


# --- raw bytes for backups ----------------------------------------------------------------------


def test_open_raw_gives_the_ciphertext_and_save_raw_restores_it(storage, tmp_path):
    data = content(SEGMENT_BYTES + 500)
    name = storage.save("uploads/1/scan.pdf", ContentFile(data))
    with open_raw(storage, name) as handle:
        raw = handle.read()
    assert raw == stored(storage, name)
    elsewhere = EncryptedFileSystemStorage(location=tmp_path / "restored")
    assert save_raw(elsewhere, name, raw) == name
    assert stored(elsewhere, name) == raw
    assert read(elsewhere, name) == data


def test_save_raw_never_overwrites(storage):
    name = storage.save("uploads/scan.pdf", ContentFile(b"kept"))
    with pytest.raises(FileExistsError):
        save_raw(storage, name, b"other")
    assert read(storage, name) == b"kept"


# --- rotation -----------------------------------------------------------------------------------


def key_id_of(storage, name) -> str:
    header = read_header(io.BytesIO(stored(storage, name)))
    assert header is not None
    return header.key_id


def test_rewrap_moves_every_file_to_the_new_key_without_touching_the_content(
    storage, settings, t2_first
):
    settings.ENCRYPTION_KEYS = {"t1": t2_first["t1"]}
    files = {
        storage.save(f"uploads/{n}/scan.pdf", ContentFile(content(size))): None
        for n, size in enumerate([0, 10, 3 * SEGMENT_BYTES + 1])
    }
    originals = {name: read(storage, name) for name in files}
    FileSystemStorage(location=storage.location).save("old/plain.pdf", ContentFile(b"%PDF-1.4"))
    originals["old/plain.pdf"] = b"%PDF-1.4"
    before = {name: stored(storage, name) for name in files}
    settings.ENCRYPTION_KEYS = {"t2": t2_first["t2"], "t1": t2_first["t1"]}
    lines: list[str] = []

    assert key_ids(storage=storage) == {"t1": 3, "": 1}
    assert rewrap_files(storage=storage, log=lines.append) == 4
    assert key_ids(storage=storage) == {"t2": 4}

    for name, data in originals.items():
        assert key_id_of(storage, name) == "t2"
        assert read(storage, name) == data
    for name, raw in before.items():
        after = stored(storage, name)
        assert after[header_length(after) :] == raw[header_length(raw) :]  # content as it was
    assert any("old/plain.pdf: encrypted" in line for line in lines)
    assert rewrap_files(storage=storage) == 0
    settings.ENCRYPTION_KEYS = {"t2": t2_first["t2"]}  # the old key removed
    assert {name: read(storage, name) for name in originals} == originals
    assert not [n for n in os.listdir(storage.path("uploads/0")) if n.startswith(".")]


def test_a_reader_during_rewrap_gets_complete_valid_bytes(storage, settings, t2_first, monkeypatch):
    settings.ENCRYPTION_KEYS = {"t1": t2_first["t1"]}
    data = content(4 * SEGMENT_BYTES + 9)
    name = storage.save("uploads/scan.pdf", ContentFile(data))
    settings.ENCRYPTION_KEYS = {"t2": t2_first["t2"], "t1": t2_first["t1"]}
    early = storage.open(name)
    first_part = early.read(SEGMENT_BYTES + 3)
    seen: list[bytes] = []
    replace = storage._replace_stored

    def replace_while_reading(target: str, body) -> None:
        seen.append(read(storage, target))  # just before the swap
        replace(target, body)
        seen.append(read(storage, target))  # just after

    monkeypatch.setattr(storage, "_replace_stored", replace_while_reading)
    assert rewrap_files(storage=storage) == 1
    assert first_part + early.read() == data  # opened before the swap, finished after it
    early.close()
    assert seen == [data, data]
    assert key_id_of(storage, name) == "t2"


def test_rewrap_leaves_a_file_deleted_meanwhile_deleted(storage, settings, t2_first, monkeypatch):
    settings.ENCRYPTION_KEYS = {"t1": t2_first["t1"]}
    name = storage.save("uploads/scan.pdf", ContentFile(b"gone soon"))
    settings.ENCRYPTION_KEYS = {"t2": t2_first["t2"], "t1": t2_first["t1"]}
    replace = storage._replace_stored

    def delete_first(target: str, body) -> None:
        storage.delete(target)  # retention deletes it between the read and the swap
        replace(target, body)

    monkeypatch.setattr(storage, "_replace_stored", delete_first)
    lines: list[str] = []
    assert rewrap_files(storage=storage, log=lines.append) == 0
    assert not storage.exists(name)
    assert list(stored_names(storage)) == []
    assert any("deleted while rotating" in line for line in lines)


def test_rewrap_refuses_a_storage_that_does_not_encrypt(tmp_path):
    with pytest.raises(TypeError):
        rewrap_files(storage=FileSystemStorage(location=tmp_path))


def test_stored_names_walks_every_folder(storage):
    for name in ["a.pdf", "uploads/1/b.pdf", "previews/1/2/1-thumb.jpg"]:
        storage.save(name, ContentFile(b"x"))
    assert sorted(stored_names(storage)) == [
        "a.pdf",
        "previews/1/2/1-thumb.jpg",
        "uploads/1/b.pdf",
    ]
