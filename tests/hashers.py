from django.conf import settings as django_settings
from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with small costs, for tests only: the fixture world hashes a password for each of its users, and
    production's costs (100 MiB, two passes) make that seconds per test on a small machine. Hashes it makes are
    ordinary Argon2 hashes that the production hasher verifies (and upgrades on the next sign-in)."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1


QUICK_HASHERS = ["tests.hashers.QuickArgon2PasswordHasher", *django_settings.PASSWORD_HASHERS]
