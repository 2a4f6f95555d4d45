"""PDFs that act by themselves are refused, in uploads and in the Dinas's issued results.

A PDF viewer runs the document's /OpenAction when the file is opened and the /AA ("additional
actions") of a page, annotation or field when it is shown or touched: a /URI there opens a web
address (and tells it who opened the file), /SubmitForm and /ImportData send or read data, and
/GoToR opens another file, all without a click. None belongs in a scan or an issued document.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from paradewi.requests.files import check_upload
from paradewi.requests.tests.test_files import (
    add_annotation,
    pdf_writer,
    refusal,
    upload,
    written,
)


def action(kind: str, **entries: object) -> DictionaryObject:
    values = {NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject(kind)}
    for key, value in entries.items():
        values[NameObject(f"/{key}")] = value  # type: ignore[assignment]
    return DictionaryObject(values)


def uri() -> DictionaryObject:
    return action("/URI", URI=TextStringObject("https://example.invalid/opened"))


def with_open_action(value: object) -> bytes:
    writer = pdf_writer()
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(value)  # type: ignore[arg-type]
    return written(writer)


def with_page_action(value: DictionaryObject) -> bytes:
    writer = pdf_writer()
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): value})
    return written(writer)


AUTOMATIC = {
    "open: URI": lambda: with_open_action(uri()),
    "open: SubmitForm": lambda: with_open_action(
        action("/SubmitForm", F=TextStringObject("https://example.invalid/form"))
    ),
    "open: GoToR": lambda: with_open_action(
        action("/GoToR", F=TextStringObject("other.pdf"), D=ArrayObject([NumberObject(0)]))
    ),
    "open: ImportData": lambda: with_open_action(
        action("/ImportData", F=TextStringObject("data.fdf"))
    ),
    "open: GoTo then URI": lambda: with_open_action(action("/GoTo", Next=uri())),
    "page shown: URI": lambda: with_page_action(uri()),
}


@pytest.mark.parametrize("make", AUTOMATIC.values(), ids=AUTOMATIC.keys())
@pytest.mark.parametrize("output", [False, True], ids=["upload", "issued result"])
def test_a_pdf_with_an_automatic_action_is_refused(make, output):
    content = make()
    assert len(PdfReader(io.BytesIO(content)).pages) == 1  # a PDF any reader opens
    error = refusal(upload("scan.pdf", content), output=output)
    assert error.code == "pdf_action"
    assert "runs actions" in error.messages[0]


@pytest.mark.parametrize("kind", ["/SubmitForm", "/ImportData", "/GoToR"])
def test_an_action_that_sends_or_reaches_outside_is_refused_behind_a_link_too(kind):
    writer = pdf_writer()
    link = DictionaryObject(
        {
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/A"): action(kind, F=TextStringObject("x")),
        }
    )
    add_annotation(writer, link)
    assert refusal(upload("scan.pdf", written(writer))).code == "pdf_action"


def test_opening_at_a_page_is_no_action():
    """Scanners and word processors write /OpenAction [page /Fit]: a place, not an action."""
    writer = pdf_writer()
    page = writer.pages[0].indirect_reference
    writer._root_object[NameObject("/OpenAction")] = ArrayObject([page, NameObject("/Fit")])
    assert check_upload(upload("scan.pdf", written(writer))).pages == 1


def test_an_open_action_going_to_a_page_is_accepted():
    writer = pdf_writer()
    page = writer.pages[0].indirect_reference
    go_to = action("/GoTo", D=ArrayObject([page, NameObject("/Fit")]))
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(go_to)
    assert check_upload(upload("scan.pdf", written(writer))).pages == 1
