"""The default words of every message, in Indonesian and English (data, not translations).

Residents and officers read these outside the application, where gettext does not reach, so
both languages are written out here in full. `manage.py migrate` copies them into
MessageTemplate rows, which the administrator edits; a missing row falls back to these.
The few words the application puts into messages itself (days, durations, stages) are in
FRAGMENTS for the same reason.
"""

from __future__ import annotations

from typing import TypedDict


class DefaultText(TypedDict):
    subject: str
    body: str


_SIGNATURE_ID = "\n\n-- \nparadewi: pesan otomatis, mohon tidak dibalas."
_SIGNATURE_EN = "\n\n-- \nparadewi: an automatic message, please do not reply."

# (event, channel) -> language -> text. Channel "email" for officers, "text" (WhatsApp or
# SMS) for residents.
DEFAULTS: dict[tuple[str, str], dict[str, DefaultText]] = {
    # --- to officers, by e-mail ----------------------------------------------------------------
    ("submitted", "email"): {
        "id": {
            "subject": "Permohonan {number} menunggu verifikasi kecamatan",
            "body": "Permohonan {service} nomor {number} dari {village} telah diajukan dan "
            "menunggu verifikasi Anda.\nBatas waktu layanan: {due}.\n\n"
            "Buka permohonan: {request_url}" + _SIGNATURE_ID,
        },
        "en": {
            "subject": "Request {number} waits for the kecamatan's verification",
            "body": "Request {service} number {number} from {village} has been submitted and "
            "waits for your verification.\nService-level target: {due}.\n\n"
            "Open the request: {request_url}" + _SIGNATURE_EN,
        },
    },
    ("reassigned", "email"): {
        "id": {
            "subject": "Permohonan {number} dialihkan kepada Anda",
            "body": "Permohonan {service} nomor {number} dari {village} sekarang Anda pegang.\n"
            "Batas waktu layanan: {due}.\n\nBuka permohonan: {request_url}" + _SIGNATURE_ID,
        },
        "en": {
            "subject": "Request {number} has been assigned to you",
            "body": "You now hold request {service} number {number} from {village}.\n"
            "Service-level target: {due}.\n\nOpen the request: {request_url}" + _SIGNATURE_EN,
        },
    },
    ("returned", "email"): {
        "id": {
            "subject": "Permohonan {number} dikembalikan: perlu diperbaiki",
            "body": "Permohonan {service} nomor {number} dikembalikan ke {village} untuk "
            "diperbaiki.\nYang perlu diperbaiki atau dibawa: {reason}\n\n"
            "Perbaiki lalu ajukan kembali: {request_url}" + _SIGNATURE_ID,
        },
        "en": {
            "subject": "Request {number} was returned: something to fix",
            "body": "Request {service} number {number} was returned to {village} to be fixed.\n"
            "What to fix or bring: {reason}\n\n"
            "Fix it and submit it again: {request_url}" + _SIGNATURE_EN,
        },
    },
    ("done", "email"): {
        "id": {
            "subject": "Dokumen {number} selesai: siap dicetak",
            "body": "Dokumen {service} nomor {number} untuk {village} sudah selesai. Cetak "
            "dokumennya di kertas HVS A4 dan serahkan kepada warga, lalu catat "
            "penyerahannya.{cards}\n\nBuka permohonan: {request_url}" + _SIGNATURE_ID,
        },
        "en": {
            "subject": "Document {number} is done: ready to print",
            "body": "The document {service} number {number} for {village} is done. Print it on "
            "plain A4 paper, hand it to the resident and record the hand-over.{cards}\n\n"
            "Open the request: {request_url}" + _SIGNATURE_EN,
        },
    },
    ("ready_for_pickup", "email"): {
        "id": {
            "subject": "Kartu {number} siap diambil",
            "body": "Kartu untuk permohonan {service} nomor {number} dari {village} siap "
            "diambil di {pickup_place}.\n\nBuka permohonan: {request_url}" + _SIGNATURE_ID,
        },
        "en": {
            "subject": "The card of request {number} is ready for pick-up",
            "body": "The card of request {service} number {number} from {village} can be "
            "picked up at {pickup_place}.\n\nOpen the request: {request_url}" + _SIGNATURE_EN,
        },
    },
    ("rejected", "email"): {
        "id": {
            "subject": "Permohonan {number} ditolak",
            "body": "Permohonan {service} nomor {number} dari {village} ditolak.\n"
            "Alasan: {reason}\n\nBuka permohonan: {request_url}" + _SIGNATURE_ID,
        },
        "en": {
            "subject": "Request {number} was rejected",
            "body": "Request {service} number {number} from {village} was rejected.\n"
            "Reason: {reason}\n\nOpen the request: {request_url}" + _SIGNATURE_EN,
        },
    },
    ("approaching", "email"): {
        "id": {
            "subject": "Permohonan {number} mendekati batas waktu",
            "body": "Permohonan {service} nomor {number} dari {village} harus selesai sebelum "
            "{due} (sisa {left}).\n\nBuka permohonan: {request_url}" + _SIGNATURE_ID,
        },
        "en": {
            "subject": "Request {number} is approaching its target time",
            "body": "Request {service} number {number} from {village} is due by {due} "
            "({left} left).\n\nOpen the request: {request_url}" + _SIGNATURE_EN,
        },
    },
    ("overdue_digest", "email"): {
        "id": {
            "subject": "{count} permohonan melewati batas waktu di {area}",
            "body": "Per {date}, {count} permohonan di {area} telah melewati batas waktu "
            "layanan:\n\n{list}\n\nDaftar lengkap: {list_url}" + _SIGNATURE_ID,
        },
        "en": {
            "subject": "{count} requests overdue in {area}",
            "body": "As of {date}, {count} requests in {area} are past their service-level "
            "target:\n\n{list}\n\nThe full list: {list_url}" + _SIGNATURE_EN,
        },
    },
    # --- to residents, by WhatsApp or SMS ------------------------------------------------------
    ("resident_returned", "text"): {
        "id": {
            "subject": "",
            "body": "Yth. {first_name}, permohonan {service} no. {number} perlu dilengkapi: "
            "{reason}. Silakan ke kantor {office} membawa yang diminta. "
            "Status: {tracking_url}\nBerhenti terima pesan: {optout_url}",
        },
        "en": {
            "subject": "",
            "body": "Dear {first_name}, request {service} no. {number} needs more: {reason}. "
            "Please bring what is asked to the {office} office. "
            "Status: {tracking_url}\nStop these messages: {optout_url}",
        },
    },
    ("resident_done", "text"): {
        "id": {
            "subject": "",
            "body": "Yth. {first_name}, dokumen {service} no. {number} sudah selesai. "
            "Silakan ambil di kantor {office}, {when}.{cards} Status: {tracking_url}\n"
            "Berhenti terima pesan: {optout_url}",
        },
        "en": {
            "subject": "",
            "body": "Dear {first_name}, your document {service} no. {number} is ready. "
            "Collect it at the {office} office, {when}.{cards} Status: {tracking_url}\n"
            "Stop these messages: {optout_url}",
        },
    },
    ("resident_ready", "text"): {
        "id": {
            "subject": "",
            "body": "Yth. {first_name}, {service} no. {number} sudah jadi dan siap diambil di "
            "{pickup_place}, {when}. Bawa bukti pengajuan. Status: {tracking_url}\n"
            "Berhenti terima pesan: {optout_url}",
        },
        "en": {
            "subject": "",
            "body": "Dear {first_name}, {service} no. {number} is ready for pick-up at "
            "{pickup_place}, {when}. Bring your receipt. Status: {tracking_url}\n"
            "Stop these messages: {optout_url}",
        },
    },
    ("resident_rejected", "text"): {
        "id": {
            "subject": "",
            "body": "Yth. {first_name}, permohonan {service} no. {number} tidak dapat diproses. "
            "Alasan: {reason}. Info: kantor {office}. Status: {tracking_url}\n"
            "Berhenti terima pesan: {optout_url}",
        },
        "en": {
            "subject": "",
            "body": "Dear {first_name}, request {service} no. {number} cannot be processed. "
            "Reason: {reason}. Ask the {office} office. Status: {tracking_url}\n"
            "Stop these messages: {optout_url}",
        },
    },
    ("resident_survey", "text"): {
        "id": {
            "subject": "",
            "body": "Yth. {first_name}, terima kasih telah mengurus {service} (no. {number}). "
            "Mohon nilai pelayanan kami, 1 menit tanpa nama: {survey_url}\n"
            "Berhenti terima pesan: {optout_url}",
        },
        "en": {
            "subject": "",
            "body": "Dear {first_name}, thank you for using {service} (no. {number}). "
            "Please rate our service, 1 minute, no name asked: {survey_url}\n"
            "Stop these messages: {optout_url}",
        },
    },
    # --- complaints (docs/complaints.md) -------------------------------------------------------
    ("complaint_filed", "email"): {
        "id": {
            "subject": "Pengaduan baru {complaint}: {category}",
            "body": "Pengaduan {complaint} ({category}, {area}) telah diterima.\n"
            "Batas waktu jawaban: {due}.\n\nBuka pengaduan: {complaint_url}" + _SIGNATURE_ID,
        },
        "en": {
            "subject": "New complaint {complaint}: {category}",
            "body": "Complaint {complaint} ({category}, {area}) has been received.\n"
            "An answer is due by {due}.\n\nOpen the complaint: {complaint_url}" + _SIGNATURE_EN,
        },
    },
    ("complaint_assigned", "email"): {
        "id": {
            "subject": "Pengaduan {complaint} diserahkan kepada Anda",
            "body": "Mohon jawab pengaduan {complaint} ({category}, {area}).\n"
            "Batas waktu jawaban: {due}.\n\nBuka pengaduan: {complaint_url}" + _SIGNATURE_ID,
        },
        "en": {
            "subject": "Complaint {complaint} has been given to you",
            "body": "Please answer complaint {complaint} ({category}, {area}).\n"
            "An answer is due by {due}.\n\nOpen the complaint: {complaint_url}" + _SIGNATURE_EN,
        },
    },
    ("resident_complaint", "text"): {
        "id": {
            "subject": "",
            "body": "Pengaduan {complaint} telah dijawab: {answer}\nLihat dan nilai jawaban: "
            "{follow_url}",
        },
        "en": {
            "subject": "",
            "body": "Complaint {complaint} has been answered: {answer}\nSee and rate the "
            "answer: {follow_url}",
        },
    },
    ("resident_complaint_mail", "email"): {
        "id": {
            "subject": "Jawaban atas pengaduan {complaint}",
            "body": "Pengaduan Anda {complaint} telah dijawab:\n\n{answer}\n\n"
            "Lihat, balas atau nilai jawaban: {follow_url}" + _SIGNATURE_ID,
        },
        "en": {
            "subject": "The answer to complaint {complaint}",
            "body": "Your complaint {complaint} has been answered:\n\n{answer}\n\n"
            "See, reply to or rate the answer: {follow_url}" + _SIGNATURE_EN,
        },
    },
}


class Fragments(TypedDict):
    days: list[str]
    day_range: str
    hours: str
    time_format: str
    datetime_format: str
    date_format: str
    nobody: str
    working_days: tuple[str, str]
    hours_short: str
    minutes_short: str
    overdue: str
    more: str
    data: str
    cards: str
    stages: dict[str, str]


FRAGMENTS: dict[str, Fragments] = {
    "id": {
        "days": ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
        "day_range": "{first}-{last}",
        "hours": "{days} pukul {opens}-{closes}",
        "time_format": "%H.%M",
        "datetime_format": "%d-%m-%Y pukul %H.%M",
        "date_format": "%d-%m-%Y",
        "nobody": "Bapak/Ibu",
        "working_days": ("{n} hari kerja", "{n} hari kerja"),
        "hours_short": "{n} jam",
        "minutes_short": "{n} menit",
        "overdue": "terlambat {duration}",
        "more": "... dan {n} permohonan lainnya",
        "data": "Data permohonan",
        "cards": " Kartu {names} tidak dicetak: diambil di {place}.",
        "stages": {
            "submitted": "di kecamatan",
            "verified": "antre di Dinas",
            "in_process": "diproses di Dinas",
        },
    },
    "en": {
        "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        "day_range": "{first} to {last}",
        "hours": "{days}, {opens}-{closes}",
        "time_format": "%H:%M",
        "datetime_format": "%d %b %Y %H:%M",
        "date_format": "%d %b %Y",
        "nobody": "resident",
        "working_days": ("{n} working day", "{n} working days"),
        "hours_short": "{n} h",
        "minutes_short": "{n} min",
        "overdue": "{duration} overdue",
        "more": "... and {n} more requests",
        "data": "The data of the request",
        "cards": " The card ({names}) is not printed: it is picked up at {place}.",
        "stages": {
            "submitted": "at the kecamatan",
            "verified": "in the Dinas queue",
            "in_process": "in process at the Dinas",
        },
    },
}
