"""Full-text search on a generated catalogue: index rebuild time and size, then the time of a mix of searches.

    .venv/bin/python bench/dataset.py --products 1000000 --gtins-per-product 3      # once: the catalogue
    .venv/bin/python bench/search.py [--queries 60] [--skip-rebuild] [--http]
    IPM_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipm_bench .venv/bin/python bench/search.py

Works on the database ``IPM_DATABASE_URL`` names (by default the bench's SQLite file, see ``benchenv.py``), which
``bench/dataset.py`` filled. Rebuilds the search index (``ipm rebuild_search_index``: time and size), then runs
``--queries`` searches of each kind — exact words, two words, brands, prefixes, typos, accents and case, words of
another language than the officer's, clue words, SKUs, filters alone and with words, words nobody wrote, and GTINs
(exact look-ups, for comparison) — as an officer (all published sheets), as the secretariat (every sheet) and as a
right holder (its own catalogue), and prints p50 / p95 / max per kind and overall.

A search is timed whole, as the officer's list page runs it: ``search.services.search_products`` — the full-text
candidates, the access policy and filters applied by the database, the page of 20 results with names in the
reader's language, brands and thumbnails. ``--http`` also times ``GET /api/v1/products?q=…`` through Django's
test client (the server's time without the network). Queries are drawn from the catalogue with a fixed seed.
"""

import argparse
import random
import statistics
import time
import unicodedata

from benchenv import database_label, machine_label, setup_django

KINDS = [
    "word",
    "two words",
    "brand",
    "prefix",
    "typo",
    "accents and case",
    "other language",
    "clue word",
    "sku",
    "filter only",
    "word + filter",
    "no match",
    "gtin (exact)",
]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def typo(word: str, rng: random.Random) -> str:
    """One edit: swap two neighbours, drop or double a letter, or change one (never the first letter)."""
    i = rng.randrange(1, len(word) - 1)
    how = rng.choice(["swap", "drop", "double", "change"])
    if how == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if how == "drop":
        return word[:i] + word[i + 1 :]
    if how == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiourstnl") + word[i + 1 :]


def words_of(text: str, minimum: int = 4) -> list[str]:
    return [w.strip(".,;:()—-") for w in (text or "").split() if len(w.strip(".,;:()—-")) >= minimum]


class QueryMaker:
    """Searches drawn from the catalogue itself, so that most of them match something."""

    def __init__(self, rng: random.Random, officer_language: str):
        from django.db.models import Max, Min

        from ipm.catalog.models import Brand, Clue, IdentifierKind, Product, ProductIdentifier

        self.rng = rng
        self.officer_language = officer_language
        self.product_model = Product
        bounds = Product.objects.aggregate(low=Min("pk"), high=Max("pk"))
        self.low, self.high = bounds["low"], bounds["high"]
        self.brands = list(Brand.objects.values_list("pk", "name"))
        self.translations = Product._parler_meta.root_model.objects
        self.clue_translations = Clue._parler_meta.root_model.objects
        self.identifiers = ProductIdentifier.objects
        self.gtin_kind, self.sku_kind = IdentifierKind.GTIN, IdentifierKind.SKU

    def product(self):
        """A random existing sheet (ids may have gaps)."""
        while True:
            found = (
                self.product_model.objects.filter(pk__gte=self.rng.randint(self.low, self.high))
                .order_by("pk")
                .values("pk", "brand_id", "hs_code", "country_of_manufacture", "source_language")
                .first()
            )
            if found:
                return found

    def names(self, pk) -> dict[str, str]:
        return dict(self.translations.filter(master_id=pk).values_list("language_code", "name"))

    def name_word(self, pk, *, language=None, latin=False):
        names = self.names(pk)
        for code, name in sorted(names.items(), key=lambda item: item[0] != language):
            if language and code != language:
                continue
            candidates = [w for w in words_of(name) if not latin or w.isascii()]
            if candidates:
                return self.rng.choice(candidates)
        return None

    def make(self, kind: str) -> tuple[str, dict]:
        for _ in range(50):
            made = self._make(kind)
            if made is not None:
                return made
        raise RuntimeError(f"could not draw a {kind} query from the catalogue")

    def _make(self, kind):  # noqa: PLR0911, PLR0912 — one branch per kind reads best
        rng, product = self.rng, self.product()
        pk = product["pk"]
        if kind == "word":
            word = self.name_word(pk)
            return (word, {}) if word else None
        if kind == "two words":
            name = next(iter(self.names(pk).values()), "")
            words = words_of(name, 3)
            return (" ".join(rng.sample(words, 2)), {}) if len(words) >= 2 else None
        if kind == "brand":
            return rng.choice(self.brands)[1], {}
        if kind == "prefix":
            word = self.name_word(pk)
            return (word[: rng.choice((3, 4, 5))], {}) if word and len(word) >= 6 else None
        if kind == "typo":
            word = self.name_word(pk, latin=True)
            return (typo(word.lower(), rng), {}) if word and len(word) >= 5 else None
        if kind == "accents and case":
            word = self.name_word(pk)
            if not word:
                return None
            return (strip_accents(word).upper() if strip_accents(word) != word else word.upper()), {}
        if kind == "other language":
            names = self.names(pk)
            others = [code for code in names if code != self.officer_language]
            if not others:
                return None
            word = self.name_word(pk, language=rng.choice(others))
            return (word, {}) if word else None
        if kind == "clue word":
            titles = list(self.clue_translations.filter(master__product_id=pk).values_list("title", flat=True))
            words = [w for title in titles for w in words_of(title, 5)]
            return (rng.choice(words), {}) if words else None
        if kind == "sku":
            sku = self.identifiers.filter(product_id=pk, kind=self.sku_kind).values_list("value", flat=True).first()
            return (sku, {}) if sku else None
        if kind == "filter only":
            filters = rng.choice(["hs_chapter", "country", "brand_id"])
            return "", self._filter(product, filters)
        if kind == "word + filter":
            word = self.name_word(pk)
            return (word, self._filter(product, rng.choice(["hs_chapter", "country", "brand_id"]))) if word else None
        if kind == "no match":
            return "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(rng.randint(6, 10))), {}
        if kind == "gtin (exact)":
            gtin = self.identifiers.filter(product_id=pk, kind=self.gtin_kind).values_list("printed_value", flat=True)
            return (gtin.first(), {}) if gtin.first() else None
        raise ValueError(kind)

    @staticmethod
    def _filter(product, name):
        if name == "hs_chapter":
            return {"hs_chapter": product["hs_code"][:2]} if product["hs_code"] else {}
        if name == "country":
            return {"country": product["country_of_manufacture"]} if product["country_of_manufacture"] else {}
        return {"brand_id": product["brand_id"]}


def holder_reader():
    """A viewer of a mid-sized right holder (made once, kept): searches within one catalogue, drafts included."""
    from django.db.models import Count

    from ipm.accounts.models import Organisation, OrganisationKind, Role, User

    user = User.objects.filter(email="search-bench-holder@bench.test").select_related("organisation").first()
    if user:
        return user
    holders = (
        Organisation.objects.filter(kind=OrganisationKind.RIGHT_HOLDER)
        .annotate(sheets=Count("brands__products"))
        .order_by("-sheets")
    )
    holder = list(holders[:20])[-1]
    return User.objects.create_user(
        "search-bench-holder@bench.test", None, organisation=holder, role=Role.VIEWER, language="en"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=60, help="searches of each kind, per reader (default 60)")
    parser.add_argument("--skip-rebuild", action="store_true", help="keep the index as it is")
    parser.add_argument("--http", action="store_true", help="also time GET /api/v1/products?q=… (test client)")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from ipm.accounts.models import User
    from ipm.catalog.models import Product, ProductIdentifier
    from ipm.search import services as search

    products = Product.objects.count()
    if not products:
        raise SystemExit("No product sheet in this database: run bench/dataset.py first.")
    print(f"database: {database_label()}")
    print(f"machine: {machine_label()}")
    print(
        f"catalogue: {products:,} sheets, {ProductIdentifier.objects.filter(kind='gtin').count():,} GTINs, "
        f"{Product._parler_meta.root_model.objects.count():,} name/description translations"
    )

    if not args.skip_rebuild:
        last = [time.perf_counter()]

        def progress(done, total):
            if time.perf_counter() - last[0] > 30:
                print(f"  … {done:,} / {total:,} sheets")
                last[0] = time.perf_counter()

        report = search.rebuild_index(progress=progress)
        print(
            f"index rebuilt: {report.documents:,} sheets in {report.seconds:.0f} s "
            f"({report.documents / max(report.seconds, 0.001):,.0f} sheets/s), "
            f"{report.words:,} words in the typo vocabulary"
        )
    print(f"index size: {search.index_size() / 1_000_000:,.0f} MB")

    readers = {
        "officer (FR)": User.objects.select_related("organisation").get(email="officer-fr-1@bench.test"),
        "secretariat": User.objects.select_related("organisation").get(email="secretariat@bench.test"),
        "right holder": holder_reader(),
    }
    rng = random.Random(args.seed)
    maker = QueryMaker(rng, "fr")
    plans = {kind: [maker.make(kind) for _ in range(args.queries)] for kind in KINDS}
    for query, filters in [plan for kind in KINDS for plan in plans[kind][:3]]:  # warm up each path
        search.search_products(readers["officer (FR)"], query, **filters)

    everything = []
    for label, user in readers.items():
        print(f"\n{label}: {args.queries} searches of each kind, first page of 20 results")
        print(f"  {'kind':<18} {'p50':>8} {'p95':>8} {'max':>8}   {'results (median)':>16}  truncated")
        all_times = []
        for kind in KINDS:
            times, counts, truncated = [], [], 0
            for query, filters in plans[kind]:
                started = time.perf_counter()
                page = search.search_products(user, query, per_page=20, **filters)
                times.append((time.perf_counter() - started) * 1000)
                counts.append(page.count)
                truncated += page.truncated
            all_times += times
            if kind != "gtin (exact)":
                everything += times
            print(
                f"  {kind:<18} {statistics.median(times):6.1f}ms {percentile(times, 0.95):6.1f}ms "
                f"{max(times):6.1f}ms   {statistics.median(counts):>16,.0f}  {truncated:>4}/{len(times)}"
            )
        print(
            f"  {'all':<18} {statistics.median(all_times):6.1f}ms {percentile(all_times, 0.95):6.1f}ms "
            f"{max(all_times):6.1f}ms"
        )

    if args.http:
        settings.ALLOWED_HOSTS = ["*"]
        client = Client()
        client.force_login(readers["officer (FR)"])
        times = []
        for kind in KINDS:
            for query, filters in plans[kind]:
                started = time.perf_counter()
                response = client.get("/api/v1/products", {"q": query, "limit": 20, **filters})
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.content[:200]
        print(
            f"\nGET /api/v1/products?q=… (officer, test client): p50 {statistics.median(times):.1f} ms, "
            f"p95 {percentile(times, 0.95):.1f} ms, max {max(times):.1f} ms over {len(times)} requests"
        )
    print(f"\nfull-text searches, all readers: p95 {percentile(everything, 0.95):.1f} ms ({connection.vendor})")


if __name__ == "__main__":
    main()
