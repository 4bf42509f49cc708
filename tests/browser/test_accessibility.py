"""The main pages, checked with axe-core against WCAG 2.0-2.2 A and AA: no serious or critical one.

axe is vendored in tests/browser/vendor so the test needs no network. The portal's
Content-Security-Policy (`script-src 'self'`) would block the inline script Playwright injects,
so this test, and only this test, uses a browser context that bypasses CSP.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser.conftest import ARTIFACTS, VIEWPORTS, _failed_key
from tests.security.conftest import scenario  # noqa: F401  (the fixture, reused as is)

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
BLOCKING = {"serious", "critical"}
RUN_AXE = r"""async () => {
    const result = await axe.run(document, {
        runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'],
    });
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.map(n => n.target.join(' ')),
        // The first node's explanation names the colours and the ratio for contrast failures.
        summary: (v.nodes[0].failureSummary || '').replace(/\s+/g, ' ').slice(0, 300),
    }));
}"""


@pytest.fixture(params=list(VIEWPORTS))
def axe_page(request: pytest.FixtureRequest, browser, live_server):
    context = browser.new_context(
        viewport=VIEWPORTS[request.param],
        locale="th-TH",
        base_url=live_server.url,
        bypass_csp=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    if request.node.stash.get(_failed_key, False):
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


def log_in(page, username: str | None) -> None:
    page.context.clear_cookies()
    if username is None:
        return
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "x")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/login/" not in page.url, f"{username} could not sign in"


def axe_violations(page, url: str) -> list[dict]:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    page.add_script_tag(path=str(AXE))
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in BLOCKING]


def main_pages(s) -> list[tuple[str | None, str, str]]:
    """(who signs in, what the page is, its URL), grouped by user to sign in once each."""
    plan = s["plan"].pk
    return [
        (None, "login", reverse("accounts:login")),
        (None, "public plan", reverse("workplans:public", kwargs={"slug": "plan-2570"})),
        ("teacher", "home (school user)", reverse("portal:home")),
        ("teacher", "new repair form", reverse("repairs:new")),
        ("teacher", "loan request form", reverse("equipment_loans:new")),
        ("teacher", "DMC school entry", reverse("dmc_emis:entry", kwargs={"pk": s["entry"].pk})),
        ("staff", "home (staff)", reverse("portal:home")),
        ("staff", "my tasks", reverse("processes:my_tasks")),
        (
            "staff",
            "case page",
            reverse("processes:case", kwargs={"reference": s["case"].reference}),
        ),
        ("staff", "repair list", reverse("repairs:index")),
        (
            "staff",
            "ticket page",
            reverse("repairs:ticket", kwargs={"reference": s["ticket"].reference}),
        ),
        ("staff", "loans list", reverse("equipment_loans:index")),
        ("staff", "availability calendar", reverse("equipment_loans:calendar")),
        ("staff", "loan desk", reverse("equipment_loans:desk")),
        ("staff", "DMC index", reverse("dmc_emis:index")),
        ("staff", "round board", reverse("dmc_emis:round", kwargs={"pk": s["round"].pk})),
        ("staff", "plans list", reverse("workplans:index")),
        ("staff", "plan page", reverse("workplans:plan", kwargs={"pk": plan})),
        ("staff", "plan reading view", reverse("workplans:read", kwargs={"pk": plan})),
        # The plan's approval waits for the group head first, so that inbox has a row to check.
        ("head", "approvals inbox", reverse("processes:inbox")),
        ("director", "home (director)", reverse("portal:home")),
        ("director", "reports index", reverse("reports:index")),
    ]


def test_main_pages_have_no_serious_accessibility_violations(axe_page, scenario):  # noqa: F811
    found = []
    signed_in = object()
    for username, label, url in main_pages(scenario):
        if username != signed_in:
            log_in(axe_page, username)
            signed_in = username
        for violation in axe_violations(axe_page, url):
            targets = "; ".join(violation["targets"][:5])
            more = len(violation["targets"]) - 5
            found.append(
                f"{label} ({url}): [{violation['impact']}] {violation['id']} — {violation['help']}"
                f" — {targets}{f' (+{more} more)' if more > 0 else ''} — {violation['summary']}"
            )
    assert not found, "\n".join(found)
