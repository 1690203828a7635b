"""Browser tests: Playwright drives Debian's Chromium against a live server on 127.0.0.1.

Without Chromium the tests skip with a clear reason; with EVENTSYS_REQUIRE_BROWSER=1 (CI sets it)
a missing browser is a failure instead.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from eventsys import create_app
from eventsys.extensions import db

CHROMIUM = os.environ.get("EVENTSYS_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def _require_browser() -> None:
    reason = None
    if not Path(CHROMIUM).exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright is not installed (pip install -e .[dev])"
    if reason:
        if os.environ.get("EVENTSYS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required but cannot run: {reason}")
        pytest.skip(reason)


class LiveServer:
    """The app served by werkzeug in a thread, on its own SQLite file."""

    def __init__(self, app, url: str) -> None:
        self.app = app
        self.url = url

    def __call__(self, path: str = "/") -> str:
        return self.url + path


@pytest.fixture
def live_server_config() -> dict:
    """Override in a test module to change the live server's configuration."""
    return {}


@pytest.fixture
def live_server(tmp_path, live_server_config) -> Iterator[LiveServer]:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test-key",
            "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "browser.sqlite3"),
            "RATELIMIT_ENABLED": False,
            "STORAGE_DIR": str(tmp_path / "storage"),
            "MAIL_BACKEND": "memory",
            "PASSWORD_HASH_FAST": True,
            **live_server_config,
        }
    )
    with app.app_context():
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def _playwright():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def axe_violations(page, context: str | None = None) -> list[dict]:
    """Run axe-core (vendored) on the page; returns the violations for WCAG 2.1 A/AA rules."""
    # evaluate() runs outside the page's CSP, which (rightly) forbids inline scripts.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
