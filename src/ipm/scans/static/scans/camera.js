// Live barcode scanning on the scan page (scans/_camera.html): the rear camera, a decoder, and on a read the
// code goes into #scan-form's "code" field and the form is submitted, so the server does the parsing and the
// lookup exactly as for a typed code. Without a camera (refused, absent, not a secure origin) the section says
// why, and the manual field and the photo upload of the scan page remain.
//
// Two decoders, same formats:
// - "native": the browser's BarcodeDetector (Chrome on Android and macOS, …);
// - "zxing": zxing-wasm (ZXing-C++ compiled to WebAssembly), imported from the app's own static files, with its
//   .wasm located there too (zxing-wasm fetches it from a CDN unless told otherwise). `?decoder=zxing` on the
//   page's URL forces it, for tests and for comparing the two on one phone.
// Which one runs is written to the section's data-decoder attribute.
//
// GS1: the server's parser needs to know that a DataMatrix, Code 128 or QR Code is GS1 (FNC1 in first position),
// and where variable-length fields end (FNC1 as a separator). zxing-wasm reports both: the symbology identifier
// (]d2, ]C1, ]Q3) and, in "Plain" text mode, the separators as GS (0x1D) characters; we send
// identifier + text. BarcodeDetector gives only rawValue and a format name: it keeps the GS separators but says
// nothing of a leading FNC1, so a GS1 symbol is recognised by its content (a leading GS, as some readers emit
// for the first FNC1, or separators inside) and given the identifier of its symbology; anything else is sent
// as read, and the parser tells GS1 element strings from plain text by their shape.

const FORMATS = {
  native: ["ean_13", "ean_8", "upc_a", "upc_e", "itf", "code_128", "data_matrix", "qr_code"],
  zxing: ["EAN13", "EAN8", "UPCA", "UPCE", "ITF", "Code128", "DataMatrix", "QRCode"],
};
const GS = "\u001d";
// The symbology identifier that marks GS1 content (FNC1 in first position), per symbology.
const GS1_IDENTIFIERS = {
  data_matrix: "]d2",
  DataMatrix: "]d2",
  code_128: "]C1",
  Code128: "]C1",
  qr_code: "]Q3",
  QRCode: "]Q3",
};
const NATIVE_INTERVAL_MS = 100;
const ZXING_INTERVAL_MS = 150;
const MAX_FRAME_SIDE = 1280; // larger frames cost decode time and read no better

/** The UPC-A (12 digits) that an 8-digit UPC-E stands for; anything else is returned as it is. */
export function expandUpcE(code) {
  if (!/^[01]\d{7}$/.test(code)) return code;
  const [system, d, check] = [code[0], code.slice(1, 7), code[7]];
  const last = Number(d[5]);
  let body;
  if (last <= 2) body = d.slice(0, 2) + d[5] + "0000" + d.slice(2, 5);
  else if (last === 3) body = d.slice(0, 3) + "00000" + d.slice(3, 5);
  else if (last === 4) body = d.slice(0, 4) + "00000" + d[4];
  else body = d.slice(0, 5) + "0000" + d[5];
  return system + body + check;
}

/** The payload the server parses, from a BarcodeDetector result. */
export function nativePayload(format, rawValue) {
  // Eight digits would otherwise read as an EAN-8; zxing-wasm already expands UPC-E itself.
  if (format === "upc_e") return expandUpcE(rawValue);
  const identifier = GS1_IDENTIFIERS[format];
  if (identifier && !rawValue.startsWith("]")) {
    if (rawValue.startsWith(GS)) return identifier + rawValue.slice(1);
    if (rawValue.includes(GS) && /^\d{2}/.test(rawValue)) return identifier + rawValue;
  }
  return rawValue;
}

/** The payload the server parses, from a zxing-wasm result (read in "Plain" text mode). */
export function zxingPayload(result) {
  if (result.contentType === "GS1") {
    // A GS1 DataMatrix in the rectangular extension (DMRE) reads as ]d8 with ZXing-C++; it is still GS1.
    return (GS1_IDENTIFIERS[result.symbology] || result.symbologyIdentifier) + result.text;
  }
  return result.text;
}

function nativeDecoder(formats) {
  const detector = new window.BarcodeDetector({ formats });
  return {
    name: "native",
    interval: NATIVE_INTERVAL_MS,
    async decode(video) {
      const found = await detector.detect(video);
      const first = found.find((barcode) => barcode.rawValue);
      return first ? nativePayload(first.format, first.rawValue) : null;
    },
  };
}

async function zxingDecoder(moduleUrl, wasmUrl) {
  const zxing = await import(moduleUrl);
  // Load the WebAssembly from the app, never from zxing-wasm's default CDN; wait for it, so a failure shows now.
  await zxing.prepareZXingModule({
    overrides: { locateFile: (path, prefix) => (path.endsWith(".wasm") ? wasmUrl : prefix + path) },
    fireImmediately: true,
  });
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const options = { formats: FORMATS.zxing, tryHarder: true, textMode: "Plain", maxNumberOfSymbols: 1 };
  return {
    name: "zxing",
    interval: ZXING_INTERVAL_MS,
    async decode(video) {
      const scale = Math.min(1, MAX_FRAME_SIDE / Math.max(video.videoWidth, video.videoHeight));
      const width = Math.round(video.videoWidth * scale);
      const height = Math.round(video.videoHeight * scale);
      if (!width || !height) return null;
      canvas.width = width;
      canvas.height = height;
      context.drawImage(video, 0, 0, width, height);
      const results = await zxing.readBarcodes(context.getImageData(0, 0, width, height), options);
      const first = results.find((result) => result.isValid && result.text);
      return first ? zxingPayload(first) : null;
    },
  };
}

async function chooseDecoder(root) {
  const forced = new URLSearchParams(window.location.search).get("decoder");
  if (forced !== "zxing" && "BarcodeDetector" in window) {
    try {
      const supported = await window.BarcodeDetector.getSupportedFormats();
      const formats = FORMATS.native.filter((format) => supported.includes(format));
      if (formats.length) return nativeDecoder(formats);
    } catch {
      // A BarcodeDetector that cannot list its formats is of no use: fall through to zxing-wasm.
    }
  }
  return zxingDecoder(root.dataset.zxingModule, root.dataset.zxingWasm);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class CameraScanner {
  constructor(root) {
    this.root = root;
    this.video = root.querySelector("video");
    this.view = root.querySelector("[data-camera-view]");
    this.status = root.querySelector("[data-camera-status]");
    this.problem = root.querySelector("[data-camera-problem]");
    this.buttons = {};
    for (const button of root.querySelectorAll("[data-camera-action]")) {
      this.buttons[button.dataset.cameraAction] = button;
      button.addEventListener("click", () => this[button.dataset.cameraAction]());
    }
    this.form = document.getElementById("scan-form");
    this.stream = null;
    this.decoder = null;
    this.decoderPromise = null;
    this.session = 0; // bumped on every start/stop, so a stale decoding loop ends itself
    this.devices = [];
    this.resumeWhenVisible = false;
  }

  message(key) {
    const element = this.root.querySelector(`[data-message="${key}"]`);
    return element ? element.textContent.trim() : key;
  }

  setState(state, statusKey) {
    this.root.dataset.state = state;
    this.status.textContent = statusKey ? this.message(statusKey) : "";
  }

  fail(problemKey, error) {
    if (error) console.warn("Camera scanning:", error);
    this.stopStream();
    this.setState("error");
    this.problem.querySelector("[data-camera-problem-text]").textContent = this.message(problemKey);
    this.problem.hidden = false;
    this.view.hidden = true;
    this.showButtons({ start: problemKey !== "insecure" && problemKey !== "unsupported" });
  }

  showButtons({ start = false, stop = false, torch = false, switchCamera = false }) {
    this.buttons.start.hidden = !start;
    this.buttons.stop.hidden = !stop;
    this.buttons.torch.hidden = !torch;
    this.buttons.switch.hidden = !switchCamera;
  }

  async init() {
    this.root.hidden = false;
    if (!this.form || !this.codeField()) {
      this.fail("unsupported", new Error("#scan-form with a code field is missing"));
      return;
    }
    if (!window.isSecureContext) {
      this.fail("insecure");
      return;
    }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      this.fail("unsupported");
      return;
    }
    this.setState("idle");
    this.showButtons({ start: true });
    document.addEventListener("visibilitychange", () => this.onVisibilityChange());
    window.addEventListener("pagehide", () => this.stopStream());
    // Back on the page from the product (the browser kept it in memory): ready to scan the next code.
    window.addEventListener("pageshow", async (event) => {
      if (!event.persisted) return;
      if (this.root.dataset.state === "found") this.codeField().value = "";
      this.reset();
      this.startIfAllowed();
    });
    this.startIfAllowed();
  }

  codeField() {
    return this.form.elements.namedItem("code");
  }

  // Start at once when the camera is already allowed for this site; otherwise wait for a tap, so the browser's
  // permission prompt comes when the officer asks for the camera. Not on a page that answers a scan (the code is
  // back in the field): the camera, still on the same code, would scan it again and again.
  async startIfAllowed() {
    const answering = this.codeField().value.trim() !== "";
    if (!answering && (await this.cameraAllowed())) this.start();
  }

  async cameraAllowed() {
    try {
      const permission = await navigator.permissions.query({ name: "camera" });
      return permission.state === "granted";
    } catch {
      return false; // browsers that cannot tell (Firefox): wait for the tap
    }
  }

  decoderReady() {
    if (!this.decoderPromise) {
      this.decoderPromise = chooseDecoder(this.root).then((decoder) => {
        this.decoder = decoder;
        this.root.dataset.decoder = decoder.name;
        return decoder;
      });
      this.decoderPromise.catch(() => {
        this.decoderPromise = null; // try again on the next start
      });
    }
    return this.decoderPromise;
  }

  async start(deviceId) {
    if (this.stream) this.stopStream(); // one camera at a time
    const session = ++this.session;
    this.problem.hidden = true;
    this.setState("starting", "starting");
    this.showButtons({ stop: true });
    const video = deviceId
      ? { deviceId: { exact: deviceId } }
      : { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } };
    const decoder = this.decoderReady();
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video, audio: false });
    } catch (error) {
      if (session !== this.session) return;
      const problem = {
        NotAllowedError: "refused",
        SecurityError: "refused",
        NotFoundError: "no_camera",
        OverconstrainedError: "no_camera",
        NotReadableError: "busy",
        AbortError: "busy",
      }[error.name];
      this.fail(problem || "busy", error);
      return;
    }
    if (session !== this.session) {
      stream.getTracks().forEach((track) => track.stop());
      return;
    }
    this.stream = stream;
    this.video.srcObject = stream;
    this.view.hidden = false;
    try {
      await this.video.play();
      await decoder;
    } catch (error) {
      if (session === this.session) this.fail(this.decoder ? "busy" : "reader_failed", error);
      return;
    }
    if (session !== this.session) return;
    const track = stream.getVideoTracks()[0];
    const capabilities = track.getCapabilities ? track.getCapabilities() : {};
    this.devices = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === "videoinput");
    this.setTorchPressed(false);
    this.showButtons({ stop: true, torch: Boolean(capabilities.torch), switchCamera: this.devices.length > 1 });
    this.setState("scanning", "scanning");
    this.hideTouchKeyboard();
    this.scan(session);
  }

  // The code field has autofocus for handheld scanners that type like a keyboard; on a touch screen that opens
  // the on-screen keyboard over the camera view, so it is dismissed once the camera reads.
  hideTouchKeyboard() {
    const field = document.activeElement;
    if (field && field.name === "code" && window.matchMedia("(pointer: coarse)").matches) field.blur();
  }

  async scan(session) {
    while (session === this.session) {
      const began = performance.now();
      let code = null;
      try {
        code = await this.decoder.decode(this.video);
      } catch (error) {
        console.warn("Camera scanning: a frame could not be decoded", error);
      }
      if (session !== this.session) return;
      if (code) {
        this.found(code);
        return;
      }
      await sleep(Math.max(0, this.decoder.interval - (performance.now() - began)));
    }
  }

  found(code) {
    // A short buzz says "got it" without looking; browsers refuse it before the user has touched the page.
    const touched = !navigator.userActivation || navigator.userActivation.hasBeenActive;
    if (navigator.vibrate && touched) navigator.vibrate(80);
    this.stopStream();
    this.view.hidden = true;
    this.showButtons({});
    this.setState("found", "found");
    this.codeField().value = code;
    // The scan log tells camera reads from typed codes.
    const source = this.form.elements.namedItem("source");
    if (source) source.value = "camera";
    if (this.form.requestSubmit) this.form.requestSubmit();
    else this.form.submit();
  }

  stopStream() {
    this.session++;
    if (this.stream) {
      this.stream.getTracks().forEach((track) => track.stop());
      this.stream = null;
    }
    this.video.srcObject = null;
  }

  stop() {
    this.stopStream();
    this.reset();
  }

  reset() {
    this.view.hidden = true;
    this.problem.hidden = true;
    this.setState("idle");
    this.showButtons({ start: true });
  }

  async torch() {
    const track = this.stream && this.stream.getVideoTracks()[0];
    if (!track) return;
    const on = this.buttons.torch.getAttribute("aria-pressed") !== "true";
    try {
      await track.applyConstraints({ advanced: [{ torch: on }] });
      this.setTorchPressed(on);
    } catch (error) {
      console.warn("Camera scanning: the torch did not switch", error);
    }
  }

  setTorchPressed(on) {
    this.buttons.torch.setAttribute("aria-pressed", String(on));
    this.buttons.torch.classList.toggle("active", on);
  }

  switch() {
    if (this.devices.length < 2 || !this.stream) return;
    const current = this.stream.getVideoTracks()[0].getSettings().deviceId;
    const index = this.devices.findIndex((device) => device.deviceId === current);
    const next = this.devices[(index + 1) % this.devices.length];
    this.stopStream();
    this.start(next.deviceId);
  }

  // A hidden page keeps no camera open (the light stays off, other apps may use it); it comes back on return.
  onVisibilityChange() {
    if (document.visibilityState === "hidden") {
      if (this.stream) {
        this.resumeWhenVisible = true;
        this.stopStream();
        this.setState("paused");
      }
    } else if (this.resumeWhenVisible) {
      this.resumeWhenVisible = false;
      this.start();
    }
  }
}

const root = document.getElementById("camera");
if (root) new CameraScanner(root).init();
