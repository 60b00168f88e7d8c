"""Mail delivery as a background task, so a slow or unreachable mail server neither delays nor breaks a request,
and a message that cannot be delivered yet is retried with growing delays instead of being lost."""

import logging
import smtplib
from datetime import timedelta

from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks import default_task_backend, task

logger = logging.getLogger(__name__)

RETRY_DELAYS_SECONDS = (30, 120, 600, 1800, 3600, 3 * 3600)


@task()
def deliver_email(to: list[str], subject: str, body: str, attempt: int = 1) -> None:
    try:
        EmailMessage(subject=subject, body=body, to=to).send()
    except (smtplib.SMTPException, OSError) as error:
        if attempt > len(RETRY_DELAYS_SECONDS) or not default_task_backend.supports_defer:
            logger.error("Mail to %s given up after %d attempt(s): %s", to, attempt, error)
            raise
        delay = RETRY_DELAYS_SECONDS[attempt - 1]
        logger.warning("Mail to %s failed (attempt %d, %s); retrying in %d s", to, attempt, error, delay)
        deliver_email.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            to=to, subject=subject, body=body, attempt=attempt + 1
        )
