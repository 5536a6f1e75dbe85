"""Templates obey the apps' import order (README, "Layout"): an app's templates load tag
libraries and include or extend templates only from the app itself, the apps below it,
Django, Wagtail, allauth and site/ (the project's base layout). What composes several
apps (a page that shows a course with its enrolment, say) lives in site/templates/,
above every app."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.template.backends.django import get_installed_libraries

ROOT = Path(__file__).resolve().parents[2]

# Each app and the apps it may use, directly or through another (README, "Layout").
BELOW = {
    "sheets": set(),
    "regions": {"sheets"},
    "accounts": {"sheets", "regions"},
    "courses": {"sheets", "regions", "accounts"},
    "classes": {"sheets", "regions", "accounts", "courses"},
    "learning": {"sheets", "regions", "accounts", "courses", "classes"},
    "coverage": {"sheets", "regions", "accounts", "courses", "classes", "learning"},
    "mentors": {"sheets", "regions", "accounts", "courses", "classes", "learning"},
    "matching": {"sheets", "regions", "accounts", "courses", "classes", "learning", "mentors"},
}
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")
NAMED = re.compile(r"{%\s*(?:include|extends)\s+[\"']([^\"']+)[\"']")


def project_app(module: str) -> str | None:
    top = module.split(".")[0]
    return top if top in BELOW else None


def library_apps() -> dict[str, str]:
    """Each tag library's name and the project app that defines it (others: None)."""
    return {name: project_app(module) for name, module in get_installed_libraries().items()}


def template_app(name: str) -> str | None:
    """The project app whose templates/ folder holds the template (site/ and the
    packages' templates: None), as the loaders would find it first."""
    if (ROOT / "site" / "templates" / name).exists():
        return None
    for app in BELOW:
        if (ROOT / app / "templates" / name).exists():
            return app
    return None


def uses(path: Path):
    text = path.read_text(encoding="utf-8")
    libraries = library_apps()
    for match in LOAD.finditer(text):
        for word in match[1].split():
            if word == "from":
                break
            yield f"{{% load {word} %}}", libraries.get(word)
    for match in NAMED.finditer(text):
        yield match[0], template_app(match[1])


def crossings() -> list[str]:
    found = []
    for app in BELOW:
        folder = ROOT / app / "templates"
        for path in sorted(folder.rglob("*.html")) + sorted(folder.rglob("*.txt")):
            for use, owner in uses(path):
                if owner is not None and owner != app and owner not in BELOW[app]:
                    found.append(f"{path.relative_to(ROOT)}: {use} is {owner}'s")
    return found


def test_the_order_matches_the_installed_apps():
    assert set(BELOW) <= {config.label for config in apps.get_app_configs()}


def test_app_templates_use_only_their_own_app_and_the_apps_below():
    assert crossings() == []


@pytest.mark.parametrize(
    ("app", "text", "owner"),
    [
        ("courses", "{% load i18n enrolment_tags %}", "learning"),
        ("learning", '{% include "mentors/includes/form_field.html" %}', "mentors"),
    ],
)
def test_the_scan_sees_a_template_reaching_up(tmp_path, app, text, owner):
    page = tmp_path / "page.html"
    page.write_text(text, encoding="utf-8")
    found = [(use, who) for use, who in uses(page)]
    assert any(who == owner and who not in BELOW[app] for _use, who in found), found
