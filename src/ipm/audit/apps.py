from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "ipm.audit"
    verbose_name = _("Audit log")

    def ready(self):
        from ipm.audit import signals  # noqa: F401
