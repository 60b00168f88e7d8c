"""Writing the scan log behind the requests: rows are queued by the request and inserted in batches by a thread.

Inserting one row per scan inside the request was a third of the scan endpoint's cost on SQLite (the commit, the
write-ahead log it grows and the checkpoints that follow) and the source of its slowest answers, since two server
processes take turns for the database's write lock (``bench/request_profile.py``, ``bench/scan_load.py``). Here
the request only appends the row's values to a list; one thread per server process takes what arrived every
``FLUSH_SECONDS`` and inserts it (one transaction per ``MAX_BATCH`` rows at most) with an INSERT compiled once.

The price: a row reaches the database up to ``FLUSH_SECONDS`` after its answer, so a scan's answer carries no log
id; and rows still queued when a process is killed outright (not stopped: the queue is written at exit) are lost.
For statistics and clone checks that is acceptable; nothing else reads the log. A batch the database refuses is
tried again once after a pause, then row by row: only a row the database refuses on its own is dropped (and
reported in the server log with its values), never the rows that came with it.

On with ``IPM_SCAN_LOG_DEFERRED``; off by default, since a server stop lost scans in ``bench/scan_load.py``.
Otherwise ``scans.services`` inserts each row in the request.
"""

import atexit
import logging
import os
import threading
import time

from django.db import connections, transaction

from ipm.scans import prepared

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 0.05
MAX_BATCH = 500
RETRY_PAUSE_SECONDS = 0.5


class LogWriter:
    """Requests append rows to a list (atomic under the GIL, and waking nobody: a queue that woke the thread on each
    row made the request and the thread trade the GIL on every scan); the thread takes the list every
    ``FLUSH_SECONDS``, or at once when asked to flush."""

    def __init__(self, model, alias: str):
        self.model, self.alias = model, alias
        self.rows: list[dict] = []
        self.flushes: list[threading.Event] = []
        self.wake = threading.Event()
        self.stopping = False
        self.thread: threading.Thread | None = None
        self.pid = None
        self.lock = threading.Lock()

    def submit(self, values: dict) -> None:
        """Queue one row (values by attribute name, every field given)."""
        self._ensure_thread()
        self.rows.append(values)

    def flush(self, timeout: float = 10) -> bool:
        """Write everything queued so far; True once written (or when no thread runs)."""
        if not self._running():
            return True
        done = threading.Event()
        self.flushes.append(done)
        self.wake.set()
        return done.wait(timeout)

    def stop(self, timeout: float = 10) -> None:
        """Write what is queued and end the thread."""
        if not self._running():
            return
        self.stopping = True
        self.wake.set()
        self.thread.join(timeout)

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
            if self.pid != os.getpid():  # a forked copy of another process's rows is not ours to write
                self.rows, self.flushes = [], []
            self.pid, self.stopping = os.getpid(), False
            self.thread = threading.Thread(target=self._run, name="ipm-scan-log", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        try:
            while True:
                self.wake.wait(FLUSH_SECONDS)
                self.wake.clear()
                stopping = self.stopping
                # The flushes first: every row submitted before a flush was asked for is in the rows taken next.
                flushes, self.flushes = self.flushes, []
                rows, self.rows = self.rows, []
                for start in range(0, len(rows), MAX_BATCH):
                    self._write(rows[start : start + MAX_BATCH])
                for done in flushes:
                    done.set()
                if stopping:
                    return
        finally:
            connections[self.alias].close()

    def _write(self, rows: list[dict]) -> None:
        if self._insert(rows) or self._insert(rows, pause=RETRY_PAUSE_SECONDS):
            return
        # The batch still fails: one bad row (a product deleted meanwhile, say) must not take the others with it,
        # so the rows go one by one and only those the database refuses on their own are dropped.
        refused = [row for row in rows if not self._insert([row])]
        if refused:
            logger.error("%d scan log rows could not be written: %r", len(refused), refused)

    def _insert(self, rows: list[dict], *, pause: float = 0) -> bool:
        if pause:
            time.sleep(pause)  # a locked or restarting database gets a moment; the requests are not waiting
        try:
            insert = prepared.prepared_insert(self.model, self.alias, returning=False)
            with transaction.atomic(using=self.alias):
                insert.run_many(rows)
            return True
        except Exception:  # the server log says so; the requests already had their answers
            logger.warning("A batch of %d scan log rows was refused", len(rows), exc_info=True)
            connections[self.alias].close()  # a broken connection is opened again for the next try
            return False


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
