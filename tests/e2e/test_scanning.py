"""Scanning in the browser, end to end, as an officer on a phone (360 × 740) in a demo-like world (demo sheets
loaded as ``ipm demo`` loads them, with the demo's GTINs and company prefixes):

(a) the live camera: Chromium's fake camera films a video of a barcode (tests/e2e/barcode_video.py) and the scan
    page reads it and lands on the product — with the decoder the browser offers (BarcodeDetector where it has
    one; Debian's Chromium on Linux has none, so zxing-wasm), with zxing-wasm forced, and with the BarcodeDetector
    branch driven by a stand-in for the platform API (Linux Chromium lacks it);
(b) the photo fallback, with a screenshot of the printable test codes as the photo;
(c) the camera refused, absent, or the page not on a secure origin: the explanation, with the manual field and
    the photo still there;
(d) a code typed by hand.

Every request any page makes stays on the live server (loopback): the WebAssembly decoder comes from the app.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ipm.catalog.models import CompanyPrefix, Product
from ipm.demo import catalogue
from ipm.scans.models import ScanLog, ScanSource
from ipm.scans.printable_codes import UNKNOWN_PRODUCT_GTIN, barcode_image, element_string
from tests.e2e.barcode_video import scene, write_y4m
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP
from tests.e2e.helpers import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
SCARF, AMOXICILLIN = "AUR-SC90-RIV", "NW-AMX-500-21"
SPECS = {spec.key: spec for spec in catalogue.PRODUCTS}
WASM_PATH = "/static/vendor/zxing-wasm/reader/zxing_reader.wasm"
GS = "\x1d"
LIVE_TRACKS = (
    "(document.querySelector('#camera video').srcObject?.getTracks() || []).filter(t => t.readyState === 'live')"
)


def gtin_of(key: str) -> str:
    return SPECS[key].gtins[0][0]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """The demo sheets' pictures go to a throw-away folder (the live server runs in this process and sees it)."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def demo_world(world):
    """The fixture world, with the demo's company prefixes and two demo sheets loaded the way ``ipm demo`` loads
    them (texts in four languages, pictures, clues; published for every country). Returns the sheets by SKU."""
    holders = {"brand": world.orgs["brand"], "rival": world.orgs["rival"]}
    actors = {"brand": world.users["brand_admin"], "rival": world.users["rival_admin"]}
    for key, prefix in catalogue.PREFIXES.items():
        CompanyPrefix.objects.create(prefix=prefix, right_holder=holders[key])
    products = {}
    for sku in (SCARF, AMOXICILLIN):
        spec = SPECS[sku]
        holder = catalogue.brand_holder(spec)
        brand_spec = next(brand for brand in catalogue.BRANDS if brand.name == spec.brand)
        brand = catalogue._brand(brand_spec, holders[holder], actors[holder])
        products[sku] = catalogue._create_product(
            spec, brand, actors[holder], catalogue.render_pictures(spec), timezone.now()
        )
    return products


@pytest.fixture(scope="module")
def fake_camera(browser, tmp_path_factory):
    """``fake_camera(name, frame)``: a Chromium whose only camera films ``frame`` (a Pillow image), one browser per
    video for the module. Camera permission is not granted by a flag: each test's context grants it (or not)."""
    folder = tmp_path_factory.mktemp("camera")
    launched = {}

    def launch(name: str, frame):
        if name not in launched:
            video = write_y4m(folder / f"{name}.y4m", frame)
            launched[name] = browser.browser_type.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=[
                    *CHROMIUM_ARGS,
                    "--use-fake-device-for-media-stream",
                    f"--use-file-for-fake-video-capture={video}",
                ],
            )
        return launched[name]

    yield launch
    for camera in launched.values():
        camera.close()


def blank_label_camera(fake_camera):
    return fake_camera("blank-label", scene(None))


def record_requests(context) -> list[str]:
    urls = []
    context.on("request", lambda request: urls.append(request.url))
    return urls


def assert_loopback_only(urls: list[str], live_server) -> None:
    strays = [url for url in urls if not url.startswith((live_server.url + "/", "data:", "blob:"))]
    assert not strays, strays


def english_name(product: Product) -> str:
    return product.safe_translation_getter("name", language_code="en")


def land_on(page, product: Product) -> None:
    expect(page).to_have_url(re.compile(rf"/products/{product.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(english_name(product))


def has_barcode_detector(page) -> bool:
    return page.evaluate("'BarcodeDetector' in window")


# --- (a) The live camera -----------------------------------------------------------------------------------------


def test_an_officer_scans_a_gs1_datamatrix_with_the_camera_and_lands_on_the_product(
    demo_world, fake_camera, new_context, live_server, password, world, screenshot
):
    scarf = demo_world[SCARF]
    gtin = gtin_of(SCARF)
    camera = fake_camera("scarf-datamatrix", scene(barcode_image(element_string(gtin), "DataMatrix", gs1=True)))
    context = new_context(PHONE, using=camera, permissions=["camera"])
    requests = record_requests(context)
    page = context.new_page()
    sign_in(page, world.users["fr_officer"].email, password)
    native = has_barcode_detector(page)

    # The camera is allowed already, so it starts by itself; the code is read and looked up without a tap.
    page.goto("/scan/")
    land_on(page, scarf)
    screenshot(page, "product-page")

    log = ScanLog.objects.get()
    assert log.source == ScanSource.CAMERA
    assert (log.gtin, log.lot, log.serial) == ("0" + gtin, "L2607A", f"SN{gtin[3:12]}")
    # Which decoder ran: zxing-wasm fetches its WebAssembly (from the app); BarcodeDetector needs none.
    wasm = [url for url in requests if url.endswith(".wasm")]
    if native:
        assert wasm == []
    else:
        assert wasm == [live_server.url + WASM_PATH]
        # zxing-wasm tells GS1 apart: the server got the symbology identifier and the GS separators.
        assert log.raw_code == f"]d2010{gtin}17301231" + f"10L2607A{GS}21SN{gtin[3:12]}"
        assert log.symbology == "]d2"
    assert_loopback_only(requests, live_server)

    # Back to the scan page for the next item: the camera is on again (and, still on this pack, reads it again).
    page.go_back()
    land_on(page, scarf)
    assert ScanLog.objects.count() == 2


def test_the_zxing_wasm_reader_can_be_forced_and_reads_an_ean_13(
    demo_world, fake_camera, new_context, live_server, password, world
):
    amoxicillin = demo_world[AMOXICILLIN]
    gtin = gtin_of(AMOXICILLIN)
    camera = fake_camera("amoxicillin-ean13", scene(barcode_image(gtin, "EAN13")))
    context = new_context(PHONE, using=camera, permissions=["camera"])
    requests = record_requests(context)
    page = context.new_page()
    sign_in(page, world.users["fr_officer"].email, password)

    page.goto("/scan/?decoder=zxing")
    land_on(page, amoxicillin)

    assert [url for url in requests if url.endswith(".wasm")] == [live_server.url + WASM_PATH]
    log = ScanLog.objects.get()
    assert (log.source, log.raw_code, log.product_id) == (ScanSource.CAMERA, gtin, amoxicillin.pk)
    assert_loopback_only(requests, live_server)


def test_a_code_without_a_product_is_answered_on_the_scan_page_and_not_scanned_again(
    demo_world, fake_camera, new_context, password, world, screenshot
):
    """A GTIN IPM has no sheet for, under Aurelia's registered prefix: the page answers with the right holder. The
    camera, still filming the same code, does not start again by itself on that answer (it would scan it again)."""
    camera = fake_camera("unknown-product-ean13", scene(barcode_image(UNKNOWN_PRODUCT_GTIN, "EAN13")))
    context = new_context(PHONE, using=camera, permissions=["camera"])
    page = context.new_page()
    sign_in(page, world.users["fr_officer"].email, password)

    page.goto("/scan/")
    expect(page.locator("#scan-result [data-match=brand]")).to_be_visible()
    expect(page.locator("#scan-form [name=code]")).to_have_value(UNKNOWN_PRODUCT_GTIN)
    section = page.locator("#camera")
    expect(section).to_have_attribute("data-state", "idle")
    expect(section.get_by_role("button", name="Scan with the camera")).to_be_visible()
    page.wait_for_timeout(1500)  # time for several frames, had the camera started
    assert ScanLog.objects.count() == 1
    log = ScanLog.objects.get()
    assert (log.source, log.result, log.right_holder_id) == (ScanSource.CAMERA, "brand", world.orgs["brand"].pk)
    screenshot(page, "brand-answer")


# A stand-in for the platform's BarcodeDetector, which Chromium has on Android, ChromeOS and macOS but not on
# Linux: it "sees" a GS1 DataMatrix in the camera's picture once the video plays, and answers as Android's
# detector does — a leading GS for the FNC1 in first position, GS between fields, no symbology identifier. What
# runs for real is the scan page's BarcodeDetector branch: format negotiation, frames from the <video>, the GS1
# payload it builds, and the submission.
NATIVE_STAND_IN = """
window.BarcodeDetector = class BarcodeDetector {
  static async getSupportedFormats() {
    return ["aztec", "code_128", "data_matrix", "ean_13", "ean_8", "itf", "qr_code", "upc_a", "upc_e"];
  }
  constructor(options) { sessionStorage.setItem("barcodeDetectorFormats", JSON.stringify(options.formats)); }
  async detect(source) {
    if (!(source instanceof HTMLVideoElement) || source.readyState < 2) return [];
    return [{format: "data_matrix", rawValue: %s}];
  }
};
"""


def test_the_barcode_detector_branch_sends_gs1_data_with_its_symbology(
    demo_world, fake_camera, new_context, live_server, password, world
):
    scarf = demo_world[SCARF]
    gtin = gtin_of(SCARF)
    raw_value = f"{GS}010{gtin}17301231" + f"10L2607A{GS}21SN{gtin[3:12]}"
    context = new_context(PHONE, using=blank_label_camera(fake_camera), permissions=["camera"])
    context.add_init_script(NATIVE_STAND_IN % repr(raw_value).replace("\\x1d", "\\u001d"))
    requests = record_requests(context)
    page = context.new_page()
    sign_in(page, world.users["fr_officer"].email, password)

    page.goto("/scan/")
    land_on(page, scarf)

    # The scan page asked the detector for the formats it reads, among those the platform offers.
    formats = page.evaluate("JSON.parse(sessionStorage.getItem('barcodeDetectorFormats'))")
    assert formats == ["ean_13", "ean_8", "upc_a", "upc_e", "itf", "code_128", "data_matrix", "qr_code"]
    log = ScanLog.objects.get()
    assert log.raw_code == f"]d2010{gtin}17301231" + f"10L2607A{GS}21SN{gtin[3:12]}"
    assert (log.source, log.lot, log.serial) == (ScanSource.CAMERA, "L2607A", f"SN{gtin[3:12]}")
    assert not [url for url in requests if url.endswith(".wasm")]  # zxing-wasm was never loaded
    assert_loopback_only(requests, live_server)


def test_the_camera_section_at_phone_and_desktop_width_in_english_and_arabic(
    fake_camera, new_context, password, world, screenshot
):
    """The viewfinder while it looks for a code (a label without one), its buttons, and the form below it."""
    camera = blank_label_camera(fake_camera)
    for user_key, language in (("fr_officer", "en"), ("ma_officer", "ar")):
        user = world.users[user_key]
        user.language = language
        user.save(update_fields=["language"])
        for viewport, width in ((PHONE, "phone"), (DESKTOP, "desktop")):
            context = new_context(viewport, using=camera, permissions=["camera"])
            page = context.new_page()
            sign_in(page, user.email, password)
            page.goto("/scan/")
            section = page.locator("#camera")
            expect(section).to_have_attribute("data-state", "scanning")
            expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
            expect(section.locator("video")).to_be_visible()
            if language == "en":
                expect(section.get_by_role("status")).to_have_text(
                    "Point the camera at the barcode: it is read by itself."
                )
                expect(section.get_by_role("button", name="Stop the camera")).to_be_visible()
                # The fake camera has no torch and is the only camera: neither button is offered.
                expect(section.get_by_role("button", name="Torch")).to_be_hidden()
                expect(section.get_by_role("button", name="Switch camera")).to_be_hidden()
            box = section.locator("video").bounding_box()
            assert box["width"] <= viewport["width"]
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            screenshot(page, f"scanning-{width}-{language}")
            if language == "en" and width == "phone":
                section.get_by_role("button", name="Stop the camera").click()
                expect(section).to_have_attribute("data-state", "idle")
                expect(section.locator("video")).to_be_hidden()
                assert page.evaluate("document.querySelector('#camera video').srcObject") is None
            context.close()


SET_VISIBILITY = """state => {
  Object.defineProperty(document, "visibilityState", {value: state, configurable: true});
  Object.defineProperty(document, "hidden", {value: state === "hidden", configurable: true});
  document.dispatchEvent(new Event("visibilitychange"));
}"""


def test_a_hidden_page_turns_the_camera_off_and_back_on(fake_camera, new_context, password, world):
    context = new_context(PHONE, using=blank_label_camera(fake_camera), permissions=["camera"])
    page = context.new_page()
    sign_in(page, world.users["fr_officer"].email, password)
    page.goto("/scan/")
    section = page.locator("#camera")
    expect(section).to_have_attribute("data-state", "scanning")
    assert page.evaluate(f"{LIVE_TRACKS}.length") == 1

    # Another app in front. Headless Chromium keeps every page visible whatever happens to its window or tabs (no
    # visibilitychange, see microsoft/playwright#2286), so the page is told as a browser tells it.
    page.evaluate(SET_VISIBILITY, "hidden")
    expect(section).to_have_attribute("data-state", "paused")
    assert page.evaluate(f"{LIVE_TRACKS}.length") == 0

    page.evaluate(SET_VISIBILITY, "visible")
    expect(section).to_have_attribute("data-state", "scanning")
    assert page.evaluate(f"{LIVE_TRACKS}.length") == 1


def test_on_a_touch_screen_the_keyboard_does_not_cover_the_camera(fake_camera, new_context, password, world):
    """The code field has autofocus for handheld scanners; on a phone the focused field would open the on-screen
    keyboard over the camera view, so the page lets go of it once the camera reads. A desktop keeps the focus."""
    for viewport, keeps_focus in ((PHONE, False), (DESKTOP, True)):
        context = new_context(viewport, using=blank_label_camera(fake_camera), permissions=["camera"])
        page = context.new_page()
        sign_in(page, world.users["fr_officer"].email, password)
        page.goto("/scan/")
        expect(page.locator("#camera")).to_have_attribute("data-state", "scanning")
        assert page.evaluate("document.activeElement.name === 'code'") is keeps_focus


def test_several_cameras_can_be_switched(browser, new_context, password, world):
    """Chromium's fake device can offer several cameras (test patterns rather than a video)."""
    cameras = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[*CHROMIUM_ARGS, "--use-fake-device-for-media-stream=device-count=2"],
    )
    try:
        context = new_context(PHONE, using=cameras, permissions=["camera"])
        page = context.new_page()
        sign_in(page, world.users["fr_officer"].email, password)
        page.goto("/scan/")
        section = page.locator("#camera")
        expect(section).to_have_attribute("data-state", "scanning")
        device = "document.querySelector('#camera video').srcObject.getVideoTracks()[0].getSettings().deviceId"
        first = page.evaluate(device)
        section.get_by_role("button", name="Switch camera").click()
        expect(section).to_have_attribute("data-state", "scanning")
        page.wait_for_function(f"{device} !== {first!r}")
        context.close()
    finally:
        cameras.close()


# --- (b) The photo fallback -----------------------------------------------------------------------------------------


def test_an_officer_photographs_a_printed_test_code_and_lands_on_the_product(
    demo_world, new_context, live_server, password, world, screenshot
):
    amoxicillin = demo_world[AMOXICILLIN]
    context = new_context(PHONE)  # no camera at all: the photo is what is left
    requests = record_requests(context)
    page = context.new_page()
    sign_in(page, world.users["fr_officer"].email, password)

    # The printable test codes, as a second screen shows them; the officer photographs the medicine's DataMatrix.
    page.goto("/scan/test-codes/")
    sheet = page.get_by_role("region", name=english_name(amoxicillin))
    expect(sheet).to_be_visible()
    screenshot(page, "test-codes-phone")
    picture = sheet.locator("figure[data-format=DataMatrix] img").screenshot(scale="css")

    page.goto("/scan/")
    page.locator("#scan-form [name=image]").set_input_files(
        {"name": "datamatrix.png", "mimeType": "image/png", "buffer": picture}
    )
    land_on(page, amoxicillin)
    log = ScanLog.objects.get()
    assert (log.source, log.symbology, log.lot) == (ScanSource.PHOTO, "]d2", "L2607A")
    assert_loopback_only(requests, live_server)


# --- (c) No camera to use -------------------------------------------------------------------------------------------


def test_a_refused_camera_is_explained_and_the_other_ways_remain(fake_camera, new_context, password, world, screenshot):
    for user_key, language in (("fr_officer", "en"), ("ma_officer", "ar")):
        user = world.users[user_key]
        user.language = language
        user.save(update_fields=["language"])
        context = new_context(PHONE, using=blank_label_camera(fake_camera))  # camera permission not granted
        page = context.new_page()
        sign_in(page, user.email, password)
        page.goto("/scan/")
        section = page.locator("#camera")
        # Not allowed yet, so the page waits for the officer to ask for the camera; then the browser says no.
        expect(section).to_have_attribute("data-state", "idle")
        section.locator("[data-camera-action=start]").click()
        expect(section).to_have_attribute("data-state", "error")
        problem = section.get_by_role("alert")
        expect(problem).to_be_visible()
        if language == "en":
            expect(problem).to_contain_text("Camera access was refused.")
            expect(problem).to_contain_text("allow the camera for this site in your browser's site settings")
        expect(section.locator("video")).to_be_hidden()
        expect(section.locator("[data-camera-action=start]")).to_be_visible()  # to try again once allowed
        expect(page.locator("#scan-form [name=code]")).to_be_visible()
        expect(page.locator("#scan-form [name=image]")).to_be_visible()
        screenshot(page, f"refused-{language}")
        context.close()


def test_a_device_without_a_camera_is_explained(new_context, password, world, screenshot):
    context = new_context(PHONE, permissions=["camera"])  # the session's Chromium has no (fake) camera
    page = context.new_page()
    sign_in(page, world.users["fr_officer"].email, password)
    page.goto("/scan/")
    section = page.locator("#camera")
    expect(section).to_have_attribute("data-state", "error")  # allowed, so it tried at once
    expect(section.get_by_role("alert")).to_have_text(
        "No camera was found on this device. Type the code or take a photo below instead."
    )
    expect(page.locator("#scan-form [name=image]")).to_be_visible()
    screenshot(page, "no-camera")


def test_a_page_not_on_a_secure_origin_explains_that_the_camera_needs_https(
    browser, new_context, live_server, password, world, settings, screenshot
):
    """Browsers give the camera only to secure origins (HTTPS, or this computer). A host name that is not
    "localhost", resolved to the live server on loopback, makes the page an insecure origin."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "ipm.test"]
    plain_http = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--host-resolver-rules=MAP ipm.test 127.0.0.1"],
    )
    try:
        context = new_context(PHONE, using=plain_http)
        requests = record_requests(context)
        page = context.new_page()
        origin = f"http://ipm.test:{urlsplit(live_server.url).port}"
        page.goto(origin + "/accounts/login/")
        page.locator("input[name=login]").fill(world.users["fr_officer"].email)
        page.locator("input[name=password]").fill(password)
        page.locator("form:has(input[name=password]) button[type=submit]").click()
        expect(page.locator("input[name=password]")).to_have_count(0)
        page.goto(origin + "/scan/")
        assert page.evaluate("window.isSecureContext") is False
        section = page.locator("#camera")
        expect(section.get_by_role("alert")).to_contain_text("secure connection (an address starting with https://)")
        expect(section.locator("[data-camera-action=start]")).to_be_hidden()  # nothing to retry here
        expect(page.locator("#scan-form [name=code]")).to_be_visible()
        screenshot(page, "insecure-origin")
        assert all(url.startswith((origin + "/", "data:")) for url in requests), requests
        context.close()
    finally:
        plain_http.close()


# --- (d) A code typed by hand ---------------------------------------------------------------------------------------


def test_an_officer_types_a_code_and_lands_on_the_product(demo_world, new_context, password, world):
    scarf = demo_world[SCARF]
    page = new_context(PHONE).new_page()
    sign_in(page, world.users["fr_officer"].email, password)
    page.goto("/scan/")
    page.locator("#scan-form [name=code]").fill(gtin_of(SCARF))
    page.locator("#scan-form").get_by_role("button", name="Look up").click()
    land_on(page, scarf)
    log = ScanLog.objects.get()
    assert (log.source, log.product_id) == (ScanSource.PAGE, scarf.pk)


# --- The printable test codes ----------------------------------------------------------------------------------------


def test_the_test_codes_page_at_phone_and_desktop_width_in_english_and_arabic(
    demo_world, new_context, password, world, screenshot
):
    for user_key, language in (("fr_officer", "en"), ("ma_officer", "ar")):
        user = world.users[user_key]
        user.language = language
        user.save(update_fields=["language"])
        for viewport, width in ((PHONE, "phone"), (DESKTOP, "desktop")):
            context = new_context(viewport)
            page = context.new_page()
            sign_in(page, user.email, password)
            page.goto("/scan/")
            page.locator("#test-codes-link").click()
            expect(page).to_have_url(re.compile(r"/scan/test-codes/$"))
            images = page.locator("figure img")
            expect(images).to_have_count(4 * 4 + 3 + 6)  # and the six secured items of IPM Connected
            for index in range(images.count()):
                assert images.nth(index).evaluate("image => image.complete && image.naturalWidth > 0")
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            screenshot(page, f"test-codes-{width}-{language}")
            context.close()
