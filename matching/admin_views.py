"""CMS views of the 帮带匹配 menu: the runs, one run's proposals and the staff's decisions
on them, the mentoring groups' overview, and which weights the matcher uses.

Deciding goes through ``matching.review``; these views only read the forms, call it and
say what happened.
"""

from django.conf import settings
from django.contrib import messages
from django.db.models import (
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Value,
    When,
)
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView, View
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permission_policies import ModelPermissionPolicy

from mentors.models import Expert

from .admin_forms import ApproveAboveForm, RejectForm, StartRunForm
from .models import MatchingRun, MentoringGroup, Proposal, WeightChoice
from .reasons import describe_all
from .review import ReviewError, approve, approve_above, reject
from .runs import RunRefused, start_run
from .scoring import CRITERIA, DEFAULT_WEIGHTS

run_policy = ModelPermissionPolicy(MatchingRun)
proposal_policy = ModelPermissionPolicy(Proposal)
group_policy = ModelPermissionPolicy(MentoringGroup)

CRITERION_LABELS = {
    "text": gettext_lazy("Needs and expertise in words"),
    "county": gettext_lazy("Serves the entrepreneur's county"),
    "product": gettext_lazy("Knows the products"),
    "channel": gettext_lazy("Knows the sales channels"),
    "stage": gettext_lazy("Business stage and type of expert"),
}

RUNS_PER_PAGE = 20
PROPOSALS_PER_PAGE = 50
GROUPS_PER_PAGE = 50


def count_by(queryset, field) -> dict:
    """How many rows have each value of ``field``, in one query."""
    grouped = queryset.order_by().values(field).annotate(n=Count("pk"))
    return dict(grouped.values_list(field, "n"))


def weights_summary(weights, *, uses_learned, decisions, held_out_learned, held_out_default):
    """The weights a run used (or the matcher will use), in words for staff."""
    if uses_learned:
        verdict = _("Learned from staff decisions: they beat the defaults on held-out decisions.")
    elif held_out_learned is None:
        verdict = _("Defaults — too few decisions yet.")
    else:
        verdict = _("Defaults — the learned weights did not beat them on held-out decisions.")
    return {
        "uses_learned": uses_learned,
        "verdict": verdict,
        "rows": [(CRITERION_LABELS[c], weights.get(c, 0.0)) for c in CRITERIA],
        "decisions": decisions,
        "held_out_learned": held_out_learned,
        "held_out_default": held_out_default,
    }


def weights_in_use_summary():
    """Which weights the matcher uses now: the latest choice, or the defaults before any."""
    choice = WeightChoice.objects.first()
    if choice is None:
        return weights_summary(
            DEFAULT_WEIGHTS,
            uses_learned=False,
            decisions=0,
            held_out_learned=None,
            held_out_default=None,
        ) | {"chosen_at": None}
    return weights_summary(
        choice.weights,
        uses_learned=choice.uses_learned,
        decisions=choice.decisions,
        held_out_learned=choice.held_out_learned,
        held_out_default=choice.held_out_default,
    ) | {"chosen_at": choice.created_at}


class RunIndexView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_policy = run_policy
    permission_required = "view"
    template_name = "matching/admin/run_index.html"
    page_title = gettext_lazy("Matching runs")
    header_icon = "resubmit"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        runs = MatchingRun.objects.select_related("started_by").annotate(
            duration=ExpressionWrapper(
                F("finished_at") - F("started_at"), output_field=DurationField()
            )
        )
        paginator = WagtailPaginator(runs, RUNS_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("p"))
        return super().get_context_data(
            runs=page,
            paginator=paginator,
            elided_page_range=paginator.get_elided_page_range(page.number),
            start_form=StartRunForm(),
            can_start=run_policy.user_has_permission(self.request.user, "add"),
            weights=weights_in_use_summary(),
            **kwargs,
        )


class StartRunView(PermissionCheckedMixin, View):
    permission_policy = run_policy
    permission_required = "add"

    def post(self, request):
        form = StartRunForm(request.POST)
        rematch = form.is_valid() and form.cleaned_data["rematch"]
        try:
            run = start_run(request.user, rematch=rematch)
        except RunRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("matching_runs:index")
        messages.success(request, _("The matching run has started."))
        return redirect("matching_runs:run", run.pk)


class RunView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """A run's parameters, figures and proposals, with the reviewer's actions."""

    permission_policy = run_policy
    permission_required = "view"
    template_name = "matching/admin/run.html"
    header_icon = "resubmit"

    def get_page_title(self):
        return str(self.run)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("matching_runs:index"), "label": RunIndexView.page_title},
            {"url": "", "label": self.get_page_title()},
        ]

    def dispatch(self, request, *args, **kwargs):
        runs = MatchingRun.objects.select_related("started_by")
        self.run = get_object_or_404(runs, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, reject_form=None, threshold_form=None, **kwargs):
        run = self.run
        status = self.request.GET.get("status", "")
        if status not in Proposal.Status.values:
            status = ""
        counts = dict(
            run.proposals.order_by()
            .values("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        proposals = run.proposals.select_related("entrepreneur__village__town__county", "expert")
        if status:
            proposals = proposals.filter(status=status)
        paginator = WagtailPaginator(proposals, PROPOSALS_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("p"))
        self._annotate_proposals(page, reject_form)
        return super().get_context_data(
            run=run,
            finished=run.status in (MatchingRun.Status.DONE, MatchingRun.Status.FAILED),
            weights=self._weights(),
            loads=self._loads(),
            status=status,
            status_filters=self._status_filters(status, counts),
            proposals=page,
            paginator=paginator,
            elided_page_range=paginator.get_elided_page_range(page.number),
            open_count=counts.get(Proposal.Status.PROPOSED, 0),
            can_decide=proposal_policy.user_has_permission(self.request.user, "change"),
            threshold_form=threshold_form or ApproveAboveForm(),
            # Actions come back to the same filter and page.
            query=self.request.GET.urlencode(),
            **kwargs,
        )

    def _annotate_proposals(self, page, reject_form):
        experts = {p.expert_id for p in page}
        free = dict(
            Expert.objects.with_places().filter(pk__in=experts).values_list("pk", "places_free")
        )
        for proposal in page:
            proposal.phrases = describe_all(proposal.reasons)
            proposal.places_free = free.get(proposal.expert_id, 0)
            if proposal.status == Proposal.Status.PROPOSED:
                bound = reject_form is not None and reject_form.proposal.pk == proposal.pk
                proposal.reject_form = reject_form if bound else RejectForm(proposal=proposal)

    def _weights(self):
        parameters = self.run.parameters
        if "weights" not in parameters:
            return None
        return weights_summary(
            parameters["weights"],
            uses_learned=parameters.get("uses_learned_weights", False),
            decisions=parameters.get("decisions", 0),
            held_out_learned=parameters.get("held_out_learned"),
            held_out_default=parameters.get("held_out_default"),
        )

    def _loads(self):
        load = {int(pk): n for pk, n in self.run.figures.get("load", {}).items() if n}
        experts = Expert.objects.filter(pk__in=load).only("name", "capacity")
        return sorted(
            ({"expert": e, "load": load[e.pk]} for e in experts),
            key=lambda row: (-row["load"], row["expert"].name),
        )

    def _status_filters(self, current, counts):
        options = [("", _("All"), sum(counts.values()))] + [
            (value, label, counts.get(value, 0)) for value, label in Proposal.Status.choices
        ]
        return [
            {"value": value, "label": label, "count": n, "current": value == current}
            for value, label, n in options
        ]

    def back_to_run(self):
        url = reverse("matching_runs:run", args=[self.run.pk])
        query = self.request.GET.urlencode()
        return redirect(f"{url}?{query}" if query else url)


class DecisionMixin:
    """Deciding on proposals needs the change permission on them, whatever else one may see."""

    permission_policy = proposal_policy
    permission_required = "change"
    http_method_names = ["post"]


class ApproveView(DecisionMixin, RunView):
    def dispatch(self, request, *args, **kwargs):
        self.proposal = get_object_or_404(Proposal, pk=kwargs["proposal"], run=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            approve(self.proposal, request.user)
        except ReviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Approved: %(expert)s now mentors %(entrepreneur)s.")
                % {"expert": self.proposal.expert, "entrepreneur": self.proposal.entrepreneur},
            )
        return self.back_to_run()


class RejectView(DecisionMixin, RunView):
    def dispatch(self, request, *args, **kwargs):
        self.proposal = get_object_or_404(Proposal, pk=kwargs["proposal"], run=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = RejectForm(request.POST, proposal=self.proposal)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(reject_form=form))
        try:
            reject(self.proposal, form.cleaned_data["reason"], request.user)
        except ReviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Rejected: %(expert)s for %(entrepreneur)s.")
                % {"expert": self.proposal.expert, "entrepreneur": self.proposal.entrepreneur},
            )
        return self.back_to_run()


class ApproveAboveView(DecisionMixin, RunView):
    def post(self, request, *args, **kwargs):
        form = ApproveAboveForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(threshold_form=form))
        result = approve_above(self.run, form.cleaned_data["min_score"], request.user)
        count = len(result.approved)
        messages.success(
            request,
            ngettext(
                "Approved %(count)d proposal scoring at least %(score)g.",
                "Approved %(count)d proposals scoring at least %(score)g.",
                count,
            )
            % {"count": count, "score": form.cleaned_data["min_score"]},
        )
        for proposal, why in result.skipped:
            messages.warning(
                request,
                _("Not approved: %(expert)s for %(entrepreneur)s — %(why)s")
                % {"expert": proposal.expert, "entrepreneur": proposal.entrepreneur, "why": why},
            )
        return self.back_to_run()


FLAG_ORDER = Case(
    When(flag=MentoringGroup.Flag.RED, then=Value(0)),
    When(flag=MentoringGroup.Flag.YELLOW, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


class GroupIndexView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Every mentoring group, the quiet ones (red, then yellow) first."""

    permission_policy = group_policy
    permission_required = "view"
    template_name = "matching/admin/group_index.html"
    page_title = gettext_lazy("Mentoring groups")
    header_icon = "group"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        flag = self.request.GET.get("flag")
        if flag not in MentoringGroup.Flag.values:
            flag = None
        groups = MentoringGroup.objects.select_related("expert").annotate(
            members=Count("expert__mentees", distinct=True),
            last_meeting=Max("meetings__date"),
            flag_order=FLAG_ORDER,
        )
        counts = dict(
            MentoringGroup.objects.order_by()
            .values("flag")
            .annotate(n=Count("pk"))
            .values_list("flag", "n")
        )
        if flag is not None:
            groups = groups.filter(flag=flag)
        groups = groups.order_by(
            "flag_order", F("last_meeting").asc(nulls_first=True), "expert__name", "pk"
        )
        paginator = WagtailPaginator(groups, GROUPS_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("p"))
        filters = [{"value": None, "label": _("All"), "count": sum(counts.values())}] + [
            {"value": value, "label": label, "count": counts.get(value, 0)}
            for value, label in (
                (MentoringGroup.Flag.RED, _("Red")),
                (MentoringGroup.Flag.YELLOW, _("Yellow")),
                (MentoringGroup.Flag.NONE, _("Not flagged")),
            )
        ]
        for item in filters:
            item["current"] = item["value"] == flag
        return super().get_context_data(
            groups=page,
            paginator=paginator,
            elided_page_range=paginator.get_elided_page_range(page.number),
            flag_filters=filters,
            yellow_days=settings.MENTORING_YELLOW_DAYS,
            red_days=settings.MENTORING_RED_DAYS,
            **kwargs,
        )
