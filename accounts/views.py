from allauth.account.views import RequestLoginCodeView
from allauth.core.ratelimit import respond_429
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from .forms import ProfileForm
from .models import IdNumberClaim
from .password_reset import forget_phone_proof, may_set_new_password


@sensitive_post_parameters("id_number")
@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError as exc:
            # Another account was given the number between the check and the claim.
            form.add_error("id_number", exc)
        else:
            messages.success(request, _("Your profile has been saved."))
            if form.claim is not None and form.claim.status == IdNumberClaim.Status.PENDING:
                messages.info(
                    request,
                    _(
                        "Your ID-card number will link your training to the poverty registry "
                        "once it is confirmed: when a class record with this number also has "
                        "your mobile number, or when the training staff have seen your ID card."
                    ),
                )
            return redirect("profile")
    # The latest claim still open or turned down, so the trainee knows where it stands.
    claim = (
        request.user.id_number_claims.exclude(status=IdNumberClaim.Status.CONFIRMED)
        .order_by("-created_at")
        .first()
    )
    return render(request, "accounts/profile.html", {"form": form, "claim": claim})


class PasswordResetBySMSView(RequestLoginCodeView):
    """找回密码: texts a code to the number (allauth's login by code), then a new password."""

    template_name = "accounts/password_reset.html"

    def dispatch(self, request, *args, **kwargs):
        # allauth's code pages serve logged-out visitors only: a logged-in person who
        # forgot their password is asked to log out first and comes back here.
        if request.user.is_authenticated:
            return render(request, self.template_name)
        return super().dispatch(request, *args, **kwargs)

    def form_invalid(self, form):
        # allauth words a number's code limit as a login error; here it is the 429 page,
        # which says how long to wait.
        if form.has_error("phone", "too_many_login_attempts"):
            return respond_429(self.request)
        return super().form_invalid(form)

    def get_success_url(self):
        query = urlencode({"next": reverse("account_set_new_password")})
        return f"{reverse('account_confirm_login_code')}?{query}"


password_reset = PasswordResetBySMSView.as_view()


@sensitive_post_parameters("new_password1", "new_password2")
@login_required
def set_new_password(request):
    if not may_set_new_password(request):
        messages.info(request, _("To set a new password, first confirm a code sent to your phone."))
        return redirect("account_reset_password")
    form = SetPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        forget_phone_proof(request)
        messages.success(request, _("Your new password is set."))
        return redirect("profile")
    return render(request, "accounts/set_new_password.html", {"form": form})
