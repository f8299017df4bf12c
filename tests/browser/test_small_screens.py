from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from engagements import services
from tests.browser.conftest import log_in
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "id"])
def test_screens(new_page, live_server: Any, facilitator, lang) -> None:
    facilitator.language = lang
    facilitator.save()
    orgs = [OrganizationFactory(name=n) for n in ("Kelompok Nelayan Bahari", "Karang Taruna Bina Remaja", "PKK Desa Timbulsloko")]
    p = build_partnership(user=facilitator, organizations=orgs)
    goal = p.goals.get()
    services.progress_record(user=facilitator, goal=goal, value=250, measured_on=timezone.localdate())
    link = services.share_link_create(user=facilitator, partnership=p, expires_on=timezone.localdate() + datetime.timedelta(days=30))
    page = new_page(360)
    log_in(page, live_server, facilitator.username)
    base = f"{live_server.url}/partnerships/{p.pk}"
    for name, url in [("plan", f"{base}/plan/"), ("goal", f"{base}/goals/{goal.pk}/"), ("detail", f"{base}/")]:
        page.goto(url)
        page.screenshot(path=f"/tmp/layout-before-{lang}-{name}.png", full_page=True)
    page.goto(f"{live_server.url}/shared/{link.token}/")
    page.screenshot(path=f"/tmp/layout-before-{lang}-shared.png", full_page=True)
