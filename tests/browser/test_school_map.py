"""The school map draws its markers from the database with the network closed: Leaflet is
served by the portal, and no tile is asked for when no tile URL is configured."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.models import School
from school_map.services import location_set
from tests.browser.conftest import VIEWPORTS
from tests.browser.test_repair_journey import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_markers_render_without_any_network(browser, live_server, people, school):
    north = School.objects.create(
        office=school.office,
        obec_code="1090010009",
        smis_code="90010009",
        name_th="โรงเรียนบ้านดอย",
        district="แม่จัน",
    )
    School.objects.create(
        office=school.office,
        obec_code="1090010010",
        smis_code="90010010",
        name_th="โรงเรียนยังไม่ระบุพิกัด",
        district="เมือง",
    )
    location_set(
        user=people["staff"], school=school, latitude=Decimal("19.91"), longitude=Decimal("99.84")
    )
    location_set(
        user=people["staff"], school=north, latitude=Decimal("20.15"), longitude=Decimal("99.85")
    )
    context = browser.new_context(
        viewport=VIEWPORTS["phone"], locale="th-TH", base_url=live_server.url
    )
    outside = []

    def only_the_portal(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_portal)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, "staff")
    page.goto("/school-map/")
    page.wait_for_selector("path.school-marker")
    assert page.locator("path.school-marker").count() == 2
    assert page.locator("[data-school]").count() == 3  # the list has the unlocated one too
    page.locator("path.school-marker").first.click(force=True)
    assert page.locator(".leaflet-popup-content").inner_text().startswith("โรงเรียน")
    assert outside == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 361
    context.close()
