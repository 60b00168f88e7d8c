"""Sheets the officer-page and catalogue-API tests share: one with everything an officer reads, built through the
catalogue's services; contacts, IP rights, applications for action, known counterfeits and routes have no
service yet, so they are written with the ORM."""

import io
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from PIL import Image

from ipm.catalog import media_services, services
from ipm.catalog.models import (
    ApplicationForAction,
    Contact,
    CounterfeitVariant,
    IPRight,
    Product,
    RightKind,
    Route,
)

GTIN_13 = "4006381333931"
GTIN_14 = "04006381333931"


def jpeg(colour=(180, 40, 40), size=(96, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


@dataclass
class FullSheet:
    product: Product
    expired_right: IPRight
    valid_right: IPRight
    fr_application: ApplicationForAction
    ma_application: ApplicationForAction


def add_clues(editor, product, count, *, start=1, images=True):
    for n in range(start, start + count):
        clue = services.add_clue(
            editor,
            product,
            language=product.source_language,
            title=f"Clue {n}: stitching",
            explanation=f"Explanation {n}: eight stitches per centimetre.",
            where_to_look=f"Inner seam {n}",
        )
        if images:
            media_services.set_clue_images(
                editor, clue, genuine_image=jpeg((30, 140, 60)), counterfeit_image=jpeg((160, 30, 30))
            )


def full_sheet(
    world,
    brand,
    *,
    gtin=GTIN_13,
    photos=3,
    clues=5,
    variants=2,
    routes=2,
    publish=True,
    visible_countries=None,
    name="Silk scarf",
) -> FullSheet:
    """A sheet of ``brand`` (of the world's right holder "brand") in English, with 3 photos, ``clues`` clues with
    photo pairs, 3 IP rights (one expired, one for the whole brand), 2 contacts (one for France with a 24/7
    number, one for every country), 2 applications for action (France in force, Morocco expired), known
    counterfeits and routes."""
    editor = world.users["brand_editor"]
    holder = world.orgs["brand"]
    product = services.create_product(
        editor,
        brand,
        name=name,
        description="Hand-rolled edges, 90 × 90 cm.",
        packaging="Orange box with a brown ribbon.",
        gtins=[gtin],
        hs_code="621410",
        country_of_manufacture="FR",
        price_min=300,
        price_max=450,
        currency="EUR",
        visible_countries=visible_countries,
    )
    for n in range(photos):
        media_services.add_product_photo(editor, product, jpeg((40 * n, 90, 160)), caption=f"Photo {n + 1}")
    add_clues(editor, product, clues)
    today = timezone.localdate()
    valid_right = IPRight.objects.create(
        right_holder=holder,
        brand=brand,
        kind=RightKind.TRADEMARK,
        office="EUIPO",
        number=f"0180000{product.pk:02d}",
        classes="3, 18, 25",
        holder_name="Aurelia SA",
        expires_on=today + timedelta(days=900),
    )
    valid_right.products.add(product)
    expired_right = IPRight.objects.create(
        right_holder=holder,
        kind=RightKind.DESIGN,
        office="INPI",
        number=f"D-2001-{product.pk}",
        classes="5-02",
        holder_name="Aurelia SA",
        expires_on=today - timedelta(days=30),
    )
    expired_right.products.add(product)
    IPRight.objects.get_or_create(  # for the whole brand: linked to no product in particular
        right_holder=holder,
        brand=brand,
        kind=RightKind.TRADEMARK,
        office="WIPO",
        number="1234567",
        defaults={"classes": "25", "holder_name": "Aurelia SA", "expires_on": today + timedelta(days=3000)},
    )
    Contact.objects.get_or_create(
        right_holder=holder,
        name="Claire Dubois",
        defaults={
            "function": "Brand protection",
            "phone": "+33 1 23 45 67 89",
            "emergency_phone": "+33 6 12 34 56 78",
            "email": "claire@example.test",
            "countries": ["FR", "BE"],
            "languages": "fr, en",
        },
    )
    Contact.objects.get_or_create(
        right_holder=holder,
        name="Global desk",
        defaults={"phone": "+44 20 7946 0000", "email": "desk@example.test", "languages": "en"},
    )
    fr_application, _created = ApplicationForAction.objects.get_or_create(
        right_holder=holder,
        country="FR",
        reference="FR-AFA-2024-17",
        defaults={"valid_from": date(2024, 1, 1), "valid_until": today + timedelta(days=200)},
    )
    fr_application.ip_rights.add(valid_right)
    ma_application, _created = ApplicationForAction.objects.get_or_create(
        right_holder=holder,
        country="MA",
        reference="MA-2019-3",
        defaults={"valid_from": date(2019, 1, 1), "valid_until": today - timedelta(days=10)},
    )
    for n in range(variants):
        variant = CounterfeitVariant(product=product, first_seen=date(2024, 5, 1 + n))
        variant.set_current_language("en")
        variant.name = f"Fake {n + 1}"
        variant.description = "Printed edges, thin silk."
        variant.save()
    for n in range(routes):
        Route.objects.create(
            product=product,
            origin="FR",
            transit=["BE"] if n else [],
            destination="MA",
            ports="FRLEH, MACAS",
            modes="sea",
        )
    if publish:
        services.publish_product(editor, product)
    product.refresh_from_db()
    return FullSheet(product, expired_right, valid_right, fr_application, ma_application)
