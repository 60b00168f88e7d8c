"""The browser-test harness: Debian's Chromium driven by Playwright's sync API against pytest-django's live
server (a real HTTP server in a thread of this process, on the test database).

Fixtures:
- ``browser`` (session): one headless Chromium for the whole run;
- ``new_context`` / ``page``: a fresh, isolated browser context per test (own cookies and storage), with the
  live server as base URL, so ``page.goto("/accounts/login/")`` works;
- ``screenshot``: ``screenshot(page, "step")`` saves a full-page PNG as test-output/e2e/<test>-<step>.png.

Every page a test opens is also watched for server errors (5xx) and broken static files (4xx under /static/);
any of them fails the test, and a failing test leaves a ``-failure`` screenshot of each of its pages.
"""

import contextlib
import os
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

# Playwright's sync API runs an asyncio event loop on the test's thread (in a greenlet), so while a browser is
# open ``asyncio.get_running_loop()`` answers from the test body too, and Django's guard against blocking
# calls from async code raises SynchronousOnlyOperation on any ORM call a test (or a fixture) makes. The loop
# is Playwright's, not ours: no Django code runs inside it, the live server answers from its own threads, and
# the test body is ordinary blocking code, so the guard protects nothing here. The browser lives for the
# whole session, hence the setting is process-wide (for tests collected after these ones as well).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}
TIMEOUT_MS = 10_000

expect.set_options(timeout=TIMEOUT_MS)

PROJECT_DIR = Path(__file__).resolve().parents[2]
OUTPUT_DIR = PROJECT_DIR / "test-output" / "e2e"


def pytest_collection_modifyitems(items):
    """Everything under tests/e2e/ drives a browser: mark it so ``-m "not browser"`` leaves it out, even when a
    test module forgot its ``pytestmark``."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here) and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell at teardown whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make chromium` installs Debian's Chromium for the browser tests.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _file_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")


@pytest.fixture
def screenshot(request):
    """``screenshot(page, step)``: a full-page PNG at test-output/e2e/<test-name>-<step>.png; returns its path."""
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)

    def take(page, step: str) -> Path:
        path = OUTPUT_DIR / f"{_file_name(request.node.name)}-{_file_name(step)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def settle_requests(context, in_flight: set, timeout_s: float = 5.0) -> None:
    """Wait (by letting the browser run) until the requests in flight are answered, at most ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while in_flight and time.monotonic() < deadline and context.pages:
        with contextlib.suppress(Exception):
            context.pages[0].wait_for_timeout(50)


@pytest.fixture
def new_context(browser, live_server, request, screenshot):
    """``new_context(viewport=DESKTOP)``: a fresh browser context (a separate person's browser) whose base URL
    is the live server. Contexts are closed after the test. ``new_context(PHONE, using=other_browser)`` opens it
    in another browser."""
    contexts = []
    problems = []
    in_flight = set()  # requests sent by any of the contexts and not yet answered

    def watch(response):
        path = response.url.removeprefix(live_server.url)
        if response.status >= 500 or (response.status >= 400 and path.startswith("/static/")):
            problems.append(f"{response.status} {response.request.method} {path}")

    def make(viewport=None, *, using=None, **options):
        """``using``: another browser than the session's (one launched with other flags, e.g. a fake camera)."""
        viewport = viewport or DESKTOP
        context = (using or browser).new_context(
            base_url=live_server.url,
            viewport=viewport,
            is_mobile=viewport["width"] < 600,
            has_touch=viewport["width"] < 600,
            locale="en-GB",
            timezone_id="UTC",
            **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        context.on("response", watch)
        context.on("request", lambda req: in_flight.add(req))
        context.on("requestfinished", lambda req: in_flight.discard(req))
        context.on("requestfailed", lambda req: in_flight.discard(req))
        context.on("weberror", lambda error: problems.append(f"JavaScript error: {error.error}"))
        contexts.append(context)
        return context

    yield make

    failed = getattr(request.node, "report_call", None) is not None and request.node.report_call.failed
    for number, context in enumerate(contexts, start=1):
        if failed:
            for page_number, open_page in enumerate(context.pages, start=1):
                with contextlib.suppress(Exception):  # a failure screenshot is best effort
                    screenshot(open_page, f"failure-{number}-{page_number}")
        # A page may still be loading (photos of the product a test just landed on): let those requests end
        # before the database is emptied under them, or the server answers them 500 and the flush fails.
        settle_requests(context, in_flight)
        context.close()
    if problems:
        message = "The browser met broken responses:\n" + "\n".join(problems)
        if failed:
            print(message)  # shown with the failure's report; one failure per test is enough
        else:
            pytest.fail(message, pytrace=False)


@pytest.fixture
def page(new_context):
    """A page in a fresh desktop-sized context."""
    return new_context(DESKTOP).new_page()
