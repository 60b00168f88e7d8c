"""What the scan page's camera reader needs from the server: its section on the page, the decoder's files served by
the app (never a CDN) with the types browsers expect, a Content-Security-Policy that lets WebAssembly compile and
nothing more, and exactly pinned npm packages. The reading itself is tested in a browser (tests/e2e/test_scanning.py).
"""

import json
import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

PROJECT_DIR = Path(__file__).resolve().parents[2]
WASM = "vendor/zxing-wasm/reader/zxing_reader.wasm"
MODULE = "vendor/zxing-wasm/es/reader/index.js"


def scan_page(world):
    client = Client()
    client.force_login(world.users["fr_officer"])
    return client, client.get(reverse("scans:scan"))


def test_the_scan_page_holds_the_camera_section_and_its_script(world):
    _client, response = scan_page(world)
    html = response.content.decode()
    assert response.status_code == 200
    # Hidden until its script runs, so a browser without JavaScript shows only the field and the photo.
    assert re.search(r'<section id="camera"[^>]*\bhidden\b', html)
    assert f'data-zxing-module="{settings.STATIC_URL}{MODULE}"' in html
    assert f'data-zxing-wasm="{settings.STATIC_URL}{WASM}"' in html
    assert f'<script type="module" src="{settings.STATIC_URL}scans/camera.js"></script>' in html
    assert html.index('id="camera"') < html.index('id="scan-form"')
    assert 'href="/scan/test-codes/"' in html
    # No inline script or style: the page's policy would refuse them.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\sstyle=", html)


def test_the_policy_lets_webassembly_compile_and_nothing_else(world):
    _client, response = scan_page(world)
    policy = {
        directive.split()[0]: directive.split()[1:] for directive in response["Content-Security-Policy"].split(";")
    }
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert policy["connect-src"] == ["'self'"]  # the .wasm is fetched from the app


def test_other_pages_may_not_compile_webassembly(world):
    client, _response = scan_page(world)
    response = client.get("/scan/history/")
    assert response.status_code == 200
    assert "wasm-unsafe-eval" not in response["Content-Security-Policy"]


def test_the_decoder_files_are_served_by_the_app(world):
    client, _response = scan_page(world)
    for path, content_type in (
        ("scans/camera.js", "text/javascript"),
        ("scans/camera.css", "text/css"),
        (MODULE, "text/javascript"),
        ("vendor/zxing-wasm/es/share.js", "text/javascript"),  # imported by the module, relative to it
        (WASM, "application/wasm"),  # the type WebAssembly.instantiateStreaming insists on
    ):
        response = client.get(settings.STATIC_URL + path)
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith(content_type), (path, response["Content-Type"])
        response.close()


def test_the_decoder_never_reaches_for_its_cdn_on_its_own():
    """zxing-wasm's default is to fetch its .wasm from a CDN; camera.js overrides where it looks."""
    module = Path(finders.find(MODULE)).parent.parent / "share.js"
    assert "jsdelivr" in module.read_text()  # the default the override exists for
    camera = (PROJECT_DIR / "src/ipm/scans/static/scans/camera.js").read_text()
    assert "locateFile" in camera and "prepareZXingModule" in camera


def test_the_npm_packages_are_pinned_exactly():
    package = json.loads((PROJECT_DIR / "package.json").read_text())
    lock = json.loads((PROJECT_DIR / "package-lock.json").read_text())
    version = package["dependencies"]["zxing-wasm"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert lock["packages"]["node_modules/zxing-wasm"]["version"] == version
    assert lock["packages"][""]["dependencies"]["zxing-wasm"] == version
