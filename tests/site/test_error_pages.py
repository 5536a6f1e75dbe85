"""With DEBUG off, errors show the site's own Chinese pages, not Django's English ones.

400, 403 and 404 are in the site's frame (base.html); 500 stands alone and renders
without the database, which may be the very thing that failed.
"""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import include, path
from django.utils import translation
from django.views.defaults import server_error
from wagtail.models import Page, Site

from tests.accounts.factories import UserFactory

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def fails(request):
    raise OperationalError("no such table: wagtailcore_site")


def forbidden(request):
    raise PermissionDenied


# The project's URLs plus two views that fail, for @pytest.mark.urls(__name__).
urlpatterns = [
    path("broken/", fails),
    path("forbidden/", forbidden),
    path("", include("yunfu.urls")),
]


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


def page(response, status):
    assert response.status_code == status
    return response.content.decode()


@pytest.mark.django_db
def test_a_missing_page_is_the_sites_404_in_chinese(client):
    html = page(client.get("/no-such-course/"), 404)
    assert "页面不存在" in html and "返回首页" in html
    assert 'class="site-header"' in html and 'href="/courses/"' in html
    assert "Not Found" not in html


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_refused_page_is_the_sites_403_and_offers_a_visitor_the_login(client):
    html = page(client.get("/forbidden/"), 403)
    assert "您无权查看此页面" in html
    assert 'href="/accounts/login/?next=/forbidden/"' in html


@pytest.mark.django_db
def test_a_trainee_refused_the_coverage_report_sees_whom_to_ask(client):
    client.force_login(UserFactory())
    html = page(client.get("/coverage/"), 403)
    assert "您无权查看此页面" in html and "市商务局" in html
    assert "/accounts/login/" not in html.split('class="error-message"')[1]
    assert "403 Forbidden" not in html


@pytest.mark.django_db
def test_a_bad_host_is_the_sites_400_in_chinese(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    html = page(client.get("/", HTTP_HOST="evil.example"), 400)
    assert "网站无法处理这个请求" in html and 'class="site-header"' in html
    assert "Bad Request" not in html


@pytest.mark.django_db
def test_an_expired_form_is_explained_in_chinese(settings):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    html = page(csrf_client.post("/accounts/login/", {"login": "13600000001"}), 403)
    assert "表单已过期" in html
    assert "CSRF verification failed" not in html


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_server_error_is_the_sites_500_in_chinese(client):
    html = page(client.get("/broken/"), 500)
    assert "网站出错了" in html and "请过几分钟再试" in html
    assert "/static/css/site.css" in html
    assert "Server Error" not in html


def test_the_500_page_renders_without_the_database():
    """No ``django_db`` mark: any query while rendering would fail this test."""
    request = RequestFactory().get("/")
    with translation.override("zh-hans"):
        html = server_error(request).content.decode()
    assert "网站出错了" in html
    assert len(CHINESE.findall(html)) > 20


@pytest.mark.django_db
def test_the_favicon_is_linked_and_served_at_the_root(client):
    html = page(client.get("/courses/"), 200)
    assert '<link rel="icon" href="/static/favicon.ico"' in html
    assert 'href="/static/favicon.svg" type="image/svg+xml"' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.ico"
    response = client.get("/apple-touch-icon.png")
    assert response["Location"] == "/static/apple-touch-icon.png"


@pytest.mark.django_db
def test_the_default_site_is_named_for_the_platform_not_localhost(client):
    site = Site.objects.get(is_default_site=True)
    assert site.site_name == "云浮农村电商培训"
    client.force_login(UserFactory(is_superuser=True))
    explorer = page(client.get(f"/cms/pages/{Page.get_first_root_node().pk}/"), 200)
    assert "localhost" not in explorer and "云浮农村电商培训" in explorer
