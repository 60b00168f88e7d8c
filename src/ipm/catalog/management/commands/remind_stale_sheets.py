from django.core.management.base import BaseCommand

from ipm.catalog import reminders
from ipm.catalog.tasks import remind_stale_sheets


class Command(BaseCommand):
    help = (
        "Email right holders whose published sheets have not been reviewed for IPM_REVIEW_REMINDER_MONTHS months "
        "(at most once a week per right holder). Run it once a day, e.g. from cron. The mail itself is delivered "
        "by the background worker (ipm db_worker)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the job to the background worker instead of running it in this process.",
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = remind_stale_sheets.enqueue()
            self.stdout.write(f"Queued the reminder job ({result.id}).")
            return
        self.stdout.write(reminders.describe(reminders.send_stale_sheet_reminders()))
