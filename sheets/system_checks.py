"""Start-up checks of the upload settings."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register


@register()
def private_uploads_are_not_served(app_configs, **kwargs):
    """Uploaded sheets hold ID-card numbers: their folder must not be one the site serves."""
    private = Path(settings.PRIVATE_UPLOAD_ROOT).resolve()
    served = [Path(root).resolve() for root in (settings.MEDIA_ROOT, settings.STATIC_ROOT) if root]
    if any(
        private == root or root in private.parents or private in root.parents for root in served
    ):
        return [
            Error(
                "PRIVATE_UPLOAD_ROOT overlaps MEDIA_ROOT or STATIC_ROOT, which are served.",
                hint="Point PRIVATE_UPLOAD_ROOT at a folder that no URL reaches.",
                id="sheets.E001",
            )
        ]
    return []
