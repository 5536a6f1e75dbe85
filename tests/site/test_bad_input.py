"""A control character no person types (NUL above all, which PostgreSQL refuses in text)
is the site's 400 page in the path or the query string; in a posted form, it is an error
beside the field, through a form, also where a view used to read request.POST itself.

The walk requests every URL pattern the project resolves, with NUL appended to the path,
in each path parameter and in the query string, as a superuser (who reaches the most
views). On PostgreSQL, before yunfu.middleware, six of them were a 500 (among them
``/courses/?track=%00`` and ``/learning/verify/%00/``: "PostgreSQL text fields cannot
contain NUL (0x00) bytes"); on SQLite they were 200s, 302s and 404s.
"""

import uuid

import pytest
from django.urls import get_resolver
from django.urls.converters import UUIDConverter

from coverage import signoff
from coverage.models import Submission
from coverage.periods import plan_period
from tests.accounts.factories import UserFactory
from tests.coverage.test_export import report_data
from tests.coverage.test_export_views import bureau_user, county_staff

pytestmark = pytest.mark.django_db

# The names views read from the query string (courses' track and q, the reports' periods,
# the CMS's listings, the login's next), and one no view reads.
QUERY_NAMES = [
    *["q", "track", "page", "p", "start", "end", "county", "town", "level", "format"],
    *["next", "code", "export", "status", "flag", "ordering", "any"],
]
SITE_400 = "网站无法处理这个请求"


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


def _templates(resolver, prefix=""):
    """(format, {parameter: converter}) of every pattern under ``resolver``, e.g.
    ("cms/pages/%(page_id)s/history/results/", {"page_id": IntConverter})."""
    for key in list(resolver.reverse_dict):
        for possibilities, _pattern, _defaults, converters in resolver.reverse_dict.getlist(key):
            for url_format, params in possibilities:
                yield prefix + url_format, {name: converters.get(name) for name in params}
    for ns_prefix, sub_resolver in resolver.namespace_dict.values():
        yield from _templates(sub_resolver, prefix + ns_prefix)


def _sample(converter) -> str:
    """A value the parameter accepts (a digit fits int, str, slug, path and most regexes)."""
    return str(uuid.uuid4()) if isinstance(converter, UUIDConverter) else "1"


def url_patterns() -> list[tuple[str, dict]]:
    return sorted(set((fmt, tuple(params.items())) for fmt, params in _templates(get_resolver())))


def nul_requests():
    """Each pattern's path with NUL appended, in each parameter, and in the query string."""
    query = "&".join(f"{name}=%00" for name in QUERY_NAMES)
    # The two the probe found, through Wagtail's page tree (the "%(_0)s" pattern).
    yield from ["/learning/verify/%00/", "/courses/?track=%00"]
    for url_format, params in url_patterns():
        filled = {name: _sample(converter) for name, converter in params}
        path = "/" + url_format % filled
        yield path + "%00"
        yield f"{path}?{query}"
        for name in filled:
            yield "/" + url_format % (filled | {name: filled[name] + "%00"})


def test_the_walk_covers_the_site_and_the_cms():
    paths = {fmt for fmt, _ in url_patterns()}
    assert len(paths) > 200
    assert {"learning/verify/%(code)s/", "cms/", "coverage/", "%(_0)s"} <= paths


def test_nul_anywhere_in_the_address_of_any_page_is_the_sites_400(client):
    # A superuser reaches the most views; a visitor would mostly be sent to the login.
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    wrong = {}
    for address in nul_requests():
        response = client.get(address)
        if response.status_code != 400:
            wrong[address] = response.status_code
    assert not wrong, f"{len(wrong)} addresses: {sorted(wrong.items())[:20]}"


def test_the_400_is_the_sites_own_page_in_chinese(client):
    for address in ["/learning/verify/%00/", "/courses/?track=%00", "/courses/?q=a%01b"]:
        response = client.get(address)
        assert response.status_code == 400, address
        html = response.content.decode()
        assert SITE_400 in html and 'class="site-header"' in html


def test_tab_and_newline_in_a_query_value_are_text_not_an_attack(client):
    response = client.get("/courses/", {"q": "沙糖桔\t网店\r\n"})
    assert response.status_code == 200


def test_nul_in_the_signoffs_comment_is_an_error_beside_it_and_saves_nothing(client):
    """The comment used to go from request.POST to the database without a form: on
    PostgreSQL a 500. Now its form refuses NUL beside the field and keeps the period."""
    places = report_data()
    client.force_login(county_staff(places["luoding"]))
    response = client.post(
        "/coverage/signoff/submit/", {"start": "", "end": "", "comment": "请审核\x00"}
    )
    assert response.status_code == 200
    assert 'id="submit-comment-error">' in response.content.decode()
    assert not Submission.objects.exists()


def test_nul_in_the_bureaus_review_comment_is_refused_and_the_submission_waits(client):
    places = report_data()
    officer = county_staff(places["luoding"])
    submission = signoff.submit(places["luoding"], *plan_period(), officer)
    client.force_login(bureau_user())
    response = client.post(
        f"/coverage/signoff/{submission.pk}/review/", {"action": "return", "comment": "退回\x00"}
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert '<li class="error">' in client.get(response.url).content.decode()
