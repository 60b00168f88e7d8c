"""Mail goes through the database task queue and survives a mail server that is down."""

from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ipm.notifications.services import queue_email
from tests.smtp import free_port


def run_worker_once():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def test_mail_is_retried_later_when_the_server_is_down_then_delivered(transactional_db, settings, mailbox):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    real_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there: the mail server is "down"

    queue_email(["someone@example.test"], "Hello", "Body text")
    assert mailbox.messages == []  # queued, not sent in the caller
    run_worker_once()

    assert mailbox.messages == []
    pending = DBTaskResult.objects.filter(status="READY")
    assert pending.count() == 1
    retry = pending.get()
    assert retry.run_after > timezone.now()  # backed off, not hammering the server
    assert retry.args_kwargs["kwargs"]["attempt"] == 2

    settings.EMAIL_PORT = real_port  # the mail server is back
    run_worker_once()
    assert mailbox.messages == []  # not yet due
    pending.update(run_after=timezone.now())
    run_worker_once()

    [received] = mailbox.to("someone@example.test")
    assert received.subject == "[IPM] Hello"
    assert "Body text" in received.body
    assert not DBTaskResult.objects.filter(status="READY").exists()
