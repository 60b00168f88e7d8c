import pytest

from ipm.connected.signing import new_secret
from tests.reference_provider.process import start_reference_provider


@pytest.fixture
def secret():
    return new_secret()


@pytest.fixture
def provider(tmp_path, secret):
    """A real reference provider process with the demo's serials, stopped after the test."""
    running = start_reference_provider(tmp_path, secret, seed_demo=True)
    yield running
    running.stop()
