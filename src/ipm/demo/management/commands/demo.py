from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ipm.demo.connected import load_connected, secret_path
from ipm.demo.resolver_links import load_resolver_links
from ipm.demo.services import DEMO_PASSWORD, load_demo, refuse_in_production
from ipm.epcis.demo import load_demo_history


class Command(BaseCommand):
    help = "Load the demo organisations and accounts (idempotent). Refuses to run with production settings."

    def add_arguments(self, parser):
        parser.add_argument("--no-migrate", action="store_true", help="Do not apply migrations first.")

    def handle(self, *args, **options):
        try:
            refuse_in_production()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        accounts = load_demo()
        load_resolver_links()  # after the catalogue: the links point at its sheets and prefixes
        service = load_connected()  # IPM Connected: the reference provider secures Aurelia Horlogerie
        load_demo_history()  # EPCIS: the secured watches' track-and-trace history (docs/epcis.md)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Accounts (password for all: {DEMO_PASSWORD}):"))
        for account in accounts:
            self.stdout.write(f"  {account.email:<30} {account.full_name}")
        self.stdout.write(
            f"IPM Connected: {service.name} calls {service.verification_url} (shared secret in {secret_path()})."
        )
