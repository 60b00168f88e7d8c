from django.conf import settings

from ipm.notifications.tasks import deliver_email


def queue_email(to: list[str], subject: str, body: str) -> None:
    """Queue a plain-text message. With the database task backend the message is stored in the same transaction
    as the change that caused it, so a rolled-back change never sends mail."""
    deliver_email.enqueue(to=list(to), subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body=body)
