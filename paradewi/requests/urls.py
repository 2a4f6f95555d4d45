"""Every page of the request workflow. Views live in the `views` package, one module per part:
worklist (lists and queues), edit (create, data, uploads, submit), actions (transitions),
files (downloads), previews (page previews and the viewer), receipts (the resident's receipt
PDF) and public (tracking by number and PIN)."""

from __future__ import annotations

from django.urls import path

from paradewi.requests.views import actions, edit, files, previews, receipts, worklist

urlpatterns = [
    path("", worklist.request_list, name="request_list"),
    path("new/", edit.service_choose, name="request_new"),
    path("new/<slug:service_code>/", edit.request_create_view, name="request_create"),
    path("<int:pk>/", worklist.request_detail, name="request_detail"),
    path("<int:pk>/edit/", edit.request_edit_view, name="request_edit"),
    path("<int:pk>/uploads/<slug:requirement_code>/", edit.upload_view, name="request_upload"),
    path(
        "<int:pk>/uploads/<slug:requirement_code>/row/",
        edit.upload_row_view,
        name="request_upload_row",
    ),
    path("<int:pk>/submit/", edit.request_submit_view, name="request_submit"),
    path("<int:pk>/cancel/", actions.cancel, name="request_cancel"),
    path("<int:pk>/verify/", actions.verify, name="request_verify"),
    path("<int:pk>/return/", actions.return_view, name="request_return"),
    path("<int:pk>/claim/", actions.claim, name="request_claim"),
    path("<int:pk>/release/", actions.release, name="request_release"),
    path("<int:pk>/reassign/", actions.reassign, name="request_reassign"),
    path("<int:pk>/reject/", actions.reject, name="request_reject"),
    path("<int:pk>/hand-over/", actions.hand_over, name="request_hand_over"),
    path("<int:pk>/files/<int:upload_pk>/", files.upload_download, name="request_upload_file"),
    path(
        "<int:pk>/files/<int:upload_pk>/view/", previews.upload_viewer, name="request_upload_viewer"
    ),
    path(
        "<int:pk>/files/<int:upload_pk>/pages/<int:page>/<slug:size>.jpg",
        previews.upload_preview,
        name="request_upload_preview",
    ),
    path("<int:pk>/outputs/<int:output_pk>/", files.output_download, name="request_output_file"),
    path("<int:pk>/receipt.pdf", receipts.receipt, name="request_receipt"),
    path("<int:pk>/archive.zip", files.request_archive, name="request_archive"),
]
