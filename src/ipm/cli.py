"""The ``ipm`` command: Django's management commands (``ipm migrate``, ``ipm runserver``…) plus IPM's own
(``ipm demo``, ``ipm compiletranslations``)."""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipm.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ipm", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
