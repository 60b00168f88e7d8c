from django_tasks import task

from ipm.catalog import importing, reminders


@task()
def run_import_job(job_id: int) -> None:
    importing.run_import_job(job_id)


@task()
def remind_stale_sheets() -> int:
    """Daily (``ipm remind_stale_sheets --enqueue``): email right holders about sheets due for a review. Returns how
    many right holders were reminded."""
    return len(reminders.send_stale_sheet_reminders())
