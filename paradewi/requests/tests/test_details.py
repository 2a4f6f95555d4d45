from __future__ import annotations

from paradewi.requests.details import details_display
from paradewi.requests.tests.factories import make_draft


def test_the_service_data_is_shown_with_the_form_s_labels_and_choice_names(personas):
    request = make_draft(
        personas.desa_a,
        "kk-baru",
        details={"reason": "marriage", "moved_in": False, "internal_key": "hidden"},
    )
    rows = dict(details_display(request))
    assert all(isinstance(label, str) for label in rows)
    assert "marriage" not in rows.values()  # the choice's label, not its code
    assert "no" in rows.values()
    assert "hidden" not in rows.values()  # keys no field names are left out
