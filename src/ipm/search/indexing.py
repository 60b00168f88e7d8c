"""Keeping the search index current: the documents of product sheets, written in the caller's transaction.

The catalogue calls ``index_product`` in the transaction of every change to a sheet (in
``catalog.services.record_revision``) and ``index_products`` once for all the sheets of a bulk import, so the index
commits or rolls back with the change itself. Renaming a brand and changing trade parties reindex the sheets they
concern (``brand_changed``, ``trade_parties_changed``: in a background task when there are many).
``rebuild_index`` (``ipm rebuild_search_index``) rebuilds everything. ``ipm.search.services`` offers the same
functions; this module imports nothing of the catalogue but its models, so the catalogue's services can call it.
"""

import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Min

from ipm.catalog.models import Product
from ipm.search.backends import backend
from ipm.search.documents import TEXT_COLUMNS, Chunk, build_documents
from ipm.search.models import SearchDocument, SearchTerm

INDEX_CHUNK = 1000  # sheets per batch when indexing
INLINE_REINDEX_LIMIT = 500  # more sheets than this are reindexed by a background task
TERM_BATCH = 5000


def _write(documents: list[SearchDocument], vocabulary: set[str]) -> None:
    if documents:
        SearchDocument.objects.bulk_create(
            documents,
            update_conflicts=True,
            unique_fields=["product"],
            update_fields=[*TEXT_COLUMNS, "facets"],
            batch_size=500,
        )
    words = sorted(vocabulary)
    for start in range(0, len(words), TERM_BATCH):  # batches: a query has a limited number of parameters
        batch = words[start : start + TERM_BATCH]
        known = set(SearchTerm.objects.filter(term__in=batch).values_list("term", flat=True))
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=term) for term in batch if term not in known], ignore_conflicts=True, batch_size=1000
        )


def index_products(product_ids) -> int:
    """Rewrite the documents of these sheets (those that no longer exist leave the index). Returns how many were
    written."""
    ids = sorted({int(pk) for pk in product_ids})
    written = 0
    with transaction.atomic():
        for start in range(0, len(ids), INDEX_CHUNK):
            chunk = ids[start : start + INDEX_CHUNK]
            documents, vocabulary = build_documents(Chunk(ids=chunk))
            _write(documents, vocabulary)
            gone = set(chunk) - {document.product_id for document in documents}
            if gone:
                SearchDocument.objects.filter(product_id__in=gone).delete()
            written += len(documents)
    return written


def index_product(product) -> None:
    """Rewrite one sheet's document (``product``: a ``Product`` or its id)."""
    index_products([getattr(product, "pk", product)])


def remove_product(product_id: int) -> None:
    SearchDocument.objects.filter(product_id=product_id).delete()


def sheets_of(*, brand_id=None, right_holder_id=None):
    """The sheets of a brand, or of a right holder."""
    if brand_id is not None:
        return Product.objects.filter(brand_id=brand_id)
    return Product.objects.filter(brand__right_holder_id=right_holder_id)


def reindex_sheets_of(*, brand_id=None, right_holder_id=None) -> None:
    """Rewrite the documents of a brand's or a right holder's sheets: at once when they are few, otherwise by a
    background task once the change that calls for it has committed."""
    sheets = sheets_of(brand_id=brand_id, right_holder_id=right_holder_id).order_by().values_list("pk", flat=True)
    ids = list(sheets[: INLINE_REINDEX_LIMIT + 1])
    if len(ids) <= INLINE_REINDEX_LIMIT:
        index_products(ids)
        return
    from ipm.search.tasks import reindex_sheets

    transaction.on_commit(lambda: reindex_sheets.enqueue(brand_id=brand_id, right_holder_id=right_holder_id))


def brand_changed(brand) -> None:
    """A brand's name is in each of its sheets' documents."""
    reindex_sheets_of(brand_id=brand.pk)


def trade_parties_changed(right_holder) -> None:
    """Manufacturers and factories decide the countries of manufacture of the right holder's sheets."""
    reindex_sheets_of(right_holder_id=right_holder.pk)


@dataclass(frozen=True)
class RebuildReport:
    documents: int
    words: int
    seconds: float
    size_bytes: int


def rebuild_index(progress=None) -> RebuildReport:
    """Index every sheet again from scratch. ``progress(done, total)`` is called after each batch.

    SQLite: the documents are written in one transaction and indexed in a second one (one huge transaction makes
    SQLite re-read its own uncommitted pages from the write-ahead log, ten times slower); searches keep using the
    old index until the second one commits, and catalogue writes wait for each. PostgreSQL: one transaction;
    searches wait for it."""
    started = time.monotonic()
    engine = backend()
    bounds = Product.objects.order_by().aggregate(low=Min("pk"), high=Max("pk"))
    total = Product.objects.count()
    written, words = 0, set()
    with transaction.atomic():
        engine.start_rebuild()
        if bounds["low"] is not None:
            step = INDEX_CHUNK * 4
            for start in range(bounds["low"], bounds["high"] + 1, step):
                documents, vocabulary = build_documents(Chunk(start=start, stop=start + step))
                SearchDocument.objects.bulk_create(documents, batch_size=500)
                words |= vocabulary
                written += len(documents)
                if progress:
                    progress(written, total)
        SearchTerm.objects.bulk_create([SearchTerm(term=term) for term in sorted(words)], batch_size=1000)
        if engine.rebuild_in_one_transaction:
            engine.finish_rebuild()
    if not engine.rebuild_in_one_transaction:
        engine.between_rebuild_steps()
        with transaction.atomic():
            engine.finish_rebuild()
    return RebuildReport(written, len(words), time.monotonic() - started, engine.index_size())


def index_size() -> int:
    """Bytes taken by the index's tables and indexes."""
    return backend().index_size()
