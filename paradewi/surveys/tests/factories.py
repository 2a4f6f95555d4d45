"""Building handed-over requests and survey answers for tests."""

from __future__ import annotations

from typing import Any

from paradewi.documents import services as documents_services
from paradewi.requests import services
from paradewi.requests.models import ServiceRequest, Status
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.factories import make_submitted, pdf_file
from paradewi.surveys.models import Channel, SurveyResponse
from paradewi.surveys.questionnaire import ELEMENT_FIELDS
from paradewi.surveys.services import response_submit


def handed_over(p: Any, officer: str = "desa_a", **kwargs: Any) -> ServiceRequest:
    """A request (a KK change unless `service_code` says otherwise) of the officer's village,
    verified by its kecamatan, completed by the Dinas and handed over by the village."""
    village_officer = getattr(p, officer)
    request = make_submitted(village_officer, **kwargs)
    operator = p.kecamatan_a if request.district.code == "35.16.01" else p.kecamatan_c
    if request.status == Status.SUBMITTED:  # not for services that skip the kecamatan
        request = services.request_verify(actor=operator, request=request)
    request = services.request_claim(actor=p.clerk, request=request)
    request = documents_services.request_complete(
        actor=p.clerk, request=request, outputs=[OutputUpload("kk", pdf_file("kk.pdf"))]
    )
    return services.request_hand_over(actor=village_officer, request=request)


def answers(*scores: int) -> dict[str, int]:
    """u1..u9; one score for all nine, or nine scores."""
    if len(scores) == 1:
        scores = scores * 9
    return dict(zip(ELEMENT_FIELDS, scores, strict=True))


PROFILE = {"sex": "P", "age_band": "30", "education": "sma", "occupation": "wirausaha"}


def answer(
    request: ServiceRequest,
    *scores: int,
    channel: Channel = Channel.LINK,
    comment: str = "",
    **profile: str,
) -> SurveyResponse:
    return response_submit(
        service_request=request,
        answers=answers(*scores),
        profile={**PROFILE, **profile},
        channel=channel,
        comment=comment,
    )


def form_data(*scores: int, **profile: str) -> dict[str, Any]:
    return {**answers(*scores), **PROFILE, **profile}
