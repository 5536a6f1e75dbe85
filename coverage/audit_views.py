"""The personal-data audit log as a page: who was shown whose unmasked record, when and
where (coverage.models.PersonalDataView), newest first, filtered by viewer and dates.
For the bureau only (coverage.access.may_see_audit_log). The page itself shows each
record masked: a member's masked name and ID-card number, or a village's name."""

import re
from collections import defaultdict
from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from learning.certificates import mask_name
from regions.models import Village

from .access import may_see_audit_log
from .drilldown import period_date_field
from .models import PersonalDataView, RegistryMember

PER_PAGE = 50

# What coverage.drilldown.record_personal_data_view stores as record_type, in words.
MEMBER = "coverage.registrymember"
VILLAGE = "regions.village"
RECORD_TYPES = {MEMBER: _("Registry member"), VILLAGE: _("Village records")}

# The places coverage.views and coverage.export_views write as an entry's context, in
# words; any other context is shown as stored.
RECORDS = r"names of the training records (?P<start>\d{4}-\d\d-\d\d)–(?P<end>\d{4}-\d\d-\d\d)"
PLACES = [
    (re.compile("coverage member page"), _("The member's page")),
    (
        re.compile(RECORDS + ", exported"),
        _("Village training records exported, %(start)s – %(end)s"),
    ),
    (re.compile(RECORDS), _("Village training records page, %(start)s – %(end)s")),
]


class AuditFilterForm(forms.Form):
    """Whose views, and on which days (inclusive, local time); every field may stay empty."""

    viewer = forms.ModelChoiceField(
        label=_("Viewer"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Everyone"),
    )
    start = period_date_field(_("Period start"), required=False)
    end = period_date_field(_("Period end"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only people who have viewed something: the list stays short.
        self.fields["viewer"].queryset = (
            get_user_model()
            .objects.filter(pk__in=PersonalDataView.objects.values("viewer"))
            .order_by("real_name", "pk")
        )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date must not be before the start date."))
        return data

    def filter(self, entries):
        data = self.cleaned_data
        if data["viewer"] is not None:
            entries = entries.filter(viewer=data["viewer"])
        if data["start"] is not None:
            entries = entries.filter(viewed_at__date__gte=data["start"])
        if data["end"] is not None:
            entries = entries.filter(viewed_at__date__lte=data["end"])
        return entries


@dataclass(frozen=True)
class AuditRow:
    entry: PersonalDataView
    record_type: str  # in words
    record: str  # which record, never a full name or ID-card number
    where: str


def where_in_words(context: str) -> str:
    for pattern, words in PLACES:
        if match := pattern.fullmatch(context):
            return words % match.groupdict()
    return context


def _describe(entry, members, villages) -> tuple[str, str]:
    if entry.record_type == MEMBER and entry.record_id in members:
        member = members[entry.record_id]
        return RECORD_TYPES[MEMBER], f"{mask_name(member.name)} {member.id_number_masked}"
    if entry.record_type == VILLAGE and entry.record_id in villages:
        village = villages[entry.record_id]
        return RECORD_TYPES[VILLAGE], f"{village.name} · {village.town.name}"
    kind = RECORD_TYPES.get(entry.record_type, entry.record_type)
    return kind, gettext("No. %(id)s, no longer on record") % {"id": entry.record_id}


def audit_rows(entries) -> list[AuditRow]:
    """The entries with their records described: one query per kind of record, however
    many rows."""
    ids = defaultdict(list)
    for entry in entries:
        ids[entry.record_type].append(entry.record_id)
    members = RegistryMember.objects.only("name", "id_number_masked").in_bulk(ids[MEMBER])
    villages = Village.objects.select_related("town").in_bulk(ids[VILLAGE])
    return [
        AuditRow(entry, *_describe(entry, members, villages), where_in_words(entry.context))
        for entry in entries
    ]


@never_cache
@login_required
def audit_log(request):
    if not may_see_audit_log(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET)
    entries = PersonalDataView.objects.none()
    if form.is_valid():
        entries = form.filter(PersonalDataView.objects.select_related("viewer"))
    page = Paginator(entries.order_by("-viewed_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page": page, "rows": audit_rows(page.object_list)}
    return render(request, "coverage/audit_log.html", context)
