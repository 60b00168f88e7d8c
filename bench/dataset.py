"""Fill a database with a large generated catalogue, for the scan, search and page benchmarks.

    .venv/bin/python bench/dataset.py --products 1000000 --gtins-per-product 3 [--batch 5000]
        [--right-holders 300] [--seed 4] [--flush] [--rebuild-search-index]
    IPM_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipm_bench .venv/bin/python bench/dataset.py ...

The database is the one ``IPM_DATABASE_URL`` names, by default the bench's own SQLite file
``var/bench/bench.sqlite3`` (never the demo's). It must hold no product sheet yet, or be emptied first with
``--flush`` (which deletes that SQLite file, or flushes every table of that PostgreSQL database) — never point it at
real data. Migrations are applied first.

What it generates — the same rows for the same arguments and seed (only the API tokens' secrets differ):
- right holders (organisations of kind ``right_holder``), with sheet counts skewed as in real life (a few large
  catalogues, many small ones), each with 1–4 brands (English description, French too for a third);
- GS1 company prefixes of 7 to 9 digits under real GS1 member ranges (Germany, UK, China, Italy, Spain, Korea, Brazil,
  Poland, France), of the lengths GS1's prefix table gives (biip), never overlapping; a right holder gets as many as
  its GTINs need, and the top tenth of each prefix's item references stays unused, so a code there is "the brand is
  in IPM, the product is not" (see ``brand_only_gtins``);
- 1–3 manufacturer trade parties per right holder with their countries; a sheet is linked to one of them when there
  are several, and its country of manufacture is that manufacturer's;
- the product sheets: published, visible to every country, with an HS code from 15 product families (leather goods,
  watches, shoes, perfume, medicines, chargers, toys, car parts, cigarettes…), a price range for half; written in a
  source language (en 70 %, fr, es, zh-hans, ar, ru, pt) and, for about 35 %, translated into 1–2 more languages
  (name, description, packaging: parler translation rows);
- 1–3 clues per sheet (genuine vs counterfeit), translated like their sheet;
- ``--gtins-per-product`` GTINs per sheet, stored as GTIN-14 with valid check digits under the holder's prefixes:
  the unit's EAN-13 first, then variants' EAN-13s or case GTIN-14s (indicator digit 1–8); and an SKU for 30 %;
- customs administrations of 10 countries (FR, MA, BR, US, CN, DE, ES, RU, NG, AE), each with an administrator and
  5 officers (``officer-fr-1@bench.test``…; password ``ipm-bench-2026``), and a secretariat administrator
  (``secretariat@bench.test``); a read-scope API token for the first officer of each country.
It prints the time and rate of each step, the database size, sample GTINs (existing, brand-only, unknown) and a token.
Full-text search indexes are not built unless ``--rebuild-search-index`` is given (``ipm rebuild_search_index``).
"""

import argparse
import random
import time
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchenv import database_label, database_size_bytes, machine_label, setup_django
from dataset_texts import (
    CLUES,
    COLOURS,
    COMPANY_SUFFIXES,
    FAMILIES,
    FEATURES,
    LANGUAGES,
    LINES,
    MANUFACTURER_SUFFIXES,
    MANUFACTURING_COUNTRIES,
    MANUFACTURING_WEIGHTS,
    NAME_TEMPLATES,
    PACKAGING,
    SOURCE_LANGUAGE_WEIGHTS,
    SYLLABLES,
)

BENCH_PASSWORD = "ipm-bench-2026"
CUSTOMS_COUNTRIES = [
    ("FR", "fr"),
    ("MA", "ar"),
    ("BR", "pt"),
    ("US", "en"),
    ("CN", "zh-hans"),
    ("DE", "en"),
    ("ES", "es"),
    ("RU", "ru"),
    ("NG", "en"),
    ("AE", "ar"),
]
OFFICERS_PER_COUNTRY = 5
# GS1 member ranges the company prefixes are drawn from; codes under "87" (GS1 Netherlands) are never registered.
GS1_RANGES = (
    [str(n) for n in range(400, 441)]
    + [str(n) for n in range(500, 510)]
    + [str(n) for n in range(690, 700)]
    + [str(n) for n in range(800, 850)]
    + ["880", "789", "790", "590"]
    + [str(n) for n in range(300, 380)]
)
UNKNOWN_RANGE = "87"
RESERVED_FRACTION = 0.1  # the top tenth of each prefix's item references is never given to a product
BASE_TIME = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)


def check_digit(body: str) -> str:
    """GS1 mod-10 check digit: weights 3, 1, 3… from the rightmost digit of the body."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def gtin14_under(prefix: str, item_reference: int, indicator: int = 0) -> str:
    body = str(indicator) + prefix + str(item_reference).zfill(12 - len(prefix))
    return body + check_digit(body)


def prefix_capacity(prefix: str) -> int:
    """Item references of a prefix that products may use (the rest is kept for brand-only codes)."""
    return int(10 ** (12 - len(prefix)) * (1 - RESERVED_FRACTION))


def brand_only_gtins(prefixes: list[str], rng: random.Random, count: int) -> list[str]:
    """GTINs under registered prefixes that no product has: from the reserved top of each prefix."""
    codes = []
    for _ in range(count):
        prefix = rng.choice(prefixes)
        size = 10 ** (12 - len(prefix))
        codes.append(gtin14_under(prefix, rng.randrange(prefix_capacity(prefix), size)))
    return codes


def unknown_gtins(rng: random.Random, count: int) -> list[str]:
    """Valid GTINs under a GS1 range where this dataset registers no prefix at all."""
    return [gtin14_under(f"{UNKNOWN_RANGE}{rng.randrange(10**5):05d}", rng.randrange(10**5)) for _ in range(count)]


def ascii_word(name: str) -> str:
    return unicodedata.normalize("NFKD", name.split()[0]).encode("ascii", "ignore").decode().lower()


def company_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3)))).capitalize()


class PrefixRegistry:
    """Hands out non-overlapping GS1 company prefixes of the length GS1's table gives for their range."""

    def __init__(self, rng: random.Random):
        from biip.gs1_prefixes import GS1CompanyPrefix

        self.extract = GS1CompanyPrefix.extract
        self.rng = rng
        self.taken: set[str] = set()
        self.stems: set[str] = set()  # every leading part of a taken prefix

    def new_prefix(self) -> str:
        while True:
            candidate = self.rng.choice(GS1_RANGES) + f"{self.rng.randrange(10**9):09d}"
            found = self.extract(candidate)
            if found is None or not 7 <= len(found.value) <= 9:
                continue
            prefix = found.value
            if prefix in self.stems or any(prefix[:n] in self.taken for n in range(4, len(prefix) + 1)):
                continue
            self.taken.add(prefix)
            self.stems.update(prefix[:n] for n in range(1, len(prefix) + 1))
            return prefix


class GtinAllocator:
    """A right holder's item references, used in order through its prefixes."""

    def __init__(self, prefixes: list[str]):
        self.prefixes = prefixes
        self.index = 0
        self.next_reference = 0

    def next_unit(self) -> tuple[str, int]:
        prefix = self.prefixes[self.index]
        if self.next_reference >= prefix_capacity(prefix):
            self.index += 1
            self.next_reference = 0
            prefix = self.prefixes[self.index]
        reference = self.next_reference
        self.next_reference += 1
        return prefix, reference


class BulkWriter:
    """Inserts rows in the fastest way each database offers: executemany on SQLite, COPY on PostgreSQL.

    Rows give the columns named at ``insert``; other concrete fields of the model get their default (computed once),
    so a field added later with a default does not break the generator."""

    def __init__(self, connection):
        self.connection = connection
        self.vendor = connection.vendor
        self.rows_written = 0

    def insert(self, model, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        fields = {field.column: field for field in model._meta.concrete_fields}
        missing = [field for column, field in fields.items() if column not in columns]
        extra_values = tuple(self._prepared_default(field) for field in missing)
        all_columns = columns + [field.column for field in missing]
        if extra_values:
            rows = [row + extra_values for row in rows]
        table = model._meta.db_table
        column_list = ", ".join(f'"{column}"' for column in all_columns)
        if self.vendor == "postgresql":
            with (
                self.connection.cursor() as cursor,
                cursor.cursor.copy(f'COPY "{table}" ({column_list}) FROM STDIN') as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join("?" for _ in all_columns)
            self.connection.connection.executemany(
                f'INSERT INTO "{table}" ({column_list}) VALUES ({placeholders})', rows
            )
        self.rows_written += len(rows)

    def _prepared_default(self, field):
        if field.primary_key:
            raise ValueError(f"{field.model.__name__}: give the primary key explicitly")
        value = field.get_default()
        if value is None and not field.null:
            raise ValueError(f"{field.model.__name__}.{field.name} has no default: the generator must fill it")
        return field.get_db_prep_save(value, self.connection)


def next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def allocate_products(rng: random.Random, products: int, holders: int) -> list[int]:
    """How many sheets each right holder has: skewed (Pareto), every holder at least one."""
    weights = [min(rng.paretovariate(1.16), 200.0) for _ in range(holders)]
    total = sum(weights)
    counts = [max(1, int(products * w / total)) for w in weights]
    difference = products - sum(counts)
    index = 0
    while difference != 0:  # spread the rounding over the holders, never below one sheet
        step = 1 if difference > 0 else -1
        if step > 0 or counts[index % holders] > 1:
            counts[index % holders] += step
            difference -= step
        index += 1
    return counts


def build(args):  # noqa: PLR0915 — one straight recipe reads better than a dozen small functions
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from ipm.accounts.models import Organisation, OrganisationKind, Role, User
    from ipm.accounts.services import create_api_token
    from ipm.catalog.models import (
        Brand,
        Clue,
        CompanyPrefix,
        IdentifierKind,
        PartyRole,
        Product,
        ProductIdentifier,
        ProductStatus,
        TradeParty,
    )

    rng = random.Random(args.seed)
    writer = BulkWriter(connection)
    BrandTranslation = Brand._parler_meta.root_model
    ProductTranslation = Product._parler_meta.root_model
    ClueTranslation = Clue._parler_meta.root_model
    TradePartyProducts = TradeParty.products.through
    ops = connection.ops
    stamps = [ops.adapt_datetimefield_value(BASE_TIME - timedelta(days=d, minutes=17 * d)) for d in range(730)]
    now_stamp = ops.adapt_datetimefield_value(BASE_TIME)

    # --- Right holders, brands, prefixes, manufacturers ----------------------------------------------------------
    started = time.perf_counter()
    holder_count = max(1, min(args.right_holders, args.products))
    counts = allocate_products(rng, args.products, holder_count)
    registry = PrefixRegistry(rng)
    ids = {model: next_id(model) for model in (Organisation, Brand, CompanyPrefix, TradeParty)}
    holders = []  # (organisation id, [brand ids with names], allocator, [(party id, country)])
    org_rows, brand_rows, brand_text_rows, prefix_rows, party_rows = [], [], [], [], []
    brand_text_id = next_id(BrandTranslation)
    for h, count in enumerate(counts):
        org_id = ids[Organisation] + h
        name = f"{company_name(rng)} {rng.choice(COMPANY_SUFFIXES)}"
        org_rows.append((org_id, name, OrganisationKind.RIGHT_HOLDER, "", f"ip@{ascii_word(name)}.test", "",
                         False, True, stamps[rng.randrange(730)]))  # fmt: skip
        brands = []
        for _ in range(rng.randint(1, 4)):
            brand_name = company_name(rng)
            if brand_name in {b[1] for b in brands}:
                continue
            brand_id = ids[Brand]
            ids[Brand] += 1
            brands.append((brand_id, brand_name))
            brand_rows.append((brand_id, brand_name, "", stamps[rng.randrange(730)], now_stamp, org_id))
            for language in ["en", "fr"] if rng.random() < 0.33 else ["en"]:
                text = f"{brand_name}: {FEATURES[rng.randrange(len(FEATURES))][LANGUAGES.index(language)]}"
                brand_text_rows.append((brand_text_id, language, text, brand_id))
                brand_text_id += 1
        # Enough item references for every sheet's GTINs even if all of them were variants with their own EAN-13.
        needed = count * args.gtins_per_product
        prefixes = []
        while needed > 0:
            prefix = registry.new_prefix()
            prefixes.append(prefix)
            prefix_rows.append((ids[CompanyPrefix], prefix, org_id))
            ids[CompanyPrefix] += 1
            needed -= prefix_capacity(prefix)
        parties = []
        for _ in range(rng.choice((1, 1, 2, 3))):
            country = rng.choices(MANUFACTURING_COUNTRIES, MANUFACTURING_WEIGHTS)[0]
            party_name = f"{company_name(rng)} {MANUFACTURER_SUFFIXES[country]}"
            party_rows.append((ids[TradeParty], PartyRole.MANUFACTURER, party_name,
                               f"Industrial zone {rng.randint(1, 40)}, {country}", country, "", org_id))  # fmt: skip
            parties.append((ids[TradeParty], country))
            ids[TradeParty] += 1
        holders.append((org_id, brands, GtinAllocator(prefixes), parties))
    with transaction.atomic():
        writer.insert(
            Organisation,
            ["id", "name", "kind", "country", "email", "website", "require_two_factor", "is_active", "created_at"],
            org_rows,
        )
        writer.insert(Brand, ["id", "name", "logo", "created_at", "updated_at", "right_holder_id"], brand_rows)
        writer.insert(BrandTranslation, ["id", "language_code", "description", "master_id"], brand_text_rows)
        writer.insert(CompanyPrefix, ["id", "prefix", "right_holder_id"], prefix_rows)
        writer.insert(TradeParty, ["id", "role", "name", "address", "country", "notes", "right_holder_id"], party_rows)
    print(
        f"right holders {len(org_rows):,}, brands {len(brand_rows):,}, company prefixes {len(prefix_rows):,}, "
        f"manufacturers {len(party_rows):,} in {time.perf_counter() - started:.1f} s"
    )

    # --- Product sheets and everything hanging from them, batch by batch -----------------------------------------
    started = time.perf_counter()
    product_id = next_id(Product)
    product_text_id = next_id(ProductTranslation)
    clue_id = next_id(Clue)
    clue_text_id = next_id(ClueTranslation)
    identifier_id = next_id(ProductIdentifier)
    link_id = next_id(TradePartyProducts)
    known_samples: list[str] = []
    owners = iter([(holder, count) for holder, count in zip(holders, counts, strict=True)])
    holder, left_for_holder = next(owners)
    produced = 0
    next_report = max(args.products // 10, 1)
    while produced < args.products:
        product_rows, text_rows, clue_rows, clue_text_rows, identifier_rows, link_rows = [], [], [], [], [], []
        for _ in range(min(args.batch, args.products - produced)):
            if left_for_holder == 0:
                holder, left_for_holder = next(owners)
            left_for_holder -= 1
            org_id, brands, allocator, parties = holder
            brand_id, brand_name = rng.choice(brands)
            family = rng.randrange(len(FAMILIES))
            hs_code, family_names = FAMILIES[family]
            party_id, country = rng.choice(parties)
            source = rng.choices(LANGUAGES, SOURCE_LANGUAGE_WEIGHTS)[0]
            languages = [source]
            if rng.random() < 0.35:
                others = [code for code in LANGUAGES if code != source]
                if source != "en" and rng.random() < 0.5:
                    languages.append("en")
                while len(languages) < 3 and rng.random() < 0.6 or len(languages) == 1:
                    choice = rng.choice(others)
                    if choice not in languages:
                        languages.append(choice)
            created = stamps[rng.randrange(730)]
            has_price = rng.random() < 0.5
            low = rng.randrange(5, 900)
            product_rows.append(
                (product_id, ProductStatus.PUBLISHED, source, hs_code, country, "",
                 f"{low}.00" if has_price else None, f"{low * 2 + 10}.00" if has_price else None,
                 "EUR" if has_price else "", True, created, created, created, created, 1, brand_id)
            )  # fmt: skip
            if len(parties) > 1:
                link_rows.append((link_id, party_id, product_id))
                link_id += 1
            colour = rng.randrange(len(COLOURS))
            line = rng.choice(LINES)
            model = f"{chr(65 + product_id % 26)}{product_id % 9 + 1}-{product_id % 10000:04d}"
            features = rng.sample(range(len(FEATURES)), 2)
            packaging = rng.randrange(len(PACKAGING))
            for language in languages:
                li = LANGUAGES.index(language)
                name = NAME_TEMPLATES[language].format(
                    brand=brand_name, line=line, family=family_names[li], colour=COLOURS[colour][li], model=model
                )
                description = " ".join(FEATURES[f][li] for f in features)
                text_rows.append(
                    (product_text_id, language, name[:200], description, PACKAGING[packaging][li], created, product_id)
                )
                product_text_id += 1
            for position, clue in enumerate(rng.sample(range(len(CLUES)), rng.randint(1, 3))):
                kind, texts = CLUES[clue]
                clue_rows.append((clue_id, kind, position, "", "", "[]", "[]", product_id))
                for language in languages:
                    title, explanation, where = texts[LANGUAGES.index(language)]
                    clue_text_rows.append((clue_text_id, language, title, explanation, where, created, clue_id))
                    clue_text_id += 1
                clue_id += 1
            prefix, reference = allocator.next_unit()
            unit = gtin14_under(prefix, reference)
            identifier_rows.append((identifier_id, IdentifierKind.GTIN, unit, unit[1:], "", product_id, org_id))
            identifier_id += 1
            for k in range(1, args.gtins_per_product):
                if k <= 8 and rng.random() < 1 / 3:  # a case of this unit: same item reference, indicator digit k
                    code = gtin14_under(prefix, reference, k)
                    printed, variant = code, f"case of {6 * k}"
                else:
                    vprefix, vreference = allocator.next_unit()
                    code = gtin14_under(vprefix, vreference)
                    printed, variant = code[1:], f"variant {k}"
                identifier_rows.append((identifier_id, IdentifierKind.GTIN, code, printed, variant, product_id, org_id))
                identifier_id += 1
            if rng.random() < 0.3:
                identifier_rows.append(
                    (identifier_id, IdentifierKind.SKU, f"SKU-{product_id:08d}", f"SKU-{product_id:08d}", "",
                     product_id, org_id)
                )  # fmt: skip
                identifier_id += 1
            if produced % max(args.products // 5, 1) == 0:
                known_samples.append(unit)
            product_id += 1
            produced += 1
        with transaction.atomic():
            writer.insert(
                Product,
                ["id", "status", "source_language", "hs_code", "country_of_manufacture", "intended_markets",
                 "price_min", "price_max", "currency", "visible_to_all_countries", "last_reviewed_at", "published_at",
                 "created_at", "updated_at", "revision", "brand_id"],
                product_rows,
            )  # fmt: skip
            writer.insert(
                ProductTranslation,
                ["id", "language_code", "name", "description", "packaging", "text_updated_at", "master_id"],
                text_rows,
            )
            writer.insert(
                Clue,
                ["id", "kind", "position", "genuine_image", "counterfeit_image", "genuine_marks", "counterfeit_marks",
                 "product_id"],
                clue_rows,
            )  # fmt: skip
            writer.insert(
                ClueTranslation,
                ["id", "language_code", "title", "explanation", "where_to_look", "text_updated_at", "master_id"],
                clue_text_rows,
            )
            writer.insert(
                ProductIdentifier,
                ["id", "kind", "value", "printed_value", "variant", "product_id", "right_holder_id"],
                identifier_rows,
            )
            writer.insert(TradePartyProducts, ["id", "tradeparty_id", "product_id"], link_rows)
        if produced >= next_report or produced == args.products:
            elapsed = time.perf_counter() - started
            print(
                f"  {produced:>10,} sheets, {writer.rows_written:>11,} rows, {elapsed:7.1f} s "
                f"({produced / elapsed:,.0f} sheets/s, {writer.rows_written / elapsed:,.0f} rows/s)",
                flush=True,
            )
            next_report += max(args.products // 10, 1)
    load_seconds = time.perf_counter() - started

    # PostgreSQL: the rows above carry explicit ids, so move the sequences past them before the ORM inserts more.
    touched = [Organisation, Brand, BrandTranslation, CompanyPrefix, TradeParty, Product, ProductTranslation, Clue,
               ClueTranslation, ProductIdentifier, TradePartyProducts]  # fmt: skip
    if connection.vendor == "postgresql":
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for statement in ops.sequence_reset_sql(no_style(), touched):
                cursor.execute(statement)

    # --- Customs administrations, officers, tokens ---------------------------------------------------------------
    password = make_password(BENCH_PASSWORD)
    secretariat = Organisation.objects.create(name="Bench secretariat", kind=OrganisationKind.SECRETARIAT)
    people = [User(email="secretariat@bench.test", full_name="Bench secretariat", organisation=secretariat,
                   role=Role.ADMIN, password=password)]  # fmt: skip
    administrations = []
    for country, language in CUSTOMS_COUNTRIES:
        if Organisation.objects.filter(kind=OrganisationKind.CUSTOMS, country=country).exists():
            raise SystemExit(f"This database already has a customs administration for {country}: use --flush.")
        customs = Organisation.objects.create(
            name=f"Bench customs {country}", kind=OrganisationKind.CUSTOMS, country=country
        )
        administrations.append(customs)
        cc = country.lower()
        people.append(User(email=f"customs-admin-{cc}@bench.test", organisation=customs, role=Role.ADMIN,
                           language=language, password=password))  # fmt: skip
        people += [
            User(email=f"officer-{cc}-{n}@bench.test", full_name=f"Officer {country} {n}", organisation=customs,
                 role=Role.EDITOR, language=language, password=password)
            for n in range(1, OFFICERS_PER_COUNTRY + 1)
        ]  # fmt: skip
    User.objects.bulk_create(people, batch_size=args.batch)
    tokens = {}
    for customs in administrations:
        officer = User.objects.get(email=f"officer-{customs.country.code.lower()}-1@bench.test")
        _token, key = create_api_token(officer, name="bench")
        tokens[officer.email] = key

    # --- Statistics for the query planner -------------------------------------------------------------------------
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in touched:
                cursor.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    analyse_seconds = time.perf_counter() - started
    return {
        "load_seconds": load_seconds,
        "analyse_seconds": analyse_seconds,
        "rows": writer.rows_written,
        "known": known_samples,
        "prefixes": [row[1] for row in prefix_rows],
        "tokens": tokens,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=100_000, help="product sheets (default 100,000)")
    parser.add_argument("--gtins-per-product", type=int, default=3, help="GTINs per sheet (default 3)")
    parser.add_argument("--batch", type=int, default=5000, help="sheets written per transaction (default 5,000)")
    parser.add_argument("--right-holders", type=int, default=300, help="right holders (default 300)")
    parser.add_argument("--seed", type=int, default=4, help="random seed (default 4)")
    parser.add_argument("--flush", action="store_true", help="empty the database first (deletes a SQLite file)")
    parser.add_argument(
        "--rebuild-search-index", action="store_true", help="then run `ipm rebuild_search_index` and time it"
    )
    args = parser.parse_args()
    if args.products < 1 or not 1 <= args.gtins_per_product <= 9 or args.batch < 1:
        parser.error("--products and --batch must be positive, --gtins-per-product from 1 to 9")

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from ipm.catalog.models import Product

    if args.flush and connection.vendor == "sqlite":
        connection.close()
        name = Path(connection.settings_dict["NAME"])
        for path in (name, Path(f"{name}-wal"), Path(f"{name}-shm")):
            path.unlink(missing_ok=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if args.flush and connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    print(f"migrated{' and emptied' if args.flush else ''} in {time.perf_counter() - started:.1f} s")
    existing = Product.objects.count()
    if existing:
        raise SystemExit(f"The database already holds {existing:,} product sheets: pass --flush to empty it first.")

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Only for this loading connection: a crash leaves a file to delete, and the bench rebuilds it anyway.
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1048576")
            cursor.execute("PRAGMA temp_store=MEMORY")
        else:
            cursor.execute("SET synchronous_commit TO OFF")
            cursor.execute("SET maintenance_work_mem TO '512MB'")

    print(f"database: {database_label()}; machine: {machine_label()}")
    print(
        f"generating {args.products:,} sheets × {args.gtins_per_product} GTINs, {args.right_holders} right holders, "
        f"seed {args.seed}, batches of {args.batch:,}"
    )
    started = time.perf_counter()
    result = build(args)
    total = time.perf_counter() - started
    print(
        f"sheets and related rows: {result['rows']:,} rows in {result['load_seconds']:.1f} s "
        f"({args.products / result['load_seconds']:,.0f} sheets/s, {result['rows'] / result['load_seconds']:,.0f} "
        f"rows/s); planner statistics {result['analyse_seconds']:.1f} s"
    )
    print(f"total {total:.1f} s ({total / 60:.1f} min); database size {database_size_bytes() / 2**20:,.0f} MiB")

    if args.rebuild_search_index:
        started = time.perf_counter()
        call_command("rebuild_search_index")
        print(
            f"search index rebuilt in {time.perf_counter() - started:.1f} s; "
            f"database size now {database_size_bytes() / 2**20:,.0f} MiB"
        )

    rng = random.Random(args.seed + 1)
    print("sample GTINs (GTIN-14):")
    print("  in the catalogue:  " + " ".join(result["known"]))
    print("  brand only:        " + " ".join(brand_only_gtins(result["prefixes"], rng, 5)))
    print("  unknown:           " + " ".join(unknown_gtins(rng, 5)))
    email, key = next(iter(result["tokens"].items()))
    print(f"officers' password: {BENCH_PASSWORD}; API token (read scope) of {email}:")
    print(f"  {key}")


if __name__ == "__main__":
    main()
