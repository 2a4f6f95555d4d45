from __future__ import annotations

import uuid

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from paradewi.catalogue.models import Service
from paradewi.regions.models import Region
from paradewi.surveys.questionnaire import ELEMENT_FIELDS, AgeBand, Education, Occupation, Sex

# The longest comment kept: a few sentences, enough for a suggestion.
COMMENT_MAX_LENGTH = 1000


class Channel(models.TextChoices):
    KIOSK = "kiosk", _("At the office, on the officer's device")
    LINK = "link", _("On the resident's own device")


def _answer(number: int) -> models.PositiveSmallIntegerField[int, int]:
    return models.PositiveSmallIntegerField(
        f"U{number}", validators=[MinValueValidator(1), MaxValueValidator(4)]
    )


class SurveyResponse(models.Model):
    """One resident's answers to the IKM survey, anonymous by design.

    Nothing here names the resident or points at their request: no name, NIK or phone, no
    request, no officer, and only the month of the hand-over (no day, no time), so a response
    cannot be matched to a hand-over by its moment; the key is random, so it does not count
    the answers either. What is kept (service, village, month, channel) is what the reports
    group by. One response per request is enforced by SurveyTicket, which is not linked to
    this table either. The optional comment is the resident's own words: it is asked without
    names or numbers, and long numbers are removed before it is stored.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The month the document was handed over (the service the answers are about), so the
    # responses and the people served (N of the sample check) are one cohort.
    month = models.DateField(
        _("month"), help_text=_("The first day of the month the document was handed over.")
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    # Denormalised from the village, as on requests: the kecamatan figures are one filter.
    district = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("answered"), max_length=5, choices=Channel.choices)
    u1 = _answer(1)
    u2 = _answer(2)
    u3 = _answer(3)
    u4 = _answer(4)
    u5 = _answer(5)
    u6 = _answer(6)
    u7 = _answer(7)
    u8 = _answer(8)
    u9 = _answer(9)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    age_band = models.CharField(_("age"), max_length=3, choices=AgeBand.choices)
    education = models.CharField(_("education"), max_length=3, choices=Education.choices)
    occupation = models.CharField(_("occupation"), max_length=10, choices=Occupation.choices)
    # Optional free text (saran dan masukan). Long numbers (phone, NIK, registration number)
    # are removed before it is stored (`services.comment_clean`); a name cannot be told from
    # other words, so who may read comments is limited (see reports.scope).
    comment = models.TextField(
        _("comment"),
        blank=True,
        max_length=COMMENT_MAX_LENGTH,
        validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)],
    )

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        indexes = [
            models.Index(fields=["month", "district"], name="survey_month_district"),
            models.Index(fields=["month", "village"], name="survey_month_village"),
            # The newest comments of an area, without reading the answers that have none.
            models.Index(
                fields=["month", "district", "village"],
                condition=~Q(comment=""),
                name="survey_comment_month",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 4}),
                name=f"survey_{field}_1_to_4",
            )
            for field in ELEMENT_FIELDS
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.pk}"


class SurveyTicket(models.Model):
    """A request's survey has been answered: a keyed hash of the request, nothing else.

    It exists only to refuse a second response for the same request. The hash needs the
    server's secret key to be recomputed, and the row holds no time and no link to the
    response, so neither table tells whose answers are whose.
    """

    ticket = models.CharField(max_length=64, primary_key=True)

    class Meta:
        verbose_name = _("survey ticket")
        verbose_name_plural = _("survey tickets")

    def __str__(self) -> str:
        return self.ticket[:8]
