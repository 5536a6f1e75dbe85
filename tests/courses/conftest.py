from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from courses.models import CatalogPage, Track
from tests.browser.conftest import (
    CHROMIUM,
    PHONE,
    server,  # noqa: F401  (the seeded runserver)
)
from tests.support import require


@pytest.fixture
def catalog(db):
    """The catalog at /courses/, as the data migration created it."""
    return CatalogPage.objects.get()


@pytest.fixture
def tracks(db):
    """The four tracks from the data migration, by slug."""
    return {track.slug: track for track in Track.objects.all()}


@pytest.fixture(scope="session")
def on_phone(server):  # noqa: F811
    """``on_phone(check)`` runs ``check(page)`` on a phone-sized Chromium page of the server.

    Playwright's sync API allows one session per thread, and tests/browser keeps one open
    on the main thread for the whole run, so this one lives on a thread of its own and
    every call to a page must happen inside ``check``.
    """
    require(Path(CHROMIUM).exists(), f"Debian's chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with ThreadPoolExecutor(max_workers=1) as thread:

        def start():
            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            return playwright, browser

        playwright, browser = thread.submit(start).result()

        def run(check):
            context = browser.new_context(
                viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN", base_url=server.url
            )
            try:
                return check(context.new_page())
            finally:
                context.close()

        yield lambda check: thread.submit(run, check).result()
        thread.submit(lambda: (browser.close(), playwright.stop())).result()
