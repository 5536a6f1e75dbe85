"""务工状况 in the national system's words (全国扶贫开发信息系统, see DESIGN.md).

Members imported before this migration carry the words an earlier design used; they are
rewritten to the national ones. The words are copied here, not imported from
coverage.vocabulary, so that this migration keeps doing what it did when that changes.

Going back restores the old words where one national word came from one old word.
Blank stays blank (it may have been 在家 or not given) and 其他 stays 其他: the old
vocabulary had no word for either.
"""

from django.db import migrations, models

OLD_TO_NATIONAL = {
    "省内县外务工": "县外省内务工",
    "县内务工": "乡（镇）外县内务工",
    "乡镇内务工": "乡（镇）内务工",
    "在家": "",
}
NATIONAL_TO_OLD = {
    national: old for old, national in OLD_TO_NATIONAL.items() if national
}


def _rewrite(apps, schema_editor, mapping):
    members = apps.get_model("coverage", "RegistryMember").objects.using(
        schema_editor.connection.alias
    )
    for before, after in mapping.items():
        members.filter(work_status=before).update(work_status=after)


def to_national_words(apps, schema_editor):
    _rewrite(apps, schema_editor, OLD_TO_NATIONAL)


def to_old_words(apps, schema_editor):
    _rewrite(apps, schema_editor, NATIONAL_TO_OLD)


class Migration(migrations.Migration):

    dependencies = [
        ('coverage', '0003_roles'),
    ]

    operations = [
        migrations.AlterField(
            model_name='registrymember',
            name='work_status',
            field=models.CharField(blank=True, choices=[('乡（镇）内务工', 'Working in the township'), ('乡（镇）外县内务工', 'Working outside the township, in the county'), ('县外省内务工', 'Working outside the county, in the province'), ('省外务工', 'Working outside the province'), ('其他', 'Other work status'), ('', 'Not given')], max_length=20, verbose_name='work status'),
        ),
        migrations.RunPython(to_national_words, to_old_words),
    ]
