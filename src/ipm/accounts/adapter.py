from allauth.account.adapter import DefaultAccountAdapter

from ipm.notifications.tasks import deliver_email


class AccountAdapter(DefaultAccountAdapter):
    """People join IPM by invitation only, so allauth's open sign-up is closed; allauth's mail (password reset)
    goes through the same background delivery, with retries, as the rest of IPM's mail."""

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        deliver_email.enqueue(to=list(message.to), subject=message.subject, body=message.body)
