from django_tasks import task

from ipm.search import indexing


@task()
def reindex_sheets(brand_id: int | None = None, right_holder_id: int | None = None) -> int:
    """Rewrite the search documents of a brand's or a right holder's sheets (after a change that concerns many of
    them: renaming a big brand, changing its manufacturers). Returns how many were written."""
    sheets = indexing.sheets_of(brand_id=brand_id, right_holder_id=right_holder_id)
    return indexing.index_products(sheets.order_by().values_list("pk", flat=True))
