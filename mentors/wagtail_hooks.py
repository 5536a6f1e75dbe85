"""The CMS's 讲师团与带头人 menu: experts, entrepreneurs, the short lists and the import.

Only users with the mentors permissions (the 帮带管理员 group, superusers) see it. Phone
numbers are shown and exported in full here: staff are the people allowed to see them.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from sheets.menus import SheetUploadMenu

from . import account_links, admin_views
from .models import Entrepreneur, Expert, ExpertiseTag, Product, SalesChannel
from .sheet_kinds import ENTREPRENEURS_SHEET, EXPERTS_SHEET

user_chooser_viewset = admin_views.UserChooserViewSet()


def _joined_column(name, label, prefetched):
    """A many-to-many as a list of names, from the list the listing's queryset prefetched."""
    return Column(
        name, label=label, accessor=lambda item: admin_views.joined(getattr(item, prefetched))
    )


class ExpertViewSet(ModelViewSet):
    model = Expert
    icon = "user"
    menu_label = _("Experts")
    url_prefix = "mentors/experts"
    url_namespace = "mentor_experts"
    index_view_class = admin_views.ExpertIndexView
    filterset_class = admin_views.ExpertFilterSet
    search_fields = ["name", "organisation", "introduction"]
    copy_view_enabled = False
    list_display = [
        "name",
        "expert_type",
        "organisation",
        _joined_column("counties", _("Counties served"), "county_list"),
        "capacity",
        Column("places_free", label=_("Places free"), sort_key="places_free"),
        BooleanColumn("is_active", label=_("Active"), sort_key="is_active"),
        Column("masked_phone", label=_("Mobile phone")),
        Column("account", label=_("Account"), accessor=account_links.account_state),
    ]
    list_export = [
        "name",
        "expert_type",
        "organisation",
        "organisation_kind",
        "tags",
        "introduction",
        "counties",
        "capacity",
        "phone",
        "places_free",
        "is_active",
        "is_instructor",
    ]
    # The first nine columns are `manage.py import_experts`'s header, in its order: with the
    # others deleted, an exported sheet can be edited and imported again.
    export_headings = {
        "name": "姓名",
        "expert_type": "专家类型",
        "organisation": "单位",
        "organisation_kind": "单位类型",
        "tags": "擅长领域",
        "introduction": "简介",
        "counties": "服务县区",
        "capacity": "带教名额",
        "phone": "手机号",
        "places_free": "空余名额",
        "is_active": "是否在册",
        "is_instructor": "是否讲师",
    }
    export_filename = "experts"
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("phone")]),
            FieldRowPanel([FieldPanel("expert_type"), FieldPanel("capacity")]),
            FieldRowPanel([FieldPanel("organisation"), FieldPanel("organisation_kind")]),
            FieldPanel("photo"),
            FieldPanel("introduction"),
            FieldPanel("tags", widget=forms.CheckboxSelectMultiple),
            FieldPanel("counties", widget=forms.CheckboxSelectMultiple),
            FieldPanel("is_active"),
            MultiFieldPanel(
                [
                    FieldPanel("user", widget=user_chooser_viewset.widget_class),
                    FieldPanel("is_instructor"),
                ],
                heading=_("User account"),
            ),
        ],
        base_form_class=admin_views.ExpertForm,
    )


class EntrepreneurViewSet(ModelViewSet):
    model = Entrepreneur
    icon = "group"
    menu_label = _("Entrepreneurs")
    url_prefix = "mentors/entrepreneurs"
    url_namespace = "mentor_entrepreneurs"
    index_view_class = admin_views.EntrepreneurIndexView
    filterset_class = admin_views.EntrepreneurFilterSet
    search_fields = ["name", "needs", "other_products"]
    copy_view_enabled = False
    list_display = [
        "name",
        "background",
        "village",
        "stage",
        "mentor",
        "households_helped",
        Column(
            "phone",
            label=_("Mobile phone"),
            accessor=lambda entrepreneur: admin_views.national_number(entrepreneur.phone),
            sort_key="phone",
        ),
    ]
    list_export = [
        "name",
        "phone",
        "background",
        "village_name",
        "products",
        "stage",
        "channels",
        "needs",
        "households_helped",
        "other_products",
        "school",
        "graduation_year",
        "mentor_name",
        "mentor_since",
        "created_at",
    ]
    # The first nine columns are `manage.py import_entrepreneurs`'s header, in its order.
    export_headings = {
        "name": "姓名",
        "phone": "手机号",
        "background": "背景",
        "village_name": "行政村",
        "products": "产品",
        "stage": "经营阶段",
        "channels": "销售渠道",
        "needs": "需求",
        "households_helped": "带动贫困户数",
        "other_products": "其他产品",
        "school": "毕业院校",
        "graduation_year": "毕业年份",
        "mentor_name": "帮带专家",
        "mentor_since": "帮带开始日期",
        "created_at": "登记时间",
    }
    export_filename = "entrepreneurs"
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("phone")]),
            FieldPanel("background"),
            FieldRowPanel([FieldPanel("school"), FieldPanel("graduation_year")]),
            FieldPanel("village"),
            FieldPanel("products", widget=forms.CheckboxSelectMultiple),
            FieldPanel("other_products"),
            FieldPanel("stage"),
            FieldPanel("channels", widget=forms.CheckboxSelectMultiple),
            FieldPanel("needs"),
            FieldPanel("households_helped"),
            FieldRowPanel([FieldPanel("mentor"), FieldPanel("mentor_since")]),
            FieldPanel("user", widget=user_chooser_viewset.widget_class),
        ],
        base_form_class=admin_views.EntrepreneurForm,
    )


class ShortListViewSet(ModelViewSet):
    """A short list staff keep up to date; its order is the order forms offer it in."""

    copy_view_enabled = False
    icon = "list-ul"
    list_display = ["name", "sort_order"]
    form_fields = ["name", "sort_order"]
    search_fields = ["name"]
    ordering = ["sort_order", "name"]


class ExpertiseTagViewSet(ShortListViewSet):
    model = ExpertiseTag
    icon = "tag"
    menu_label = _("Expertise")
    url_prefix = "mentors/expertise"
    url_namespace = "mentor_expertise"


class ProductViewSet(ShortListViewSet):
    model = Product
    menu_label = _("Products")
    url_prefix = "mentors/products"
    url_namespace = "mentor_products"


class SalesChannelViewSet(ShortListViewSet):
    model = SalesChannel
    menu_label = _("Sales channels")
    url_prefix = "mentors/channels"
    url_namespace = "mentor_channels"


class MentorsViewSetGroup(ViewSetGroup):
    items = (
        ExpertViewSet,
        EntrepreneurViewSet,
        SheetUploadMenu(EXPERTS_SHEET),
        SheetUploadMenu(ENTREPRENEURS_SHEET),
        ExpertiseTagViewSet,
        ProductViewSet,
        SalesChannelViewSet,
    )
    menu_label = _("Lecturer team and entrepreneurs")
    # Named in ASCII: a name made from the Chinese label would be empty.
    menu_name = "mentors"
    menu_icon = "group"
    menu_order = 330


@hooks.register("register_admin_viewset")
def register_mentors_viewsets():
    return [MentorsViewSetGroup(), user_chooser_viewset]
