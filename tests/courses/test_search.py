"""Catalog search over everything taught: lesson titles and text too, any Chinese substring,
titles ranked above text, only what is live and public."""

import pytest
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from courses.search import search_terms, snippet

from .factories import make_course, make_lesson


def card_titles(response):
    """Course cards in the order shown (not sorted: the order is the ranking)."""
    return [course.title for course in response.context["courses"]]


def found_lessons(response):
    return [hit.lesson.title for hit in response.context["found_lessons"]]


@pytest.fixture
def shopping(catalog, tracks):
    course = make_course(
        catalog, tracks["basics"], "六分钟学会手机下单", summary="给第一次网购的村民。"
    )
    lesson = make_lesson(
        course,
        "找到商品、看清详情",
        html="<p>打开购物软件，在搜索框里输入想买的东西，比如“<b>化</b>肥”或“快递箱”。</p>"
        "<p>点开商品后先看价格和运费。</p>",
    )
    return course, lesson


@pytest.mark.django_db
def test_a_word_only_inside_a_lesson_body_finds_its_course_and_lesson(client, shopping):
    """化肥 is split by markup in the lesson (<b>化</b>肥): the text is searched, not the HTML."""
    course, lesson = shopping

    response = client.get("/courses/", {"q": "化肥"})

    assert card_titles(response) == ["六分钟学会手机下单"]
    assert found_lessons(response) == ["找到商品、看清详情"]
    html = response.content.decode()
    assert "在课时中找到" in html
    assert f'href="{lesson.url}"' in html
    assert "<mark>化肥</mark>" in html
    assert "找到 1 门课程" in html


@pytest.mark.django_db
def test_any_two_characters_inside_a_word_are_found(client, shopping):
    assert found_lessons(client.get("/courses/", {"q": "递箱"})) == ["找到商品、看清详情"]
    assert card_titles(client.get("/courses/", {"q": "分钟学"})) == ["六分钟学会手机下单"]


@pytest.mark.django_db
def test_titles_rank_above_text(client, catalog, tracks, shopping):
    """The body hit's course comes first in the catalog's own order; the title hits win."""
    in_summary = make_course(
        catalog, tracks["online-shops"], "网店发货实务", summary="用快递箱打包沙糖桔。"
    )
    titled = make_course(catalog, tracks["online-shops"], "快递箱的选择与打包")
    make_lesson(in_summary, "怎样选快递箱", html="<p>大小合适最重要。</p>")
    make_lesson(in_summary, "封箱", html="<p>快递箱要用胶带封好。</p>")

    response = client.get("/courses/", {"q": "快递箱"})

    assert card_titles(response) == [titled.title, in_summary.title, "六分钟学会手机下单"]
    assert found_lessons(response) == ["怎样选快递箱", "封箱", "找到商品、看清详情"]


@pytest.mark.django_db
def test_a_single_character_finds_what_contains_it(client, shopping):
    assert card_titles(client.get("/courses/", {"q": "肥"})) == ["六分钟学会手机下单"]


@pytest.mark.django_db
# A NUL is refused before the search with a 400 (tests/site/test_bad_input.py).
@pytest.mark.parametrize("query", ["，。！", "“”", "%", "_"])
def test_punctuation_alone_finds_nothing_and_says_so(client, shopping, query):
    response = client.get("/courses/", {"q": query})

    assert response.status_code == 200
    assert card_titles(response) == []
    assert "没有找到" in response.content.decode()


@pytest.mark.django_db
def test_english_is_found_whatever_its_case(client, catalog, tracks):
    course = make_course(catalog, tracks["basics"], "记账入门")
    make_lesson(course, "用表格记账", html="<p>用 Excel 记下每天的订单。</p>")

    assert found_lessons(client.get("/courses/", {"q": "EXCEL"})) == ["用表格记账"]
    assert found_lessons(client.get("/courses/", {"q": "excel 订单"})) == ["用表格记账"]
    assert found_lessons(client.get("/courses/", {"q": "excel 化肥"})) == []


@pytest.mark.django_db
def test_unpublished_and_draft_lessons_are_not_found(client, shopping):
    course, lesson = shopping
    make_lesson(course, "草稿课时", html="<p>农药的安全使用。</p>", publish=False)
    assert found_lessons(client.get("/courses/", {"q": "化肥"})) == ["找到商品、看清详情"]

    lesson.unpublish()

    assert card_titles(client.get("/courses/", {"q": "化肥"})) == []
    assert card_titles(client.get("/courses/", {"q": "农药"})) == []


@pytest.mark.django_db
def test_a_lesson_is_found_by_what_was_last_published_not_its_draft(client, shopping):
    course, lesson = shopping
    assert found_lessons(client.get("/courses/", {"q": "化肥"})) == ["找到商品、看清详情"]

    lesson.body = [("paragraph", RichText("<p>有机肥怎样施用。</p>"))]
    lesson.save_revision()
    assert found_lessons(client.get("/courses/", {"q": "有机肥"})) == []

    lesson.get_latest_revision().publish()
    assert found_lessons(client.get("/courses/", {"q": "有机肥"})) == ["找到商品、看清详情"]
    assert found_lessons(client.get("/courses/", {"q": "快递箱"})) == []


@pytest.mark.django_db
def test_private_courses_and_their_lessons_are_not_found(client, shopping):
    course, _ = shopping
    PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    assert card_titles(client.get("/courses/", {"q": "化肥"})) == []


@pytest.mark.django_db
def test_lesson_hits_stay_within_the_chosen_track(client, shopping):
    assert card_titles(client.get("/courses/", {"q": "化肥", "track": "basics"})) != []
    other_track = client.get("/courses/", {"q": "化肥", "track": "online-shops"})
    assert card_titles(other_track) == []
    assert found_lessons(other_track) == []


def test_search_terms_are_runs_of_letters_digits_and_chinese_characters():
    assert search_terms("“化肥”，快递箱 Excel2024!") == ["化肥", "快递箱", "Excel2024"]
    assert search_terms("!?。") == []


def test_a_snippet_marks_the_terms_and_escapes_the_rest():
    text = "前言" * 20 + "<b>化肥</b>与化肥" + "后记" * 40

    passage = snippet(text, ["化肥"])

    assert passage.startswith("…")
    assert passage.endswith("…")
    assert "&lt;b&gt;<mark>化肥</mark>&lt;/b&gt;与<mark>化肥</mark>" in passage
