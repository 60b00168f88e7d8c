from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.core.exceptions import ValidationError

from ipm.audit.services import record_sign_in_failure
from ipm.notifications.tasks import deliver_email


class AccountAdapter(DefaultAccountAdapter):
    """People join IPM by invitation only, so allauth's open sign-up is closed; allauth's mail (password reset)
    goes through the same background delivery, with retries, as the rest of IPM's mail."""

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        if template_prefix == "account/email/unknown_account":
            # allauth would answer a reset request for an unknown address with an invitation to sign up, but
            # nobody signs up to IPM: people join by invitation. The page answers the same either way.
            return
        request = allauth_context.request
        # What allauth's own send_mail puts in every message (its templates greet "from {{ current_site.name }}").
        full_context = {
            "request": request,
            "email": email,
            "current_site": SimpleNamespace(name="IPM", domain=request.get_host() if request else ""),
            **context,
        }
        message = self.render_mail(template_prefix, email, full_context)
        deliver_email.enqueue(to=list(message.to), subject=message.subject, body=message.body)

    def pre_authenticate(self, request, **credentials):
        """allauth refuses an attempt over the rate limit before checking the password, so Django's
        ``user_login_failed`` is not sent; the refusal still belongs in the audit log."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            record_sign_in_failure(
                credentials.get("email") or credentials.get("username") or "", request=request, reason="rate_limited"
            )
            raise
