from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EpcisConfig(AppConfig):
    name = "ipm.epcis"
    verbose_name = _("Track and trace (EPCIS)")
