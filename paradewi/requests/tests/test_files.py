"""Checking and cleaning what people send, with real hostile samples made here."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageFile
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from paradewi.core import signing
from paradewi.documents.management.commands.make_signing_key import make_pkcs12
from paradewi.requests import services
from paradewi.requests.files import check_output_pdf, check_upload, name_for
from paradewi.requests.models import Upload
from paradewi.requests.tests.factories import jpeg_file, load_catalogue, make_draft, pdf_bytes

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MODEL = 0x0110


@pytest.fixture
def p(personas):
    load_catalogue()
    return personas


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal(file: SimpleUploadedFile, *, output: bool = False) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        (check_output_pdf if output else check_upload)(file)
    return caught.value


def noise_jpeg(size: tuple[int, int] = (800, 600), **save: object) -> bytes:
    """A photo-like JPEG (random pixels, so it has real compressed data to cut)."""
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **save)
    return buffer.getvalue()


def phone_photo() -> bytes:
    """400 x 300 as stored by the camera: left half red, right half blue, Orientation 6
    ("turn 90 degrees clockwise to view"), camera model, GPS position, comment and ICC."""
    image = Image.new("RGB", (400, 300), "blue")
    image.paste((255, 0, 0), (0, 0, 200, 300))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[MODEL] = "Redmi 9A"
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "S"  # GPSLatitudeRef
    gps[2] = (7.0, 28.0, 12.0)  # GPSLatitude
    gps[3] = "E"
    gps[4] = (112.0, 26.0, 3.0)
    buffer = io.BytesIO()
    image.save(
        buffer, "JPEG", exif=exif, comment=b"Rumah Pak Slamet", icc_profile=b"ICC-PROFILE-BYTES"
    )
    return buffer.getvalue()


def rgb(image: Image.Image, x: int, y: int) -> tuple[int, int, int]:
    red, green, blue = image.convert("RGB").getpixel((x, y))  # type: ignore[misc]
    return red, green, blue


def jpeg_segments(data: bytes) -> list[int]:
    """The marker of every JPEG segment before the image data (0xE0 = APP0, 0xFE = COM ...)."""
    markers = []
    position = 2
    while position < len(data):
        assert data[position] == 0xFF
        marker = data[position + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            break
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        position += 2 + length
    return markers


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return (
        struct.pack(">I", len(body))
        + kind
        + body
        + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    )


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height; its tiny IDAT is the whole real content."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_writer(pages: int = 1) -> PdfWriter:
    return PdfWriter(clone_from=io.BytesIO(pdf_bytes(pages=pages)))


def js_action(script: str = "app.alert('x')") -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(script),
        }
    )


def add_annotation(writer: PdfWriter, annotation: DictionaryObject) -> IndirectObject:
    annotation.update(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (72, 72, 144, 144)]),
        }
    )
    reference = writer._add_object(annotation)
    writer.pages[0][NameObject("/Annots")] = ArrayObject([reference])
    return reference


# --- hostile PDFs -------------------------------------------------------------------------------


def pdf_encrypted(user_password: str) -> bytes:
    writer = pdf_writer()
    writer.encrypt(user_password=user_password, owner_password="owner-secret")
    return written(writer)


def pdf_with_named_javascript() -> bytes:
    writer = pdf_writer()
    writer.add_open_action(JavaScript("app.alert('halo')"))  # the document names tree
    return written(writer)


def pdf_with_open_action_javascript() -> bytes:
    writer = pdf_writer()
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(js_action())
    return written(writer)


def pdf_with_page_action_javascript() -> bytes:
    writer = pdf_writer()
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): js_action()})
    return written(writer)


def pdf_with_launch_link() -> bytes:
    writer = pdf_writer()
    launch = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("cmd.exe"),
        }
    )
    add_annotation(
        writer,
        DictionaryObject({NameObject("/Subtype"): NameObject("/Link"), NameObject("/A"): launch}),
    )
    return written(writer)


def pdf_with_attachment() -> bytes:
    writer = pdf_writer()
    writer.add_attachment("invoice.exe", b"MZ not really a program")
    return written(writer)


def pdf_with_file_attachment_annotation() -> bytes:
    writer = pdf_writer()
    add_annotation(
        writer,
        DictionaryObject(
            {
                NameObject("/Subtype"): NameObject("/FileAttachment"),
                NameObject("/Contents"): TextStringObject("lampiran"),
            }
        ),
    )
    return written(writer)


def pdf_with_xfa() -> bytes:
    writer = pdf_writer()
    xfa = StreamObject()
    xfa.set_data(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'></xdp:xdp>")
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject(),
            NameObject("/XFA"): writer._add_object(xfa),
        }
    )
    return written(writer)


def pdf_with_huge_image() -> bytes:
    """One image XObject declaring 50,000 x 50,000 pixels (a bomb for whoever renders it)."""
    writer = pdf_writer()
    image = StreamObject()
    image.set_data(zlib.compress(b"\x00" * 1024))
    image.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(50_000),
            NameObject("/Height"): NumberObject(50_000),
            NameObject("/ColorSpace"): NameObject("/DeviceGray"),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject("/FlateDecode"),
        }
    )
    resources = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): writer._add_object(image)})}
    )
    writer.pages[0][NameObject("/Resources")] = resources
    return written(writer)


def pdf_signed_like() -> bytes:
    """A PDF shaped like an issued, electronically signed document: a signed signature field
    (/Sig value with /ByteRange and /Contents), DocMDP permissions and a DSS dictionary."""
    writer = pdf_writer()
    signature = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Sig"),
            NameObject("/Filter"): NameObject("/Adobe.PPKLite"),
            NameObject("/SubFilter"): NameObject("/ETSI.CAdES.detached"),
            NameObject("/ByteRange"): ArrayObject([NumberObject(v) for v in (0, 10, 20, 30)]),
            NameObject("/Contents"): ByteStringObject(b"\x30\x82" + b"\x00" * 64),
            NameObject("/Name"): TextStringObject("Kepala Dinas"),
        }
    )
    signature_ref = writer._add_object(signature)
    field = DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Sig"),
            NameObject("/T"): TextStringObject("Signature1"),
            NameObject("/V"): signature_ref,
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/F"): NumberObject(132),
        }
    )
    field_ref = add_annotation(writer, field)
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject([field_ref]),
            NameObject("/SigFlags"): NumberObject(3),
        }
    )
    writer._root_object[NameObject("/Perms")] = DictionaryObject(
        {NameObject("/DocMDP"): signature_ref}
    )
    certificate = StreamObject()
    certificate.set_data(b"\x30\x82\x01\x0a" + b"\x01" * 32)
    writer._root_object[NameObject("/DSS")] = DictionaryObject(
        {NameObject("/Certs"): ArrayObject([writer._add_object(certificate)])}
    )
    return written(writer)


# --- type by content ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("scan.jpg", b"<!doctype html><html><script>alert(document.cookie)</script></html>"),
        (
            "scan.png",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        ),
        ("scan.pdf", b"MZ\x90\x00 a Windows program"),
        ("scan.jpg", b"GIF89a\x01\x00\x01\x00"),
    ],
)
def test_it_refuses_files_that_only_pretend_by_name(name, content):
    error = refusal(upload(name, content))
    assert error.code == "wrong_type"
    assert "Only photos (JPEG, PNG) and PDF files are accepted." in error.messages[0]


def test_it_refuses_an_empty_file():
    assert refusal(upload("scan.jpg", b"")).code == "empty"


def test_it_refuses_a_file_over_the_size_limit(settings):
    settings.UPLOAD_MAX_BYTES = 2000
    error = refusal(upload("big.pdf", pdf_bytes(pages=3)))
    assert error.code == "too_big"
    assert "at most 2.0" in error.messages[0]


# --- images -------------------------------------------------------------------------------------


def test_it_refuses_a_png_declaring_fifty_thousand_pixels_square_without_decoding_it():
    bomb = png_declaring(50_000, 50_000)
    assert len(bomb) < 200
    # A well-formed header: the right length, the declared size and a valid CRC.
    length, kind, width, height = struct.unpack(">I4sII", bomb[8:24])
    (crc,) = struct.unpack(">I", bomb[29:33])
    assert (length, kind, width, height) == (13, b"IHDR", 50_000, 50_000)
    assert crc == zlib.crc32(bomb[12:29]) & 0xFFFFFFFF
    assert refusal(upload("bomb.png", bomb)).code == "too_many_pixels"


def test_it_refuses_a_truncated_jpeg():
    whole = noise_jpeg()
    error = refusal(upload("photo.jpg", whole[: len(whole) * 6 // 10]))
    assert error.code == "truncated"
    assert "incomplete" in error.messages[0]


def test_it_refuses_an_image_that_is_only_a_header():
    assert refusal(upload("photo.jpg", b"\xff\xd8\xff\xe0 and nothing")).code == "corrupt"


def test_pillow_still_refuses_truncated_images_everywhere():
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_it_strips_exif_and_gps_and_turns_the_photo_upright(p):
    request = make_draft(p.desa_a)
    stored = services.upload_add(
        actor=p.desa_a,
        request=request,
        requirement_code="kk-lama",
        file=upload("IMG_20260301.jpg", phone_photo()),
    )
    # Received as sent; the worker's check (started by the commit) writes the clean copy and
    # deletes the file as it was sent.
    assert stored.state == "checking"
    sent = stored.file.name
    assert services.upload_check(stored.pk) == "ready"
    stored.refresh_from_db()
    assert stored.state == "ready"
    assert not default_storage.exists(sent)
    with default_storage.open(stored.file.name, "rb") as handle:
        data = handle.read()
    assert stored.content_type == "image/jpeg"
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    image = Image.open(io.BytesIO(data))
    assert image.size == (300, 400)  # width and height swapped: the pixels were turned
    assert rgb(image, 150, 20)[0] > 200  # the red left half is now on top
    assert rgb(image, 150, 380)[2] > 200  # the blue right half at the bottom
    assert not image.getexif()
    assert image.getexif().get_ifd(GPS_IFD) == {}
    for key in ("exif", "icc_profile", "comment", "xmp"):
        assert key not in image.info
    # Nothing but JFIF (APP0), tables and the frame before the image data: no APP1 (EXIF,
    # XMP), APP2 (ICC), APP13 (IPTC) or COM segment.
    assert set(jpeg_segments(data)) <= {0xE0, 0xDB, 0xC0, 0xC2, 0xC4, 0xDD, 0xDA}
    for secret in (b"Exif", b"Redmi", b"Rumah Pak Slamet", b"ICC-PROFILE"):
        assert secret not in data


def test_it_shrinks_a_large_photo_to_the_long_side_limit(settings):
    settings.UPLOAD_IMAGE_MAX_SIDE = 1000
    checked = check_upload(upload("wide.jpg", noise_jpeg((3000, 1200), quality=50)))
    assert Image.open(io.BytesIO(checked.content.read())).size == (1000, 400)


def test_a_camera_photo_is_decoded_at_half_scale_when_that_still_leaves_most_of_the_limit(
    settings,
):
    # An 8 MP photo (3,264 x 2,448) under the 2,000 px limit: half scale leaves 1,632 px,
    # more than 80 % of the limit, so it is stored at that size, not decoded whole and resized.
    settings.UPLOAD_IMAGE_MAX_SIDE = 2000
    checked = check_upload(upload("kamera.jpg", noise_jpeg((3264, 2448), quality=40)))
    assert Image.open(io.BytesIO(checked.content.read())).size == (1632, 1224)
    # A 3,000 px photo: half scale would leave 1,500 px, less than 80 %: decoded whole, resized.
    checked = check_upload(upload("lebar.jpg", noise_jpeg((3000, 1500), quality=40)))
    assert Image.open(io.BytesIO(checked.content.read())).size == (2000, 1000)


def test_it_keeps_a_small_photo_at_its_size():
    checked = check_upload(jpeg_file(size=(640, 480)))
    assert Image.open(io.BytesIO(checked.content.read())).size == (640, 480)


def test_a_png_becomes_a_jpeg_with_transparency_on_white_and_its_name_follows():
    image = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    image.paste((0, 0, 0, 255), (0, 0, 100, 100))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    checked = check_upload(upload("Tangkapan layar.png", buffer.getvalue()))
    stored = Image.open(io.BytesIO(checked.content.read()))
    assert (checked.content_type, stored.format, checked.name) == (
        "image/jpeg",
        "JPEG",
        "Tangkapan layar.jpg",
    )
    assert rgb(stored, 150, 50)[0] > 240  # transparent became white paper
    assert rgb(stored, 50, 50)[0] < 15


def test_a_sixteen_bit_png_keeps_its_grey():
    buffer = io.BytesIO()
    Image.new("I;16", (50, 50), 32768).save(buffer, "PNG")
    stored = Image.open(
        io.BytesIO(check_upload(upload("scan.png", buffer.getvalue())).content.read())
    )
    assert 120 <= rgb(stored, 10, 10)[0] <= 136


@pytest.mark.parametrize(
    ("sent", "content_type", "kept"),
    [
        ("KK.png", "image/jpeg", "KK.jpg"),
        ("kk.pdf", "image/jpeg", "kk.jpg"),
        ("foto.JPEG", "image/jpeg", "foto.JPEG"),
        ("Foto KTP", "image/jpeg", "Foto KTP.jpg"),
        ("Surat.Keterangan", "image/jpeg", "Surat.Keterangan.jpg"),
        ("akta.pdf", "application/pdf", "akta.pdf"),
        ("akta", "application/pdf", "akta.pdf"),
    ],
)
def test_the_display_name_carries_the_stored_type(sent, content_type, kept):
    assert name_for(sent, content_type) == kept


def test_the_same_photo_gives_the_same_bytes():
    photo = phone_photo()
    first = check_upload(upload("a.jpg", photo))
    second = check_upload(upload("b.jpg", photo))
    assert first.sha256 == second.sha256
    assert first.content.read() == second.content.read()


def test_sending_the_same_photo_twice_stores_it_once(p):
    request = make_draft(p.desa_a)
    photo = noise_jpeg((2400, 1800))
    first = services.upload_add(
        actor=p.desa_a, request=request, requirement_code="kk-lama", file=upload("kk.jpg", photo)
    )
    again = services.upload_add(
        actor=p.desa_a, request=request, requirement_code="kk-lama", file=upload("kk.jpg", photo)
    )
    assert again.pk == first.pk
    assert Upload.objects.filter(request=request).count() == 1


# --- PDFs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("user_password", ["rahasia", ""])
def test_it_refuses_an_encrypted_pdf_even_without_a_password(user_password):
    error = refusal(upload("kk.pdf", pdf_encrypted(user_password)))
    assert error.code == "encrypted"
    assert "even if it opens without a password" in error.messages[0]


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (pdf_with_named_javascript, "pdf_javascript"),
        (pdf_with_open_action_javascript, "pdf_javascript"),
        (pdf_with_page_action_javascript, "pdf_javascript"),
        (pdf_with_launch_link, "pdf_launch"),
        (pdf_with_attachment, "pdf_embedded_file"),
        (pdf_with_file_attachment_annotation, "pdf_embedded_file"),
        (pdf_with_xfa, "pdf_xfa"),
    ],
)
def test_it_refuses_a_pdf_with_active_content(make, code):
    content = make()
    assert len(PdfReader(io.BytesIO(content)).pages) == 1  # a PDF any reader opens
    error = refusal(upload("scan.pdf", content))
    assert error.code == code
    assert "Scan the paper document again" in error.messages[0]


def test_it_finds_javascript_behind_an_escaped_name():
    content = pdf_with_open_action_javascript().replace(b"/JS ", b"/J#53 ")
    assert refusal(upload("scan.pdf", content)).code == "pdf_javascript"


def test_it_refuses_a_pdf_with_too_many_pages(settings):
    settings.UPLOAD_MAX_PDF_PAGES = 2
    error = refusal(upload("kk.pdf", pdf_bytes(pages=3)))
    assert error.code == "too_many_pages"
    assert "The PDF has 3 pages; at most 2 are allowed." in error.messages[0]


def test_it_refuses_a_pdf_holding_an_image_bomb():
    assert refusal(upload("scan.pdf", pdf_with_huge_image())).code == "too_many_pixels"


def test_it_keeps_a_pdf_byte_for_byte_and_counts_its_pages(p):
    content = pdf_bytes(pages=3)
    request = make_draft(p.desa_a)
    stored = services.upload_add(
        actor=p.desa_a, request=request, requirement_code="kk-lama", file=upload("kk", content)
    )
    with default_storage.open(stored.file.name, "rb") as handle:
        assert handle.read() == content
    assert (stored.pages, stored.original_name, stored.content_type) == (
        3,
        "kk.pdf",
        "application/pdf",
    )
    assert stored.sha256 == hashlib.sha256(content).hexdigest()


# --- issued documents ---------------------------------------------------------------------------


def test_an_issued_signed_pdf_is_accepted_as_it_is():
    content = pdf_signed_like()
    checked = check_output_pdf(upload("kk.pdf", content))
    assert checked.content.read() == content
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


def test_an_issued_pdf_with_a_real_pades_signature_is_accepted_as_it_is(settings, tmp_path):
    key = tmp_path / "dinas.p12"
    key.write_bytes(make_pkcs12(common_name="Dinas test", organisation="Dinas", password="kunci"))
    settings.SIGNING_PKCS12_PATH = str(key)
    settings.SIGNING_PKCS12_PASSWORD = "kunci"
    settings.SIGNING_TIMESTAMP_URL = ""
    signing._load_key.cache_clear()
    try:
        signed = signing.sign_pdf(pdf_bytes(pages=2), reason="Test", location="Mojokerto")
    finally:
        signing._load_key.cache_clear()
    assert b"/ByteRange" in signed
    assert b"/DocMDP" in signed  # a certification signature, as issued documents carry
    checked = check_output_pdf(upload("kk.pdf", signed))
    assert checked.content.read() == signed
    assert checked.pages == 2


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (pdf_with_open_action_javascript, "pdf_javascript"),
        (pdf_with_attachment, "pdf_embedded_file"),
        (lambda: pdf_encrypted(""), "encrypted"),
    ],
)
def test_an_issued_pdf_with_active_content_or_encryption_is_refused(make, code):
    error = refusal(upload("kk.pdf", make()), output=True)
    assert error.code == code
    if code != "encrypted":
        assert "Download the signed document again" in error.messages[0]


def test_an_issued_document_over_the_page_limit_is_refused(settings):
    settings.OUTPUT_MAX_PDF_PAGES = 2
    assert refusal(upload("kk.pdf", pdf_bytes(pages=3)), output=True).code == "too_many_pages"


# --- through the upload page --------------------------------------------------------------------


def test_the_officer_reads_why_and_the_other_uploads_stay(p, client):
    request = make_draft(p.desa_a)
    kept_pdf = services.upload_add(
        actor=p.desa_a,
        request=request,
        requirement_code="f-106",
        file=upload("f106.pdf", pdf_bytes()),
    )
    kept_photo = services.upload_add(
        actor=p.desa_a, request=request, requirement_code="kk-lama", file=jpeg_file("kk.jpg")
    )
    client.force_login(p.desa_a)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("request_upload", args=[request.pk, "kk-lama"]),
        {"kk-lama-file": upload("kk.pdf", pdf_with_open_action_javascript())},
        follow=True,
    )
    page = response.content.decode()
    assert "The PDF contains JavaScript (a program), which is not accepted." in page
    assert "Scan the paper document again and send the new scan." in page
    current = Upload.objects.filter(request=request, replaced_at__isnull=True)
    assert set(current.values_list("pk", flat=True)) == {kept_pdf.pk, kept_photo.pk}
    assert Upload.objects.filter(request=request).count() == 2
    for kept in (kept_pdf, kept_photo):
        assert default_storage.exists(kept.file.name)
