"""Completing a request: the Dinas uploads the issued documents (docs/documents.md).

The view of the workflow's last Dinas step lives here, beside the documents it stores: the
service it calls (`documents.services.request_complete`) runs the transition of `requests` and
stores the PDFs in one transaction. It behaves like the other action views (requests/views/
actions.py): a refusal shows the form again with the message, a stale request goes back to
its detail page, an action the user may not take at all is a 404.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from paradewi.accounts.access import request_actor, role_required
from paradewi.accounts.kept_form import kept_form_data
from paradewi.core.middleware import body_limit
from paradewi.documents import services as documents_services
from paradewi.documents.forms import CompleteForm
from paradewi.requests import workflow
from paradewi.requests.errors import NotAllowedError, StaleRequestError, WorkflowError
from paradewi.requests.selectors import get_request_for_user
from paradewi.requests.services import OutputUpload
from paradewi.requests.workflow import Action

# The PDFs one completion may carry together (the catalogue's services issue one or two): the
# body is refused unread above this many files of OUTPUT_MAX_BYTES (core.middleware).
FILES_AT_MOST = 5


@body_limit(lambda: settings.OUTPUT_MAX_BYTES * FILES_AT_MOST)
@role_required(*workflow.roles(Action.COMPLETE))
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows the upload form (when the request can be completed now), POST completes."""
    actor = request_actor(request)
    service_request = get_request_for_user(actor, pk)
    if request.method == "POST":
        form = CompleteForm(request.POST, request.FILES, service_request=service_request)
        if form.is_valid():
            try:
                documents_services.request_complete(
                    actor=actor,
                    request=service_request,
                    outputs=[
                        OutputUpload(code, file, form.document_number(code))
                        for code, file in form.outputs()
                    ],
                    pickup_place=form.pickup_place,
                )
            except NotAllowedError:
                raise Http404 from None
            except StaleRequestError as error:
                messages.error(request, str(error))
                return redirect("request_detail", pk=service_request.pk)
            except WorkflowError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The request was completed."))
                for warning in form.signature_warnings():
                    messages.warning(
                        request,
                        _("Check the electronic signature of what was issued: %(warning)s")
                        % {"warning": warning},
                    )
                return redirect("request_detail", pk=service_request.pk)
    else:
        if not workflow.may(actor, service_request, Action.COMPLETE):
            messages.error(request, _("This cannot be done on the request in its present state."))
            return redirect("request_detail", pk=service_request.pk)
        form = CompleteForm(kept_form_data(request), None, service_request=service_request)
    # A correction (pembetulan): what is wrong, as the village or the Dinas wrote it.
    opened = (
        service_request.transitions.filter(action=Action.OPEN_CORRECTION).first()
        if service_request.is_clerical_correction
        else None
    )
    return render(
        request,
        "documents/complete.html",
        {"req": service_request, "form": form, "correction": opened},
    )
