from django_tasks import task

from ipm.epcis import services


@task()
def run_capture_job(job_id: int) -> None:
    """A large EPCIS document, captured in the background (see ``services.start_capture``)."""
    services.run_capture_job(job_id)
