from django_tasks import task

from ipm.catalog import importing


@task()
def run_import_job(job_id: int) -> None:
    importing.run_import_job(job_id)
