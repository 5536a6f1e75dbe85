from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import password_reset  # noqa: F401  (connects its signal receiver)


class UsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin with our forms (mobile number, real name): replaces wagtail.users."""

    default = False
    user_viewset = "accounts.admin_users.UserViewSet"
