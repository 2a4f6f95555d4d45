"""Asking for the correction (pembetulan) of an issued document (docs/services.md,
"Corrections").

The action of the workflow table's CORRECT rule, on the issued request's own address: the
village, the kecamatan of its area or the Dinas names the wrong document, the cause, what is
wrong and the evidence. A clerical error of the Dinas opens the correction (a request in the
Dinas queue); a change of the resident's data opens a draft of the data-change service, to
complete at the village.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from paradewi.accounts.access import request_actor, role_required
from paradewi.core.middleware import body_limit
from paradewi.documents import services as documents_services
from paradewi.documents.forms import CorrectionForm
from paradewi.documents.verification import document_type
from paradewi.requests import workflow
from paradewi.requests.errors import NotAllowedError, StaleRequestError, WorkflowError
from paradewi.requests.models import CorrectionCause
from paradewi.requests.selectors import get_request_for_user
from paradewi.requests.workflow import Action


@body_limit(lambda: settings.UPLOAD_MAX_BYTES)
@role_required(*workflow.roles(Action.CORRECT))
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows the form (when a correction may be asked for now), POST starts it."""
    actor = request_actor(request)
    service_request = get_request_for_user(actor, pk)
    try:
        workflow.check(actor, service_request, Action.CORRECT)
    except NotAllowedError:
        raise Http404 from None
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("request_detail", pk=pk)
    outputs = {
        output.pk: output for output in documents_services.correctable_outputs(service_request)
    }
    choices = [
        (
            output.pk,
            f"{document_type(output)}"
            + (f" · {output.document_number}" if output.document_number else ""),
        )
        for output in outputs.values()
    ]
    form = CorrectionForm(request.POST or None, request.FILES or None, outputs=choices)
    if request.method == "POST" and form.is_valid():
        try:
            correction = documents_services.correction_start(
                actor=actor,
                request=service_request,
                output=outputs[form.cleaned_data["output"]],
                cause=form.cleaned_data["cause"],
                wrong=form.cleaned_data["wrong"],
                evidence=form.cleaned_data.get("evidence"),
            )
        except NotAllowedError:
            raise Http404 from None
        except StaleRequestError as error:
            messages.error(request, str(error))
            return redirect("request_detail", pk=pk)
        except ValidationError as error:
            form.add_error("evidence", error)
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            if correction.correction_cause == CorrectionCause.DATA_CHANGE:
                messages.success(
                    request,
                    _(
                        "A data-change request was started for the same person. Complete its "
                        "data and requirements, then submit it."
                    ),
                )
                return redirect("request_edit", pk=correction.pk)
            messages.success(
                request,
                _("The correction was sent to the Dinas: %(number)s.")
                % {"number": correction.number},
            )
            return redirect("request_detail", pk=correction.pk)
    return render(
        request,
        "documents/correct.html",
        {
            "req": service_request,
            "form": form,
            "has_outputs": bool(outputs),
            "may_change_data": workflow.may_create(actor, service_request.village),
        },
    )
