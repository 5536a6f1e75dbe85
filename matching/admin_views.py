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

from .admin_forms import (
    ApproveAboveForm,
    ChangeExpertForm,
    ProposalFilterSet,
    RejectForm,
    StartRunForm,
)
from .alternatives import alternatives_for
from .criteria import CRITERIA, DEFAULT_WEIGHTS
from .flags import ReminderRefused, attach_members, for_overview, remind_expert
from .models import MatchingRun, MentoringGroup, Proposal, WeightChoice
from .reasons import describe_all
from .review import ReviewError, approve, approve_above, change_expert, reject
from .runs import RunRefused, start_run

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
        valid = form.is_valid()
        rematch = valid and form.cleaned_data["rematch"]
        balanced = valid and form.cleaned_data["balanced"]
        try:
            run = start_run(request.user, rematch=rematch, balanced=balanced)
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
        filters = ProposalFilterSet(self.request.GET, run.proposals.all(), run=run)
        filters.is_valid()  # an invalid value is shown beside its field and not applied
        status = filters.form.cleaned_data.get("status") or ""
        # The status chips count what the other filters leave.
        others = self.request.GET.copy()
        others.pop("status", None)
        counts = ProposalFilterSet(others, run.proposals.all(), run=run).qs.count_by_status()
        proposals = filters.qs.select_related(
            "entrepreneur__village__town__county", "expert"
        ).best_first()
        paginator = WagtailPaginator(proposals, PROPOSALS_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("p"))
        self._annotate_proposals(page, reject_form)
        return super().get_context_data(
            run=run,
            finished=run.status in (MatchingRun.Status.DONE, MatchingRun.Status.FAILED),
            weights=self._weights(),
            loads=self._loads(),
            filters=filters,
            status=status,
            status_filters=self._status_filters(status, counts, others),
            proposals=page,
            paginator=paginator,
            elided_page_range=paginator.get_elided_page_range(page.number),
            open_count=counts.get(Proposal.Status.PROPOSED, 0),
            can_decide=self._can_decide(),
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
        # Only for the open proposals on this page: the scorer is fitted for them alone.
        others = alternatives_for(self.run, page) if self._can_decide() else {}
        for proposal in page:
            proposal.phrases = describe_all(proposal.reasons)
            proposal.places_free = free.get(proposal.expert_id, 0)
            proposal.alternatives = others.get(proposal.pk, [])
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

    def _can_decide(self):
        return proposal_policy.user_has_permission(self.request.user, "change")

    def _status_filters(self, current, counts, others):
        options = [("", _("All"), sum(counts.values()))] + [
            (value, label, counts.get(value, 0)) for value, label in Proposal.Status.choices
        ]
        others.pop("p", None)
        chips = []
        for value, label, n in options:
            query = others.copy()
            if value:
                query["status"] = value
            chips.append(
                {
                    "value": value,
                    "label": label,
                    "count": n,
                    "current": value == current,
                    "query": query.urlencode(),
                }
            )
        return chips

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


class ChangeExpertView(DecisionMixin, RunView):
    """改为此专家: the open proposal names one of its alternatives instead; still open."""

    def dispatch(self, request, *args, **kwargs):
        self.proposal = get_object_or_404(Proposal, pk=kwargs["proposal"], run=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = ChangeExpertForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.errors["expert"][0])
            return self.back_to_run()
        try:
            proposal = change_expert(self.proposal, form.cleaned_data["expert"])
        except ReviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(entrepreneur)s is now proposed to %(expert)s; approve to make it so.")
                % {"expert": proposal.expert, "entrepreneur": proposal.entrepreneur},
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
    """Every mentoring group, the quiet ones (red, then yellow) first and, within a flag,
    the one whose quietest member has gone longest without a meeting; each with its
    members and their days since their last meeting (matching.flags)."""

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
        groups = for_overview(MentoringGroup.objects.select_related("expert")).annotate(
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
            "flag_order", F("quiet_since").asc(nulls_last=True), "expert__name", "pk"
        )
        paginator = WagtailPaginator(groups, GROUPS_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("p"))
        page.object_list = attach_members(list(page.object_list))
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
            reminder_hours=settings.MENTORING_REMINDER_HOURS,
            **kwargs,
        )


class RemindView(PermissionCheckedMixin, View):
    """提醒: text a quiet group's expert. Whoever may see the overview may remind; the
    limit per expert and the record are matching.flags.remind_expert's."""

    permission_policy = group_policy
    permission_required = "view"
    http_method_names = ["post"]

    def post(self, request, pk):
        group = get_object_or_404(MentoringGroup.objects.select_related("expert"), pk=pk)
        try:
            remind_expert(group, by=request.user)
        except ReminderRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request, _("%(expert)s has been texted a reminder.") % {"expert": group.expert.name}
            )
        return redirect("matching_groups:index")
