"""End to end in headless Chromium: drag a lead across the pipeline board, give the date,
and see it in its new column and in its history."""

import pytest

from beacon.conftest import PASSWORD
from beacon.promotion.choices import Stage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_drag_a_lead_across_the_board(page, live_server, promo):
    lead = promo["l1"]
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "promoter")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/promotion/board/")
    card = page.locator(f"#lead-{lead.pk}")
    assert card.get_attribute("data-stage") == "lead"
    card.drag_to(page.locator(".board-column[data-stage=negotiating] .board-cards"))
    page.wait_for_selector("#move-dialog[open]")
    page.fill("#move-date", "2024-03-12")
    page.click("#move-confirm")
    page.wait_for_selector(f".board-column[data-stage=negotiating] #lead-{lead.pk}")
    lead.refresh_from_db()
    assert (lead.stage, lead.stage_date.isoformat()) == (Stage.NEGOTIATING, "2024-03-12")
    # moving it back asks for the reason first
    page.locator(f"#lead-{lead.pk}").drag_to(
        page.locator(".board-column[data-stage=contacted] .board-cards")
    )
    page.wait_for_selector("#move-dialog[open]")
    page.fill("#move-date", "2024-03-15")
    page.click("#move-confirm")
    assert page.locator("#move-reason:invalid").count() == 1
    page.fill("#move-reason", "企业更换对接人")
    page.click("#move-confirm")
    page.wait_for_selector(f".board-column[data-stage=contacted] #lead-{lead.pk}")
    assert list(lead.stage_changes.values_list("stage", "reason")) == [
        ("lead", ""),
        ("negotiating", ""),
        ("contacted", "企业更换对接人"),
    ]
