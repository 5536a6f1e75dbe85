"""A web worker does not load the matcher's numeric libraries.

NumPy, SciPy, scikit-learn, pandas and OR-Tools weigh ~170 MB in each gunicorn worker;
only the processes that match (the Celery worker running a run, a staff member's request
that scores alternatives) need them. A fresh process with the production settings loads
what a worker loads when it boots and serves pages, and must not have imported them.
"""

import json
import os
import subprocess
import sys

from tests.site.test_settings import PRODUCTION_ENV, ROOT

NUMERIC = ("numpy", "scipy", "sklearn", "pandas", "ortools")

# What a web worker loads: the settings and apps, the URLconf (with every app's views
# and the CMS's URLs, which run the register_admin_urls hooks), every Wagtail hook
# module with the admin menu built from them, every template tag library, and the
# Celery task modules (a request that queues a text finalises the Celery app, which
# imports every app's tasks.py).
LOAD_LIKE_A_WEB_WORKER = f"""
import json, sys
import django
django.setup()
from django.template import engines
from django.urls import get_resolver
from wagtail import hooks
from wagtail.admin.menu import admin_menu, settings_menu
import yunfu.urls
from yunfu import celery_app

get_resolver().url_patterns
hooks.search_for_hooks()
for name in list(hooks._hooks):
    hooks.get_hooks(name)
admin_menu.registered_menu_items
settings_menu.registered_menu_items
for engine in engines.all():
    getattr(engine, "engine", engine).template_libraries
celery_app.loader.import_default_modules()
loaded = sorted({{name.partition(".")[0] for name in sys.modules}} & set({NUMERIC!r}))
print(json.dumps({{"loaded": loaded, "matching": "matching.runs" in sys.modules}}))
"""


def run_apart(code: str, env: dict) -> dict:
    """Run ``code`` in a fresh interpreter (its imports are its own) and return the JSON
    it prints last."""
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=clean | env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_web_worker_loads_none_of_the_matchers_numeric_libraries():
    found = run_apart(LOAD_LIKE_A_WEB_WORKER, PRODUCTION_ENV)
    # The run code itself was imported (the CMS starts runs), only not its libraries.
    assert found["matching"], "matching.runs was not imported: the test loads too little"
    assert found["loaded"] == [], f"a web worker imported {found['loaded']}"


# The CMS's runs page, rendered for a superuser on a fresh in-memory database (tables
# made from the models, which is quicker than running every migration): it shows the
# weights the matcher uses, from matching.criteria, not from the matcher itself.
RENDER_THE_RUNS_PAGE = f"""
import json, os, sys
os.environ["DATABASE_URL"] = "sqlite://:memory:"
import django
from django.conf import settings

class NoMigrations(dict):
    def __contains__(self, app):
        return True

    def __getitem__(self, app):
        return None

settings.MIGRATION_MODULES = NoMigrations()
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

call_command("migrate", run_syncdb=True, verbosity=0)
client = Client()
client.force_login(get_user_model().objects.create_superuser(phone="13900000001"))
response = client.get(reverse("matching_runs:index"))
loaded = sorted({{name.partition(".")[0] for name in sys.modules}} & set({NUMERIC!r}))
print(json.dumps({{"status": response.status_code, "html": response.content.decode(),
                  "loaded": loaded}}))
"""


def test_the_cms_runs_page_loads_none_of_the_matchers_numeric_libraries():
    found = run_apart(RENDER_THE_RUNS_PAGE, {"DJANGO_SETTINGS_MODULE": "yunfu.settings.test"})
    assert found["status"] == 200
    # The weights panel was shown: the page did read the criteria and their weights.
    assert "默认权重——决定还太少。" in found["html"]
    assert found["loaded"] == [], f"the runs page imported {found['loaded']}"
