"""Give every database the site's skeleton: the home page, the catalog and the four tracks.

Wagtail installs a placeholder page ("Welcome to your new Wagtail site!"); it is
replaced by a HomePage with the CatalogPage at /courses/ below it, and the default
site points at the new home page. A database that already has a HomePage is left alone.

Historical models have no treebeard methods, so tree paths are written by hand.
"""

from django.db import migrations
from django.utils import timezone

from courses.curriculum import ensure_tracks

HOME_INTRO = (
    "<p>云浮市农村电商培训平台：面向村民、返乡青年和基层干部，"
    "从电商基础到开设网店、微店经营和网络营销，帮助大家把沙糖桔、"
    "肉桂、南药、无核黄皮、罗定稻米等云浮好物卖出大山。</p>"
)
CATALOG_INTRO = "<p>按课程方向浏览，或输入关键词搜索课程。学满课程学时即可完成课程。</p>"

STEP = 4  # characters per tree level in treebeard's materialised path
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _child_path(parent_path, position):
    digits = ""
    while position:
        position, remainder = divmod(position, len(ALPHABET))
        digits = ALPHABET[remainder] + digits
    return parent_path + digits.rjust(STEP, "0")


def _next_child_path(Page, parent):
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    last = last.order_by("-path").first()
    position = int(last.path[-STEP:], len(ALPHABET)) + 1 if last else 1
    return _child_path(parent.path, position)


def _add_child(Page, model, parent, **fields):
    """Create ``model`` as the last child of ``parent``, live, the way Page.add_child would."""
    ContentType = Page._meta.apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(
        app_label=model._meta.app_label, model=model._meta.model_name
    )
    now = timezone.now()
    page = model.objects.create(
        content_type=content_type,
        path=_next_child_path(Page, parent),
        depth=parent.depth + 1,
        numchild=0,
        url_path=f"{parent.url_path}{fields['slug']}/",
        draft_title=fields["title"],
        locale_id=parent.locale_id,
        live=True,
        first_published_at=now,
        last_published_at=now,
        **fields,
    )
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + 1)
    parent.numchild += 1
    return page


def create_home_and_catalog(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("courses", "HomePage")
    CatalogPage = apps.get_model("courses", "CatalogPage")
    if HomePage.objects.exists():
        return

    root = Page.objects.get(depth=1)
    # Only Wagtail's untouched placeholder goes; a page someone has built on stays.
    Page.objects.filter(
        depth=2,
        slug="home",
        numchild=0,
        content_type__app_label="wagtailcore",
        content_type__model="page",
    ).delete()
    root.numchild = Page.objects.filter(depth=2).count()
    slug_taken = Page.objects.filter(depth=2, slug="home").exists()
    home = _add_child(
        Page,
        HomePage,
        root,
        title="云浮农村电商培训",
        slug="yunfu-home" if slug_taken else "home",
        intro=HOME_INTRO,
    )
    _add_child(Page, CatalogPage, home, title="课程目录", slug="courses", intro=CATALOG_INTRO)

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.save()


def create_tracks(apps, schema_editor):
    ensure_tracks(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(create_home_and_catalog, migrations.RunPython.noop),
        migrations.RunPython(create_tracks, migrations.RunPython.noop),
    ]
