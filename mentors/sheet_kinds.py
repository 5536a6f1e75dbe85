"""The experts' and the entrepreneurs' sheets, as kinds of the shared CMS upload (sheets).

The 帮带管理员 group (and whoever may add experts or entrepreneurs) uploads them from the
讲师团与带头人 menu; each is checked first and imported once confirmed.
"""

from pathlib import Path

from django.utils.translation import gettext_lazy

from sheets.kinds import SheetKind, register

from . import entrepreneur_import, expert_import

SAMPLES = Path(__file__).resolve().parent / "samples"


def _import_experts(source, *, dry_run, progress, options, user):
    return expert_import.import_experts(source, dry_run=dry_run)


def _import_entrepreneurs(source, *, dry_run, progress, options, user):
    return entrepreneur_import.import_entrepreneurs(source, dry_run=dry_run)


EXPERTS_SHEET = register(
    SheetKind(
        slug="experts",
        title=gettext_lazy("Import experts"),
        layout=expert_import.LAYOUT,
        run=_import_experts,
        permission="mentors.add_expert",
        sample=SAMPLES / "experts.csv",
        notes=(
            gettext_lazy(
                "List several expertise tags or counties in one cell separated by 、 (a full-width "
                "comma ， or a semicolon also works). Every tag must be on the expertise list, "
                "and every county in the regions."
            ),
            gettext_lazy(
                "Experts are known by their mobile number: importing the same sheet again "
                "changes nothing, and a changed row updates that expert, tags and counties "
                "replaced."
            ),
        ),
    )
)
ENTREPRENEURS_SHEET = register(
    SheetKind(
        slug="entrepreneurs",
        title=gettext_lazy("Import entrepreneurs"),
        layout=entrepreneur_import.LAYOUT,
        run=_import_entrepreneurs,
        permission="mentors.add_entrepreneur",
        sample=SAMPLES / "entrepreneurs.csv",
        notes=(
            gettext_lazy(
                "Write the village as county/town/village, for example 罗定市/罗镜镇/水摆村; "
                "the village's name alone is enough where no other village has it."
            ),
            gettext_lazy(
                "List several products or sales channels in one cell separated by 、. Products "
                "not on the product list are kept as other products; 微店 and 微信小店 both "
                "mean the channel 微信小店/微店."
            ),
            gettext_lazy(
                "Entrepreneurs are known by their mobile number: importing the same sheet again "
                "changes nothing, a changed row updates them and keeps their mentor, and one "
                "who has a user account with that number is linked to it."
            ),
        ),
    )
)
