"""Demo accounts for trying the site: one per role, with a password printed by seed_demo."""

from django.contrib.auth.models import Group

from regions.models import Village

from .models import User

DEMO_PASSWORD = "yunfu-demo-2026"

# (mobile, real name, Wagtail group or None, superuser, what the role is for)
DEMO_USERS = [
    ("13800000000", "系统管理员", None, True, "admin"),
    ("13800000001", "陈讲师", "讲师", False, "instructor"),
    ("13800000002", "黄管理员", "课程管理员", False, "course manager"),
    ("13800000003", "李学员", None, False, "trainee"),
    ("13800000004", "何帮带", "帮带管理员", False, "mentoring staff"),
    ("13800000005", "邓志强", None, False, "expert"),
    ("13800000006", "陈返乡", None, False, "entrepreneur"),
    # The coverage groups (coverage.roles); the county officer's county is set by coverage.demo.
    ("13800000007", "周科长", "商务局", False, "commerce bureau"),
    ("13800000008", "罗专员", "县级商务部门", False, "county staff"),
]

# Where the demo users live: a provincial poor village of a demonstration county in the
# demo regions (regions.demo), named as the statistics bureau names it.
DEMO_HOME_VILLAGE = ("罗定市", "罗镜镇", "水摆村委会")


def load_demo_users():
    """Create the demo accounts once; a second run leaves them (and their passwords) alone."""
    county, town, village_name = DEMO_HOME_VILLAGE
    village = Village.objects.filter(
        town__county__name=county, town__name=town, name=village_name
    ).first()
    users = {}
    for phone, name, group_name, is_superuser, role in DEMO_USERS:
        user = User.objects.filter(phone=f"+86{phone}").first()
        if user is None:
            create = User.objects.create_superuser if is_superuser else User.objects.create_user
            user = create(
                phone, DEMO_PASSWORD, real_name=name, phone_verified=True, home_village=village
            )
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))
        users[role] = user
    return users
