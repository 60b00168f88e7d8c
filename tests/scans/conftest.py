"""A small catalogue for the scan tests, on the fixture world (tests/world.py): the right holder "brand" with two
brands, a GS1 company prefix and sheets in every state; the rival with a prefix and a draft only.

Codes (GTIN-13, valid check digits):

* ``published`` — published, visible to every country, with a photo;
* ``fr_only`` — published for the French administration only;
* ``draft`` — never published;
* ``in_prefix`` — unknown to IPM, but inside the brand's company prefix;
* ``rival_draft`` — the rival's draft, inside the rival's prefix;
* ``unknown`` — in no registered prefix.
"""

import io
from dataclasses import dataclass

import pytest
import zxingcpp
from django.core.cache import cache
from PIL import Image

from ipm.catalog import media_services, records, services
from ipm.catalog.models import Contact
from tests.access.matrix import gtin13

BRAND_PREFIX = "4006381"
RIVAL_PREFIX = "5012345"
CODES = {
    "published": gtin13("400638100001"),
    "fr_only": gtin13("400638100002"),
    "draft": gtin13("400638100003"),
    "in_prefix": gtin13("400638199999"),
    "rival_draft": gtin13("501234500001"),
    "unknown": gtin13("871234500001"),
}


@dataclass
class Catalogue:
    products: dict
    brands: dict
    contacts: dict


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()  # parler caches translations by primary key, and keys repeat from one test to the next
    yield
    cache.clear()


def jpeg(colour=(180, 40, 40), size=(600, 400)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def catalogue(world) -> Catalogue:
    return build_catalogue(world)


def build_catalogue(world) -> Catalogue:
    """The catalogue above, on ``world`` (pictures go to ``MEDIA_ROOT``)."""
    editor = world.users["brand_editor"]
    holder = world.orgs["brand"]
    brands = {
        "aurelia": services.create_brand(editor, holder, name="Aurelia"),
        "maison": services.create_brand(editor, holder, name="Maison Verre"),
    }
    products = {}
    for key, visible in (("published", None), ("fr_only", ["FR"]), ("draft", None)):
        product = services.create_product(
            editor, brands["aurelia"], name=f"Scarf {key}", gtins=[CODES[key]], visible_countries=visible
        )
        services.set_product_text(editor, product, "fr", name=f"Foulard {key}")
        services.add_clue(editor, product, language="en", title="Stitching")
        if key != "draft":
            services.publish_product(editor, product)
        products[key] = product
    media_services.add_product_photo(editor, products["published"], jpeg())
    records.create_company_prefix(editor, holder, prefix=BRAND_PREFIX)
    rival_editor = world.users["rival_editor"]
    rival_brand = services.create_brand(rival_editor, world.orgs["rival"], name="Northwind")
    brands["northwind"] = rival_brand
    products["rival_draft"] = services.create_product(
        rival_editor, rival_brand, name="Rival draft", gtins=[CODES["rival_draft"]]
    )
    records.create_company_prefix(rival_editor, world.orgs["rival"], prefix=RIVAL_PREFIX)
    contacts = {
        "general": Contact.objects.create(
            right_holder=holder, name="Brand protection desk", email="desk@brand.test", languages="en"
        ),
        "fr": Contact.objects.create(
            right_holder=holder, name="Paris counsel", phone="+33 1 23 45 67 89", countries=["FR"], languages="fr"
        ),
        "product": Contact.objects.create(right_holder=holder, name="Scarf specialist"),
    }
    contacts["product"].products.add(products["published"])
    return Catalogue(products=products, brands=brands, contacts=contacts)


def barcode_image(content: str, format_name: str, *, gs1: bool = False, scale: int = 4) -> Image.Image:
    options = {"gs1": True} if gs1 else {}
    barcode = zxingcpp.create_barcode(content, zxingcpp.barcode_format_from_str(format_name), **options)
    bitmap = memoryview(zxingcpp.write_barcode_to_image(barcode, scale=scale))
    return Image.frombytes("L", (bitmap.shape[1], bitmap.shape[0]), bytes(bitmap))


def photo_of(*codes, size=(1600, 1200), file_format="JPEG") -> bytes:
    """A photo (grey background) with each ``(content, format, gs1)`` barcode pasted in a row, left to right."""
    picture = Image.new("RGB", size, (170, 160, 150))
    x = 60
    for content, format_name, gs1 in codes:
        code = barcode_image(content, format_name, gs1=gs1)
        picture.paste(code.convert("RGB"), (x, 200))
        x += code.width + 80
    buffer = io.BytesIO()
    picture.save(buffer, file_format, **({"quality": 92} if file_format == "JPEG" else {}))
    return buffer.getvalue()
