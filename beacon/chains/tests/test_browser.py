"""In headless Chromium: a link's name from the chain file reaches the chain map's tooltip as
text; markup in it never runs."""

import pytest

from beacon.chains.models import Chain
from beacon.chains.tests.conftest import CHAIN
from beacon.conftest import Watched, hover_charts, log_in
from beacon.core.versions import save_version

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAYLOAD = "中药材种植<img src=x onerror=alert(1)>"


def test_a_link_named_with_markup_shows_it_as_text_in_the_tooltip(page, live_server, users):
    text = CHAIN.replace("{zh: 电芯, en: Cells}", f'{{zh: "{PAYLOAD}", en: "{PAYLOAD}"}}')
    chain = Chain.objects.create(key="mini", name="迷你电池链")
    save_version(chain, text, None)
    watched = Watched(page)

    log_in(page, live_server, "zone_admin")
    page.goto(f"{live_server.url}{chain.get_absolute_url()}")
    page.wait_for_selector("#chain-map canvas")
    tooltips = hover_charts(page)

    assert any("中药材种植&lt;img src=x onerror=alert(1)&gt;" in tip for tip in tooltips), tooltips
    assert watched.collect() == []
