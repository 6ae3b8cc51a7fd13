import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_data"),
]

BLOCKING_IMPACTS = {"serious", "critical"}


def blocking_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    # No preload: axe-core would copy each stylesheet into an inline <style> (resolving its
    # @imports against the page's URL), which the site's CSP blocks. That failed anyway, logged
    # violations and a 404 (/admin/password_change/widgets.css) that looked like the page's own.
    results = Axe().run(page, options={"resultTypes": ["violations"], "preload": False})
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/pl/",
        "/en/",
        "/pl/accounts/signup/",
        "/en/accounts/signup/",
        "/pl/accounts/login/",
        "/en/accounts/login/",
        "/pl/events/",
        "/en/events/?period=past",
        "/pl/privacy/",
        "/en/privacy/",
    ],
)
def test_page_has_no_serious_accessibility_violations(page, path):
    page.goto(path)
    assert blocking_violations(page) == []


def test_mobile_home_has_no_serious_accessibility_violations(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/pl/")
    assert blocking_violations(page) == []


def test_keyboard_user_can_skip_to_the_content(page):
    from playwright.sync_api import expect

    page.goto("/en/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
