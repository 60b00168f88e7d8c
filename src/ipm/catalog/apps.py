from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "ipm.catalog"
    verbose_name = _("Product catalogue")

    def ready(self):
        # Connects the signal handlers that delete an image's files (and thumbnails) when its record goes.
        from ipm.catalog import media  # noqa: F401
