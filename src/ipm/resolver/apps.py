from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResolverConfig(AppConfig):
    name = "ipm.resolver"
    verbose_name = _("GS1 resolver")
