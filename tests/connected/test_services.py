"""Connected services, approval, secrets, links and ``services_for``: who may act, what is refused (and then nothing is
written), the claims a right holder's link makes count, and the audit trail."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ipm.audit.models import AuditAction, AuditEvent
from ipm.connected import services, signing
from ipm.connected.models import Service, ServiceCoverage, ServiceLink, ServiceStatus
from tests.connected.services_world import build_connected, gtin14

pytestmark = pytest.mark.django_db

VALID = {"name": "New", "reach": "verification_api", "verification_url": "https://verify.example.com/ipm"}


@pytest.fixture
def cw(world):
    return build_connected(world)


def register(cw, role="provider_admin", org="provider", **fields):
    return services.register_service(cw.users[role], cw.orgs[org], **{**VALID, **fields})


def refused(cw, **fields) -> dict:
    before = Service.objects.count(), ServiceCoverage.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        register(cw, **fields)
    assert (Service.objects.count(), ServiceCoverage.objects.count(), AuditEvent.objects.count()) == before
    return error.value.message_dict


# --- Registration ---------------------------------------------------------------------------------------------------


def test_a_provider_admin_registers_a_pending_service(cw):
    service = register(cw, coverage=[("company_prefix", "4006381"), {"kind": "gtin", "value": "4006381000017"}])
    assert service.status == ServiceStatus.PENDING
    assert service.public_id.startswith("svc_") and len(service.public_id) == 14
    assert service.secret == ""
    assert sorted(service.coverage.values_list("kind", "value")) == [
        ("company_prefix", "4006381"),
        ("gtin", "04006381000017"),
    ]
    event = AuditEvent.objects.get(action=AuditAction.CONNECTED_SERVICE_REGISTERED, target_id=str(service.pk))
    assert event.organisation == cw.orgs["provider"] and event.actor == cw.users["provider_admin"]


@pytest.mark.parametrize(
    "role, org",
    [
        ("provider_editor", "provider"),
        ("provider_viewer", "provider"),
        ("other_provider_admin", "provider"),
        ("brand_admin", "provider"),
        ("fr_admin", "provider"),
        ("brand_admin", "brand"),  # not a provider at all
    ],
)
def test_others_may_not_register(cw, role, org):
    before = Service.objects.count()
    with pytest.raises(PermissionDenied):
        register(cw, role, org)
    assert Service.objects.count() == before


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"name": " "}, "name"),
        ({"reach": "carrier_pigeon"}, "reach"),
        ({"verification_url": ""}, "verification_url"),
        ({"verification_url": "ftp://x.example/"}, "verification_url"),
        ({"verification_url": "http://verify.example.com/ipm"}, "verification_url"),
        ({"verification_url": "http://127.0.0.1:8080/"}, "verification_url"),  # loopback http: not allowed here
        ({"verification_url": "https://user:pw@verify.example.com/"}, "verification_url"),
        ({"timeout_ms": 10001}, "timeout_ms"),
        ({"timeout_ms": "soon"}, "timeout_ms"),
        ({"protocol_version": 2}, "protocol_version"),
        ({"reach": "app_launch", "app_link_template": "javascript:alert(1)//{code}"}, "app_link_template"),
        ({"reach": "app_launch", "app_link_template": "JavaScript:alert(1)"}, "app_link_template"),
        ({"reach": "app_launch", "app_link_template": "data:text/html,{code}"}, "app_link_template"),
        ({"reach": "app_launch", "app_link_template": "file:///etc/passwd"}, "app_link_template"),
        ({"reach": "app_launch", "app_link_template": "http://app.example/?c={code}"}, "app_link_template"),
        ({"reach": "app_launch", "app_link_template": "{code}"}, "app_link_template"),
        ({"reach": "app_launch", "app_link_template": "https://a.example/?c={secret}"}, "app_link_template"),
        ({"reach": "app_launch", "app_link_template": "https://a.example/?c={code"}, "app_link_template"),
        ({"reach": "app_launch", "app_link_template": ""}, "app_link_template"),
        ({"reach": "digital_link", "link_hosts": ""}, "link_hosts"),
        ({"reach": "digital_link", "link_hosts": "ok.example, not a host!"}, "link_hosts"),
        ({"coverage": [("company_prefix", "12")]}, "coverage"),
        ({"coverage": [("gtin", "4006381000018")]}, "coverage"),  # wrong check digit
        ({"coverage": [("code_format", "(unclosed")]}, "coverage"),
        ({"coverage": [("code_format", ".*")]}, "coverage"),  # matches anything
        ({"coverage": [("code_format", "A" * 201)]}, "coverage"),
        ({"coverage": [("url_pattern", "not a host/x")]}, "coverage"),
        ({"coverage": [("planet", "Mars")]}, "coverage"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(cw, fields, field):
    errors = refused(cw, **fields)
    assert field in errors and all(errors[field])


@override_settings(IPM_CONNECTED_ALLOW_LOOPBACK_HTTP=True, DEBUG=False)
def test_loopback_http_only_where_the_setting_allows_it(cw):
    assert register(cw, verification_url="http://127.0.0.1:8080/verify").verification_url.startswith("http://")
    assert register(cw, verification_url="http://[::1]:8080/verify")
    assert "verification_url" in refused(cw, verification_url="http://10.0.0.1/verify")
    assert "verification_url" in refused(cw, verification_url="http://localhost.evil.example/verify")
    assert register(cw, reach="app_launch", app_link_template="http://localhost:8001/v?c={code}")


def test_app_schemes_and_normalised_coverage_are_kept(cw):
    service = register(
        cw,
        reach="app_launch",
        app_link_template="providerapp://verify?c={code}&dl={digital_link}",
        coverage=[("url_pattern", "HTTPS://QR.Example.com/v/"), ("brand", " Aurum "), ("brand", "Aurum")],
    )
    assert service.app_link_template == "providerapp://verify?c={code}&dl={digital_link}"
    assert sorted(service.coverage.values_list("kind", "value")) == [
        ("brand", "Aurum"),
        ("url_pattern", "qr.example.com/v/"),
    ]


def test_update_replaces_coverage_and_keeps_the_status(cw):
    service = cw.services["api"]
    services.update_service(cw.users["provider_admin"], service, description="Now with lots", coverage=[("brand", "X")])
    service.refresh_from_db()
    assert service.status == ServiceStatus.APPROVED and service.description == "Now with lots"
    assert list(service.coverage.values_list("kind", "value")) == [("brand", "X")]
    with pytest.raises(PermissionDenied):
        services.update_service(cw.users["other_provider_admin"], service, name="Mine")
    with pytest.raises(PermissionDenied):
        services.update_service(cw.users["provider_editor"], service, name="Mine")
    with pytest.raises(ValidationError):
        services.update_service(cw.users["provider_admin"], service, verification_url="http://x.example/")
    assert Service.objects.get(pk=service.pk).name == "Aurum Verify"


# --- Approval and secrets -------------------------------------------------------------------------------------------


def test_approval_makes_a_secret_that_the_provider_sees_once(cw):
    service = cw.services["pending"]
    with pytest.raises(PermissionDenied):
        services.approve_service(cw.users["secretariat_editor"], service)
    with pytest.raises(PermissionDenied):
        services.approve_service(cw.users["provider_admin"], service)
    service = services.approve_service(cw.users["secretariat_admin"], service)
    assert service.status == ServiceStatus.APPROVED and service.approved_by == cw.users["secretariat_admin"]
    assert len(signing.secret_bytes(service.secret)) == 32
    # The secretariat approves but never holds the secret; a provider's editor neither.
    for role in ("secretariat_admin", "provider_editor", "other_provider_admin"):
        with pytest.raises(PermissionDenied):
            services.reveal_secret(cw.users[role], service)
    assert services.reveal_secret(cw.users["provider_admin"], service) == service.secret
    with pytest.raises(ValidationError):
        services.reveal_secret(cw.users["provider_admin"], service)
    assert AuditEvent.objects.filter(action=AuditAction.CONNECTED_SECRET_REVEALED).count() == 1
    with pytest.raises(ValidationError):
        services.approve_service(cw.users["secretariat_admin"], service)


def test_rotation_keeps_the_old_secret_for_a_day(cw):
    service = cw.services["api"]
    old = service.secret
    new = services.rotate_secret(cw.users["provider_admin"], service)
    service.refresh_from_db()
    assert new == service.secret != old
    assert service.secrets_accepted() == [new, old]
    tomorrow = timezone.now() + timezone.timedelta(hours=24, minutes=1)
    assert service.secrets_accepted(tomorrow) == [new]
    with pytest.raises(PermissionDenied):
        services.rotate_secret(cw.users["secretariat_admin"], service)
    with pytest.raises(ValidationError):  # rotation does not undo "shown once"
        services.reveal_secret(cw.users["provider_admin"], service)


def test_reject_suspend_submit_and_reinstate(cw):
    sec, admin = cw.users["secretariat_admin"], cw.users["provider_admin"]
    pending, api = cw.services["pending"], cw.services["api"]
    with pytest.raises(ValidationError) as error:
        services.reject_service(sec, pending, "  ")
    assert "reason" in error.value.message_dict
    pending = services.reject_service(sec, pending, "No proof of the prefixes")
    assert (pending.status, pending.status_reason) == (ServiceStatus.REJECTED, "No proof of the prefixes")
    with pytest.raises(ValidationError):
        services.suspend_service(sec, pending, "not approved")
    pending = services.submit_service(admin, pending)
    assert pending.status == ServiceStatus.PENDING and pending.status_reason == ""
    secret = api.secret
    api = services.suspend_service(sec, api, "Answers too slowly")
    assert api.status == ServiceStatus.SUSPENDED
    assert services.services_for(product=cw.products["aurum"]) == []  # linked below? none yet anyway
    api = services.approve_service(sec, api)
    assert api.secret == secret  # reinstated with its secret


# --- Links ------------------------------------------------------------------------------------------------------------


def test_right_holders_and_their_counsel_link_their_own_brands_and_products(cw):
    api, aurum = cw.services["api"], cw.brands["aurum"]
    link = services.link_brand(cw.users["brand_editor"], api, aurum)
    assert (link.right_holder, link.brand, link.active) == (cw.orgs["brand"], aurum, True)
    with pytest.raises(ValidationError):
        services.link_brand(cw.users["brand_admin"], api, aurum)
    link2 = services.link_product(cw.users["counsel_editor"], cw.services["app"], cw.products["aurum"])
    assert link2.right_holder == cw.orgs["brand"]
    services.unlink(cw.users["counsel_admin"], link2)
    link2.refresh_from_db()
    assert not link2.active
    again = services.link_product(cw.users["brand_editor"], cw.services["app"], cw.products["aurum"])
    assert again.pk == link2.pk and again.active
    actions = list(AuditEvent.objects.filter(action__startswith="connected_link").values_list("action", flat=True))
    assert sorted(actions) == ["connected_link_created"] * 3 + ["connected_link_removed"]


@pytest.mark.parametrize(
    "role", ["brand_viewer", "rival_admin", "other_counsel_admin", "fr_admin", "provider_admin", "secretariat_admin"]
)
def test_others_may_not_link_or_unlink(cw, role):
    api = cw.services["api"]
    link = services.link_brand(cw.users["brand_editor"], api, cw.brands["aurum"])
    before = ServiceLink.objects.count()
    with pytest.raises(PermissionDenied):
        services.link_brand(cw.users[role], cw.services["app"], cw.brands["aurum"])
    with pytest.raises(PermissionDenied):
        services.link_product(cw.users[role], cw.services["app"], cw.products["aurum"])
    with pytest.raises(PermissionDenied):
        services.unlink(cw.users[role], link)
    assert ServiceLink.objects.count() == before and ServiceLink.objects.get(pk=link.pk).active


def test_only_approved_services_are_linked(cw):
    for key in ("pending",):
        with pytest.raises(ValidationError):
            services.link_brand(cw.users["brand_editor"], cw.services[key], cw.brands["aurum"])
    assert not ServiceLink.objects.exists()


# --- services_for -----------------------------------------------------------------------------------------------------


def names(found):
    return sorted(service.name for service in found)


def test_no_link_no_service_even_with_a_claim(cw):
    """Both "api" and "other" claim the brand's prefix; neither secures anything until the right holder links it."""
    assert services.services_for(product=cw.products["aurum"], gtin=gtin14("aurum")) == []
    assert services.services_for(gtin=gtin14("aurum")) == []


def test_a_brand_link_secures_its_products_where_the_coverage_includes_them(cw):
    link = services.link_brand(cw.users["brand_editor"], cw.services["api"], cw.brands["aurum"])
    found = services.services_for(product=cw.products["aurum"], gtin=gtin14("aurum"))
    assert names(found) == ["Aurum Verify"]
    assert found[0].matched_link == link
    assert names(services.services_for(product=cw.products["aurum_draft"])) == ["Aurum Verify"]
    # A GTIN of the prefix without a sheet: the prefix owner's brand link vouches for it.
    assert names(services.services_for(gtin="04006381999991")) == ["Aurum Verify"]
    # "other" claims the same prefix, but the right holder never chose it.
    assert "Other Check" not in names(services.services_for(product=cw.products["aurum"]))
    services.unlink(cw.users["brand_editor"], link)
    assert services.services_for(product=cw.products["aurum"]) == []


def test_a_brand_claim_counts_without_a_prefix(cw):
    services.update_service(cw.users["provider_admin"], cw.services["api"], coverage=[("brand", "aurum")])
    services.link_product(cw.users["brand_editor"], cw.services["api"], cw.products["aurum"])
    assert names(services.services_for(product=cw.products["aurum"], gtin=gtin14("aurum"))) == ["Aurum Verify"]
    # Linked to one sheet only: the brand's other sheet is not secured.
    assert services.services_for(product=cw.products["aurum_draft"]) == []


def test_a_gtin_claim_counts_for_that_product_only(cw):
    services.link_brand(cw.users["rival_editor"], cw.services["app"], cw.brands["rivo"])
    assert names(services.services_for(product=cw.products["rivo"], gtin=gtin14("rivo"))) == ["Scan App"]
    assert services.services_for(product=cw.products["squatter"], gtin=gtin14("squatter")) == []


def test_a_prefix_claim_the_linking_right_holder_does_not_own_is_ignored(cw):
    """The rival links its brand to "other", which claims the brand's prefix 4006381: the rival's sheet whose GTIN
    lies under that prefix is still not secured by it, and the provider is told the claim is not granted."""
    other = cw.services["other"]
    services.link_brand(cw.users["rival_editor"], other, cw.brands["rivo"])
    assert services.services_for(product=cw.products["squatter"], gtin=gtin14("squatter")) == []
    assert services.services_for(gtin=gtin14("squatter")) == []
    report = services.coverage_report(other)
    assert [(line["value"], line["granted"]) for line in report] == [("4006381", False)]
    services.link_brand(cw.users["brand_editor"], other, cw.brands["aurum"])
    assert [line["granted"] for line in services.coverage_report(other)] == [True]


def test_suspended_services_and_inactive_links_do_not_count(cw):
    services.link_brand(cw.users["brand_editor"], cw.services["api"], cw.brands["aurum"])
    services.suspend_service(cw.users["secretariat_admin"], cw.services["api"], "Down for a week")
    assert services.services_for(product=cw.products["aurum"]) == []


def test_non_gs1_codes_by_url_pattern_and_code_format(cw):
    assert services.services_for(raw_code="https://qr.aurum.example/v/123") == []  # not linked yet
    link = services.link_brand(cw.users["brand_editor"], cw.services["api"], cw.brands["aurum"])
    for code in ("https://qr.aurum.example/v/123", "HTTPS://QR.AURUM.EXAMPLE/v/9", "AUR-123456"):
        found = services.services_for(raw_code=code)
        assert names(found) == ["Aurum Verify"], code
        assert found[0].matched_link == link
    for code in (
        "https://qr.aurum.example/w/123",
        "https://evil.example/qr.aurum.example/v/",
        "AUR-1234567",
        "xAUR-123456",
    ):
        assert services.services_for(raw_code=code) == [], code


def test_a_catastrophic_code_format_is_cut_short(cw):
    services.update_service(cw.users["provider_admin"], cw.services["api"], coverage=[("code_format", r"(a|aa)+$b")])
    services.link_brand(cw.users["brand_editor"], cw.services["api"], cw.brands["aurum"])
    assert services.services_for(raw_code="a" * 5000 + "!") == []


def test_services_for_is_one_or_two_queries(cw):
    services.link_brand(cw.users["brand_editor"], cw.services["api"], cw.brands["aurum"])
    services.link_product(cw.users["brand_editor"], cw.services["app"], cw.products["aurum"])
    product = type(cw.products["aurum"]).objects.select_related("brand").get(pk=cw.products["aurum"].pk)
    with CaptureQueriesContext(connection) as queries:
        found = services.services_for(product=product, gtin=gtin14("aurum"))
        assert found[0].matched_link.brand.name == "Aurum"
    assert names(found) == ["Aurum Verify"] and len(queries) == 1, [q["sql"] for q in queries]
    with CaptureQueriesContext(connection) as queries:
        assert names(services.services_for(gtin="04006381999991")) == ["Aurum Verify"]
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        assert names(services.services_for(raw_code="AUR-123456")) == ["Aurum Verify"]
    assert len(queries) == 2
