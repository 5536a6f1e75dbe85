import pytest


@pytest.mark.django_db
def test_pages_are_in_chinese_by_default(client):
    page = client.get("/courses/").content.decode()
    assert 'lang="zh-hans"' in page
    assert "课程目录" in page
    assert "登录" in page


@pytest.mark.django_db
def test_english_can_be_chosen(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/courses/"})
    page = client.get("/courses/").content.decode()
    assert 'lang="en"' in page
    assert "Log in" in page
    assert "登录" not in page
