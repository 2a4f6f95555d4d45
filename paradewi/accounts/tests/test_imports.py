from __future__ import annotations

import csv
import io
import random
import re
import zipfile
from collections.abc import Iterator, Sequence

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import translation
from openpyxl import Workbook

from paradewi.accounts.imports import MAX_ROWS, OfficerRow, RowStatus, parse_role, read_officer_file
from paradewi.accounts.models import Role, User
from paradewi.accounts.services import officers_import
from paradewi.regions.models import Region
from paradewi.regions.services import regions_load
from paradewi.testing import DISTRICT_A, REGENCY, VILLAGE_A, VILLAGE_B

HEADER = ["username", "full_name", "phone", "email", "role", "area_code"]
IMPORT_URL = "/admin/accounts/user/import/"
TEMPLATE_URL = "/admin/accounts/user/import/template.csv"


@pytest.fixture(autouse=True)
def _english(settings) -> Iterator[None]:
    # The messages are checked in the msgid language, whatever the .po files say.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def officer(
    username: str,
    area_code: str = VILLAGE_A,
    role: str = "village_officer",
    *,
    phone: str = "081234567890",
    email: str = "",
    full_name: str = "Siti Aminah",
) -> list[str]:
    return [username, full_name, phone, email, role, area_code]


def csv_bytes(
    rows: Sequence[Sequence[str]],
    *,
    header: Sequence[str] = HEADER,
    delimiter: str = ",",
    bom: bool = False,
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode()


def xlsx_bytes(rows: Sequence[Sequence[object]], *, header: Sequence[str] = HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    workbook.create_sheet("Notes").append(["username", "this sheet is ignored"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parse(*rows: Sequence[str]) -> list[OfficerRow]:
    return read_officer_file(csv_bytes(rows))


def regency_officers() -> list[list[str]]:
    """One officer per active village of 35.16 and one operator per kecamatan: 322 rows."""
    villages = Region.objects.filter(
        level=Region.Level.VILLAGE, is_active=True, code__startswith=REGENCY + "."
    )
    districts = Region.objects.filter(
        level=Region.Level.DISTRICT, is_active=True, code__startswith=REGENCY + "."
    )
    rows = [
        officer(
            f"petugas-{village.code.replace('.', '')}",
            village.code,
            "petugas desa",
            phone=f"0812{index:08d}",
            email=f"desa{index}@example.org",
            full_name=f"Petugas {village.name}",
        )
        for index, village in enumerate(villages)
    ]
    rows += [
        officer(
            f"kec-{district.code.replace('.', '')}",
            district.code,
            "Operator Kecamatan",
            phone=f"0813{index:08d}",
            full_name=f"Operator {district.name}",
        )
        for index, district in enumerate(districts)
    ]
    return rows


def entry_for(report, username):
    return next(entry for entry in report.entries if entry.username == username)


# --- reading files ---------------------------------------------------------------------


def test_it_imports_every_village_and_kecamatan_of_the_regency_in_a_few_queries(
    personas, django_assert_max_num_queries
):
    rows = read_officer_file(csv_bytes(regency_officers(), delimiter=";", bom=True))
    assert len(rows) == 322
    before = User.objects.count()

    with django_assert_max_num_queries(20):
        report = officers_import(rows=rows, dry_run=False, skip_bad=False, by=personas.admin)

    assert report.created == 322
    assert report.bad == 0
    assert User.objects.count() == before + 322
    assert (
        User.objects.filter(role=Role.VILLAGE_OFFICER, username__startswith="petugas-").count()
        == 304
    )
    assert (
        User.objects.filter(role=Role.DISTRICT_OPERATOR, username__startswith="kec-").count() == 18
    )
    officer_a = User.objects.get(username="petugas-3516012001")
    assert officer_a.area is not None
    assert officer_a.area.code == VILLAGE_A
    assert officer_a.phone == "+62812" + "0" * 8
    assert officer_a.email == "desa0@example.org"
    assert not officer_a.has_usable_password()
    assert not officer_a.is_staff
    assert LogEntry.objects.filter(user=personas.admin).count() == 322


def test_it_reads_the_first_sheet_of_an_xlsx_workbook_with_indonesian_headers(regions):
    header = ["Username", "Nama Lengkap", "No. HP", "E-mail", "Peran", "Kode Wilayah"]
    data = xlsx_bytes(
        [
            ["desa-a1", "Siti Aminah", 81234567890, "Siti@Example.org", "Petugas Desa", VILLAGE_A],
            [None, None, None, None, None, None],
            ["kec-a", "Budi Santoso", "0812-3456-7891", None, "kecamatan", DISTRICT_A],
        ],
        header=header,
    )

    rows = read_officer_file(data)

    assert rows == [
        OfficerRow(
            4 - 2,
            "desa-a1",
            "Siti Aminah",
            "81234567890",
            "Siti@Example.org",
            "Petugas Desa",
            VILLAGE_A,
        ),
        OfficerRow(4, "kec-a", "Budi Santoso", "0812-3456-7891", "", "kecamatan", DISTRICT_A),
    ]
    report = officers_import(rows=rows, dry_run=False, skip_bad=False, by=None)
    assert [entry.status for entry in report.entries] == [RowStatus.CREATED, RowStatus.CREATED]
    assert User.objects.get(username="desa-a1").email == "siti@example.org"
    assert User.objects.get(username="kec-a").phone == "+6281234567891"


@pytest.mark.parametrize(
    ("delimiter", "bom"), [(",", False), (",", True), (";", False), (";", True), ("\t", False)]
)
def test_it_reads_csv_with_commas_or_semicolons_with_or_without_bom(regions, delimiter, bom):
    data = csv_bytes(
        [officer("desa-a1", full_name="Siti, Aminah; S.Pd"), officer("desa-b1", VILLAGE_B)],
        delimiter=delimiter,
        bom=bom,
    )

    rows = read_officer_file(data)

    assert [(row.row, row.username, row.area_code) for row in rows] == [
        (2, "desa-a1", VILLAGE_A),
        (3, "desa-b1", VILLAGE_B),
    ]
    assert rows[0].full_name == "Siti, Aminah; S.Pd"
    report = officers_import(rows=rows, dry_run=False, skip_bad=False, by=None)
    assert report.created == 2


def test_it_gives_area_codes_back_their_dots():
    rows = read_officer_file(
        csv_bytes([officer("a", "3516012001"), officer("b", "351601"), officer("c", "35.1")])
    )
    assert [row.area_code for row in rows] == ["35.16.01.2001", "35.16.01", "35.10"]


@pytest.mark.parametrize(
    ("word", "role"),
    [
        ("village_officer", Role.VILLAGE_OFFICER),
        ("Village officer", Role.VILLAGE_OFFICER),
        ("desa", Role.VILLAGE_OFFICER),
        ("Kelurahan", Role.VILLAGE_OFFICER),
        ("petugas desa/kelurahan", Role.VILLAGE_OFFICER),
        ("PETUGAS DESA", Role.VILLAGE_OFFICER),
        ("district_operator", Role.DISTRICT_OPERATOR),
        ("kecamatan", Role.DISTRICT_OPERATOR),
        ("Operator Kecamatan", Role.DISTRICT_OPERATOR),
        ("Kecamatan operator", Role.DISTRICT_OPERATOR),
        ("dinas", Role.DINAS_CLERK),
        ("verifikator", Role.DINAS_CLERK),
        ("kepala dinas", Role.DINAS_HEAD),
        ("kabid", Role.DINAS_HEAD),
        ("bupati", Role.VIEWER),
        ("Leadership viewer", Role.VIEWER),
        ("Administrator", Role.ADMIN),
        ("lurah", None),
        ("", None),
    ],
)
def test_it_understands_the_usual_words_for_roles(word, role):
    assert parse_role(word) == role


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\r\n ;;\r\n", "The file is empty."),
        (random.Random(7).randbytes(4000), "neither a CSV text file (UTF-8) nor an Excel workbook"),
        (
            b"username,full_name\x00\x01\x02",
            "neither a CSV text file (UTF-8) nor an Excel workbook",
        ),
        (_zip_bytes(), "neither a CSV text file (UTF-8) nor an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old Excel 97-2003 (.xls) file"),
        (",".join(HEADER).encode(), "The file has no rows below the header."),
        (
            b"username;nama;telepon\r\nsiti;Siti;0812\r\n",
            "Required columns are missing: role, area_code.",
        ),
        (b"Daftar petugas\r\nusername,role\r\n", "Required columns are missing:"),
        (
            b"username,nama,nama lengkap,role,area_code\r\na,b,c,d,e\r\n",
            "Two columns mean the same thing: \u201cnama\u201d and \u201cnama lengkap\u201d.",
        ),
        (
            csv_bytes([officer(f"u{index}") for index in range(MAX_ROWS + 1)]),
            "The file has more than 5000 rows.",
        ),
    ],
    ids=[
        "empty",
        "blank",
        "random-binary",
        "control-characters",
        "other-zip",
        "xls",
        "header-only",
        "missing-columns",
        "title-row",
        "duplicate-column",
        "too-many-rows",
    ],
)
def test_it_refuses_files_it_cannot_import_with_a_clear_message(data, message):
    with pytest.raises(ValidationError) as error:
        read_officer_file(data)
    assert message in " ".join(error.value.messages)


def test_it_accepts_exactly_the_maximum_number_of_rows():
    rows = read_officer_file(csv_bytes([officer(f"u{index}") for index in range(MAX_ROWS)]))
    assert len(rows) == MAX_ROWS
    assert rows[-1].row == MAX_ROWS + 1


# --- checking and importing -------------------------------------------------------------


def test_it_writes_nothing_on_a_dry_run(regions):
    rows = parse(officer("desa-a1"), officer("kec-a", DISTRICT_A, "kecamatan"))

    report = officers_import(rows=rows, dry_run=True, skip_bad=False, by=None)

    assert [entry.status for entry in report.entries] == [RowStatus.OK, RowStatus.OK]
    assert report.entries[0].messages == ["Village officer of Desa Tawangrejo (35.16.01.2001)."]
    assert report.summary == "Dry run: all 2 rows are valid. Nothing was saved."
    assert not User.objects.exists()


BAD_ROWS = [
    (officer("unknown-village", "35.16.01.2999"), "There is no area with code 35.16.01.2999."),
    (
        officer("surabaya", "35.78.01.1001"),
        "Kelurahan Karang Pilang is not in the regency this system serves (35.16).",
    ),
    (officer("twice"), "Username twice appears more than once in the file (rows 6, 7)."),
    (officer("Twice", VILLAGE_B), "Username Twice appears more than once in the file (rows 6, 7)."),
    (officer("desa-a"), "Username desa-a is already taken."),
    (officer("bad-phone", phone="12345"), "12345 is not an Indonesian mobile number"),
    (officer("bad-email", email="siti@"), "Email address: Enter a valid email address."),
    (
        officer("taken-email", email="Admin@Example.org"),
        "Another account already uses admin@example.org.",
    ),
    (
        officer("level-mismatch", DISTRICT_A),
        "A Village officer must be bound to a village, not to Kecamatan Jatirejo.",
    ),
    (officer("unknown-role", role="lurah"), "Unknown role \u201clurah\u201d."),
    (officer("bad username!"), "Username: Enter a valid username."),
    (officer("", full_name=""), "Username is missing."),
    (officer("no-name", full_name=""), "Full name is missing."),
]


def bad_file_rows() -> list[OfficerRow]:
    good = [officer("good-1"), officer("good-2", DISTRICT_A, "kecamatan")]
    return parse(*good, *(row for row, _message in BAD_ROWS))


def test_it_reports_each_bad_row_with_its_reason_and_imports_nothing(personas):
    regions_load(regency_code="35.78")
    before = User.objects.count()

    report = officers_import(rows=bad_file_rows(), dry_run=False, skip_bad=False, by=personas.admin)

    assert User.objects.count() == before
    assert not LogEntry.objects.exists()
    assert report.failed
    assert [entry.status for entry in report.entries[:2]] == [RowStatus.OK, RowStatus.OK]
    for (row, message), entry in zip(BAD_ROWS, report.entries[2:], strict=True):
        assert entry.status == RowStatus.ERROR
        assert entry.username == row[0]
        assert any(message in text for text in entry.messages), (message, entry.messages)
    assert [entry.row for entry in report.entries] == list(range(2, 2 + len(report.entries)))
    assert report.summary.startswith(f"{len(BAD_ROWS)} of {len(BAD_ROWS) + 2} rows have errors")


def test_it_imports_the_good_rows_and_skips_the_bad_ones_when_asked(personas):
    regions_load(regency_code="35.78")

    report = officers_import(rows=bad_file_rows(), dry_run=False, skip_bad=True, by=personas.admin)

    assert [entry.status for entry in report.entries] == [RowStatus.CREATED] * 2 + [
        RowStatus.SKIPPED
    ] * len(BAD_ROWS)
    assert set(
        User.objects.filter(username__startswith="good-").values_list("username", flat=True)
    ) == {
        "good-1",
        "good-2",
    }
    assert not User.objects.filter(username__in=["twice", "surabaya", "level-mismatch"]).exists()
    assert report.summary == f"2 accounts created, {len(BAD_ROWS)} rows skipped."


def test_it_checks_but_writes_nothing_on_a_dry_run_with_bad_rows(personas):
    before = User.objects.count()

    report = officers_import(
        rows=parse(officer("good"), officer("desa-a")), dry_run=True, skip_bad=True, by=None
    )

    assert [entry.status for entry in report.entries] == [RowStatus.OK, RowStatus.ERROR]
    assert User.objects.count() == before


def test_it_refuses_an_import_by_someone_who_may_not_add_users(personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        officers_import(rows=parse(officer("x")), dry_run=True, skip_bad=False, by=personas.head)


# --- password-set e-mails ----------------------------------------------------------------


def test_it_emails_password_set_links_only_after_a_real_import(
    personas, client, mailoutbox, django_capture_on_commit_callbacks
):
    rows = parse(
        officer("desa-a1", email="siti@example.org"),
        officer("kec-a", DISTRICT_A, "kecamatan", email=""),
    )
    with django_capture_on_commit_callbacks(execute=True):
        officers_import(rows=rows, dry_run=True, skip_bad=False, by=personas.admin)
    with django_capture_on_commit_callbacks(execute=True):
        officers_import(
            rows=[*rows, *parse(officer("desa-a"))], dry_run=False, skip_bad=False, by=None
        )

    def import_then_fail() -> None:
        with transaction.atomic():
            officers_import(rows=rows, dry_run=False, skip_bad=False, by=None)
            raise RuntimeError("rolled back")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        import_then_fail()
    assert mailoutbox == []
    assert not User.objects.filter(username="desa-a1").exists()

    with django_capture_on_commit_callbacks(execute=True):
        report = officers_import(
            rows=rows,
            dry_run=False,
            skip_bad=False,
            by=personas.admin,
            site_url="https://paradewi.example.go.id/",
        )

    assert (
        report.entries[0].messages[-1]
        == "A link to choose a password is e-mailed to siti@example.org."
    )
    assert report.entries[1].messages[-1].startswith("No e-mail address")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["siti@example.org"]
    assert "desa-a1" in mail.body
    link = re.search(r"https://paradewi\.example\.go\.id(/password-reset/\S+/)", mail.body)
    assert link is not None
    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is True


# --- the command -------------------------------------------------------------------------


def test_it_imports_from_the_command_line(regions, tmp_path, capsys):
    path = tmp_path / "officers.xlsx"
    path.write_bytes(xlsx_bytes([officer("desa-a1"), officer("kec-a", DISTRICT_A, "kecamatan")]))

    call_command("import_officers", str(path))

    out = capsys.readouterr().out
    assert "    2  Created   desa-a1: Village officer of Desa Tawangrejo" in out
    assert "2 accounts created, 0 rows skipped." in out
    assert User.objects.count() == 2


def test_it_fails_on_the_command_line_when_a_row_is_bad(regions, tmp_path, capsys):
    path = tmp_path / "officers.csv"
    path.write_bytes(csv_bytes([officer("desa-a1"), officer("kec-a", "35.16.99")], delimiter=";"))

    with pytest.raises(CommandError, match="1 of 2 rows have errors, so nothing was imported"):
        call_command("import_officers", str(path))

    assert "3  Error     kec-a: There is no area with code 35.16.99." in capsys.readouterr().out
    assert not User.objects.exists()

    call_command("import_officers", str(path), "--dry-run", "--skip-bad")
    assert "Dry run: 2 rows, 1 valid, 1 with errors." in capsys.readouterr().out
    assert not User.objects.exists()

    call_command("import_officers", str(path), "--skip-bad")
    assert "1 accounts created, 1 rows skipped." in capsys.readouterr().out
    assert list(User.objects.values_list("username", flat=True)) == ["desa-a1"]


def test_it_refuses_an_unreadable_file_on_the_command_line(db, tmp_path):
    path = tmp_path / "officers.csv"
    path.write_bytes(random.Random(1).randbytes(3000))

    with pytest.raises(CommandError, match="neither a CSV text file"):
        call_command("import_officers", str(path))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_officers", str(tmp_path / "missing.csv"))


# --- the admin pages ---------------------------------------------------------------------


def upload(data: bytes, name: str = "officers.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_it_lets_the_administrator_dry_run_then_import_an_upload(client, personas):
    client.force_login(personas.admin)
    data = xlsx_bytes([officer("desa-a1"), officer("kec-a", DISTRICT_A, "kecamatan")])

    page = client.get(IMPORT_URL)
    assert page.status_code == 200
    assert re.search(r'<input type="checkbox" name="dry_run"[^>]* checked', page.content.decode())

    response = client.post(IMPORT_URL, {"file": upload(data, "officers.xlsx"), "dry_run": "on"})
    assert response.status_code == 200
    assert response.context["report"].summary == "Dry run: all 2 rows are valid. Nothing was saved."
    assert "Village officer of Desa Tawangrejo (35.16.01.2001)." in response.content.decode()
    assert not User.objects.filter(username="desa-a1").exists()

    response = client.post(IMPORT_URL, {"file": upload(data, "officers.xlsx")})
    assert response.status_code == 200
    report = response.context["report"]
    assert report.created == 2
    html = response.content.decode()
    assert "2 accounts created, 0 rows skipped." in html
    assert '<tr class="import-created">' in html
    assert User.objects.get(username="kec-a").role == Role.DISTRICT_OPERATOR
    assert LogEntry.objects.filter(
        user=personas.admin, object_id=str(User.objects.get(username="kec-a").pk)
    ).exists()


def test_it_shows_bad_rows_and_file_errors_on_the_admin_page(client, personas):
    client.force_login(personas.admin)

    response = client.post(
        IMPORT_URL, {"file": upload(csv_bytes([officer("desa-a1"), officer("desa-a")]))}
    )
    html = response.content.decode()
    assert "1 of 2 rows have errors, so nothing was imported." in html
    assert "Username desa-a is already taken." in html
    assert not User.objects.filter(username="desa-a1").exists()

    response = client.post(IMPORT_URL, {"file": upload(random.Random(3).randbytes(2000))})
    assert response.status_code == 200
    assert response.context["report"] is None
    assert "neither a CSV text file" in response.content.decode()


@pytest.mark.parametrize("persona", ["desa_a", "kecamatan_a", "head", "clerk", "viewer"])
@pytest.mark.parametrize("url", [IMPORT_URL, TEMPLATE_URL])
def test_it_keeps_everyone_but_the_administrator_out_of_the_import_pages(
    client, personas, persona, url
):
    client.force_login(getattr(personas, persona))

    response = client.post(url, {"file": upload(csv_bytes([officer("intruder")]))})

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not User.objects.filter(username="intruder").exists()


def test_it_refuses_the_import_page_to_staff_without_the_add_user_permission(client, personas):
    head = personas.head
    head.is_staff = True
    head.save()
    client.force_login(head)

    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(TEMPLATE_URL).status_code == 403


def test_it_links_the_import_page_from_the_user_list(client, personas):
    client.force_login(personas.admin)

    response = client.get("/admin/accounts/user/")

    assert response.status_code == 200
    assert f'href="{IMPORT_URL}"' in response.content.decode()


def test_it_offers_an_example_file_that_imports_cleanly(client, personas):
    client.force_login(personas.admin)

    response = client.get(TEMPLATE_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff" + ",".join(HEADER) + "\r\n")
    rows = read_officer_file(response.content)
    assert len(rows) == 2
    report = officers_import(rows=rows, dry_run=True, skip_bad=False, by=personas.admin)
    assert report.bad == 0
    assert [entry.messages[0] for entry in report.entries] == [
        "Village officer of Desa Tawangrejo (35.16.01.2001).",
        "Kecamatan operator of Kecamatan Jatirejo (35.16.01).",
    ]


# --- the user admin ----------------------------------------------------------------------


def test_it_adds_a_user_in_the_admin_with_the_role_and_area_rules(client, personas):
    client.force_login(personas.admin)
    district = Region.objects.get(code=DISTRICT_A)
    village = Region.objects.get(code=VILLAGE_A)
    data = {
        "username": "desa-new",
        "usable_password": "false",
        "full_name": "Siti Aminah",
        "email": "Siti@Example.org",
        "phone": "0812 3456 7890",
        "role": Role.VILLAGE_OFFICER,
        "area": district.pk,
    }

    response = client.post("/admin/accounts/user/add/", data)
    assert response.status_code == 200
    assert "A Village officer must be bound to a village" in response.content.decode()

    response = client.post("/admin/accounts/user/add/", {**data, "area": village.pk})
    assert response.status_code == 302
    user = User.objects.get(username="desa-new")
    assert (user.email, user.phone, user.is_staff) == ("siti@example.org", "+6281234567890", False)
    assert not user.has_usable_password()


def test_it_keeps_is_staff_in_step_with_the_role_when_saved_in_the_admin(client, personas):
    client.force_login(personas.admin)
    clerk = personas.clerk
    data = {
        "username": clerk.username,
        "full_name": clerk.full_name,
        "email": "",
        "phone": "",
        "role": Role.ADMIN,
        "area": clerk.area_id,
        "is_active": "on",
    }

    response = client.post(f"/admin/accounts/user/{clerk.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    clerk.refresh_from_db()
    assert clerk.role == Role.ADMIN
    assert clerk.is_staff

    client.post(f"/admin/accounts/user/{clerk.pk}/change/", {**data, "role": Role.DINAS_CLERK})
    clerk.refresh_from_db()
    assert not clerk.is_staff


def test_it_lists_and_filters_users_by_role_in_the_admin(
    client, personas, django_assert_max_num_queries
):
    client.force_login(personas.admin)

    with django_assert_max_num_queries(15):
        response = client.get("/admin/accounts/user/", {"role": Role.VILLAGE_OFFICER})

    assert response.status_code == 200
    listed = {user.username for user in response.context["cl"].result_list}
    assert listed == {"desa-a", "desa-b", "desa-c"}
