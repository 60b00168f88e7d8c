from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConnectedConfig(AppConfig):
    name = "ipm.connected"
    verbose_name = _("IPM Connected")
