"""The pieces of the CMS's 讲师团与带头人 menu that Wagtail does not give as settings: the
filters, the listings' querysets and spreadsheet export, the admin forms and a user chooser
that only mentoring staff may open. The menu itself is put together in wagtail_hooks."""

from collections import defaultdict
from itertools import islice

import django_filters
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import CharField, F, Prefetch, Q, Value
from django.db.models.functions import Concat
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages as wagtail_messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.coreutils import multigetattr

from accounts.phone import normalize_mobile
from regions.models import County

from .account_links import with_account_state
from .models import (
    Entrepreneur,
    Expert,
    ExpertiseTag,
    Product,
    SalesChannel,
)

# A cell starting with one of these is a formula to a spreadsheet program.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# Rows an export reads from the database at a time, with their many-to-many names.
EXPORT_CHUNK_SIZE = 2000
NAME_SEPARATOR = "、"


def joined(items):
    """Names as the bureau's sheets list them."""
    return NAME_SEPARATOR.join(str(item) for item in items)


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
    for what is not a plain attribute (yes/no, a phone number as written); a many-to-many
    column named in ``export_names`` lists its names (see ReadInChunks).

    The export starts at once and reads its rows in chunks (a CSV of 30,000 entrepreneurs
    streams with flat memory); an XLSX is written whole before its first byte, so one of
    more than settings.EXPORT_XLSX_MAX_ROWS rows is refused with a link to the CSV.
    """

    export_values = {}
    export_names = ()

    def to_row_dict(self, item):
        return {field: self.export_value(item, field) for field in self.list_export}

    def export_value(self, item, field):
        if field in self.export_values:
            return self.export_values[field](item)
        if field in self.export_names:
            return NAME_SEPARATOR.join(item.export_names[field])
        return multigetattr(item, field)

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV and isinstance(value, str):
            if value.startswith(FORMULA_STARTS):
                return "'" + value
        return value

    def stream_csv(self, queryset):
        yield "\ufeff"
        yield from super().stream_csv(queryset)

    def get(self, request, *args, **kwargs):
        # Wagtail builds the listing's table before it exports, reading every row (30,000
        # entrepreneurs: 15 s and 250 MB) before the first byte. An export needs only the
        # listing's queryset: its ordering, filters and search.
        if not self.is_export:
            return super().get(request, *args, **kwargs)
        queryset = self.get_queryset()
        export_format = request.GET["export"]
        if export_format == self.FORMAT_XLSX:
            rows = queryset.count()
            if rows > settings.EXPORT_XLSX_MAX_ROWS:
                return self.xlsx_refused(rows)
        return self.as_spreadsheet(ReadInChunks(queryset, self.export_names), export_format)

    def xlsx_refused(self, rows):
        """Back to the listing (same filters) with why, and the same rows as CSV."""
        query = self.request.GET.copy()
        query.pop("export")
        wagtail_messages.error(
            self.request,
            _(
                "This list has %(rows)s rows: an XLSX of more than %(limit)s rows takes too "
                "long to write. Download it as CSV, which Excel opens too."
            )
            % {"rows": rows, "limit": settings.EXPORT_XLSX_MAX_ROWS},
            buttons=[wagtail_messages.button(self.csv_export_url, _("Download as CSV"))],
        )
        return redirect(f"{self.request.path}?{query.urlencode()}")


class ReadInChunks:
    """A queryset as Wagtail's export loops over it: EXPORT_CHUNK_SIZE rows at a time,
    never kept, so memory stays flat however many rows. Each row gets ``export_names``:
    the names of each many-to-many in ``names_of``, one query per chunk and field (a
    prefetch would build a queryset and an object per row and name: 6 of the 9 s that
    reading 30,000 entrepreneurs took)."""

    def __init__(self, queryset, names_of=()):
        self.queryset = queryset
        self.model = queryset.model
        self.names_of = names_of

    def __iter__(self):
        rows = self.queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE)
        while chunk := list(islice(rows, EXPORT_CHUNK_SIZE)):
            names = {field: names_by_row(self.model, field, chunk) for field in self.names_of}
            for row in chunk:
                row.export_names = {field: names[field][row.pk] for field in self.names_of}
            yield from chunk


def names_by_row(model, field_name, rows) -> defaultdict[int, list[str]]:
    """Row pk → the names its many-to-many ``field_name`` holds, in their model's order."""
    field = model._meta.get_field(field_name)
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    ordering = [
        f"-{target}__{order[1:]}" if order.startswith("-") else f"{target}__{order}"
        for order in field.related_model._meta.ordering
    ]
    pairs = (
        field.remote_field.through.objects.filter(**{f"{source}__in": [row.pk for row in rows]})
        .order_by(*ordering)
        .values_list(f"{source}_id", f"{target}__name")
    )
    names = defaultdict(list)
    for pk, name in pairs:
        names[pk].append(name)
    return names


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
    export_names = ("tags", "counties")
    export_values = {
        "is_active": lambda expert: yes_no(expert.is_active),
        "is_instructor": lambda expert: yes_no(expert.is_instructor),
        "phone": lambda expert: national_number(expert.phone),
    }

    def get_base_queryset(self):
        experts = Expert.objects.with_places()
        if self.is_export:
            return experts
        # The listing's "counties served" and "account" columns.
        return with_account_state(experts).prefetch_related(
            Prefetch("counties", to_attr="county_list")
        )


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
    export_names = ("products", "channels")
    export_values = {
        "phone": lambda entrepreneur: national_number(entrepreneur.phone),
    }

    def get_base_queryset(self):
        if not self.is_export:
            return Entrepreneur.objects.select_related("village__town__county", "mentor")
        # The export's names, read as text (an object each would cost 2 s in 30,000 rows).
        return Entrepreneur.objects.annotate(
            village_name=Concat(
                "village__town__county__name",
                Value("/"),
                "village__town__name",
                Value("/"),
                "village__name",
                output_field=CharField(),
            ),
            mentor_name=F("mentor__name"),
        )


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
