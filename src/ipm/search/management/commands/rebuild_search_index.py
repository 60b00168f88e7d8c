from django.core.management.base import BaseCommand

from ipm.search import indexing as services


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index of product sheets from scratch (after a bulk load that bypassed the "
        "catalogue's services, or to compact the index). Prints how many sheets were indexed, the time taken and "
        "the index's size."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]

        def progress(done, total):
            if verbosity > 1:
                self.stdout.write(f"{done}/{total} sheets")

        report = services.rebuild_index(progress=progress)
        self.stdout.write(
            f"Indexed {report.documents} product sheets ({report.words} words in the typo vocabulary) in "
            f"{report.seconds:.1f} s; index size {report.size_bytes / 1_000_000:.1f} MB."
        )
