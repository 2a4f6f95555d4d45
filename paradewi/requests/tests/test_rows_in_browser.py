"""The tables of the detail forms in a browser: F-1.01's other members of a KK baru and
F-1.03's people who move (Permendagri 109/2019), each row folded under its name, on a phone
(360x740) and a desktop (1366x768). Screenshots go to $PARADEWI_SHOTS when it is set."""

from __future__ import annotations

import pytest

from paradewi.accounts.models import User
from paradewi.demo.requests import _plans, validated_plan
from paradewi.requests.models import ServiceRequest
from paradewi.requests.tests.factories import NIK_WOMAN, make_draft
from paradewi.requests.tests.test_field_flow_in_browser import demo, shot  # noqa: F401
from paradewi.requests.tests.test_flow_in_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def kk_baru_draft(username: str) -> ServiceRequest:
    """A draft KK baru of the demo's data (its other member: Dewi Lestari, the wife)."""
    plan = next(plan for plan in _plans() if plan.key == "r-verified-late")
    person, details = validated_plan(plan, phone="")
    return make_draft(User.objects.get(username=username), "kk-baru", details=details, **person)


@pytest.mark.parametrize(
    ("viewport", "size"),
    [({"width": 360, "height": 740}, "phone"), ({"width": 1366, "height": 768}, "desktop")],
)
def test_a_kk_baru_takes_its_other_members_row_by_row(live_server, browser, demo, viewport, size):  # noqa: F811
    """F-1.01's ANGGOTA KELUARGA: a KK baru shows its member as a filled row, under her
    name, with spare rows folded below."""
    context = browser.new_context(locale="en-US", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(30_000)
    base = live_server.url
    log_in(page, base, "demo-desa")
    draft = kk_baru_draft("demo-desa")
    page.goto(f"{base}/requests/{draft.pk}/edit/")
    rows = page.locator("#rows-other_members details.row-form")
    assert rows.first.locator("summary").inner_text().startswith("1. Dewi Lestari")
    assert rows.count() == 3  # the wife and two spare rows
    shot(page, f"rows-kk-baru-{size}", full=True)
    context.close()


def test_the_rows_are_typed_and_saved_on_a_phone(live_server, browser, demo):  # noqa: F811
    """A second member typed in a spare row is saved with the first, sex and date of birth
    read from the NIK (the count now says three members)."""
    context = browser.new_context(locale="en-US", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(30_000)
    base = live_server.url
    log_in(page, base, "demo-desa2")
    draft = kk_baru_draft("demo-desa2")
    page.goto(f"{base}/requests/{draft.pk}/edit/")
    page.locator("[name=members_count]").fill("3")
    spare = page.locator("#rows-other_members details.row-form").nth(1)
    spare.locator("summary").click()
    spare.locator("[name='other_members-1-name']").fill("Sri Wahyuni")
    spare.locator("[name='other_members-1-nik']").fill(NIK_WOMAN)
    spare.locator("[name='other_members-1-birth_place']").fill("Sidoarjo")
    for name, value in (
        ("relationship", "9"),
        ("religion", "1"),
        ("marital_status", "1"),
        ("education", "5"),
        ("occupation", "15"),
        ("blood_type", "13"),
    ):
        spare.locator(f"[name='other_members-1-{name}']").select_option(value)
    spare.locator("[name='other_members-1-mother_name']").fill("Kasiyem")
    spare.locator("[name='other_members-1-father_name']").fill("Darmo")
    shot(page, "rows-kk-baru-typed-phone", full=True)
    page.get_by_role("button", name="Save the data").click()
    page.wait_for_load_state()
    assert "Saved." in page.content(), page.content()[:3000]
    draft.refresh_from_db()
    names = [row["name"] for row in draft.details["other_members"]]
    assert names == ["Dewi Lestari", "Sri Wahyuni"]
    assert draft.details["other_members"][1]["birth_date"] == "1992-08-17"
    context.close()
