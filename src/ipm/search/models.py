"""The search index's own tables.

``SearchDocument`` holds one document per product sheet: the words of all its languages together (a French
officer finds a sheet written in English, and one sheet is one result, never one per language), already folded by
``search.text`` and each kept once per document, in columns that rank differently. The full-text index proper is
built on it by each database in its own way (migration 0002): an FTS5 table kept in step by triggers on SQLite,
generated ``tsvector`` columns with GIN indexes on PostgreSQL. ``SearchTerm`` is the vocabulary that typos are
corrected against.

Only ``search.services`` writes these tables.
"""

from django.db import models

from ipm.catalog.models import Product


class SearchDocument(models.Model):
    product = models.OneToOneField(Product, on_delete=models.CASCADE, primary_key=True, related_name="+")
    # What officers look for first: the product's names, its brand, its codes (SKUs, models; GTINs are looked up on
    # the identifiers' own index instead, see search.services).
    name = models.TextField(blank=True)
    brand = models.TextField(blank=True)
    codes = models.TextField(blank=True)
    # Descriptions, packaging, code variants (sizes, colours), known counterfeits.
    body = models.TextField(blank=True)
    # Genuine-versus-counterfeit clues: titles, explanations, where to look.
    clues = models.TextField(blank=True)
    # Reserved words (``text.facet``) for filters and for narrowing to what a reader may see.
    facets = models.TextField(blank=True)

    class Meta:
        db_table = "search_document"

    def __str__(self):
        return f"search document {self.product_id}"


class SearchTerm(models.Model):
    term = models.CharField(max_length=64, unique=True)

    class Meta:
        db_table = "search_term"

    def __str__(self):
        return self.term
