"""The app's own settings, unchanged, with a URLconf that adds the bench's constant-answer endpoint.

Used only by ``scan_load.py`` (``DJANGO_SETTINGS_MODULE=scan_settings`` with ``bench/`` on the path), so the scan
endpoint and the constant answer are served by the same server, middleware, authentication and settings.
"""

from ipm.settings import *  # noqa: F403

ROOT_URLCONF = "scan_urls"
