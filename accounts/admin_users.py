"""Wagtail's user admin, fitted to a user who logs in by mobile number and has one real name."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .phone import normalize_mobile

_FIELDS = {"phone", "real_name", "email", "is_superuser", "groups"}


class _MobileUserFormMixin:
    def clean_phone(self):
        return normalize_mobile(self.cleaned_data["phone"])


class AdminUserCreationForm(_MobileUserFormMixin, UserCreationForm):
    email = forms.EmailField(required=False, label=_("Email"))
    first_name = None
    last_name = None

    class Meta(UserCreationForm.Meta):
        fields = _FIELDS


class AdminUserEditForm(_MobileUserFormMixin, UserEditForm):
    email = forms.EmailField(required=False, label=_("Email"))
    first_name = None
    last_name = None

    class Meta(UserEditForm.Meta):
        fields = _FIELDS | {"is_active"}


class UserViewSet(WagtailUserViewSet):
    create_template_name = "accounts/admin/user_create.html"
    edit_template_name = "accounts/admin/user_edit.html"

    def get_form_class(self, for_update=False):
        return AdminUserEditForm if for_update else AdminUserCreationForm
