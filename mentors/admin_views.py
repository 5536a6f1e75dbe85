"""The pieces of the CMS's 讲师团与带头人 menu that Wagtail does not give as settings: the
filters, the listings' querysets and spreadsheet export, the admin forms and a user chooser
that only mentoring staff may open. The menu itself is put together in wagtail_hooks."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.coreutils import multigetattr

from accounts.phone import normalize_mobile
from regions.models import County

from .models import (
    Entrepreneur,
    Expert,
    ExpertiseTag,
    Product,
    SalesChannel,
)

# A cell starting with one of these is a formula to a spreadsheet program.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def joined(manager):
    """The names of a prefetched many-to-many, as the bureau's sheets list them."""
    return "、".join(str(item) for item in manager.all())


def national_number(phone):
    """``+8613800138000`` → ``13800138000``: how the bureau's sheets write a mobile number,
    and what ``import_experts`` / ``import_entrepreneurs`` read back."""
    return phone.removeprefix("+86")


def yes_no(value):
    return _("yes") if value else _("no")


class ChineseSpreadsheetMixin:
    """Export that opens cleanly in Excel: a BOM so it reads the CSV as UTF-8, and text
    typed by the public (an entrepreneur's needs) never run as a formula.

    ``export_values`` maps a column of ``list_export`` to a function of the row's object,
    for what is not a plain attribute (many-to-many lists, yes/no).
    """

    export_values = {}

    def to_row_dict(self, item):
        return {
            field: self.export_values[field](item)
            if field in self.export_values
            else multigetattr(item, field)
            for field in self.list_export
        }

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV and isinstance(value, str):
            if value.startswith(FORMULA_STARTS):
                return "'" + value
        return value

    def stream_csv(self, queryset):
        yield "\ufeff"
        yield from super().stream_csv(queryset)


# Experts


def yes_no_filter(label, method):
    """A yes / no / all filter whose chip in the listing reads 是 or 否, not True or False."""
    return django_filters.ChoiceFilter(
        label=label,
        method=method,
        choices=[("true", _("Yes")), ("false", _("No"))],
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )


class ExpertFilterSet(WagtailFilterSet):
    county = django_filters.ModelChoiceFilter(
        field_name="counties", queryset=County.objects.all(), label=_("County served")
    )
    tag = django_filters.ModelChoiceFilter(
        field_name="tags", queryset=ExpertiseTag.objects.all(), label=_("Expertise")
    )
    has_free_places = yes_no_filter(_("Has free places"), "filter_free_places")
    active = yes_no_filter(_("Active"), "filter_active")

    class Meta:
        model = Expert
        fields = ["expert_type", "organisation_kind", "county", "tag", "has_free_places", "active"]

    def filter_free_places(self, queryset, name, value):
        # places_free is annotated by ExpertIndexView's queryset (Expert.objects.with_places()).
        if value == "true":
            return queryset.filter(places_free__gt=0)
        return queryset.filter(places_free=0)

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "true")


class ExpertIndexView(ChineseSpreadsheetMixin, IndexView):
    export_values = {
        "tags": lambda expert: joined(expert.tags),
        "counties": lambda expert: joined(expert.counties),
        "is_active": lambda expert: yes_no(expert.is_active),
        "is_instructor": lambda expert: yes_no(expert.is_instructor),
        "phone": lambda expert: national_number(expert.phone),
    }

    def get_base_queryset(self):
        return Expert.objects.with_places().prefetch_related("tags", "counties")


class PhoneFormMixin:
    """Staff type numbers as they are written down (138 0013 8000); they are stored as +86…."""

    def clean_phone(self):
        try:
            return normalize_mobile(self.cleaned_data["phone"])
        except ValidationError as error:
            raise ValidationError(error.messages, code="phone") from None


class ExpertForm(PhoneFormMixin, WagtailAdminModelForm):
    pass


# Entrepreneurs


class EntrepreneurFilterSet(WagtailFilterSet):
    county = django_filters.ModelChoiceFilter(
        field_name="village__town__county", queryset=County.objects.all(), label=_("County")
    )
    product = django_filters.ModelChoiceFilter(
        field_name="products", queryset=Product.objects.all(), label=_("Product")
    )
    channel = django_filters.ModelChoiceFilter(
        field_name="channels", queryset=SalesChannel.objects.all(), label=_("Sales channel")
    )
    has_mentor = yes_no_filter(_("Has a mentor"), "filter_has_mentor")

    class Meta:
        model = Entrepreneur
        fields = ["background", "county", "stage", "product", "channel", "has_mentor"]

    def filter_has_mentor(self, queryset, name, value):
        return queryset.filter(mentor__isnull=value != "true")


class EntrepreneurIndexView(ChineseSpreadsheetMixin, IndexView):
    export_values = {
        "products": lambda entrepreneur: joined(entrepreneur.products),
        "channels": lambda entrepreneur: joined(entrepreneur.channels),
        "phone": lambda entrepreneur: national_number(entrepreneur.phone),
    }

    def get_base_queryset(self):
        return Entrepreneur.objects.select_related(
            "village__town__county", "mentor"
        ).prefetch_related("products", "channels")


class EntrepreneurForm(PhoneFormMixin, WagtailAdminModelForm):
    pass


# Linking an expert to a user account


class UserSearchForm(BaseFilterForm):
    q = forms.CharField(label=_("Name or mobile number"), required=False)

    def filter(self, objects):
        objects = super().filter(objects)
        query = self.cleaned_data.get("q", "").strip().replace(" ", "")
        if query:
            objects = objects.filter(Q(real_name__icontains=query) | Q(phone__contains=query))
            self.is_searching = True
            self.search_query = query
        return objects


class MentoringStaffOnly:
    """Any admin user could otherwise open the chooser and list every account."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("mentors.change_expert"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class UserChooseView(MentoringStaffOnly, chooser_views.ChooseView):
    filter_form_class = UserSearchForm


class UserChooseResultsView(MentoringStaffOnly, chooser_views.ChooseResultsView):
    filter_form_class = UserSearchForm


class UserChosenView(MentoringStaffOnly, chooser_views.ChosenView):
    pass


class UserChosenMultipleView(MentoringStaffOnly, chooser_views.ChosenMultipleView):
    pass


class UserCreateView(MentoringStaffOnly, chooser_views.CreateView):
    pass


class UserChooserViewSet(ChooserViewSet):
    """Pick the account of an expert who already signed up, by name or mobile number."""

    model = get_user_model()
    icon = "user"
    choose_one_text = _("Choose a user account")
    choose_another_text = _("Choose another account")
    url_prefix = "mentors/users"
    url_namespace = "mentors_user_chooser"
    # Only the expert form uses it: other forms keep their own user fields.
    register_widget = False
    choose_view_class = UserChooseView
    choose_results_view_class = UserChooseResultsView
    chosen_view_class = UserChosenView
    chosen_multiple_view_class = UserChosenMultipleView
    create_view_class = UserCreateView
