"""Online study time on a phone: a visible lesson earns about its wall time and never more
than the page itself measured, a second tab open at the same time does not double it, and
a hidden page earns nothing.

The lesson page asks for a beat every 30 seconds; the test rewrites that number in the
page as it arrives, so that the script beats every few seconds against the real server.
"""

import json
import re
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support import assert_fits_phone_width, screenshot

pytestmark = pytest.mark.browser

TRAINEE = ("13800000003", "yunfu-demo-2026")
INTERVAL = 3  # seconds between beats in this test

# The trainee enrols in a course no other browser test studies, through the ORM; the
# enrol button has a test of its own. Prints the course's first two lesson paths.
ENROL = """
import json
from accounts.models import User
from courses.models import CoursePage, LessonPage
from learning.models import Enrollment
user = User.objects.get(phone="+86{phone}")
course = CoursePage.objects.get(slug="live-streaming-sales")
Enrollment.objects.update_or_create(user=user, course=course, defaults={{"left_at": None}})
lessons = LessonPage.objects.child_of(course).live().order_by("path")[:2]
print(json.dumps([lesson.get_url() for lesson in lessons]))
"""

ONLINE_SECONDS = """
from django.db.models import Sum
from learning.models import OnlineStudy
rows = OnlineStudy.objects.filter(user__phone="+86{phone}", course__slug="live-streaming-sales")
print(rows.aggregate(seconds=Sum("seconds"))["seconds"] or 0)
"""

HIDE = """() => {
  Object.defineProperty(document, "visibilityState", {value: "hidden", configurable: true});
  document.dispatchEvent(new Event("visibilitychange"));
}"""

SHOW = """() => {
  delete document.visibilityState;
  document.dispatchEvent(new Event("visibilitychange"));
}"""


@dataclass(frozen=True)
class Beat:
    at: float  # when the answer came back, time.monotonic()
    view: str
    seq: int
    elapsed_ms: int  # the page's own time since its previous beat
    credited: int
    course_seconds: int


class BeatLog:
    """Every heartbeat the browser context sends, and what the server answered."""

    def __init__(self, context):
        self.sent = []
        self.beats = []
        self._answers = []
        context.on("request", self._on_request)
        context.on("response", self._on_response)

    @staticmethod
    def _is_beat(request):
        return request.method == "POST" and urlsplit(request.url).path == "/learning/heartbeat/"

    def _on_request(self, request):
        if self._is_beat(request):
            self.sent.append(time.monotonic())

    def _on_response(self, response):
        # Bodies are read later, outside the event handler, where the sync API may block.
        if self._is_beat(response.request) and response.request.resource_type != "ping":
            self._answers.append((time.monotonic(), response))

    def read(self):
        while self._answers:
            at, response = self._answers.pop(0)
            assert response.status == 200, response.text()
            form = parse_qs(response.request.post_data)
            answer = response.json()
            self.beats.append(
                Beat(
                    at,
                    form["view"][0],
                    int(form["seq"][0]),
                    int(form["elapsed_ms"][0]),
                    answer["credited"],
                    answer["course_seconds"],
                )
            )
        return self.beats

    def of_view(self, view):
        return [beat for beat in self.read() if beat.view == view]

    def wait_until(self, page, condition, timeout=60):
        deadline = time.monotonic() + timeout
        while not condition(self.read()):
            assert time.monotonic() < deadline, f"timed out; beats so far: {self.beats}"
            page.wait_for_timeout(100)


def shell(server, code):
    """The last line the code printed, run by ``manage.py shell`` on the server's database."""
    return server.manage("shell", "-c", code).splitlines()[-1]


def shorten_interval(route):
    response = route.fetch()
    body = re.sub(r'data-interval="\d+"', f'data-interval="{INTERVAL}"', response.text())
    route.fulfill(response=response, body=body)


def assert_about_wall_time(beats):
    """Each beat after the first credits the time since the one before, in whole seconds,
    and never more than the pages said they were open (``elapsed_ms``)."""
    elapsed = beats[-1].at - beats[0].at
    credited = beats[-1].course_seconds - beats[0].course_seconds
    assert credited == sum(beat.credited for beat in beats[1:])
    # Whole seconds are credited and the fraction carries to the next beat, so the window
    # may include up to a second held back before it; the answers' timing blurs one more.
    assert elapsed - 2 <= credited <= elapsed + 2, (credited, elapsed, beats)
    for tab in {beat.view for beat in beats}:
        own = [beat for beat in beats[1:] if beat.view == tab]
        vouched = sum(beat.elapsed_ms for beat in own) / 1000
        assert sum(beat.credited for beat in own) <= vouched + 1, (tab, vouched, beats)


def test_a_visible_lesson_earns_its_wall_time_once_and_a_hidden_one_nothing(phone, server):
    online_seconds = ONLINE_SECONDS.format(phone=TRAINEE[0])
    lesson_a, lesson_b = json.loads(shell(server, ENROL.format(phone=TRAINEE[0])))
    context = phone.context
    context.route(lambda url: urlsplit(url).path in {lesson_a, lesson_b}, shorten_interval)
    log = BeatLog(context)

    phone.goto("/accounts/login/")
    phone.get_by_label("手机号码").fill(TRAINEE[0])
    phone.locator("#id_password").fill(TRAINEE[1])
    phone.locator("form").get_by_role("button", name="登录").click()
    phone.wait_for_url(re.compile(r"/$"))
    # Opened directly rather than through the login's redirect, which routes do not see.
    phone.goto(lesson_a)
    assert phone.locator("script[data-interval]").get_attribute("data-interval") == str(INTERVAL)
    assert_fits_phone_width(phone)
    screenshot(phone, "study-1-lesson")

    # One tab: the first beat starts the clock, each later one credits about an interval.
    log.wait_until(phone, lambda beats: len(beats) >= 4)
    tab_a = log.beats[0].view
    one_tab = log.of_view(tab_a)[:4]
    assert [beat.seq for beat in one_tab] == [1, 2, 3, 4]
    assert (one_tab[0].credited, one_tab[0].elapsed_ms) == (0, 0)
    # The page measures its own interval between beats, as the server will credit no more.
    assert all(
        INTERVAL * 1000 - 500 <= beat.elapsed_ms <= INTERVAL * 1000 + 500 for beat in one_tab[1:]
    )
    assert_about_wall_time(one_tab)

    # A second tab on the next lesson, beating alongside the first: the time is shared.
    second = context.new_page()
    second.goto(lesson_b)
    log.wait_until(second, lambda beats: any(beat.view != tab_a for beat in beats))
    tab_b = next(beat.view for beat in log.beats if beat.view != tab_a)
    log.wait_until(second, lambda beats: len(log.of_view(tab_b)) >= 5)
    opened = log.of_view(tab_b)[0]
    together = [beat for beat in log.read() if beat.at >= opened.at]
    assert opened.credited == 0
    assert sum(beat.view == tab_a for beat in together) >= 3, "both tabs kept beating"
    assert_about_wall_time(together)
    assert_fits_phone_width(second)
    screenshot(second, "study-2-second-tab")
    second.close()

    # Hidden: the script stops; one last beat as it hides credits the time seen before.
    phone.evaluate(HIDE)
    phone.wait_for_timeout(1000)
    sent_while_hidden = len(log.sent)
    before = int(shell(server, online_seconds))
    phone.wait_for_timeout(3 * INTERVAL * 1000)
    after = int(shell(server, online_seconds))
    assert after == before, "a hidden page earned time"
    assert len(log.sent) == sent_while_hidden, "a hidden page kept beating"

    # Visible again: a new page view, whose first beat credits nothing for the gap.
    phone.evaluate(SHOW)
    log.wait_until(phone, lambda beats: len({beat.view for beat in beats}) == 3)
    tab_a_again = log.beats[-1].view
    assert tab_a_again not in {tab_a, tab_b}
    log.wait_until(phone, lambda beats: len(log.of_view(tab_a_again)) >= 3)
    resumed = log.of_view(tab_a_again)[:3]
    assert (resumed[0].seq, resumed[0].credited, resumed[0].course_seconds) == (1, 0, after)
    assert_about_wall_time(resumed)
    screenshot(phone, "study-3-visible-again")

    # The page beats on while the database is read: at most the time since then is added.
    latest = log.read()[-1]
    stored = int(shell(server, online_seconds))
    since = time.monotonic() - latest.at
    assert latest.course_seconds <= stored <= latest.course_seconds + since + 1
