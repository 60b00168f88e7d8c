from urllib.parse import urlsplit
from django.test import Client
from ipm.catalog import services
from ipm.scans.printable_codes import digital_link, demo_products

def test_dl(world, settings):
    settings.IPM_BASE_URL = "https://ipm.example.org"
    editor = world.users["brand_editor"]
    brand = services.create_brand(editor, world.orgs["brand"], name="Aurelia")
    gtin = demo_products()[0][1]
    p = services.create_product(editor, brand, name="S", gtins=[gtin])
    services.add_clue(editor, p, language="en", title="Hem")
    services.publish_product(editor, p)
    c = Client(); c.force_login(world.users["fr_officer"])
    parts = urlsplit(digital_link(gtin))
    r = c.get(parts.path + "?" + parts.query)
    print(r.status_code, r.get("Location"))
    r = Client().get(parts.path + "?" + parts.query)
    print(r.status_code, r.get("Location"))
