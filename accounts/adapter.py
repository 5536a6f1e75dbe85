from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .client_address import client_address
from .phone import normalize_mobile
from .tasks import queue_sms


class MobileField(forms.CharField):
    """Accepts a mainland mobile number as typed (``138…``) and cleans it to E.164."""

    widget = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"})

    def __init__(self, **kwargs):
        kwargs["label"] = gettext_lazy("Mobile phone")
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "13800138000")

    def clean(self, value):
        value = super().clean(value)
        return normalize_mobile(value) if value else value


class AccountAdapter(DefaultAccountAdapter):
    """allauth with the mobile number on our User model as the login."""

    def phone_form_field(self, **kwargs):
        return MobileField(**kwargs)

    def clean_phone(self, phone):
        return normalize_mobile(phone)

    def save_user(self, request, user, form, commit=True):
        # The phone is the login and must be unique and present when the row is
        # first written; allauth would set it only after saving.
        user.phone = form.cleaned_data["phone"]
        return super().save_user(request, user, form, commit=commit)

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        queue_sms(
            phone,
            _("[Yunfu E-commerce Training] Your verification code is %(code)s.") % {"code": code},
        )

    def send_account_already_exists_sms(self, phone):
        reset_url = context.request.build_absolute_uri(reverse("account_reset_password"))
        queue_sms(
            phone,
            _(
                "[Yunfu E-commerce Training] Someone tried to sign up with this number, "
                "which already has an account. If it was you, log in, or reset your "
                "password with a code sent to this phone: %(url)s"
            )
            % {"url": reset_url},
        )

    def get_client_ip(self, request):
        # Every allauth limit counts per address through here: the person behind our
        # proxies, not the proxy (see accounts.client_address).
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth keys failed logins on the email or username, so with phone logins
        # every number shared one key and five wrong passwords anywhere locked out
        # the whole site: key them on the number instead.
        phone = credentials.get("phone")
        if phone is None:
            return super()._get_login_attempts_cache_key(request, **credentials)
        return f"{get_current_site(request).domain}:{phone}"

    def set_phone(self, user, phone, verified):
        user.phone = phone
        user.phone_verified = verified
        user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user):
        if not user.phone:
            return None
        return user.phone, user.phone_verified

    def set_phone_verified(self, user, phone):
        self.set_phone(user, phone, True)

    def get_user_by_phone(self, phone):
        return get_user_model().objects.filter(phone=phone).first()
