"""The demo's track-and-trace history gives each printable "secured item" code the findings its story calls for,
and loads twice without duplicating anything."""

from datetime import date

import pytest
from django.utils import timezone

from ipm.accounts.models import Organisation, OrganisationKind, Role, User
from ipm.catalog.models import CompanyPrefix
from ipm.epcis.demo import RIGHT_HOLDER_NAME, demo_document, load_demo_history
from ipm.epcis.history import check_item
from ipm.epcis.models import EpcisEvent
from ipm_reference_provider import demo as provider
from tests.epcis.standards import official_errors

pytestmark = pytest.mark.django_db

EXPECTED = {  # code key -> the findings an officer in France sees
    "authentic": [],
    "authentic_2": [],
    "authentic_3": [],
    "never_commissioned": ["never_commissioned"],
    "decommissioned": ["decommissioned"],
    "cloned": ["cloned"],
    "outside_market": ["outside_market"],
    "lot_mismatch": ["lot_mismatch"],
}


@pytest.fixture
def aurelia(db):
    holder = Organisation.objects.create(name=RIGHT_HOLDER_NAME, kind=OrganisationKind.RIGHT_HOLDER)
    CompanyPrefix.objects.create(right_holder=holder, prefix=provider.DEMO_GTIN13[:7])
    User.objects.create_user("editor@aurelia.test", "x" * 12, organisation=holder, role=Role.EDITOR)
    return holder


def test_the_demo_document_is_valid_epcis():
    assert official_errors(demo_document()) == []


def test_each_demo_code_shows_its_findings(aurelia):
    load_demo_history()
    assert set(EXPECTED) == set(provider.DEMO_SERIALS)
    for key, code in provider.CODES_BY_KEY.items():
        report = check_item(
            gtin=code.gtin,
            serial=code.serial,
            lot=code.lot,
            expiry=date.fromisoformat(code.expiry),
            country="FR",
            scanned_at=timezone.now(),
        )
        assert [finding.code for finding in report.findings] == EXPECTED[key], key


def test_loading_twice_keeps_one_fresh_sighting(aurelia):
    load_demo_history()
    count = EpcisEvent.objects.count()
    load_demo_history()
    assert EpcisEvent.objects.count() == count
