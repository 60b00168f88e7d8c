from django.conf import settings
from django.utils import translation

from ipm.access import policy
from ipm.web.navigation import navigation_for


def shell(request):
    """What the base layout needs on every page: navigation for the user's role and the language switcher."""
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "nav_items": navigation_for(request),
        "available_languages": settings.LANGUAGES,
        "current_language": translation.get_language(),
        "is_secretariat": policy.is_secretariat(user) if user else False,
    }
