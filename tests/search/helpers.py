"""Sheets for the search tests, written through the catalogue's services (so the index is kept current the way it
is in production: by the services themselves)."""

from itertools import count

from ipm.catalog import services

# Valid EAN-13s (check digits computed), one per sheet.
_serial = count(1)


def ean13(n: int) -> str:
    body = f"400000{n:06d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def sheet(
    world,
    brand,
    name,
    *,
    language="en",
    description="",
    packaging="",
    clues=("Stitching",),
    translations=None,
    publish=True,
    gtin=None,
    codes=(),
    visible_countries=None,
    editor="brand_editor",
    **fields,
):
    """A sheet of ``brand`` with a GTIN and clues (titles, or (title, explanation, where_to_look)), published unless
    told otherwise. ``translations``: {language: {"name": …, "description": …}}."""
    actor = world.users[editor]
    product = services.create_product(
        actor,
        brand,
        name=name,
        language=language,
        description=description,
        packaging=packaging,
        gtins=[gtin or ean13(next(_serial))],
        visible_countries=visible_countries,
        **fields,
    )
    for kind, value in codes:
        services.add_identifier(actor, product, kind, value)
    for clue in clues:
        title, explanation, where = (clue, "", "") if isinstance(clue, str) else clue
        services.add_clue(actor, product, language=language, title=title, explanation=explanation, where_to_look=where)
    for code, texts in (translations or {}).items():
        services.set_product_text(actor, product, code, **texts)
    if publish:
        services.publish_product(actor, product)
    product.refresh_from_db()
    return product
