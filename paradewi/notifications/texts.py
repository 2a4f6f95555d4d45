"""The words of messages: templates with `{placeholders}`, SMS length, and the pieces the
application fills in (dates, durations, office hours) in the message's language.

Templates are plain text with `{name}` placeholders, nothing else: no attribute access, no
code, so an administrator's edit can never reach data it was not given. Each event allows a
fixed set of placeholders, none of which is a NIK, a full name or a phone number.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from paradewi.core.masking import mask_long_numbers, mask_name
from paradewi.notifications.defaults import DEFAULTS, FRAGMENTS, Fragments
from paradewi.notifications.models import Event, MessageTemplate, TemplateChannel
from paradewi.worktime.services import STANDARD_DAY_MINUTES

_OFFICER = frozenset({"number", "service", "village", "request_url"})
_RESIDENT = frozenset(
    {"first_name", "number", "service", "village", "office", "tracking_url", "optout_url"}
)

# The placeholders each event's template may use.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    Event.SUBMITTED: _OFFICER | {"due"},
    Event.REASSIGNED: _OFFICER | {"due"},
    Event.RETURNED: _OFFICER | {"reason"},
    Event.DONE: _OFFICER | {"cards"},
    Event.READY_FOR_PICKUP: _OFFICER | {"pickup_place"},
    Event.REJECTED: _OFFICER | {"reason"},
    Event.APPROACHING: _OFFICER | {"due", "left"},
    Event.OVERDUE_DIGEST: frozenset({"count", "area", "list", "list_url", "date"}),
    Event.RESIDENT_RETURNED: _RESIDENT | {"reason"},
    Event.RESIDENT_DONE: _RESIDENT | {"when", "cards"},
    Event.RESIDENT_READY: _RESIDENT | {"pickup_place", "when"},
    Event.RESIDENT_REJECTED: _RESIDENT | {"reason"},
    Event.RESIDENT_SURVEY: _RESIDENT | {"survey_url"},
    # Complaints: the complaint's number, its category, the follow link; the answer is the
    # officer's text, scrubbed of long numbers like a reason.
    Event.COMPLAINT_FILED: frozenset({"complaint", "category", "area", "due", "complaint_url"}),
    Event.COMPLAINT_ASSIGNED: frozenset({"complaint", "category", "area", "due", "complaint_url"}),
    Event.RESIDENT_COMPLAINT_ANSWERED: frozenset({"complaint", "answer", "follow_url"}),
    Event.RESIDENT_COMPLAINT_EMAIL: frozenset({"complaint", "answer", "follow_url"}),
}
# Text typed by officers, shortened (never the links) when an SMS would be too long.
SHORTENABLE = ("reason", "answer", "service")

_PLACEHOLDER_RE = re.compile(r"\{([a-z_]+)\}")
WHATSAPP_MAX = 4000


def fragments(language: str) -> Fragments:
    return FRAGMENTS.get(language, FRAGMENTS["id"])


# --- templates ----------------------------------------------------------------------------------


def placeholders_in(text: str) -> set[str]:
    return set(_PLACEHOLDER_RE.findall(text))


def render(text: str, values: dict[str, str]) -> str:
    """Fill `{name}` placeholders; a name without a value stays as it is."""
    return _PLACEHOLDER_RE.sub(lambda match: values.get(match[1], match[0]), text)


def template_for(event: str, channel: str, language: str) -> tuple[str, str]:
    """(subject, body) of the administrator's template, or the built-in default."""
    row = (
        MessageTemplate.objects.filter(event=event, channel=channel, language=language)
        .values_list("subject", "body")
        .first()
    )
    if row is not None:
        return row
    default = DEFAULTS[(event, channel)].get(language) or DEFAULTS[(event, channel)]["id"]
    return default["subject"], default["body"]


def template_channel(event: str) -> str:
    return TemplateChannel.EMAIL if (event, TemplateChannel.EMAIL) in DEFAULTS else "text"


# --- SMS ----------------------------------------------------------------------------------------

_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = frozenset("^{}\\[~]|€\f")
# Typographic characters that would force the whole SMS into UCS-2 (70 characters a part).
_PLAIN = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u2022": "-",
        "\t": " ",
    }
)


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # "GSM-7" or "UCS-2"
    characters: int  # in the encoding's units
    parts: int

    @property
    def limit(self) -> int:
        """Characters that fit in this many parts."""
        single, multi = (160, 153) if self.encoding == "GSM-7" else (70, 67)
        return single if self.parts <= 1 else multi * self.parts


def sms_plain(text: str) -> str:
    return text.translate(_PLAIN)


def sms_length(text: str) -> SmsLength:
    """How an SMS gateway counts `text`: GSM-7 (160, or 153 a part) unless a character needs
    UCS-2 (70, or 67 a part); GSM-7's extended characters count twice."""
    if all(char in _GSM_BASIC or char in _GSM_EXTENDED for char in text):
        units = len(text) + sum(1 for char in text if char in _GSM_EXTENDED)
        parts = 1 if units <= 160 else math.ceil(units / 153)
        return SmsLength("GSM-7", units, parts)
    units = len(text.encode("utf-16-le")) // 2
    parts = 1 if units <= 70 else math.ceil(units / 67)
    return SmsLength("UCS-2", units, parts)


def _shorten(value: str, keep: int) -> str:
    if keep <= 0:
        return ""
    return value if len(value) <= keep else value[: max(keep - 3, 0)].rstrip() + "..."


def fit_sms(body: str, values: dict[str, str], max_parts: int) -> str:
    """The SMS in at most `max_parts` parts, shortening officers' text (SHORTENABLE) if needed.

    Links and the number are never shortened; a template too long without any of the
    shortenable text is sent as it is (the administrator's preview warns about it).
    """
    plain = {key: sms_plain(value) for key, value in values.items()}
    text = sms_plain(render(body, plain))
    if sms_length(text).parts <= max_parts:
        return text
    for key in SHORTENABLE:
        if key not in placeholders_in(body) or not plain.get(key):
            continue
        full = plain[key]
        low, high = 0, len(full)  # the longest prefix that fits
        while low < high:
            middle = (low + high + 1) // 2
            trial = sms_plain(render(body, {**plain, key: _shorten(full, middle)}))
            if sms_length(trial).parts <= max_parts:
                low = middle
            else:
                high = middle - 1
        plain[key] = _shorten(full, low)
        text = sms_plain(render(body, plain))
        if sms_length(text).parts <= max_parts:
            return text
    return text


def compose(event: str, language: str, values: dict[str, str], *, delivery: str) -> tuple[str, str]:
    """(subject, body) of one message for a delivery channel (email, whatsapp or sms)."""
    subject, body = template_for(event, template_channel(event), language)
    if delivery == "sms":
        return "", fit_sms(body, values, settings.NOTIFICATIONS_SMS_MAX_PARTS)
    text = render(body, values)
    if delivery == "whatsapp":
        return "", text[:WHATSAPP_MAX]
    # One line whatever the values hold (a CR or LF would break the e-mail header).
    return " ".join(render(subject, values).split())[:200], text


# --- what the application fills in --------------------------------------------------------------


def duration(minutes: int, language: str) -> str:
    """Working minutes in words: "1 hari kerja 2 jam", "3 h 20 min"."""
    words = fragments(language)
    per_day = STANDARD_DAY_MINUTES  # a working day: 7.5 hours (worktime.target_minutes)
    days, rest = divmod(max(minutes, 0), per_day)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        one, many = words["working_days"]
        parts.append((one if days == 1 else many).format(n=days))
    if hours:
        parts.append(words["hours_short"].format(n=hours))
    if mins and not days:
        parts.append(words["minutes_short"].format(n=mins))
    return " ".join(parts) or words["minutes_short"].format(n=0)


def moment(when: datetime | None, language: str) -> str:
    if when is None:
        return "-"
    return timezone.localtime(when).strftime(fragments(language)["datetime_format"])


def day(when: datetime, language: str) -> str:
    return timezone.localtime(when).strftime(fragments(language)["date_format"])


def office_hours(language: str) -> str:
    """ "Senin-Jumat pukul 08.00-16.00" from OFFICE_DAYS and OFFICE_HOURS."""
    words = fragments(language)
    days = sorted(set(settings.OFFICE_DAYS))
    names = [words["days"][number - 1] for number in days]
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        day_text = words["day_range"].format(first=names[0], last=names[-1])
    else:
        day_text = ", ".join(names)
    opens, closes = settings.OFFICE_HOURS
    fmt = words["time_format"]
    return words["hours"].format(
        days=day_text, opens=opens.strftime(fmt), closes=closes.strftime(fmt)
    )


def first_name(name: str, language: str) -> str:
    """The salutation of a resident message: the first word of the name, masked as every public
    surface masks a name ("SLAMET RIYADI" -> "S*****", "SUTRISNO" -> "S*******").

    A message goes to a phone number typed at the village office, which may be mistyped or
    passed on; like the tracking page and the receipt it must not give a stranger the name
    (UU 27/2022 Pasal 16 ayat (2): processing limited to its purpose; core/masking.py). A
    one-word name, common among Javanese villagers, is the whole name, so it is masked too.
    """
    words = name.split()
    return mask_name(words[0]) if words else fragments(language)["nobody"]


def scrub(text: str) -> str:
    """Officers' free text on one line, without long numbers (a NIK or KK typed into a
    reason)."""
    return mask_long_numbers(" ".join(text.split()))


# --- validation and preview ---------------------------------------------------------------------


def sample_values(event: str, language: str) -> dict[str, str]:
    """Realistic values of the longest usual length, for the preview and the length check."""
    site = settings.SITE_URL
    values = {
        "number": "3516012001-2611-0007",
        "service": "Kartu Keluarga (KK) perubahan data",
        "village": "Desa Tawangrejo",
        "office": "Desa Tawangrejo",
        "first_name": "S*****",
        "request_url": f"{site}/requests/123456/",
        "tracking_url": f"{site}/t/3516012001-2611-0007:{'x' * 27}/",
        "optout_url": f"{site}/notifications/stop/{'0' * 32}/",
        "survey_url": f"{site}/survey/3516012001-2611-0007:{'x' * 27}/",
        "reason": "Kartu Keluarga lama: scan buram, mohon foto ulang",
        "pickup_place": "Kantor Kecamatan Jatirejo",
        "when": office_hours(language),
        "due": moment(timezone.now(), language),
        "left": duration(90, language),
        "count": "3",
        "area": "Kecamatan Jatirejo",
        "date": day(timezone.now(), language),
        "list": "3516012001-2611-0007 · Kartu Keluarga (KK) perubahan data · Desa Tawangrejo",
        "list_url": f"{site}/requests/",
        "complaint": "ADU-2612-0007",
        "category": "Terlalu lama",
        "complaint_url": f"{site}/complaints/123/",
        "follow_url": f"{site}/complaints/c/ADU-2612-0007:{'x' * 27}/",
        "answer": "Mohon maaf atas keterlambatan. KK Anda sudah selesai dan dapat diambil "
        "di kantor desa mulai besok.",
    }
    return {key: value for key, value in values.items() if key in PLACEHOLDERS[event]}


@dataclass(frozen=True)
class Preview:
    subject: str
    body: str
    sms: SmsLength | None


def preview(event: str, channel: str, language: str, subject: str, body: str) -> Preview:
    values = sample_values(event, language)
    if channel == TemplateChannel.TEXT:
        text = sms_plain(render(body, values))
        return Preview("", render(body, values), sms_length(text))
    return Preview(render(subject, values), render(body, values), None)


def validate_template(event: str, channel: str, language: str, subject: str, body: str) -> None:
    """Unknown placeholders, a missing subject, or an SMS too long without any reason."""
    errors: dict[str, list[str]] = {}
    if event not in PLACEHOLDERS:
        raise ValidationError(
            {"event": _("This event is only shown in the app: it has no message to write.")}
        )
    if template_channel(event) != channel:
        raise ValidationError(
            {
                "channel": _("This message goes out by %(channel)s only.")
                % {"channel": TemplateChannel(template_channel(event)).label}
            }
        )
    allowed = PLACEHOLDERS[event]
    for field, text in (("subject", subject), ("body", body)):
        unknown = placeholders_in(text) - allowed
        if unknown:
            errors.setdefault(field, []).append(
                _("Unknown placeholders: %(unknown)s. This message may use: %(allowed)s.")
                % {
                    "unknown": ", ".join(f"{{{name}}}" for name in sorted(unknown)),
                    "allowed": ", ".join(f"{{{name}}}" for name in sorted(allowed)),
                }
            )
    if channel == TemplateChannel.EMAIL and not subject.strip():
        errors.setdefault("subject", []).append(_("An e-mail needs a subject."))
    if channel == TemplateChannel.TEXT and subject.strip():
        errors.setdefault("subject", []).append(_("WhatsApp and SMS messages have no subject."))
    if channel == TemplateChannel.TEXT and not errors:
        values = {**sample_values(event, language), **dict.fromkeys(SHORTENABLE, "")}
        length = sms_length(sms_plain(render(body, values)))
        if length.parts > settings.NOTIFICATIONS_SMS_MAX_PARTS:
            errors.setdefault("body", []).append(
                _(
                    "Too long for an SMS of %(max)d parts even without the reason: "
                    "%(count)d characters (%(encoding)s) make %(parts)d parts."
                )
                % {
                    "max": settings.NOTIFICATIONS_SMS_MAX_PARTS,
                    "count": length.characters,
                    "encoding": length.encoding,
                    "parts": length.parts,
                }
            )
    if errors:
        raise ValidationError(errors)
