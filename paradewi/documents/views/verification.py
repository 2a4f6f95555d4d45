"""Verification of issued documents: the public pages and the Dinas's slip and revoke actions.

Public (no login): `/verify/` (type a code) and `/verify/<code>/` (what the QR code opens:
valid or revoked, and a PDF upload to check a copy). The templates receive a
`VerificationResult`, never the output or its request, so no personal field can slip into the
page. Lookups and checks are rate-limited per client address; nothing is cached or indexed.

Logged in: the printable slip (the roles that may download the document) and revocation
(Dinas clerk or head), both through the request access check: anything else is a 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from paradewi.accounts.access import request_actor, role_required
from paradewi.accounts.network import client_ip
from paradewi.accounts.policy import DINAS_ROLES, HANDLING_ROLES
from paradewi.core.practice_pdf import stamp_practice
from paradewi.documents import services, slips, verification
from paradewi.documents.models import OutputFile
from paradewi.requests.access_log import Action, access_record
from paradewi.requests.errors import NotAllowedError, WorkflowError
from paradewi.requests.selectors import get_request_for_user

# A multipart body carries the form fields and boundaries besides the file itself.
MULTIPART_SLACK = 64 * 1024


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=40,
        help_text=gettext_lazy(
            "The 12 letters and digits printed under the QR code, for example ABCD-EFGH-JK23."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = verification.normalise_code(self.cleaned_data["code"])
        if code is None:
            raise ValidationError(
                gettext_lazy(
                    "This is not a verification code. It has 12 letters and digits; "
                    "check what is printed under the QR code."
                )
            )
        return code


class CopyForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("PDF file of the document"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


def _public(response: HttpResponse) -> HttpResponse:
    # A document's status can change (revocation): no shared or browser cache keeps the page.
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _code_page(
    request: HttpRequest, form: CodeForm, *, error: str = "", status: int = 200
) -> HttpResponse:
    return _public(
        render(request, "documents/verify.html", {"form": form, "error": error}, status=status)
    )


@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    """The form to type a code; a well-formed code goes on to its page."""
    form = CodeForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("verify_result", code=form.cleaned_data["code"])
    return _code_page(request, form)


@csrf_exempt  # checked by csrf_protect on _verify_result, once the size is known to be sane
@require_http_methods(["GET", "POST"])
def verify_result(request: HttpRequest, code: str) -> HttpResponse:
    """What the QR code opens: the document's status, and a check of an uploaded copy.

    The rate limit and the declared size are checked before the body is read, so a refused
    upload is never parsed or written to a temporary file.
    """
    is_check = request.method == "POST"
    try:
        verification.count_attempt("check" if is_check else "lookup", client_ip(request))
    except verification.TooManyChecksError as error:
        return _code_page(request, CodeForm(), error=str(error), status=429)
    if is_check:
        limit = settings.OUTPUT_MAX_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit + MULTIPART_SLACK:
            message = _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}
            return _code_page(request, CodeForm(), error=message, status=413)
    return _verify_result(request, code)


@csrf_protect
def _verify_result(request: HttpRequest, code: str) -> HttpResponse:
    output = verification.find_output(code)
    if output is None:
        form = CodeForm(initial={"code": code[:40]})
        message = _(
            "No document has this verification code. Check the code printed under the "
            "QR code and type it again."
        )
        return _code_page(request, form, error=message, status=404)
    copy_form = CopyForm()
    identical: bool | None = None
    if request.method == "POST":
        copy_form = CopyForm(request.POST, request.FILES)
        if copy_form.is_valid():
            try:
                identical = verification.check_copy(output, copy_form.cleaned_data["file"])
            except ValidationError as error:
                copy_form.add_error("file", error)
    context: dict[str, Any] = {
        "result": verification.verification_result(output),
        "copy_form": copy_form,
        "identical": identical,
    }
    return _public(render(request, "documents/verify_result.html", context))


# --- logged in: the slip and revocation ---------------------------------------------------------


def _output_for_user(request: HttpRequest, pk: int, output_pk: int) -> OutputFile:
    """The output if the user may see its request; Http404 otherwise."""
    service_request = get_request_for_user(request_actor(request), pk)
    output = OutputFile.objects.filter(request=service_request, pk=output_pk).first()
    if output is None:
        raise Http404
    # The request is already loaded (with its village and service version): no second query.
    output.request = service_request
    return output


@require_GET
@never_cache
@role_required(*HANDLING_ROLES)
def output_slip(request: HttpRequest, pk: int, output_pk: int) -> HttpResponse:
    """The verification slip of an issued document: A6, or `?layout=thermal` for 58 mm.

    Logged: the slip carries the document's number, which for a KK is the family's KK number.
    """
    output = _output_for_user(request, pk, output_pk)
    access_record(
        request=request,
        actor=request_actor(request),
        action=Action.SLIP_DOWNLOADED,
        service_request=output.request,
        object_id=output.pk,
    )
    layout = request.GET.get("layout", "a6")
    pdf = slips.slip_pdf(output, layout=layout if layout in slips.LAYOUTS else "a6")
    if output.request.is_practice:
        pdf = stamp_practice(pdf)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{slips.slip_filename(output)}"'
    return response


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the document revoked?"),
        max_length=verification.REASON_MAX,
        help_text=gettext_lazy(
            "Shown to everyone who checks the document: write no names or numbers of people."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand: from now on the verification page says this document is not valid."
        ),
    )


@role_required(*DINAS_ROLES)
@require_http_methods(["GET", "POST"])
def output_revoke(request: HttpRequest, pk: int, output_pk: int) -> HttpResponse:
    """Revoke an issued document: a confirmation page with the reason, then one service call."""
    actor = request_actor(request)
    output = _output_for_user(request, pk, output_pk)
    if output.revoked_at is not None:
        messages.error(request, _("This document was already revoked."))
        return redirect("request_detail", pk=pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.output_revoke(output, actor=actor, reason=form.cleaned_data["reason"])
        except NotAllowedError:
            raise Http404 from None
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The document was revoked."))
            return redirect("request_detail", pk=pk)
    context = {
        "req": output.request,
        "output": output,
        "result": verification.verification_result(output),
        "form": form,
    }
    return render(request, "documents/verify_revoke.html", context)
