"""The default Wagtail site is called by the platform's name, not "localhost".

Wagtail shows a site's name (falling back to its host name) in the CMS page explorer
and the site switcher; a newcomer should read the platform's name there. A name an
administrator has already given the site is kept.
"""

from django.db import migrations

SITE_NAME = "云浮农村电商培训"


def name_the_default_site(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    Site.objects.filter(is_default_site=True, site_name="").update(site_name=SITE_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_home_catalog_and_tracks"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(name_the_default_site, migrations.RunPython.noop)]
