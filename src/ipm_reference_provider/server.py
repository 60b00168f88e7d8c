"""Serving the WSGI application: the standard library's ``wsgiref`` server with a thread per request.

Why not granian (which serves IPM): this service must be one process, because its replay memory (the signatures of
the last 300 seconds) and the faults a test injects live in memory and must be seen by every request; granian
runs the app in worker processes. ``wsgiref`` starts in a few milliseconds (tests start many providers), binds
port 0 and tells which port it got, and needs nothing else. A provider expecting real traffic would serve the same
``ProviderApp`` with granian or gunicorn and keep the replay memory in a shared store.
"""

import logging
import signal
import socketserver
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

log = logging.getLogger("ipm_reference_provider")


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


class QuietHandler(WSGIRequestHandler):
    """One log line per request comes from the app (with its duration); the handler adds none. A client that
    connects and sends nothing is dropped after 30 seconds instead of holding a thread."""

    timeout = 30

    def log_message(self, format, *args):  # noqa: A002 - the signature of BaseHTTPRequestHandler
        log.debug("%s - " + format, self.address_string(), *args)


def serve(app, host: str, port: int, on_ready=None) -> None:
    """Serve until SIGTERM or SIGINT. ``on_ready(url)`` is called once the socket listens (port 0: any free
    port, the real one is in the URL)."""
    httpd = make_server(host, port, app, server_class=ThreadingWSGIServer, handler_class=QuietHandler)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    bound_host, bound_port = httpd.server_address[:2]
    url = f"http://{bound_host}:{bound_port}"
    if on_ready:
        on_ready(url)
    try:
        httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
        log.info("stopped")
