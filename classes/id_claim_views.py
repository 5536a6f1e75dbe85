"""The CMS's 身份证号认领 listing: ID-card number claims waiting for staff, with confirm and
reject. Deciding goes through accounts.claims; these views only call it and say what
happened. Numbers are shown masked, phones masked, and neither is logged.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permission_policies import ModelPermissionPolicy

from accounts.claims import confirm_claim, reject_claim
from accounts.models import IdNumberClaim

from .id_claims import weigh_claims

claim_policy = ModelPermissionPolicy(IdNumberClaim)
CLAIMS_PER_PAGE = 50


class ClaimIndexView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_policy = claim_policy
    permission_required = "change"
    template_name = "classes/admin/id_claims.html"
    page_title = gettext_lazy("ID-card number claims")
    header_icon = "user"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        claims = IdNumberClaim.objects.pending().select_related("user")
        paginator = WagtailPaginator(claims, CLAIMS_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("p"))
        weigh_claims(page.object_list)
        return super().get_context_data(
            claims=page,
            paginator=paginator,
            elided_page_range=paginator.get_elided_page_range(page.number),
            **kwargs,
        )


class DecideClaimView(PermissionCheckedMixin, View):
    permission_policy = claim_policy
    permission_required = "change"
    http_method_names = ["post"]
    confirm = True

    def post(self, request, pk):
        claim = get_object_or_404(IdNumberClaim.objects.pending().select_related("user"), pk=pk)
        names = {"number": claim.id_number_masked, "name": claim.user}
        if not self.confirm:
            reject_claim(claim, by=request.user)
            messages.success(request, _("Rejected: %(number)s is not linked to %(name)s.") % names)
            return redirect("id_number_claims:index")
        try:
            confirm_claim(claim, proof=IdNumberClaim.Proof.STAFF, by=request.user)
        except ValidationError:
            messages.error(
                request,
                _("%(number)s is already confirmed for another account; this claim stays open.")
                % names,
            )
        else:
            messages.success(
                request,
                _("Confirmed: %(number)s is linked to %(name)s, with its class records.") % names,
            )
        return redirect("id_number_claims:index")
