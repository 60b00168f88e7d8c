"""Fixtures of the Connected tests. The verification tests' (the reference provider as a real process, a world where
it secures a product) live in ``verification_setup``; add other parts' fixtures beside them."""

from tests.connected.verification_setup import _fresh_breaker_and_faults, provider, secured  # noqa: F401
