from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """People join IPM by invitation only, so allauth's open sign-up is closed."""

    def is_open_for_signup(self, request):
        return False
