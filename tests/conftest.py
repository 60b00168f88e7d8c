import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from tests.hashers import QUICK_HASHERS
from tests.smtp import start_smtp_server
from tests.world import PASSWORD, build_world


@pytest.fixture(scope="session")
def smtp_server():
    controller, mailbox = start_smtp_server()
    yield controller, mailbox
    controller.stop()


@pytest.fixture(autouse=True)
def mailbox(smtp_server, settings):
    """Every test sends mail through a real SMTP server on loopback (never Django's in-memory outbox)."""
    controller, box = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    # Background tasks run at once in the caller, so a test sees their effect (mail received) right away.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    box.clear()
    return box


@pytest.fixture(autouse=True)
def fresh_cache():
    """allauth keeps rate-limit counters and used TOTP codes in the cache; tests must not share them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """A page requested in a test activates its user's language in this thread; reset it so it cannot leak."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    settings.PASSWORD_HASHERS = QUICK_HASHERS


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def client_for(db):
    """``client_for(user)``: a test client signed in as that user (2FA not involved)."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make
