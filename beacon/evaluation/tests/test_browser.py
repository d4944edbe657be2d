"""End to end in headless Chromium: run a scheme (a background job, run by a worker beside the
live server, whose page follows it), read the charts and the park table, open a scorecard and
change a class with its reason."""

import pytest

from beacon.conftest import PASSWORD
from beacon.evaluation.models import EvaluationResult, EvaluationRun
from beacon.jobs.models import Job
from beacon.jobs.tests.workers import start_worker

from .conftest import hand_zone

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_run_charts_scorecard_and_class_change(page, live_server, zone, users, scheme):
    enterprises = hand_zone(zone)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "zone_admin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/evaluation/runs/add/")
    page.select_option("#id_scheme", str(scheme.pk))
    page.fill("#id_year", "2023")
    page.click("#run-form button[type=submit]")
    job = Job.objects.get()
    page.wait_for_url(f"{live_server.url}{job.get_absolute_url()}")
    assert page.inner_text("#job-state .badge") == "Queued"
    # the worker starts once the page shows the job waiting: the page follows it by itself
    worker = start_worker("--interval", "0.2")
    try:
        page.wait_for_selector("#job-state[data-state=done]", timeout=120_000)
    finally:
        worker.terminate()
        worker.wait()
    run = EvaluationRun.objects.get()
    assert page.inner_text("#job-progress") == "3 of 3"
    assert page.get_attribute("#job-state .progress-bar", "style") == "width: 100%;"
    assert page.inner_text("#job-step") == f"Run {run.pk}: 4 of 4 enterprises rated."
    page.click("#job-result a")
    page.wait_for_url(f"{live_server.url}{run.get_absolute_url()}")
    # every chart drew into its box
    for chart in ("chart-classes", "chart-scores", "chart-park-classes", "chart-scatter"):
        page.wait_for_selector(f"#{chart} canvas")
    assert page.inner_text("#class-counts") == "A 1 · B 1 · C 1 · D 1"
    parks = page.locator("#park-results tbody tr")
    assert [parks.nth(i).locator("td").nth(1).inner_text() for i in range(2)] == [
        str(zone["p1"]),
        str(zone["p2"]),
    ]

    result = EvaluationResult.objects.get(run=run, enterprise=enterprises[1])
    page.goto(f"{live_server.url}{result.get_absolute_url()}")
    assert page.inner_text("#scorecard-class") == "C"
    assert "Rank 3 of 4" in page.inner_text("#scorecard-rank")
    page.click("#change-class")
    page.select_option("#id_final_class", "B")
    page.fill("#id_class_change_reason", "补报了研发投入")
    page.click("#object-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}{result.get_absolute_url()}")
    assert page.inner_text("#scorecard-class") == "B"
    assert "Class changed from C to B: 补报了研发投入" in page.inner_text("#scorecard-why")
