"""The error pages as a villager meets them on a phone, with DEBUG off as in production:
a mistyped address, a page they may not open, a form left open too long, and a server
whose database is gone. Each is the site's own page, in Chinese, fitting the screen.

The shared ``server`` runs with the dev settings (DEBUG on, Django's yellow pages), so
this module starts its own runserver with ``DJANGO_DEBUG=0`` on the same database, and
one more on an empty database, where every page fails and the static 500 page shows.
"""

import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import _free_port
from tests.support import PHONE, ROOT, assert_fits_phone_width, screenshot

pytestmark = pytest.mark.browser

TRAINEE = "13600000001"
PASSWORD = "yunfu-errors-2026"
CREATE_TRAINEE = f"""
from accounts.models import User
if not User.objects.filter(phone="+86{TRAINEE}").exists():
    User.objects.create_user(phone="+86{TRAINEE}", password="{PASSWORD}",
                             real_name="黄小梅", phone_verified=True)
"""


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2)
    except urllib.error.HTTPError:
        return True  # any answer, even a 404 or 500, means the server is up
    except OSError:
        return False
    return True


def run_without_debug(env: dict, log):
    """A runserver in production's error mode; ``--insecure`` serves the CSS and icons,
    as whitenoise does in production after collectstatic."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}"]
        + ["--noreload", "--insecure"],
        env=env | {"DJANGO_DEBUG": "0"},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        if answers(url + "/favicon.ico") or process.poll() is not None:
            break
        time.sleep(0.2)
    if process.poll() is not None or not answers(url + "/favicon.ico"):
        process.terminate()
        pytest.fail(f"runserver without DEBUG did not answer:\n{log.read_text()}")
    return process, url


@pytest.fixture(scope="module")
def production_like(server, tmp_path_factory):
    server.manage("shell", "-c", CREATE_TRAINEE)
    process, url = run_without_debug(server.env, tmp_path_factory.mktemp("nodebug") / "log")
    yield url
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def database_gone(server, tmp_path_factory):
    """The same site on a database file with no tables: every page's first query fails."""
    tmp = tmp_path_factory.mktemp("nodb")
    env = server.env | {"DATABASE_URL": f"sqlite:///{tmp / 'empty.sqlite3'}"}
    process, url = run_without_debug(env, tmp / "log")
    yield url
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def phone_at(browser):
    contexts = []

    def open_page(base_url):
        context = browser.new_context(
            viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN", base_url=base_url
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def assert_site_error_page(page, heading):
    assert page.get_by_role("heading", level=1).inner_text() == heading
    text = page.locator("body").inner_text()
    assert not re.search(r"Not Found|Forbidden|Server Error|Bad Request|CSRF", text)
    # The site's stylesheet is applied: the header is the site's green, not a bare page.
    background = page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(31, 122, 77)"
    assert_fits_phone_width(page)


def test_a_mistyped_address_on_a_phone(phone_at, production_like):
    page = phone_at(production_like)
    response = page.goto("/courses/no-such-course/")
    assert response.status == 404
    assert_site_error_page(page, "页面不存在")
    screenshot(page, "error-404-phone")
    page.get_by_role("link", name="浏览课程").click()
    page.wait_for_url("**/courses/")
    assert page.get_by_role("heading", level=1).inner_text() == "课程目录"


def test_the_favicon_loads_without_debug(phone_at, production_like):
    page = phone_at(production_like)
    response = page.goto("/favicon.ico")
    assert response.ok and response.headers["content-type"] in {
        "image/x-icon",
        "image/vnd.microsoft.icon",
    }
    page.goto("/")
    icon = page.locator('link[rel=icon][type="image/svg+xml"]').get_attribute("href")
    assert page.request.get(production_like + icon).ok


def test_a_trainee_opening_the_coverage_report(phone_at, production_like):
    page = phone_at(production_like)
    page.goto("/accounts/login/?next=/coverage/")
    page.locator("input[name=login]").fill(TRAINEE)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url("**/coverage/")
    assert_site_error_page(page, "您无权查看此页面")
    assert page.get_by_text("请联系市商务局或您的讲师").count() == 1
    # Logged in, the header is the trainee's own, with 退出登录.
    assert page.get_by_role("button", name="退出登录").is_visible()
    screenshot(page, "error-403-phone")


def test_a_form_left_open_until_its_cookie_is_gone(phone_at, production_like):
    page = phone_at(production_like)
    page.goto("/accounts/login/")
    page.context.clear_cookies()
    page.locator("input[name=login]").fill(TRAINEE)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator("input[name=password]").press("Enter")
    assert posted.value.status == 403
    assert_site_error_page(page, "表单已过期")
    screenshot(page, "error-403-csrf-phone")


def test_the_server_error_page_when_the_database_is_gone(phone_at, database_gone):
    page = phone_at(database_gone)
    response = page.goto("/courses/")
    assert response.status == 500
    assert_site_error_page(page, "网站出错了")
    assert page.get_by_text("请过几分钟再试").count() == 1
    screenshot(page, "error-500-phone")
