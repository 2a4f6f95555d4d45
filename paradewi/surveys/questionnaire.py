"""The IKM questionnaire of PermenPAN-RB 14/2017: nine elements, four answers each, and the
respondent profile.

The element names, questions and answer scales are the regulation's own Indonesian wording, kept
here as data: they are the msgids, so the survey stays the official instrument whatever the
interface language, and an English catalog translates them for English readers (the English
meaning is in each "Translators:" comment). Order and codes U1..U9 follow the design brief
(U8 sarana dan prasarana, U9 penanganan pengaduan); the regulation's body lists those two the
other way round, which changes nothing in the index, since every element weighs exactly 1/9.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


@dataclass(frozen=True)
class Element:
    """One element (unsur) of the survey: its code, name, question and the four answers,
    worst (1) to best (4)."""

    code: str
    name: _StrPromise
    question: _StrPromise
    answers: tuple[_StrPromise, _StrPromise, _StrPromise, _StrPromise]

    @property
    def field(self) -> str:
        """The column of SurveyResponse that holds the answer (u1..u9)."""
        return self.code.lower()


ELEMENTS: tuple[Element, ...] = (
    Element(
        "U1",
        # Translators: IKM element (official wording, PermenPAN-RB 14/2017). English: Requirements
        _("Persyaratan"),
        # Translators: English: What do you think of how well the requirements fit the service?
        _(
            "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
            "pelayanannya?"
        ),
        # Translators: IKM answers. English: Not appropriate / Less appropriate / Appropriate /
        # Very appropriate
        (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
    ),
    Element(
        "U2",
        # Translators: IKM element. English: Systems, mechanisms and procedures
        _("Sistem, Mekanisme, dan Prosedur"),
        # Translators: English: How easy do you find the service procedure of this unit?
        _("Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"),
        # Translators: English: Not easy / Less easy / Easy / Very easy
        (_("Tidak mudah"), _("Kurang mudah"), _("Mudah"), _("Sangat mudah")),
    ),
    Element(
        "U3",
        # Translators: IKM element. English: Completion time
        _("Waktu Penyelesaian"),
        # Translators: English: What do you think of the speed of the service?
        _("Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"),
        # Translators: English: Not fast / Less fast / Fast / Very fast
        (_("Tidak cepat"), _("Kurang cepat"), _("Cepat"), _("Sangat cepat")),
    ),
    Element(
        "U4",
        # Translators: IKM element. English: Cost/fee
        _("Biaya/Tarif"),
        # Translators: English: What do you think of the fairness of the cost/fee of the service?
        _("Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?"),
        # Translators: English: Very expensive / Rather expensive / Cheap / Free
        (_("Sangat mahal"), _("Cukup mahal"), _("Murah"), _("Gratis")),
    ),
    Element(
        "U5",
        # Translators: IKM element. English: Product specification of the service
        _("Produk Spesifikasi Jenis Pelayanan"),
        # Translators: English: What do you think of how well the result matches what the
        # service standard promises?
        _(
            "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang "
            "tercantum dalam standar pelayanan dengan hasil yang diberikan?"
        ),
        (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
    ),
    Element(
        "U6",
        # Translators: IKM element. English: Competence of the staff
        _("Kompetensi Pelaksana"),
        # Translators: English: What do you think of the competence/ability of the staff?
        _("Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?"),
        # Translators: English: Not competent / Less competent / Competent / Very competent
        (_("Tidak kompeten"), _("Kurang kompeten"), _("Kompeten"), _("Sangat kompeten")),
    ),
    Element(
        "U7",
        # Translators: IKM element. English: Behaviour of the staff
        _("Perilaku Pelaksana"),
        # Translators: English: What do you think of the staff's politeness and friendliness?
        _(
            "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
            "kesopanan dan keramahan?"
        ),
        # Translators: English: Not polite and friendly / Less polite and friendly / Polite and
        # friendly / Very polite and friendly
        (
            _("Tidak sopan dan ramah"),
            _("Kurang sopan dan ramah"),
            _("Sopan dan ramah"),
            _("Sangat sopan dan ramah"),
        ),
    ),
    Element(
        "U8",
        # Translators: IKM element. English: Facilities and infrastructure
        _("Sarana dan prasarana"),
        # Translators: English: What do you think of the quality of the facilities?
        _("Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?"),
        # Translators: English: Poor / Fair / Good / Very good
        (_("Buruk"), _("Cukup"), _("Baik"), _("Sangat Baik")),
    ),
    Element(
        "U9",
        # Translators: IKM element. English: Handling of complaints, suggestions and feedback
        _("Penanganan Pengaduan, Saran dan Masukan"),
        # Translators: English: What do you think of how complaints of service users are handled?
        _("Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"),
        # Translators: English: None / Exists but does not work / Works but not fully /
        # Well managed
        (
            _("Tidak ada"),
            _("Ada tetapi tidak berfungsi"),
            _("Berfungsi kurang maksimal"),
            _("Dikelola dengan baik"),
        ),
    ),
)

ELEMENT_FIELDS: tuple[str, ...] = tuple(element.field for element in ELEMENTS)


# --- the respondent profile (asked, as the regulation's sample questionnaire does) ------------


class Sex(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class AgeBand(models.TextChoices):
    """Age in bands, never in years: a band is enough for the profile and says less about
    who answered."""

    UNDER_20 = "u20", _("Under 20")
    FROM_20 = "20", _("20 to 29")
    FROM_30 = "30", _("30 to 39")
    FROM_40 = "40", _("40 to 49")
    FROM_50 = "50", _("50 to 59")
    FROM_60 = "60", _("60 or older")


class Education(models.TextChoices):
    PRIMARY = "sd", _("Primary school or less (SD)")
    JUNIOR = "smp", _("Junior high school (SMP)")
    SENIOR = "sma", _("Senior high school (SMA/SMK)")
    DIPLOMA = "d3", _("Diploma (D1-D3)")
    BACHELOR = "s1", _("Bachelor (S1/D4)")
    MASTER = "s2", _("Master (S2)")
    DOCTOR = "s3", _("Doctorate (S3)")


class Occupation(models.TextChoices):
    CIVIL_SERVANT = "pns", _("Civil servant (PNS)")
    MILITARY = "tni", _("Armed forces (TNI)")
    POLICE = "polri", _("Police (POLRI)")
    PRIVATE = "swasta", _("Private employee")
    ENTREPRENEUR = "wirausaha", _("Self-employed")
    OTHER = "lainnya", _("Other")


# The profile questions: (response field, label, choices), in the order asked.
PROFILE: tuple[tuple[str, _StrPromise, type[models.TextChoices]], ...] = (
    ("sex", _("Sex"), Sex),
    ("age_band", _("Age"), AgeBand),
    ("education", _("Education"), Education),
    ("occupation", _("Occupation"), Occupation),
)


def profile_column(field: str, value: str) -> str:
    """The name under which counts of respondents giving `value` for `field` are kept
    (the columns of reports.MonthlySatisfaction): "sex_p", "age_band_u20", ..."""
    return f"{field}_{value.lower()}"
