"""The reminder to review stale sheets: who gets it, what it lists, in which language, and at most once a week.

The clock is the ``now`` handed to the job (as cron would run it on that day), never a patched one; mail is read
back from the real SMTP test server."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from ipm.accounts.models import Role, User
from ipm.catalog import reminders, services
from ipm.catalog.models import Product, StaleSheetReminder

NOW = datetime(2026, 3, 10, 6, 15, tzinfo=UTC)
BASE_URL = "https://ipm.example.org"


def gtin(n: int) -> str:
    body = f"400638{n:06d}"
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(body))
    return body + str((10 - total % 10) % 10)


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.IPM_BASE_URL = BASE_URL + "/"  # a trailing slash must not double the one of the path
    settings.IPM_REVIEW_REMINDER_MONTHS = 12


@pytest.fixture
def brand(world):
    return services.create_brand(world.users["brand_editor"], world.orgs["brand"], name="Aurelia")


@pytest.fixture
def rival_brand(world):
    return services.create_brand(world.users["rival_editor"], world.orgs["rival"], name="Northwind")


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the daily job as of ``now``; mail is queued when its transaction commits, so let the commit happen."""

    def run_at(now):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.send_stale_sheet_reminders(now=now)

    return run_at


def make_sheet(editor, brand, name, number, *, reviewed, status="published", french=""):
    product = services.create_product(editor, brand, name=name, gtins=[gtin(number)])
    services.add_clue(editor, product, language="en", title="Stitching")
    if french:
        services.set_product_text(editor, product, "fr", name=french)
    if status in ("published", "archived"):
        services.publish_product(editor, product)
    if status == "archived":
        services.archive_product(editor, product)
    Product.objects.filter(pk=product.pk).update(last_reviewed_at=reviewed)
    product.refresh_from_db()
    return product


def link(product) -> str:
    return f"{BASE_URL}/products/manage/sheets/{product.pk}/"


def test_admins_and_editors_get_one_mail_listing_only_the_stale_published_sheets(
    world, brand, rival_brand, run, mailbox
):
    editor = world.users["brand_editor"]
    stale = make_sheet(editor, brand, "Silk scarf", 1, reviewed=services.months_before(NOW, 13))
    older = make_sheet(editor, brand, "Leather belt", 2, reviewed=services.months_before(NOW, 30))
    fresh = make_sheet(editor, brand, "Cashmere stole", 3, reviewed=services.months_before(NOW, 11))
    draft = make_sheet(editor, brand, "Draft wallet", 4, reviewed=services.months_before(NOW, 20), status="draft")
    archived = make_sheet(editor, brand, "Old scarf", 5, reviewed=services.months_before(NOW, 20), status="archived")
    make_sheet(world.users["rival_editor"], rival_brand, "Charger", 6, reviewed=services.months_before(NOW, 2))
    gone = User.objects.create(
        email="former@example.test", organisation=world.orgs["brand"], role=Role.ADMIN, is_active=False
    )

    sent = run(NOW)

    assert [reminder.right_holder for reminder in sent] == [world.orgs["brand"]]
    assert sent[0].sheets == [older, stale]  # the longest without a review first
    for user in (world.users["brand_admin"], editor):
        (mail,) = mailbox.to(user.email)
        assert mail.subject == "[IPM] 2 product sheets of Brand A need a review"
        body = mail.body
        assert "Leather belt (Aurelia)" in body and "Silk scarf (Aurelia)" in body
        assert link(stale) in body and link(older) in body
        for other in (fresh, draft, archived):
            assert other.safe_translation_getter("name") not in body
        assert f"{BASE_URL}/products/manage/{world.orgs['brand'].pk}/?status=stale" in body
    for user in (world.users["brand_viewer"], gone, world.users["rival_admin"], world.users["fr_officer"]):
        assert mailbox.to(user.email) == []
    assert len(mailbox.messages) == 2  # one message each, not one per sheet


def test_a_right_holder_is_reminded_at_most_once_a_week(world, brand, run, mailbox):
    editor, admin = world.users["brand_editor"], world.users["brand_admin"]
    make_sheet(editor, brand, "Silk scarf", 1, reviewed=services.months_before(NOW, 13))

    assert len(run(NOW)) == 1
    assert run(NOW + timedelta(days=1)) == []
    assert run(NOW + timedelta(days=6, hours=23, minutes=59)) == []
    assert len(mailbox.to(admin.email)) == 1

    assert len(run(NOW + timedelta(days=7))) == 1  # still stale a week later: reminded again
    assert len(mailbox.to(admin.email)) == 2
    state = StaleSheetReminder.objects.get(right_holder=world.orgs["brand"])
    assert state.last_sent_at == NOW + timedelta(days=7) and state.sheet_count == 1


def test_reviewing_the_sheet_stops_the_reminders(world, brand, run, mailbox):
    editor, admin = world.users["brand_editor"], world.users["brand_admin"]
    sheet = make_sheet(editor, brand, "Silk scarf", 1, reviewed=services.months_before(NOW, 13))
    assert len(run(NOW)) == 1

    services.mark_reviewed(editor, sheet)
    sheet.refresh_from_db()
    later = max(NOW, sheet.last_reviewed_at) + timedelta(days=8)
    assert run(later) == []
    assert len(mailbox.to(admin.email)) == 1


def test_each_recipient_reads_the_reminder_in_their_language(world, brand, run, mailbox):
    admin, editor = world.users["brand_admin"], world.users["brand_editor"]
    admin.language = "fr"
    admin.save(update_fields=["language"])
    editor.language = ""  # no preference: the site's default language
    editor.save(update_fields=["language"])
    reviewed = datetime(2025, 1, 15, 9, 0, tzinfo=UTC)
    make_sheet(editor, brand, "Silk scarf", 1, reviewed=reviewed, french="Carré de soie")

    run(NOW)

    (french,) = mailbox.to(admin.email)
    assert french.subject.strip() == "[IPM] 1 fiche produit de Brand A doit être vérifiée"  # folded: a leading space
    assert "Carré de soie (Aurelia)" in french.body and "15 janvier 2025" in french.body
    assert "Marquer comme vérifiée" in french.body
    (english,) = mailbox.to(editor.email)
    assert english.subject == "[IPM] 1 product sheet of Brand A needs a review"
    assert "Silk scarf (Aurelia)" in english.body and "Jan. 15, 2025" in english.body
    assert "Mark as reviewed" in english.body


def test_the_age_that_makes_a_sheet_stale_is_a_setting(world, brand, run, mailbox, settings):
    make_sheet(world.users["brand_editor"], brand, "Silk scarf", 1, reviewed=services.months_before(NOW, 7))
    assert run(NOW) == []
    settings.IPM_REVIEW_REMINDER_MONTHS = 6
    assert len(run(NOW)) == 1
    assert len(mailbox.to(world.users["brand_admin"].email)) == 1


def test_suspended_right_holders_and_those_without_authors_are_not_reminded(world, brand, run, mailbox):
    make_sheet(world.users["brand_editor"], brand, "Silk scarf", 1, reviewed=services.months_before(NOW, 13))
    holder = world.orgs["brand"]
    holder.is_active = False
    holder.save(update_fields=["is_active"])
    assert run(NOW) == []

    holder.is_active = True
    holder.save(update_fields=["is_active"])
    User.objects.filter(organisation=holder, role__in=[Role.ADMIN, Role.EDITOR]).update(is_active=False)
    assert run(NOW) == []
    assert mailbox.messages == []
    # Nobody was told, so nothing is recorded: once someone can act on it, they are reminded at once.
    User.objects.filter(organisation=holder, role=Role.EDITOR).update(is_active=True)
    assert len(run(NOW + timedelta(hours=1))) == 1
    assert len(mailbox.to(world.users["brand_editor"].email)) == 1


def test_the_command_runs_the_job_or_queues_it(world, brand, mailbox, django_capture_on_commit_callbacks):
    reviewed = datetime.now(UTC) - timedelta(days=500)
    make_sheet(world.users["brand_editor"], brand, "Silk scarf", 1, reviewed=reviewed)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_stale_sheets", stdout=out)
    assert "Reminded 1 right holder" in out.getvalue()
    assert len(mailbox.to(world.users["brand_admin"].email)) == 1

    StaleSheetReminder.objects.update(last_sent_at=datetime.now(UTC) - timedelta(days=8))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # the test backend runs a queued task at once
        call_command("remind_stale_sheets", "--enqueue", stdout=out)
    assert "Queued" in out.getvalue()
    assert len(mailbox.to(world.users["brand_admin"].email)) == 2

    out = StringIO()
    call_command("remind_stale_sheets", stdout=out)
    assert "No reminder was due" in out.getvalue()


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2026, 3, 10, 6, 15, tzinfo=UTC), 12, datetime(2025, 3, 10, 6, 15, tzinfo=UTC)),
        (datetime(2026, 3, 31, tzinfo=UTC), 1, datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2028, 3, 31, tzinfo=UTC), 1, datetime(2028, 2, 29, tzinfo=UTC)),
        (datetime(2026, 1, 15, tzinfo=UTC), 14, datetime(2024, 11, 15, tzinfo=UTC)),
        (datetime(2026, 5, 1, tzinfo=UTC), 0, datetime(2026, 5, 1, tzinfo=UTC)),
    ],
)
def test_months_are_calendar_months(moment, months, expected):
    assert services.months_before(moment, months) == expected
