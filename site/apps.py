from django.apps import AppConfig


class YunfuConfig(AppConfig):
    """The project itself, installed for its templates, static files and seed_demo."""

    name = "yunfu"
    verbose_name = "Yunfu"
