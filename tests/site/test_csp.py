"""Every response carries a Content-Security-Policy (django-csp): on the site, scripts only
from its own files, so its pages hold no inline script or on… handler; under /cms/,
Wagtail's admin gets the looser policy it needs and still works."""

from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import Page

from courses.models import CatalogPage, Track
from learning.enrolment import enrol
from tests.accounts.factories import UserFactory
from tests.courses.factories import make_course, make_lesson
from tests.learning.enrolment_factories import completion
from tests.mentors.factories import make_mentoring_staff

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"


def directives(response) -> dict[str, list[str]]:
    policy = response[HEADER]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


class InlineCode(HTMLParser):
    """Scripts written into the page, and on… attributes: what script-src 'self' blocks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.found += [f"{tag} {name}=" for name in attrs if name.startswith("on")]
        self.found += [
            f"{tag} href=javascript:" for v in [attrs.get("href") or ""] if "javascript:" in v
        ]
        data_only = attrs.get("type") in {"application/json", "application/ld+json"}
        self._in_inline_script = tag == "script" and "src" not in attrs and not data_only

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.found.append(f"<script>{data.strip()[:40]}…")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


@pytest.fixture
def content():
    course = make_course(CatalogPage.objects.get(), Track.objects.first(), "农村电商入门")
    return course, make_lesson(course, "第一课：认识网店")


def site_pages(client, course, lesson):
    """Public pages, then a trainee's (with a certificate) and an entrepreneur's form."""
    anonymous = ["/", "/courses/", "/courses/?q=网店", course.url, lesson.url]
    anonymous += [reverse("account_login"), reverse("account_signup"), "/no-such-page/"]
    anonymous += [reverse("mentors:team"), reverse("verify"), "/learning/verify/%00/"]
    for path in anonymous:
        yield path, client.get(path)
    trainee = UserFactory()
    enrol(trainee, course)
    done = completion(trainee, course)
    client.force_login(trainee)
    for path in [reverse("my_learning"), reverse("profile"), lesson.url, reverse("mentors:join")]:
        yield path, client.get(path)
    certificate = reverse("certificate", args=[done.certificate_code])
    yield certificate, client.get(certificate)


def test_the_sites_pages_allow_scripts_only_from_its_own_files(client, content):
    seen = 0
    for path, response in site_pages(client, *content):
        assert response.status_code in (200, 400, 404), path
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], path
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]
        assert "https://player.bilibili.com" in policy["frame-src"]
        assert inline_code(response.content.decode()) == [], path
        seen += 1
    assert seen == 16


def test_the_sms_code_page_counts_down_from_a_script_file():
    request = RequestFactory().get("/accounts/login/code/confirm/")
    html = render_to_string(
        "accounts/_code_form.html",
        {"can_resend": True, "action_url": "/x/", "phone": "+8613800138000"},
        request,
    )
    assert inline_code(html) == []
    assert 'data-wait="30" data-countdown="重新发送验证码（__SECONDS__ 秒）"' in html


def test_the_cms_has_its_own_policy_and_its_pages_still_render(client, content):
    course, lesson = content
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    make_mentoring_staff()
    for path in [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        reverse("wagtailadmin_explore", args=[Page.objects.get(depth=2).pk]),
        reverse("wagtailimages:add_multiple"),
        reverse("mentor_entrepreneurs:index"),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        policy = directives(response)
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"], path
        assert "blob:" in policy["img-src"] and "https://player.bilibili.com" in policy["frame-src"]
        assert policy["object-src"] == ["'none'"]


def test_documents_are_served_without_a_policy(client):
    """A PDF opens in the browser's viewer, which object-src 'none' would block."""
    response = client.get("/documents/1/handout.pdf")
    assert response.status_code == 404
    assert HEADER not in response
