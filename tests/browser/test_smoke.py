"""The login page works in a real browser and passes the accessibility check."""

from tests.browser.conftest import axe_violations


def test_login_page_is_accessible(live_server, page):
    page.goto(live_server("/auth/login"))
    assert page.get_by_label("Adresse e-mail").is_visible()
    assert axe_violations(page) == []
