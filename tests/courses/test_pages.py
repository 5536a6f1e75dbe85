"""The public pages route, render in Chinese, and show what a trainee needs."""

from decimal import Decimal

import pytest

from courses.models import CoursePage

from .factories import make_course, make_image, make_lesson, make_user


@pytest.mark.django_db
def test_the_home_page_shows_the_tracks_and_featured_courses_first(client, catalog, tracks):
    make_course(catalog, tracks["basics"], "电商平台规则与法律常识")
    make_course(catalog, tracks["online-marketing"], "直播带货实务", featured=True)
    make_course(catalog, tracks["basics"], "未发布的课程", publish=False)

    response = client.get("/")

    assert response.status_code == 200
    assert [track.name for track in response.context["tracks"]] == [
        "电商基础",
        "开设网店",
        "微店",
        "网络营销",
    ]
    assert [track.course_count for track in response.context["tracks"]] == [1, 0, 0, 1]
    html = response.content.decode()
    assert 'href="/courses/?track=micro-shops"' in html
    assert [course.title for course in response.context["courses"]] == [
        "直播带货实务",
        "电商平台规则与法律常识",
    ]
    assert "未发布的课程" not in html
    assert "推荐课程" in html  # the UI itself is Chinese, not just the content


@pytest.mark.django_db
def test_a_course_page_lists_its_live_lessons_in_the_order_set_in_the_cms(client, catalog, tracks):
    course = make_course(
        catalog,
        tracks["online-shops"],
        "淘宝开店实操",
        required_hours=Decimal("7.5"),
        level=CoursePage.Level.INTERMEDIATE,
        instructors=[make_user("陈讲师", group="讲师")],
    )
    first = make_lesson(course, "注册与实名认证")
    second = make_lesson(course, "发布第一件商品")
    make_lesson(course, "还在写的课时", publish=False)
    # An editor drags the second lesson to the top in the page explorer.
    second.move(course, pos="first-child")

    response = client.get(course.url)

    assert response.status_code == 200
    assert [lesson.pk for lesson in response.context["lessons"]] == [second.pk, first.pk]
    html = response.content.decode()
    assert html.index("发布第一件商品") < html.index("注册与实名认证")
    assert "还在写的课时" not in html
    assert "7.5 学时" in html
    assert "进阶" in html
    assert "讲师：</strong>" in html and "陈讲师" in html


@pytest.mark.django_db
def test_a_course_cover_is_served_as_responsive_renditions(client, catalog, tracks):
    course = make_course(catalog, tracks["micro-shops"], "微信小店开店", cover_image=make_image())

    html = client.get(course.url).content.decode()
    card = client.get(catalog.url).content.decode()

    assert "<picture>" in html
    assert "fill-400x225" in html and "fill-800x450" in html
    assert "image/webp" in html
    assert "fill-400x225" in card and 'sizes="' in card


@pytest.mark.django_db
def test_a_lesson_page_shows_its_body_and_leads_to_the_next_lesson(client, catalog, tracks):
    course = make_course(catalog, tracks["online-marketing"], "抖音短视频带货")
    first = make_lesson(course, "账号定位", html="<p>先想清楚你是谁、拍给谁看。</p>", minutes=15)
    second = make_lesson(course, "拍摄与剪辑入门")

    response = client.get(first.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "先想清楚你是谁、拍给谁看。" in html
    assert "第 1 课，共 2 课" in html
    assert "约 15 分钟" in html
    assert f'href="{second.url}"' in html
    assert f'href="{course.url}"' in html
    assert client.get(second.url).context["previous_lesson"].pk == first.pk


@pytest.mark.django_db
def test_draft_courses_and_lessons_are_not_served(client, catalog, tracks):
    draft = make_course(catalog, tracks["basics"], "草稿课程", publish=False)
    live = make_course(catalog, tracks["basics"], "已发布课程")
    draft_lesson = make_lesson(live, "草稿课时", publish=False)

    assert client.get(f"{catalog.url}{draft.slug}/").status_code == 404
    assert client.get(f"{live.url}{draft_lesson.slug}/").status_code == 404
    assert client.get(live.url).status_code == 200
