"""Full-text search of product sheets (see docs/search.md), and the indexing functions of ``search.indexing``.

**Searching** (``search_products``, or ``find`` for the ordered hits before paging). What the user typed is one of:

* a valid GTIN (8, 12, 13 or 14 digits with a correct check digit): an exact, indexed look-up of the identifier,
  never a full-text search (``mode == "gtin"``); 6 to 14 digits that are not one: the GTINs they begin, as ranges
  on the identifiers' index (GTINs are not words of the full-text index), then other codes beginning with them;
* nothing: the ordinary list of sheets, newest first, optionally for one brand (``mode == "browse"``); with a
  category or country filter, the newest sheets that have it, through the index;
* words (``mode == "text"``): every word must match, in any of the sheet's languages, as a whole word, as the
  beginning of one (3 letters or more; numbers from 6 digits), or — for a word no sheet contains — as a close
  spelling (a typo). Sheets are ranked in tiers: all the words in the names, brand or codes, whole words first;
  then all the words anywhere (descriptions, packaging, known counterfeits, clues), whole words first; newest first
  within a tier. When no sheet has all the words, sheets with any of them are shown (``partial``).

A full-text query collects at most ``candidate_cap()`` sheets, tier after tier, each in an order the index follows
without scoring every match (``truncated`` says when there were more: the reader should add a word). The database
then applies ``policy.visible_products`` and the filters to those candidates, in the queryset: the index never
decides who sees what. When most candidates turn out to be invisible to the reader, the index searches again within
the reader's scope (``policy.product_search_scope``, as facts the index stores), so they cannot crowd out the rest.

**Indexing** (``index_product``, ``index_products``, ``remove_product``, ``rebuild_index`` …) lives in
``search.indexing``, which the catalogue's services call; it is offered here too.
"""

import math
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from rapidfuzz.distance import OSA

from ipm.access import policy
from ipm.catalog import presentation
from ipm.catalog import services as catalog_services
from ipm.catalog.media import thumbnail_url
from ipm.catalog.models import IdentifierKind, Product, ProductIdentifier, ProductPhoto
from ipm.search.backends import Term, TierQuery, backend
from ipm.search.documents import made_in
from ipm.search.indexing import (  # noqa: F401 (the indexing half of this module's interface)
    RebuildReport,
    brand_changed,
    index_product,
    index_products,
    index_size,
    rebuild_index,
    remove_product,
    trade_parties_changed,
)
from ipm.search.text import facet, is_vocabulary_word, query_words

MAX_QUERY_LENGTH = 200  # characters; the rest of a longer query is ignored
MAX_WORDS = 8  # only the first words of a query count
MIN_PREFIX_LENGTH = 3  # shorter words match whole words only
MIN_NUMBER_PREFIX_LENGTH = 6  # a number matches the codes it begins from 6 digits (a partial GTIN or SKU)
MAX_COMPLETIONS = 40  # a word beginning more vocabulary words than this is left to the index as a prefix
MIN_CORRECTED_LENGTH = 4  # shorter words are never corrected: too many words are one letter away
MAX_CORRECTIONS = 3  # close spellings tried for one word
THUMBNAIL_SIZE = 160
GTIN_LENGTHS = {8, 12, 13, 14}
_GTIN_LIKE = re.compile(r"^[\d\s-]+$")


def candidate_cap() -> int:
    return int(getattr(settings, "IPM_SEARCH_CANDIDATES", 500))


# --- Results ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResult:
    product: Product
    texts: presentation.Texts  # the name in the reader's language, or the sheet's source language (``fallback``)
    brand: str
    thumbnail_url: str  # "" for a sheet without photos

    @property
    def name(self) -> str:
        return self.texts.name

    @property
    def url(self) -> str:
        return reverse("catalog:product_detail", args=[self.product.pk])


@dataclass
class SearchPage:
    """One page of results, with what a page of ``django.core.paginator`` offers a template (``number``,
    ``has_next`` …, ``paginator.num_pages``)."""

    query: str
    mode: str  # "gtin", "browse" or "text"
    results: list[SearchResult]
    count: int  # with ``truncated``: at least this many
    number: int
    per_page: int
    truncated: bool = False  # more sheets match than were ranked
    partial: bool = False  # no sheet has all the words: these have some of them
    corrected: list[str] = field(default_factory=list)  # the user's words matched by close spelling too
    gtin: str = ""  # in "gtin" mode: the GTIN-14 looked up

    def __iter__(self):
        return iter(self.results)

    def __len__(self):
        return len(self.results)

    @property
    def paginator(self):
        return self

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


class Hits:
    """The sheets a search found, in order, before paging: ``count`` and ``products(offset, limit)``."""

    def __init__(self, user, mode: str, *, ids=None, queryset=None, **details):
        self.user, self.mode, self.ids, self.queryset = user, mode, ids, queryset
        self.truncated = details.get("truncated", False)
        self.partial = details.get("partial", False)
        self.corrected = details.get("corrected", [])
        self.gtin = details.get("gtin", "")
        self._count = None

    @property
    def count(self) -> int:
        if self._count is None:
            self._count = len(self.ids) if self.ids is not None else self.queryset.values("pk").count()
        return self._count

    def products(self, offset: int, limit: int) -> list[Product]:
        if limit <= 0:
            return []
        if self.ids is None:
            return list(_listing(self.queryset)[offset : offset + limit])
        wanted = self.ids[offset : offset + limit]
        # The page's sheets, through the policy once more: what is shown is always what the reader may see.
        found = {p.pk: p for p in _listing(policy.visible_products(self.user).filter(pk__in=wanted))}
        return [found[pk] for pk in wanted if pk in found]

    def results(self, offset: int, limit: int, language: str) -> list[SearchResult]:
        return [_result(product, language) for product in self.products(offset, limit)]


def _listing(products):
    photos = ProductPhoto.objects.order_by("position", "pk").only(
        "pk", "product_id", "image", "width", "height", "position"
    )
    # ``to_attr``: a plain list on each sheet, without a queryset built per sheet.
    return presentation.listing_queryset(products).prefetch_related(
        Prefetch("photos", queryset=photos, to_attr="search_photos")
    )


def _result(product: Product, language: str) -> SearchResult:
    photos = product.search_photos
    return SearchResult(
        product=product,
        texts=presentation.list_name(product, language),
        brand=product.brand.name,
        thumbnail_url=thumbnail_url(photos[0].image, THUMBNAIL_SIZE) if photos else "",
    )


# --- Searching --------------------------------------------------------------------------------------------------


def search_products(
    user,
    query: str,
    *,
    brand_id=None,
    hs_chapter=None,
    country=None,
    language=None,
    page=1,
    per_page=20,
) -> "SearchPage":
    """One page of the sheets ``user`` may read that match ``query`` and the filters (see the module's
    docstring). ``language``: the reader's (default: the active language). Raises ``ValidationError`` for a
    filter that is not one (an unknown country, a chapter that is not two digits)."""
    hits = find(user, query, brand_id=brand_id, hs_chapter=hs_chapter, country=country)
    per_page = max(1, int(per_page))
    number = max(1, int(page))
    if (number - 1) * per_page >= hits.count:  # past the end (or a stale link): the last page
        number = max(1, math.ceil(hits.count / per_page))
    reader = presentation.reader_language(language)
    return SearchPage(
        query=(query or "").strip()[:MAX_QUERY_LENGTH],
        mode=hits.mode,
        results=hits.results((number - 1) * per_page, per_page, reader),
        count=hits.count,
        number=number,
        per_page=per_page,
        truncated=hits.truncated,
        partial=hits.partial,
        corrected=hits.corrected,
        gtin=hits.gtin,
    )


def clean_filters(*, brand_id=None, hs_chapter=None, country=None) -> dict:
    """The filters, checked: ``ValidationError`` (keyed by filter) for one that cannot be."""
    cleaned = {}
    if brand_id not in (None, ""):
        try:
            cleaned["brand_id"] = int(brand_id)
        except (TypeError, ValueError):
            raise ValidationError({"brand": _("Choose a brand from the list.")}) from None
    if hs_chapter not in (None, ""):
        chapter = str(hs_chapter).strip()
        if chapter not in catalog_services.HS_CHAPTERS:
            raise ValidationError({"hs_chapter": _("An HS chapter is two digits, 01 to 97.")})
        cleaned["hs_chapter"] = chapter
    if country not in (None, ""):
        cleaned["country"] = catalog_services.validate_country(str(country), "country")
    return cleaned


def _filter_q(filters: dict) -> Q:
    q = Q()
    if "brand_id" in filters:
        q &= Q(brand_id=filters["brand_id"])
    if "hs_chapter" in filters:
        q &= Q(hs_code__startswith=filters["hs_chapter"])
    if "country" in filters:
        q &= made_in(filters["country"])
    return q


def _filter_facets(filters: dict) -> list[tuple[str, ...]]:
    groups = []
    if "brand_id" in filters:
        groups.append((facet("b", filters["brand_id"]),))
    if "hs_chapter" in filters:
        groups.append((facet("h", filters["hs_chapter"]),))
    if "country" in filters:
        groups.append((facet("c", filters["country"]),))
    return groups


def _scope_facets(user) -> list[tuple[str, ...]] | None:
    """The facets that narrow the index to what ``user`` may see; None when they see nothing."""
    scope = policy.product_search_scope(user)
    if scope.everything:
        return []
    if scope.right_holder_ids:
        return [tuple(facet("r", pk) for pk in scope.right_holder_ids)]
    if scope.published_for_country is not None:
        countries = [facet("v", "all")]
        if scope.published_for_country:
            countries.append(facet("v", scope.published_for_country))
        return [(facet("s", "published"),), tuple(countries)]
    return None


def exact_gtin(query: str) -> str:
    """The GTIN-14 when ``query`` is a valid GTIN as printed (spaces and hyphens allowed), else ""."""
    if not _GTIN_LIKE.match(query or ""):
        return ""
    digits = re.sub(r"[\s-]", "", query)
    if len(digits) not in GTIN_LENGTHS:
        return ""
    try:
        return catalog_services.normalise_gtin(digits).gtin14
    except ValidationError:
        return ""


def find(user, query: str, *, brand_id=None, hs_chapter=None, country=None) -> Hits:
    """The sheets ``user`` may read that match, in order (see the module's docstring)."""
    filters = clean_filters(brand_id=brand_id, hs_chapter=hs_chapter, country=country)
    visible = policy.visible_products(user).filter(_filter_q(filters))
    query = (query or "").strip()[:MAX_QUERY_LENGTH]
    if gtin := exact_gtin(query):
        # An exact look-up on the identifier's index, never a full-text search.
        owner = ProductIdentifier.objects.filter(kind=IdentifierKind.GTIN, value=gtin).values("product_id")
        return Hits(user, "gtin", queryset=visible.filter(pk__in=owner), gtin=gtin)
    if not query and not ({"hs_chapter", "country"} & set(filters)):
        return Hits(user, "browse", queryset=visible)  # the list as it always was (optionally for one brand)
    words = query_words(query)[:MAX_WORDS]
    digits = re.sub(r"[\s-]", "", query) if _GTIN_LIKE.match(query) else ""
    code_prefix = digits if MIN_NUMBER_PREFIX_LENGTH <= len(digits) <= 14 else ""
    if code_prefix:
        words = [code_prefix]  # a code as printed, spaces and hyphens included
    scope = _scope_facets(user)
    if (query and not words) or scope is None:
        return Hits(user, "text", ids=[])
    return _TextSearch(user, words, visible, scope, _filter_facets(filters), code_prefix).run()


def _gtins_beginning(digits: str, limit: int) -> list[int]:
    """Sheets with a GTIN that begins with ``digits`` as printed (EAN-8, UPC-A, EAN-13: the GTIN-14 with 6, 2 or 1
    leading zeros) or as stored (GTIN-14): ranges on the identifiers' index, never a full-text search."""
    found: dict[int, None] = {}
    for padding in ("", "0", "00", "000000"):
        prefix = padding + digits
        if len(prefix) > 14:
            continue
        gtins = ProductIdentifier.objects.filter(kind=IdentifierKind.GTIN, value__gte=prefix)
        if set(prefix) != {"9"}:  # below the next prefix ("0400639" after "0400638"); nothing follows 999…
            gtins = gtins.filter(value__lt=str(int(prefix) + 1).zfill(len(prefix)))
        for pk in gtins.order_by("value").values_list("product_id", flat=True)[:limit]:
            found.setdefault(pk, None)
    return list(found)[:limit]


class _TextSearch:
    """Words (or, without words, only filters) looked up in the index, tier after tier, and the candidates checked
    by the database against the access policy and the filters.

    The index first looks among all sheets, narrowed by the filters only. When that finds more candidates than it
    ranks and most of them turn out to be sheets the reader may not see (drafts, sheets shared with other countries,
    other right holders' catalogues), it looks again within the reader's scope (``policy.product_search_scope``):
    a second, more selective query, paid only when the first one was crowded out."""

    def __init__(self, user, words: list[str], visible, scope: list, filters: list, code_prefix: str = ""):
        self.user, self.words, self.visible, self.code_prefix = user, words, visible, code_prefix
        self.scope, self.filters = tuple(scope), tuple(filters)
        self.backend = backend()
        self.cap = candidate_cap()
        self.corrections: dict[str, tuple[str, ...]] = {}
        self.completions: dict[str, tuple[str, ...]] = {}

    def run(self) -> Hits:
        if not self.words:  # filters alone: the newest sheets that have them
            ids, truncated = self._search(any_term=False)
            return Hits(self.user, "text", ids=ids, truncated=truncated)
        for word in self.words:
            if is_vocabulary_word(word):
                found = self.backend.words_starting(word, MAX_COMPLETIONS + 1)
                self.completions[word] = tuple(found)
                # A word no sheet contains (not even as the beginning of a word) is a typo until shown otherwise.
                if not found and self._correctable(word):
                    self.corrections[word] = self._close_spellings(word)
        ids, truncated = self._search(any_term=False)
        if not ids:
            # Every word exists somewhere, but not together in a sheet this reader sees: try close spellings.
            missing = [w for w in self.words if self._correctable(w) and w not in self.corrections]
            for word in missing:
                self.corrections[word] = self._close_spellings(word)
            if any(self.corrections.get(word) for word in missing):
                ids, truncated = self._search(any_term=False)
        partial = False
        if not ids and len(self.words) > 1:
            ids, truncated = self._search(any_term=True)
            partial = bool(ids)
        # Only the user's own words are named, never the corrections: a close spelling may come from a sheet
        # this reader may not see.
        corrected = [word for word in self.words if self.corrections.get(word)] if ids else []
        return Hits(self.user, "text", ids=ids, truncated=truncated, partial=partial, corrected=corrected)

    @staticmethod
    def _correctable(word: str) -> bool:
        return len(word) >= MIN_CORRECTED_LENGTH and is_vocabulary_word(word)

    def _close_spellings(self, word: str) -> tuple[str, ...]:
        """The closest vocabulary words: one edit away (a swap of two neighbouring letters is one edit), or two for
        words of 6 letters or more that begin with the same letter. Only the best are kept — fewest edits, then the
        same first letter (people rarely mistype it: "recharpe" is "recharge" rather than "echarpe")."""
        allowed = 1 if len(word) < 6 else 2
        scored = []
        for candidate in self.backend.similar_words(word):
            distance = OSA.distance(word, candidate, score_cutoff=allowed)
            if candidate == word or distance > allowed or (distance == 2 and candidate[0] != word[0]):
                continue
            scored.append(((distance, candidate[0] != word[0]), abs(len(candidate) - len(word)), candidate))
        if not scored:
            return ()
        scored.sort()
        best = scored[0][0]
        return tuple(candidate for rank, _length, candidate in scored if rank == best)[:MAX_CORRECTIONS]

    def _terms(self) -> tuple[Term, ...]:
        return tuple(self._term(word) for word in self.words)

    def _term(self, word: str) -> Term:
        corrections = self.corrections.get(word, ())
        if len(word) < MIN_PREFIX_LENGTH or (word.isdigit() and len(word) < MIN_NUMBER_PREFIX_LENGTH):
            return Term(word, corrections=corrections)
        completions = self.completions.get(word, ())
        if 0 < len(completions) <= MAX_COMPLETIONS:
            # The few words it begins, by name: cheaper for both indexes than a prefix, which collects every match.
            return Term(word, completions=completions, corrections=corrections)
        # Many words (or none of the vocabulary's: then only codes, which are rare, can begin with it).
        return Term(word, prefix=True, corrections=corrections)

    def _search(self, *, any_term: bool) -> tuple[list[int], bool]:
        ids, truncated, examined = self._collect(any_term, self.filters)
        if truncated and self.scope and len(ids) < examined // 2:
            ids, truncated, _examined = self._collect(any_term, self.filters + self.scope)
        return ids, truncated

    def _collect(self, any_term: bool, facets: tuple) -> tuple[list[int], bool, int]:
        """(the candidates the reader may see, in order; whether there were more; how many were examined)."""
        terms = self._terms()
        tiers = [(True, False), (True, True), (False, False), (False, True)]
        if not terms:
            tiers = [(False, False)]
        elif not any(term.has_variants for term in terms):
            tiers = [tier for tier in tiers if not tier[1]]
        ordered: dict[int, None] = {}
        truncated = False
        if self.code_prefix:  # the beginning of a GTIN: among the codes, before any word
            found = _gtins_beginning(self.code_prefix, self.cap + 1)
            truncated = len(found) > self.cap
            ordered.update(dict.fromkeys(found[: self.cap]))
        for strong_only, loose in tiers:
            if len(ordered) >= self.cap:
                truncated = True
                break
            query = TierQuery(terms, strong_only, loose, facets, any_term)
            found = self.backend.candidates(query, self.cap + 1)
            truncated |= len(found) > self.cap
            for pk in found[: self.cap]:
                ordered.setdefault(pk, None)
            if len(ordered) >= self.cap:
                truncated = True
                break
        candidates = list(ordered)[: self.cap]
        if not candidates:
            return [], False, 0
        # The reader's rights and the filters, applied by the database to the candidates.
        allowed = set(self.visible.filter(pk__in=candidates).values_list("pk", flat=True))
        return [pk for pk in candidates if pk in allowed], truncated, len(candidates)
