"""What the index holds about each product sheet, built in bulk: a few queries per chunk of sheets whatever their
size (``values_list``, no model instances), so that rebuilding a catalogue of a million sheets stays a matter of
minutes.

Countries of manufacture: the sheet's own "country of manufacture", and the countries of the right holder's trade
parties with the role "authorised manufacturer" or "factory" that make this product (a party linked to no product
in particular makes all of the right holder's products). Route origins are not counted: goods often ship from a
hub that is not where they were made.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from ipm.catalog.models import (
    Clue,
    CounterfeitVariant,
    IdentifierKind,
    PartyRole,
    Product,
    ProductIdentifier,
    ProductVisibility,
    TradeParty,
)
from ipm.search.models import SearchDocument
from ipm.search.text import code_words, facet, is_vocabulary_word, words

MANUFACTURING_ROLES = (PartyRole.MANUFACTURER, PartyRole.FACTORY)
TEXT_COLUMNS = ("name", "brand", "codes", "body", "clues")  # strongest first


def hs_chapter(hs_code: str) -> str:
    """The HS chapter (the first two digits of the HS code) used as the product's category."""
    return hs_code[:2] if hs_code and len(hs_code) >= 2 and hs_code[:2].isdigit() else ""


def made_in(country: str) -> Q:
    """A filter on ``Product``: sheets whose product is made in ``country`` (see the module's docstring)."""
    parties = TradeParty.objects.filter(role__in=MANUFACTURING_ROLES, country=country)
    linked = TradeParty.products.through.objects.filter(
        tradeparty__role__in=MANUFACTURING_ROLES, tradeparty__country=country
    )
    return (
        Q(country_of_manufacture=country)
        | Q(pk__in=linked.values("product_id"))
        | Q(brand__right_holder_id__in=parties.filter(products=None).values("right_holder_id"))
    )


@dataclass
class _Sheet:
    brand_id: int
    right_holder_id: int
    status: str
    hs_code: str
    visible_to_all: bool
    columns: dict = field(default_factory=lambda: {name: [] for name in TEXT_COLUMNS})
    countries: set = field(default_factory=set)
    visible_in: set = field(default_factory=set)


def _translations(model):
    return model._parler_meta.root_model.objects


class Chunk:
    """The sheets to index: given by id (``ids``) or by a range of ids (``start`` ≤ id < ``stop``)."""

    def __init__(self, *, ids=None, start=None, stop=None):
        self.ids, self.start, self.stop = (list(ids) if ids is not None else None), start, stop

    def where(self, path: str) -> dict:
        if self.ids is not None:
            return {f"{path}__in": self.ids}
        return {f"{path}__gte": self.start, f"{path}__lt": self.stop}


def build_documents(chunk: Chunk) -> tuple[list[SearchDocument], set[str]]:
    """The documents of the sheets in ``chunk`` that exist, and the words worth offering as typo corrections."""
    sheets: dict[int, _Sheet] = {}
    rows = (
        Product.objects.filter(**chunk.where("pk"))
        .order_by()
        .values_list(
            "pk",
            "brand_id",
            "brand__name",
            "brand__right_holder_id",
            "status",
            "hs_code",
            "country_of_manufacture",
            "visible_to_all_countries",
        )
    )
    for pk, brand_id, brand_name, holder_id, status, hs_code, made, visible_to_all in rows:
        sheet = sheets[pk] = _Sheet(brand_id, holder_id, status, hs_code, visible_to_all)
        sheet.columns["brand"].append(brand_name)
        if made:
            sheet.countries.add(made)
    if not sheets:
        return [], set()

    texts = _translations(Product).filter(**chunk.where("master_id"))
    for pk, name, description, packaging in texts.values_list("master_id", "name", "description", "packaging"):
        sheets[pk].columns["name"].append(name)
        sheets[pk].columns["body"].extend((description, packaging))
    codes = ProductIdentifier.objects.filter(**chunk.where("product_id")).order_by()
    for pk, kind, value, printed, variant in codes.values_list(
        "product_id", "kind", "value", "printed_value", "variant"
    ):
        # GTINs are not words of the index: whole or begun, they are looked up on the identifiers' own index
        # (``search.services``), which a million sheets' worth of unique numbers would only slow down here.
        if kind != IdentifierKind.GTIN:
            column = sheets[pk].columns["codes"]
            column.extend(code_words(value))
            if printed and printed != value:
                column.extend(code_words(printed))
        sheets[pk].columns["body"].append(variant)
    clue_texts = _translations(Clue).filter(**chunk.where("master__product_id"))
    for pk, title, explanation, where_to_look in clue_texts.values_list(
        "master__product_id", "title", "explanation", "where_to_look"
    ):
        sheets[pk].columns["clues"].extend((title, explanation, where_to_look))
    variant_texts = _translations(CounterfeitVariant).filter(**chunk.where("master__product_id"))
    for pk, name, description in variant_texts.values_list("master__product_id", "name", "description"):
        sheets[pk].columns["body"].extend((name, description))
    visibility = ProductVisibility.objects.filter(**chunk.where("product_id"))
    for pk, country in visibility.values_list("product_id", "country"):
        sheets[pk].visible_in.add(country)
    linked = TradeParty.products.through.objects.filter(
        **chunk.where("product_id"), tradeparty__role__in=MANUFACTURING_ROLES
    )
    for pk, country in linked.values_list("product_id", "tradeparty__country"):
        sheets[pk].countries.add(country)
    holders = {sheet.right_holder_id for sheet in sheets.values()}
    general = defaultdict(set)  # parties making all of a right holder's products
    for holder_id, country in TradeParty.objects.filter(
        right_holder_id__in=holders, role__in=MANUFACTURING_ROLES, products=None
    ).values_list("right_holder_id", "country"):
        general[holder_id].add(country)

    documents, text_words = [], set()
    for pk, sheet in sheets.items():
        sheet.countries |= general.get(sheet.right_holder_id, set())
        document = SearchDocument(product_id=pk, facets=" ".join(_facets(sheet)))
        seen: set[str] = set()
        for column in TEXT_COLUMNS:
            # Each word once per sheet, in the strongest column it appears in: repeats would only make the
            # index bigger, since ranking looks at where a word appears, not how often.
            texts = sheet.columns[column]
            if column == "codes":
                candidates = dict.fromkeys(texts)
            else:
                candidates = dict.fromkeys(word for text in texts if text for word in words(text))
                text_words.update(candidates)
            found = [word for word in candidates if word and word not in seen]
            seen.update(found)
            setattr(document, column, " ".join(found))
        documents.append(document)
    return documents, {word for word in text_words if is_vocabulary_word(word)}


def _facets(sheet: _Sheet) -> list[str]:
    facets = [facet("s", sheet.status), facet("r", sheet.right_holder_id), facet("b", sheet.brand_id)]
    if chapter := hs_chapter(sheet.hs_code):
        facets.append(facet("h", chapter))
    facets.extend(facet("c", country) for country in sorted(sheet.countries))
    if sheet.visible_to_all:
        facets.append(facet("v", "all"))
    facets.extend(facet("v", country) for country in sorted(sheet.visible_in))
    return facets
