"""Pre-filled official forms (for logged-in officers) and the public verification pages."""

from __future__ import annotations

from django.urls import URLPattern, path

from paradewi.documents.views import corrections, forms, outputs, standard, verification

urlpatterns: list[URLPattern] = []

# Official forms pre-filled from a request (F-1.01 as f-1-01: a dot is no URL slug).
urlpatterns += [
    path(
        "requests/<int:pk>/forms/<slug:form_code>/",
        forms.official_form,
        name="official_form",
    ),
]

# Completing a request with its issued documents, at the request's own address.
urlpatterns += [
    path("requests/<int:pk>/complete/", outputs.complete, name="request_complete"),
]

# Asking for the correction (pembetulan) of an issued document, at the request's own address.
urlpatterns += [
    path("requests/<int:pk>/correct/", corrections.correct, name="request_correct"),
]

# Verification of issued documents: public pages (the QR code opens /verify/<code>/), and
# the slip and revocation of an output, next to the request's own output URLs.
urlpatterns += [
    path("verify/", verification.verify, name="verify"),
    path("verify/<str:code>/", verification.verify_result, name="verify_result"),
    path(
        "requests/<int:pk>/outputs/<int:output_pk>/slip.pdf",
        verification.output_slip,
        name="output_slip",
    ),
    path(
        "requests/<int:pk>/outputs/<int:output_pk>/revoke/",
        verification.output_revoke,
        name="output_revoke",
    ),
]

# The printed service standard of each service (public, beside its page /services/<code>/).
urlpatterns += [
    path(
        "services/<slug:code>/standard.pdf",
        standard.service_standard_pdf,
        name="service_standard_pdf",
    ),
]
