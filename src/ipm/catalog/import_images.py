"""Pictures named by an import file: fetched from http(s) addresses, or read from the ZIP file uploaded with it.

Every picture is checked with the media pipeline while the import checks its rows, before anything is written, so
that a bad picture is reported against its row and column like any other error. The processed copies wait in a
temporary folder until the rows are written (one picture at a time is held in memory, never the whole ZIP).

The sources are untrusted. An import file can name any address, and the server fetches it: a strict client
fetches http and https only, within a time limit and a size limit, follows few redirects, and refuses hosts whose
addresses are not public (loopback, private networks, link-local — cloud metadata services live there — multicast,
reserved) unless the operator lists the host in ``IPM_IMPORT_URL_ALLOWED_HOSTS``. It connects to the very address
it checked, so a name that resolves differently a moment later (DNS rebinding) gains nothing. A ZIP file is read
from its central directory without extracting anything to disk, and refused as a whole when it could unpack to
too much (too many members, a member larger than a picture may be, too many bytes in all), holds an unsafe path
(absolute, or climbing out with ``..``) or encrypted members.
"""

import contextlib
import hashlib
import http.client
import ipaddress
import re
import socket
import ssl
import tempfile
import threading
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ipm.catalog import media
from ipm.catalog.models import Clue, ProductPhoto

DATA_FORMATS = ("csv", "xlsx", "json")
MAX_REDIRECTS = 3
DEFAULT_TIMEOUT = 5.0
DEFAULT_ZIP_MAX_MEMBERS = 20_000
DEFAULT_ZIP_MAX_TOTAL_BYTES = 1024**3  # 1 GiB unpacked
DEFAULT_ZIP_MAX_DATA_BYTES = 200 * 1024 * 1024  # the data file inside, as a data file uploaded alone
READ_CHUNK = 64 * 1024
USER_AGENT = "IPM-catalogue-import/1"
REDIRECTS = {301, 302, 303, 307, 308}
# A picture IPM stores, as its URL ends: an export names these, and importing the export again on the same
# instance finds the picture in storage instead of downloading what it already has.
STORED_NAME = re.compile(r"(?:^|/)(catalog/(?:photos|clues)/[0-9a-f]{32}\.jpg)$")


class ImageRefError(Exception):
    """A picture reference that cannot be used. The message is a translated reason for the import report."""


class ArchiveError(Exception):
    """The ZIP file as a whole cannot be used; the message says why."""


def _setting(name: str, default):
    return getattr(settings, name, default)


# --- Fetching by URL --------------------------------------------------------------------------------------------


def allowed_hosts() -> set[str]:
    return {str(host).strip().lower().strip("[]") for host in _setting("IPM_IMPORT_URL_ALLOWED_HOSTS", []) if host}


def is_public_address(address: str) -> bool:
    """Whether an IP address is a public, unicast one: what an import may fetch from without being allowed to."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone (fe80::1%eth0) is link-local anyway
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and not is_public_address(str(embedded)):
            return False
    refused = ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
    return ip.is_global and not refused and not ip.is_unspecified


def _resolve(host: str, port: int) -> list[str]:
    """The host's addresses, all of them checked: a name with one public and one private address is refused."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise ImageRefError(_("unknown host")) from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise ImageRefError(_("unknown host"))
    if host.lower() not in allowed_hosts() and not all(is_public_address(a) for a in addresses):
        raise ImageRefError(_("host not allowed (it is not a public internet address)"))
    return addresses


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to an address checked beforehand, whatever the host name resolves to now."""

    def __init__(self, host, port, addresses, timeout):
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses
        self.opened: socket.socket | None = None  # kept: the connection drops ``sock`` once a response owns it

    def _open_socket(self):
        error = None
        for address in self.addresses:
            try:
                self.opened = socket.create_connection((address, self.port), self.timeout)
                return self.opened
            except OSError as exc:
                error = exc
        raise error or OSError("no address")

    def connect(self):
        self.sock = self._open_socket()


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = 443

    def __init__(self, host, port, addresses, timeout):
        super().__init__(host, port, addresses, timeout)
        self.context = ssl.create_default_context()

    def connect(self):
        self.sock = self.context.wrap_socket(self._open_socket(), server_hostname=self.host)


def _check_url(url: str):
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise ImageRefError(_("not a valid address")) from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ImageRefError(_("only http and https addresses can be fetched"))
    if not parts.hostname:
        raise ImageRefError(_("not a valid address"))
    if parts.username or parts.password:
        raise ImageRefError(_("addresses with a user name or password are not fetched"))
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80), parts


def _abort(connection) -> None:
    """Called by a timer at the deadline: a server that sends a byte now and then must not hold the import."""
    sock = connection.opened
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _too_large_message(limit: int) -> str:
    return _("larger than %(limit)s") % {"limit": filesizeformat(limit)}


def fetch_url(url: str) -> bytes:
    """The body of a successful GET of ``url``, or ``ImageRefError`` saying why not. The time limit covers the
    whole fetch, redirects included."""
    limit = media.max_upload_bytes()
    timeout = float(_setting("IPM_IMPORT_URL_TIMEOUT", DEFAULT_TIMEOUT))
    deadline = time.monotonic() + timeout
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port, parts = _check_url(url)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ImageRefError(_("no answer within %(seconds)s seconds") % {"seconds": f"{timeout:g}"})
        addresses = _resolve(host, port)
        connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        connection = connection_class(host, port, addresses, remaining)
        watchdog = threading.Timer(remaining, _abort, args=(connection,))
        watchdog.daemon = True
        watchdog.start()
        try:
            # Characters a spreadsheet lets through (spaces, accents) are escaped; escapes already there are kept.
            path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
            if parts.query:
                path += "?" + quote(parts.query, safe="%=&/:@!$'()*+,;-._~?")
            connection.request(
                "GET", path, headers={"User-Agent": USER_AGENT, "Accept": "image/*", "Accept-Encoding": "identity"}
            )
            response = connection.getresponse()
            if response.status in REDIRECTS:
                location = (response.getheader("Location") or "").strip()
                if not location:
                    raise ImageRefError(_("the server answered %(status)d") % {"status": response.status})
                url = urljoin(url, location)
                continue
            if response.status in (404, 410):
                raise ImageRefError(_("not found (%(status)d)") % {"status": response.status})
            if response.status != 200:
                raise ImageRefError(_("the server answered %(status)d") % {"status": response.status})
            length = response.getheader("Content-Length") or ""
            if length.isdigit() and int(length) > limit:
                raise ImageRefError(_too_large_message(limit))
            chunks, size = [], 0
            while chunk := response.read(READ_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise ImageRefError(_too_large_message(limit))
                chunks.append(chunk)
            if time.monotonic() >= deadline:  # the watchdog cut the body short
                raise TimeoutError
            return b"".join(chunks)
        except ImageRefError:
            raise
        except (TimeoutError, http.client.HTTPException, OSError) as error:
            if time.monotonic() >= deadline or isinstance(error, TimeoutError):
                raise ImageRefError(_("no answer within %(seconds)s seconds") % {"seconds": f"{timeout:g}"}) from error
            if isinstance(error, ssl.SSLError | ssl.CertificateError):
                raise ImageRefError(_("the secure connection failed")) from error
            if isinstance(error, http.client.HTTPException):
                raise ImageRefError(_("the server's answer could not be read")) from error
            raise ImageRefError(_("could not connect")) from error
        finally:
            watchdog.cancel()
            connection.close()
    raise ImageRefError(_("too many redirects"))


def is_url(reference: str) -> bool:
    return "://" in reference


# --- ZIP files --------------------------------------------------------------------------------------------------


def member_key(name: str) -> str | None:
    """A member's path as references name it (``/`` separators, no ``./``), or None for an unsafe path."""
    name = name.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or "\x00" in name:
        return None
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


def _ignored(key: str) -> bool:
    """Files that archivers add by themselves (macOS resource forks, Finder and Explorer files)."""
    parts = key.split("/")
    return parts[0] == "__MACOSX" or parts[-1].startswith(".") or parts[-1].lower() == "thumbs.db"


class ImportArchive:
    """A ZIP import: exactly one data file (``.csv``, ``.xlsx`` or ``.json``) and the pictures its rows name."""

    def __init__(self, stream):
        try:
            self.zip = zipfile.ZipFile(stream)
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
            raise ArchiveError(_("The file is not a readable ZIP file.")) from error
        max_members = _setting("IPM_IMPORT_ZIP_MAX_MEMBERS", DEFAULT_ZIP_MAX_MEMBERS)
        if len(infos) > max_members:
            raise ArchiveError(_("The ZIP file has more than %(count)d files.") % {"count": max_members})
        self.members: dict[str, zipfile.ZipInfo] = {}
        data_files = []
        for info in infos:
            key = member_key(info.filename)
            if key is None:
                raise ArchiveError(_("The ZIP file holds an unsafe path: %(name)s") % {"name": info.filename[:200]})
            if info.is_dir():
                continue
            if info.flag_bits & 0x1:
                raise ArchiveError(_("The ZIP file holds encrypted files; IPM cannot read them."))
            if key in self.members:
                raise ArchiveError(_("The ZIP file holds %(name)s twice.") % {"name": key[:200]})
            suffix = key.rsplit(".", 1)[-1].lower() if "." in key else ""
            is_data = suffix in DATA_FORMATS and not _ignored(key)
            limit = _setting("IPM_IMPORT_ZIP_MAX_DATA_BYTES", DEFAULT_ZIP_MAX_DATA_BYTES) if is_data else None
            limit = limit or media.max_upload_bytes()
            if info.file_size > limit:
                raise ArchiveError(
                    _("%(name)s in the ZIP file is larger than %(limit)s.")
                    % {"name": key[:200], "limit": filesizeformat(limit)}
                )
            self.members[key] = info
            if is_data:
                data_files.append(key)
        max_total = _setting("IPM_IMPORT_ZIP_MAX_TOTAL_BYTES", DEFAULT_ZIP_MAX_TOTAL_BYTES)
        if sum(info.file_size for info in infos) > max_total:
            raise ArchiveError(
                _("The ZIP file would unpack to more than %(limit)s.") % {"limit": filesizeformat(max_total)}
            )
        if not data_files:
            raise ArchiveError(_("The ZIP file holds no data file (.csv, .xlsx or .json)."))
        if len(data_files) > 1:
            raise ArchiveError(
                _("The ZIP file holds several data files (%(names)s); put exactly one in it.")
                % {"names": ", ".join(data_files[:5])}
            )
        self.data_name = data_files[0]
        self.data_format = self.data_name.rsplit(".", 1)[-1].lower()

    def data_file(self):
        """The data file, copied out to a temporary file (XLSX and CSV readers need to seek)."""
        out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 (the caller closes it)
        try:
            with self.zip.open(self.members[self.data_name]) as member:
                while chunk := member.read(1024 * 1024):
                    out.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as error:
            out.close()
            raise ArchiveError(_("The data file in the ZIP file is damaged.")) from error
        out.seek(0)
        return out

    def read(self, reference: str) -> bytes:
        key = member_key(reference)
        if key is None:
            raise ImageRefError(_("not a safe path inside the ZIP file"))
        info = self.members.get(key)
        if info is None:
            raise ImageRefError(_("not found in the ZIP file"))
        limit = media.max_upload_bytes()
        try:
            with self.zip.open(info) as member:
                data = member.read(limit + 1)  # the size is checked above; a lying header is cut here
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as error:
            raise ImageRefError(_("damaged in the ZIP file")) from error
        if len(data) > limit:
            raise ImageRefError(_too_large_message(limit))
        return data

    def close(self) -> None:
        self.zip.close()


# --- Pictures of one import -------------------------------------------------------------------------------------


@dataclass(eq=False)
class Picture:
    """One distinct picture an import names (by content; or a picture IPM stores, named by its URL)."""

    reference: str  # the first reference that named it, to read it again if need be
    sha256: str | None = None  # of the bytes given (None: a stored picture whose hash is not yet known)
    local_name: str = ""  # the stored picture of this right holder's that the reference points at
    processed_path: Path | None = None
    width: int = 0
    height: int = 0

    def same_as(self, name: str | None, sha256: str | None) -> bool:
        """Whether a stored picture (its file name and source hash) is this picture."""
        return bool((self.local_name and self.local_name == name) or (self.sha256 and self.sha256 == sha256))


class ImageStore:
    """Resolves references to pictures once per import and keeps processed copies on disk until they are
    stored. Use it as a context manager: the temporary folder goes with it."""

    def __init__(self, right_holder, archive: ImportArchive | None = None):
        self.right_holder = right_holder
        self.archive = archive
        self._folder: tempfile.TemporaryDirectory | None = None
        self._by_sha: dict[str, Picture] = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def resolve(self, reference: str, wanted: Callable[[Picture], bool]) -> Picture:
        """The picture a reference names, read (downloaded) once, and processed when ``wanted(picture)`` says it
        will be stored — a picture the sheet already holds is only hashed. Raises ``ImageRefError``."""
        local = self._stored(reference)
        if local is not None:
            picture = Picture(reference, sha256=local[1], local_name=local[0])
            if wanted(picture):
                self.ensure_processed(picture)
            return picture
        data = self._read(reference)
        sha = hashlib.sha256(data).hexdigest()
        picture = self._by_sha.setdefault(sha, Picture(reference, sha256=sha))
        if picture.processed_path is None and wanted(picture):
            self._process(picture, data)
        return picture

    def ensure_processed(self, picture: Picture) -> None:
        """Process a picture that turned out to be needed after all (read again: rare, see the importer)."""
        if picture.processed_path is not None:
            return
        data = self._read_stored(picture.local_name) if picture.local_name else self._read(picture.reference)
        if picture.sha256 is None:
            picture.sha256 = hashlib.sha256(data).hexdigest()
        self._process(picture, data)

    def processed(self, picture: Picture) -> media.ProcessedImage | None:
        if picture.processed_path is None:
            return None
        path = picture.processed_path
        thumbnails = {size: path.with_name(f"{path.stem}_{size}.jpg").read_bytes() for size in media.THUMBNAIL_SIZES}
        return media.ProcessedImage(path.read_bytes(), picture.width, picture.height, thumbnails)

    # --- internals ---

    def _read(self, reference: str) -> bytes:
        if is_url(reference):
            return fetch_url(reference)
        if self.archive is None:
            raise ImageRefError(_("not found: give an http(s) address, or import a ZIP file that holds the picture"))
        return self.archive.read(reference)

    def _process(self, picture: Picture, data: bytes) -> None:
        try:
            processed = media.process_upload(data, "image")
        except ValidationError as error:
            raise ImageRefError(" ".join(error.messages)) from error
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="ipm-import-")
        stem = picture.sha256 or hashlib.sha256(data).hexdigest()
        path = Path(self._folder.name) / f"{stem}.jpg"
        path.write_bytes(processed.data)
        for size, thumbnail in processed.thumbnails.items():
            path.with_name(f"{stem}_{size}.jpg").write_bytes(thumbnail)
        picture.processed_path, picture.width, picture.height = path, processed.width, processed.height

    def _stored(self, reference: str) -> tuple[str, str | None] | None:
        """(name, source hash) of this right holder's stored picture that the reference's URL or path points at."""
        try:
            path = unquote(urlsplit(reference).path)
        except ValueError:
            return None
        match = STORED_NAME.search(path)
        if match is None:
            return None
        name = match.group(1)
        holder = self.right_holder
        photo = ProductPhoto.objects.filter(image=name, product__brand__right_holder=holder)
        found = photo.values_list("source_sha256").first()
        if found is not None:
            return name, found[0]
        clue = Clue.objects.filter(
            Q(genuine_image=name) | Q(counterfeit_image=name), product__brand__right_holder=holder
        )
        found = clue.values_list("genuine_image", "genuine_source_sha256", "counterfeit_source_sha256").first()
        if found is not None:
            return name, found[1] if found[0] == name else found[2]
        return None

    def _read_stored(self, name: str) -> bytes:
        storage = ProductPhoto._meta.get_field("image").storage
        limit = media.max_upload_bytes()
        try:
            with storage.open(name, "rb") as stored:
                data = stored.read(limit + 1)
        except OSError as error:
            raise ImageRefError(_("the stored picture could not be read")) from error
        if len(data) > limit:
            raise ImageRefError(_too_large_message(limit))
        return data
