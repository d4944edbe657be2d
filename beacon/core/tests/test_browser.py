"""End to end in headless Chromium: log in, search in Chinese, edit, see history, language."""

import pytest

from beacon.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_search_edit_history_and_language(page, live_server, zone, users):
    enterprise = zone["p1_enterprise"]
    enterprise.name = "肇庆华锐新能源科技有限公司"
    enterprise.save()

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "zone_admin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/registry/enterprises/")
    page.fill("#id_search", "华锐新能源")
    # HTMX replaces the table as the user types; wait for the narrowed result.
    # a function, not an expression: Playwright evaluates an expression with eval, which the
    # page's Content-Security-Policy refuses
    page.wait_for_function("() => document.querySelectorAll('#object-table tbody tr').length === 1")
    assert "search=" in page.url
    page.click("#object-table tbody tr a:text('肇庆华锐新能源科技有限公司')")
    page.wait_for_url(f"{live_server.url}/registry/enterprises/{enterprise.pk}/")

    page.click("text=Edit")
    page.fill("#id_business_scope", "新能源汽车动力电池系统研发、生产")
    page.click("#object-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/registry/enterprises/{enterprise.pk}/")
    assert "新能源汽车动力电池系统研发、生产" in page.inner_text("#object-fields")

    page.click("#history-tab")
    history = page.inner_text("#history")
    assert "zone_admin" in history
    assert "新能源汽车动力电池系统研发、生产" in history

    assert page.get_attribute("html", "lang") == "en"
    page.select_option("#language-form select", "zh-hans")
    page.wait_for_function("() => document.documentElement.lang === 'zh-hans'")
    assert "历史" in page.inner_text("#history-tab")
