"""Writing the scan log behind the requests: rows are queued by the request and inserted in batches by a thread.

Inserting one row per scan inside the request was a third of the scan endpoint's cost on SQLite (the commit, the
write-ahead log it grows and the checkpoints that follow) and the source of its slowest answers, since two server
processes take turns for the database's write lock (``bench/request_profile.py``, ``bench/scan_load.py``). Here
the request only puts the row's values on a queue; one thread per server process gathers what arrives within
``FLUSH_SECONDS`` (at most ``MAX_BATCH`` rows) and inserts it in one transaction, with an INSERT compiled once.

The price: a row reaches the database up to ``FLUSH_SECONDS`` after its answer, so a scan's answer carries no log
id; and rows still queued when a process is killed outright (not stopped: the queue is written at exit) are lost.
For statistics and clone checks that is acceptable; nothing else reads the log. A batch the database refuses is
reported in the server log and dropped rather than retried for ever.

On with ``IPM_SCAN_LOG_DEFERRED`` (default: on in production). Otherwise ``scans.services`` inserts each row in the
request, which the tests use, as a development server does.
"""

import atexit
import logging
import os
import queue
import threading
import time

from django.db import connections, transaction

from ipm.scans import prepared

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 0.05
MAX_BATCH = 500


class _Marker:
    """Asks the thread to write what it holds now, and says when it has."""

    def __init__(self, stop: bool = False):
        self.done = threading.Event()
        self.stop = stop


class LogWriter:
    def __init__(self, model, alias: str):
        self.model, self.alias = model, alias
        self.queue: queue.SimpleQueue = queue.SimpleQueue()
        self.thread: threading.Thread | None = None
        self.pid = None
        self.lock = threading.Lock()

    def submit(self, values: dict) -> None:
        """Queue one row (values by attribute name, every field given)."""
        self._ensure_thread()
        self.queue.put(values)

    def flush(self, timeout: float = 10) -> bool:
        """Write everything queued so far; True once written (or when no thread runs)."""
        if not self._running():
            return True
        marker = _Marker()
        self.queue.put(marker)
        return marker.done.wait(timeout)

    def stop(self, timeout: float = 10) -> None:
        if not self._running():
            return
        marker = _Marker(stop=True)
        self.queue.put(marker)
        marker.done.wait(timeout)

    def _running(self) -> bool:
        return self.thread is not None and self.thread.is_alive() and self.pid == os.getpid()

    def _ensure_thread(self) -> None:
        # Started on first use, in the process that serves (a server forks its workers after importing the app: a
        # thread started before the fork would not exist in them).
        if self._running():
            return
        with self.lock:
            if self._running():
                return
            if self.pid != os.getpid():
                self.queue = queue.SimpleQueue()  # a forked copy of another process's queue is not ours
            self.pid = os.getpid()
            self.thread = threading.Thread(target=self._run, name="ipm-scan-log", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        try:
            stopping = False
            while not stopping:
                batch, markers = [self.queue.get()], []
                deadline = time.monotonic() + FLUSH_SECONDS
                while len(batch) < MAX_BATCH and not isinstance(batch[-1], _Marker):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    try:
                        batch.append(self.queue.get(timeout=remaining))
                    except queue.Empty:
                        break
                markers = [item for item in batch if isinstance(item, _Marker)]
                rows = [item for item in batch if not isinstance(item, _Marker)]
                if rows:
                    self._write(rows)
                for marker in markers:
                    stopping = stopping or marker.stop
                    marker.done.set()
        finally:
            connections[self.alias].close()

    def _write(self, rows: list[dict]) -> None:
        try:
            insert = prepared.prepared_insert(self.model, self.alias, returning=False)
            with transaction.atomic(using=self.alias):
                insert.run_many(rows)
        except Exception:  # the server log says so; the requests already had their answers
            logger.exception("%d scan log rows could not be written", len(rows))
            connections[self.alias].close()  # a broken connection is opened again for the next batch


_writers: dict[tuple, LogWriter] = {}


def writer_for(model, alias: str) -> LogWriter:
    key = (model._meta.label, alias)
    if key not in _writers:
        _writers[key] = LogWriter(model, alias)
    return _writers[key]


@atexit.register
def _write_the_rest() -> None:
    for writer in list(_writers.values()):
        writer.stop()
