"""The demo catalogue: five brands of the two demo right holders, 26 product sheets with photos, genuine/counterfeit
clues, translations, known counterfeits, IP rights, applications for action, contacts, trade parties and routes.

The GTINs below are fixed: later features (scanning, printable codes, the resolver) and their tests use them, and
``docs/demo.md`` lists them. They are GTIN-13 with valid check digits under one GS1-like company prefix per right
holder (registered as ``CompanyPrefix`` rows, so a scan of an unknown code with the prefix still names its owner).

Sheets are written through the catalogue's services and media services, as a right holder's admin would, so every
sheet has its revisions, thumbnails and mark crops. The records that have no service yet (IP rights, applications
for action, contacts, trade parties, routes, known counterfeits) are written directly: this is trusted seed data.

Loading is idempotent: a sheet whose first GTIN is already registered is left as it is, brands are matched by name,
and the other records by their natural keys. The texts here are the right holders' content (in the language each
is written in), not interface strings, so they are not marked for translation.
"""

import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from django.utils import timezone

from ipm.accounts.models import Organisation, User
from ipm.catalog import media_services, services
from ipm.catalog.models import (
    ApplicationForAction,
    Brand,
    ClueKind,
    CompanyPrefix,
    Contact,
    CounterfeitVariant,
    IdentifierKind,
    IPRight,
    PartyRole,
    PhotoView,
    Product,
    ProductIdentifier,
    ProductStatus,
    RightKind,
    Route,
    TradeParty,
)
from ipm.catalog.services import months_before
from ipm.demo import images
from ipm.demo.images import GOLD, SILVER, Look

AURELIA_PREFIX = "7612345"  # the demo right holder "Aurelia Luxury Goods" (Switzerland: GS1 760–769)
NORTHWIND_PREFIX = "4098765"  # the demo right holder "Northwind Pharma" (Germany: GS1 400–440)
PREFIXES = {"brand": AURELIA_PREFIX, "rival": NORTHWIND_PREFIX}


def gtin13(prefix: str, item: str) -> str:
    """A GTIN-13 from a company prefix and an item reference (12 digits in all), with its GS1 check digit."""
    body = prefix + item
    if len(body) != 12 or not body.isdigit():
        raise ValueError("a GTIN-13 has 12 digits before its check digit")
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(body))
    return body + str((10 - total % 10) % 10)


def aurelia(item: str) -> str:
    return gtin13(AURELIA_PREFIX, item)


def northwind(item: str) -> str:
    return gtin13(NORTHWIND_PREFIX, item)


# --- What a sheet is made of ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClueSpec:
    detail: str  # which genuine/counterfeit pair to draw: a key of ``images.DETAILS``
    kind: str
    texts: dict  # language → (title, explanation, where to look)
    marks: bool = True


@dataclass(frozen=True)
class VariantSpec:
    first_seen: date
    texts: dict  # language → (name, description)


@dataclass(frozen=True)
class RouteSpec:
    origin: str
    destination: str
    transit: tuple = ()
    ports: str = ""
    modes: str = ""


@dataclass(frozen=True)
class BrandSpec:
    name: str
    holder: str  # "brand" (Aurelia Luxury Goods) or "rival" (Northwind Pharma): keys of demo.services.ORGANISATIONS
    colour: tuple
    accent: tuple
    face: str
    descriptions: dict  # language → text


@dataclass(frozen=True)
class ProductSpec:
    key: str  # the SKU, also the sheet's name in these notes
    brand: str
    look: Look
    gtins: tuple  # (GTIN-13, variant); the first one identifies the sheet when the demo is loaded again
    hs_code: str
    made_in: str
    markets: tuple
    price: tuple  # (lowest, highest, currency)
    texts: dict  # language → (name, description, packaging); the first language is the source language
    clues: tuple
    photos: tuple = (PhotoView.FRONT, PhotoView.PACKAGING, PhotoView.LABEL)
    small_print: tuple = ()
    model: str = ""
    visible_countries: tuple | None = None  # None: every country's administration
    status: str = ProductStatus.PUBLISHED
    reviewed_months_ago: int = 0
    reviewed_days_ago: int = 20
    variants: tuple = ()
    routes: tuple = ()

    @property
    def source_language(self) -> str:
        return next(iter(self.texts))

    @property
    def name(self) -> str:
        return self.texts[self.source_language][0]


CAPTIONS = {
    PhotoView.FRONT: {
        "en": "The genuine product",
        "fr": "Le produit authentique",
        "ar": "المنتج الأصلي",
        "pt": "O produto autêntico",
    },
    PhotoView.PACKAGING: {
        "en": "Retail packaging with the barcode",
        "fr": "Emballage de vente avec le code-barres",
        "ar": "عبوة البيع مع الرمز الشريطي",
        "pt": "Embalagem de venda com o código de barras",
    },
    PhotoView.LABEL: {
        "en": "Label with the barcode and the article number",
        "fr": "Étiquette avec le code-barres et la référence",
        "ar": "الملصق مع الرمز الشريطي ورقم الصنف",
        "pt": "Etiqueta com o código de barras e a referência",
    },
}


# --- Brands -----------------------------------------------------------------------------------------------------

NAVY = (30, 62, 128)
BRANDS = (
    BrandSpec(
        "Aurelia",
        "brand",
        NAVY,
        GOLD,
        "serif",
        {
            "en": "Silk scarves, leather goods and shoes, designed in Geneva and made in Europe.",
            "fr": "Carrés de soie, maroquinerie et souliers, dessinés à Genève et fabriqués en Europe.",
        },
    ),
    BrandSpec(
        "Aurelia Horlogerie",
        "brand",
        (20, 30, 60),
        SILVER,
        "serif",
        {
            "en": "Swiss-made mechanical and quartz watches and their straps.",
            "fr": "Montres mécaniques et à quartz Swiss made, et leurs bracelets.",
        },
    ),
    BrandSpec(
        "Maison Verre",
        "brand",
        (150, 84, 30),
        GOLD,
        "serif",
        {
            "fr": "Parfums et bougies parfumées, composés et fabriqués à Grasse.",
            "en": "Perfumes and scented candles, composed and made in Grasse.",
        },
    ),
    BrandSpec(
        "Northwind",
        "rival",
        (0, 110, 120),
        (240, 160, 0),
        "sans",
        {
            "en": "Prescription and over-the-counter medicines made in Germany.",
            "fr": "Médicaments sur ordonnance et en vente libre fabriqués en Allemagne.",
        },
    ),
    BrandSpec(
        "Voltix",
        "rival",
        (20, 120, 220),
        (20, 160, 220),
        "sans",
        {
            "en": "Phone chargers, power banks, cables and audio accessories.",
            "fr": "Chargeurs de téléphone, batteries externes, câbles et accessoires audio.",
        },
    ),
)


# --- Clue texts shared by several sheets ------------------------------------------------------------------------

DIAL = {
    "en": (
        "Logo and date window",
        "AURELIA is centred exactly under 12 o'clock and the date sits centred in a square window aligned with the "
        "indices. On copies the logo is off-centre and the date sits low in its window, in a different typeface.",
        "Dial, between 12 and 3 o'clock",
    ),
    "fr": (
        "Logo et guichet de date",
        "AURELIA est parfaitement centré sous 12 h et la date est centrée dans un guichet carré aligné sur les "
        "index. Sur les copies, le logo est décentré et la date est trop basse dans son guichet, dans une autre "
        "police.",
        "Cadran, entre 12 h et 3 h",
    ),
    "ar": (
        "الشعار ونافذة التاريخ",
        "يتوسط اسم AURELIA الموضع تحت الساعة 12 تمامًا، ويتوسط التاريخ نافذة مربعة محاذية للمؤشرات. أما في النسخ "
        "المقلدة فيكون الشعار منحرفًا عن المركز ويكون التاريخ منخفضًا داخل نافذته وبخط مختلف.",
        "الميناء، بين الساعة 12 والساعة 3",
    ),
    "pt": (
        "Logotipo e janela de data",
        "AURELIA fica exatamente centralizado abaixo das 12 horas e a data fica centrada numa janela quadrada "
        "alinhada com os índices. Nas cópias, o logotipo está descentralizado e a data fica baixa na janela, em "
        "outra fonte.",
        "Mostrador, entre as 12 e as 3 horas",
    ),
}

CASEBACK = {
    "en": (
        "Caseback engraving",
        "The caseback is laser-engraved with AURELIA, reference 2046 and a six-digit serial number that matches the "
        "warranty card. Copies are engraved shallowly and off-centre, blurred, and often carry 000001.",
        "Back of the case",
    ),
    "fr": (
        "Gravure du fond de boîte",
        "Le fond est gravé au laser AURELIA, référence 2046 et un numéro de série à six chiffres identique à celui de "
        "la carte de garantie. Les copies ont une gravure peu profonde, floue et décentrée, souvent avec 000001.",
        "Dos du boîtier",
    ),
    "ar": (
        "النقش على الغطاء الخلفي",
        "يُنقش على الغطاء الخلفي بالليزر اسم AURELIA والمرجع 2046 ورقم تسلسلي من ست خانات يطابق رقم بطاقة الضمان. "
        "أما النسخ المقلدة فنقشها سطحي وضبابي وغير متمركز، وغالبًا ما تحمل الرقم 000001.",
        "ظهر العلبة",
    ),
    "pt": (
        "Gravação do fundo",
        "O fundo da caixa é gravado a laser com AURELIA, referência 2046 e um número de série de seis dígitos igual "
        "ao do cartão de garantia. As cópias têm gravação rasa, borrada e descentralizada, muitas vezes com 000001.",
        "Parte de trás da caixa",
    ),
}

WARRANTY_HOLOGRAM = {
    "en": (
        "Holographic seal on the warranty card",
        "The warranty card carries a round rainbow hologram with a raised A that changes colour when tilted. Copies "
        "have a flat silver sticker, or none.",
        "Warranty card, in the box",
    ),
    "fr": (
        "Sceau holographique de la carte de garantie",
        "La carte de garantie porte un hologramme rond irisé avec un A en relief qui change de couleur quand on "
        "l'incline. Les copies ont un autocollant argenté plat, ou rien.",
        "Carte de garantie, dans l'écrin",
    ),
    "ar": (
        "الختم الهولوغرافي على بطاقة الضمان",
        "تحمل بطاقة الضمان هولوغرامًا دائريًا بألوان قوس قزح عليه حرف A بارز يتغير لونه عند إمالته. أما النسخ "
        "المقلدة فتحمل ملصقًا فضيًا مسطحًا أو لا تحمل شيئًا.",
        "بطاقة الضمان داخل العلبة",
    ),
    "pt": (
        "Selo holográfico do cartão de garantia",
        "O cartão de garantia tem um holograma redondo furta-cor com um A em relevo que muda de cor ao inclinar. As "
        "cópias têm um adesivo prateado liso, ou nada.",
        "Cartão de garantia, dentro do estojo",
    ),
}

CARTON_HOLOGRAM = {
    "en": (
        "Holographic security label",
        "A round rainbow hologram with a raised N is applied on the side of the carton; tilting it changes the "
        "colours. Counterfeit cartons have a flat grey print or a plain silver sticker.",
        "Right side of the carton",
    ),
    "fr": (
        "Étiquette de sécurité holographique",
        "Un hologramme rond irisé avec un N en relief est apposé sur le côté de l'étui ; ses couleurs changent "
        "quand on l'incline. Les étuis contrefaits ont une impression grise plate ou un simple autocollant argenté.",
        "Côté droit de l'étui",
    ),
    "ar": (
        "ملصق الأمان الهولوغرافي",
        "يوجد على جانب العلبة هولوغرام دائري بألوان قوس قزح عليه حرف N بارز، وتتغير ألوانه عند إمالته. أما العلب "
        "المقلدة فتحمل طباعة رمادية مسطحة أو ملصقًا فضيًا بسيطًا.",
        "الجانب الأيمن من العلبة",
    ),
    "pt": (
        "Etiqueta de segurança holográfica",
        "Um holograma redondo furta-cor com um N em relevo é aplicado na lateral do cartucho; ao inclinar, as cores "
        "mudam. Os cartuchos falsificados têm uma impressão cinza lisa ou um adesivo prateado simples.",
        "Lateral direita do cartucho",
    ),
}

BLISTER_FOIL = {
    "en": (
        "Blister foil",
        "The foil on the back of the blister repeats NORTHWIND in a regular staggered pattern and carries the "
        "embossed batch and expiry date. Fake foils have an irregular or misspelt pattern and no embossing.",
        "Back of each blister strip",
    ),
    "fr": (
        "Opercule de la plaquette",
        "L'opercule au dos de la plaquette répète NORTHWIND en quinconce régulier et porte le lot et la date de "
        "péremption en relief. Les opercules contrefaits ont un motif irrégulier ou mal orthographié et aucun relief.",
        "Dos de chaque plaquette",
    ),
    "ar": (
        "رقاقة الشريط",
        "تكرر الرقاقة الموجودة على ظهر الشريط اسم NORTHWIND بنمط متناوب منتظم، وتحمل رقم الدفعة وتاريخ انتهاء "
        "الصلاحية بشكل بارز. أما الرقائق المقلدة فنمطها غير منتظم أو فيه خطأ في التهجئة ولا تحمل أي نقش بارز.",
        "ظهر كل شريط",
    ),
    "pt": (
        "Lâmina do blíster",
        "A lâmina no verso do blíster repete NORTHWIND num padrão alternado regular e traz o lote e a validade em "
        "relevo. As lâminas falsificadas têm padrão irregular ou com erro de grafia e nenhum relevo.",
        "Verso de cada blíster",
    ),
}

CARTON_SEAL = {
    "en": (
        "Tamper-evident seal",
        "Both flaps are closed with a perforated orange seal printed SEALED and NORTHWIND that tears when opened. "
        "Counterfeit cartons use a plain sticker, or glue.",
        "Top and bottom flaps",
    ),
    "fr": (
        "Sceau d'inviolabilité",
        "Les deux rabats sont fermés par un sceau orange perforé portant SEALED et NORTHWIND, qui se déchire à "
        "l'ouverture. Les étuis contrefaits ont une simple étiquette, ou de la colle.",
        "Rabats supérieur et inférieur",
    ),
    "ar": (
        "ختم يكشف العبث",
        "يُغلق اللسانان بختم برتقالي مثقب مطبوع عليه SEALED وNORTHWIND يتمزق عند الفتح. أما العلب المقلدة فتستخدم "
        "ملصقًا بسيطًا أو غراءً.",
        "اللسانان العلوي والسفلي",
    ),
    "pt": (
        "Lacre de inviolabilidade",
        "As duas abas são fechadas por um lacre laranja perfurado com SEALED e NORTHWIND, que se rasga ao abrir. Os "
        "cartuchos falsificados usam um adesivo simples, ou cola.",
        "Abas superior e inferior",
    ),
}

BATCH_PRINT = {
    "en": (
        "Batch and expiry print",
        "Batch (LOT NW…) and expiry (EXP yyyy-mm) are printed in sharp black characters in the white box on the "
        "carton's flap. Counterfeits have blurred, smudged or crooked printing, or a sticker.",
        "End flap of the carton",
    ),
    "fr": (
        "Impression du lot et de la péremption",
        "Le lot (LOT NW…) et la péremption (EXP aaaa-mm) sont imprimés en caractères noirs nets dans le cadre blanc "
        "du rabat. Les contrefaçons ont une impression floue, baveuse ou de travers, ou une étiquette collée.",
        "Rabat d'extrémité de l'étui",
    ),
    "ar": (
        "طباعة رقم الدفعة وتاريخ الانتهاء",
        "يُطبع رقم الدفعة (LOT NW…) وتاريخ الانتهاء (EXP سنة-شهر) بحروف سوداء واضحة داخل الإطار الأبيض على لسان "
        "العلبة. أما النسخ المقلدة فطباعتها ضبابية أو ملطخة أو مائلة، أو تحمل ملصقًا.",
        "اللسان الطرفي للعلبة",
    ),
    "pt": (
        "Impressão do lote e da validade",
        "O lote (LOT NW…) e a validade (EXP aaaa-mm) são impressos em caracteres pretos nítidos no quadro branco da "
        "aba. As falsificações têm impressão borrada, manchada ou torta, ou uma etiqueta colada.",
        "Aba da extremidade do cartucho",
    ),
}

CE_MARK = {
    "en": (
        "CE mark and rating label",
        "The C and the E are drawn on two circles a clear gap apart, and the rating text is spelt correctly (Input, "
        "Output). Fakes use a look-alike mark with the letters almost touching and often have typos such as "
        "“Imput” or “Ouptut”.",
        "Rating label on the side of the charger",
    ),
    "fr": (
        "Marquage CE et plaque signalétique",
        "Le C et le E sont tracés sur deux cercles nettement espacés, et le texte des caractéristiques est "
        "correctement orthographié (Input, Output). Les contrefaçons utilisent un marquage ressemblant aux lettres "
        "presque collées et comportent souvent des fautes comme « Imput » ou « Ouptut ».",
        "Plaque signalétique sur le côté du chargeur",
    ),
    "ar": (
        "علامة CE وملصق المواصفات",
        "يُرسم الحرفان C وE على دائرتين بينهما مسافة واضحة، وتُكتب المواصفات بتهجئة صحيحة (Input وOutput). أما "
        "المنتجات المقلدة فتستخدم علامة مشابهة يكاد الحرفان فيها يتلامسان، وكثيرًا ما تحتوي على أخطاء مثل «Imput» "
        "أو «Ouptut».",
        "ملصق المواصفات على جانب الشاحن",
    ),
    "pt": (
        "Marcação CE e etiqueta de especificações",
        "O C e o E são traçados sobre dois círculos bem separados, e o texto das especificações está escrito "
        "corretamente (Input, Output). As falsificações usam uma marca parecida, com as letras quase encostadas, e "
        "muitas vezes têm erros como “Imput” ou “Ouptut”.",
        "Etiqueta de especificações na lateral do carregador",
    ),
}

VOLTIX_LOGO = {
    "en": (
        "Logo on the housing",
        "VOLTIX is printed in bold blue capitals, evenly spaced and centred on the front. Copies misspell it "
        "(VOLTLX) or print it in a thinner typeface.",
        "Front of the housing",
    ),
    "fr": (
        "Logo sur le boîtier",
        "VOLTIX est imprimé en capitales grasses bleues, régulièrement espacées, centré sur la face avant. Les "
        "copies l'écrivent mal (VOLTLX) ou dans une police plus fine.",
        "Face avant du boîtier",
    ),
    "ar": (
        "الشعار على الهيكل",
        "يُطبع اسم VOLTIX بحروف كبيرة عريضة زرقاء متساوية التباعد في منتصف الواجهة. أما النسخ المقلدة فتخطئ في "
        "تهجئته (VOLTLX) أو تطبعه بخط أرفع.",
        "واجهة الهيكل",
    ),
    "pt": (
        "Logotipo no corpo",
        "VOLTIX é impresso em maiúsculas azuis em negrito, com espaçamento regular, centralizado na frente. As "
        "cópias erram o nome (VOLTLX) ou usam uma fonte mais fina.",
        "Frente do corpo",
    ),
}

VOLTIX_HOLOGRAM = {
    "en": (
        "Holographic sticker on the box",
        "The box is sealed with a round holographic sticker with a raised V; the colours change when tilted. Fakes "
        "have a flat grey sticker.",
        "Bottom of the box",
    ),
}

VOLTIX_LABEL = {
    "en": (
        "Rating label print",
        "Input, output, model and serial number are printed sharply on the housing. On copies the print is "
        "blurred or smudged, and the serial number is often missing.",
        "Back of the housing",
    ),
}


def _only(texts: dict, *languages: str) -> dict:
    return {language: texts[language] for language in languages}


# --- The sheets -------------------------------------------------------------------------------------------------

AURELIA_MARKETS = ("FR", "DE", "IT", "CH", "GB", "MA", "BR", "US", "AE", "JP")
WATCH_MARKETS = ("CH", "FR", "DE", "IT", "GB", "MA", "BR", "US", "AE", "SG", "JP")
NORTHWIND_MARKETS = ("DE", "FR", "AT", "BE", "NL", "MA", "BR")
VOLTIX_MARKETS = ("DE", "FR", "ES", "IT", "GB", "MA", "BR")

SCARF_ROUTES = (
    RouteSpec("IT", "FR", modes="road"),
    RouteSpec("FR", "MA", ports="FRMRS, MACAS", modes="sea"),
    RouteSpec("CH", "BR", ports="CHGVA, BRGRU", modes="air"),
)

PRODUCTS = (
    # --- Aurelia: scarves and leather goods ---
    ProductSpec(
        key="AUR-SC90-RIV",
        brand="Aurelia",
        look=Look("scarf", "AURELIA", NAVY, GOLD),
        gtins=((aurelia("00101"), "Riviera blue"), (aurelia("00102"), "Sienna red")),
        hs_code="621410",
        made_in="IT",
        markets=AURELIA_MARKETS,
        price=(390, 450, "EUR"),
        small_print=("100% silk twill · 90 × 90 cm", "Printed in Italy", "Designed in Geneva"),
        texts={
            "en": (
                "Aurelia Silk Twill Scarf 90 — Riviera",
                "Square scarf in 100% silk twill, 90 × 90 cm, with hand-rolled edges and a screen-printed chain and "
                "medallion pattern. Printed in Como, Italy. Sold only in Aurelia boutiques and on aurelia.example, "
                "never by street vendors or on general marketplaces.",
                "Flat navy box with a gold AURELIA wordmark, tissue paper, and a white label with the EAN-13 "
                "barcode on the underside.",
            ),
            "fr": (
                "Carré Aurelia en twill de soie 90 — Riviera",
                "Carré 100 % twill de soie, 90 × 90 cm, roulotté main, imprimé en sérigraphie d'un motif de chaînes "
                "et de médaillons. Imprimé à Côme (Italie). Vendu uniquement dans les boutiques Aurelia et sur "
                "aurelia.example, jamais par des vendeurs ambulants ni sur les places de marché généralistes.",
                "Boîte plate bleu marine avec le logo AURELIA doré, papier de soie, et étiquette blanche avec le "
                "code-barres EAN-13 sous la boîte.",
            ),
            "ar": (
                "وشاح أوريليا من تويل الحرير 90 — ريفييرا",
                "وشاح مربع من تويل الحرير الخالص، بمقاس 90 × 90 سم، بحواف ملفوفة يدويًا ونقشة مطبوعة بالشاشة من "
                "السلاسل والميداليات. يُطبع في كومو بإيطاليا. لا يُباع إلا في متاجر أوريليا وعلى الموقع "
                "aurelia.example، ولا يُباع أبدًا لدى الباعة المتجولين أو في الأسواق الإلكترونية العامة.",
                "علبة مسطحة بلون أزرق داكن تحمل شعار AURELIA باللون الذهبي، مع ورق حريري، وملصق أبيض عليه الرمز "
                "الشريطي EAN-13 في أسفل العلبة.",
            ),
            "pt": (
                "Lenço Aurelia de sarja de seda 90 — Riviera",
                "Lenço quadrado em 100% sarja de seda, 90 × 90 cm, com bainhas enroladas à mão e estampa serigrafada "
                "de correntes e medalhões. Estampado em Como, Itália. Vendido apenas nas lojas Aurelia e em "
                "aurelia.example, nunca por vendedores ambulantes nem em marketplaces genéricos.",
                "Caixa plana azul-marinho com o logotipo AURELIA dourado, papel de seda e etiqueta branca com o "
                "código de barras EAN-13 na parte de baixo.",
            ),
        },
        clues=(
            ClueSpec(
                "logo",
                ClueKind.LABEL,
                {
                    "en": (
                        "Spelling of the woven label",
                        "The woven label reads AURELIA in a serif typeface with wide letter spacing. Counterfeits "
                        "often misspell the name (AURELLA, AURELIE) or use a plain sans-serif typeface.",
                        "Woven label sewn into a corner of the hem",
                    ),
                    "fr": (
                        "Orthographe de l'étiquette tissée",
                        "L'étiquette tissée porte AURELIA en caractères à empattements, largement espacés. Les "
                        "contrefaçons comportent souvent une faute (AURELLA, AURELIE) ou une police sans "
                        "empattements.",
                        "Étiquette tissée cousue dans un coin de l'ourlet",
                    ),
                    "ar": (
                        "تهجئة الملصق المنسوج",
                        "يحمل الملصق المنسوج اسم AURELIA بخط ذي زوائد وبتباعد واسع بين الحروف. غالبًا ما تحتوي "
                        "المنتجات المقلدة على خطأ في الاسم (AURELLA أو AURELIE) أو تستخدم خطًا بسيطًا بلا زوائد.",
                        "الملصق المنسوج المخيط في إحدى زوايا الحافة",
                    ),
                    "pt": (
                        "Grafia da etiqueta tecida",
                        "A etiqueta tecida diz AURELIA em fonte serifada, com letras bem espaçadas. As "
                        "falsificações costumam errar o nome (AURELLA, AURELIE) ou usar uma fonte sem serifa.",
                        "Etiqueta tecida costurada num canto da bainha",
                    ),
                },
            ),
            ClueSpec(
                "stitching",
                ClueKind.PRODUCT,
                {
                    "en": (
                        "Hand-rolled hem",
                        "The edge is rolled towards the printed side and sewn by hand with small, even stitches "
                        "about 5 mm apart. Machine-stitched flat hems or uneven stitching indicate a fake.",
                        "All four edges",
                    ),
                    "fr": (
                        "Ourlet roulotté main",
                        "Le bord est roulé vers l'endroit imprimé et cousu à la main à points réguliers, espacés "
                        "d'environ 5 mm. Un ourlet plat cousu à la machine ou des points irréguliers signalent une "
                        "contrefaçon.",
                        "Les quatre bords",
                    ),
                    "ar": (
                        "الحافة الملفوفة يدويًا",
                        "تُلف الحافة نحو الوجه المطبوع وتُخاط يدويًا بغرز صغيرة ومنتظمة تفصل بينها نحو 5 مم. أما "
                        "الحافة المسطحة المخيطة آليًا أو الغرز غير المنتظمة فتدل على التقليد.",
                        "الحواف الأربع",
                    ),
                    "pt": (
                        "Bainha enrolada à mão",
                        "A borda é enrolada para o lado estampado e costurada à mão com pontos pequenos e "
                        "regulares, a cerca de 5 mm uns dos outros. Bainhas planas feitas à máquina ou pontos "
                        "irregulares indicam falsificação.",
                        "As quatro bordas",
                    ),
                },
            ),
            ClueSpec(
                "colour",
                ClueKind.PRODUCT,
                {
                    "en": (
                        "Colours of the print",
                        "Genuine scarves are printed with up to 30 screens: the navy and gold are deep and "
                        "sharp-edged. Fakes are printed digitally: the colours are duller and shifted (greenish "
                        "gold, greyish navy) and the back is almost white.",
                        "Border and medallions; compare front and back",
                    ),
                    "fr": (
                        "Couleurs de l'impression",
                        "Les carrés authentiques sont imprimés avec jusqu'à 30 écrans : le bleu marine et l'or sont "
                        "profonds et nets. Les contrefaçons sont imprimées en numérique : couleurs ternes et "
                        "décalées (or verdâtre, marine grisâtre), envers presque blanc.",
                        "Bordure et médaillons ; comparer l'endroit et l'envers",
                    ),
                    "ar": (
                        "ألوان الطباعة",
                        "تُطبع الأوشحة الأصلية بما يصل إلى 30 شاشة، فيكون الأزرق الداكن والذهبي عميقين وحادّي "
                        "الحواف. أما المقلدة فتُطبع رقميًا، فتبدو الألوان باهتة ومنحرفة (ذهبي مائل إلى الأخضر، "
                        "وأزرق مائل إلى الرمادي) ويكون الوجه الخلفي شبه أبيض.",
                        "الإطار والميداليات؛ قارن بين الوجه والظهر",
                    ),
                    "pt": (
                        "Cores da estampa",
                        "Os lenços autênticos são estampados com até 30 telas: o azul-marinho e o dourado são "
                        "intensos e nítidos. As falsificações são impressas digitalmente: cores apagadas e "
                        "desviadas (dourado esverdeado, azul acinzentado) e o avesso quase branco.",
                        "Barra e medalhões; compare a frente e o avesso",
                    ),
                },
                marks=False,
            ),
        ),
        variants=(
            VariantSpec(
                date(2024, 3, 12),
                {
                    "en": (
                        "Printed-hem polyester copy",
                        "Polyester satin with the hem printed to imitate a rolled edge; the label reads AURELLA. "
                        "Sold in clear bags with a photocopied card. Seized at Le Havre and Casablanca in 2024.",
                    ),
                    "fr": (
                        "Copie en polyester à ourlet imprimé",
                        "Satin de polyester dont l'ourlet est imprimé pour imiter un roulotté ; l'étiquette indique "
                        "AURELLA. Vendu en sachets transparents avec une carte photocopiée. Saisi au Havre et à "
                        "Casablanca en 2024.",
                    ),
                    "ar": (
                        "نسخة من البوليستر بحافة مطبوعة",
                        "ساتان من البوليستر طُبعت حافته لتقليد الحافة الملفوفة، ويحمل ملصقه اسم AURELLA. يُباع في "
                        "أكياس شفافة مع بطاقة منسوخة. ضُبط في لوهافر والدار البيضاء سنة 2024.",
                    ),
                    "pt": (
                        "Cópia de poliéster com bainha impressa",
                        "Cetim de poliéster com a bainha impressa imitando um enrolado à mão; a etiqueta diz "
                        "AURELLA. Vendido em saquinhos transparentes com um cartão fotocopiado. Apreendido no Havre "
                        "e em Casablanca em 2024.",
                    ),
                },
            ),
        ),
        routes=SCARF_ROUTES,
        reviewed_days_ago=12,
    ),
    ProductSpec(
        key="AUR-ST-MONO",
        brand="Aurelia",
        look=Look("scarf", "AURELIA", (120, 118, 112), (40, 40, 44)),
        gtins=((aurelia("00111"), "Grey"),),
        hs_code="621420",
        made_in="GB",
        markets=AURELIA_MARKETS,
        price=(690, 790, "EUR"),
        small_print=("100% CASHMERE - MADE IN SCOTLAND", "LOT 24-2210 C", "DRY CLEAN ONLY"),
        texts={
            "en": (
                "Aurelia Cashmere Stole — Monogram",
                "Stole in 100% cashmere, 70 × 190 cm, jacquard-woven with the tone-on-tone A monogram and finished "
                "with hand-knotted fringes. Woven in Scotland. It weighs about 220 g: a copy in wool blend or "
                "acrylic is heavier and less soft.",
                "Grey box with a magnetic lid, the stole folded in tissue paper, and a hang tag with the article "
                "number and the barcode.",
            ),
            "fr": (
                "Étole Aurelia en cachemire — Monogramme",
                "Étole 100 % cachemire, 70 × 190 cm, tissée en jacquard avec le monogramme A ton sur ton et terminée "
                "par des franges nouées à la main. Tissée en Écosse. Elle pèse environ 220 g : une copie en laine "
                "mélangée ou en acrylique est plus lourde et moins douce.",
                "Boîte grise à fermeture aimantée, étole pliée dans du papier de soie, étiquette volante avec la "
                "référence et le code-barres.",
            ),
            "ar": (
                "شال أوريليا من الكشمير — مونوغرام",
                "شال من الكشمير الخالص، بمقاس 70 × 190 سم، منسوج بتقنية الجاكار مع حرف A بلون القماش نفسه، وينتهي "
                "بأهداب معقودة يدويًا. يُنسج في اسكتلندا. يزن نحو 220 غرامًا، أما النسخة المقلدة من مزيج الصوف أو "
                "الأكريليك فهي أثقل وأقل نعومة.",
                "علبة رمادية بغطاء مغناطيسي، والشال مطوي في ورق حريري، مع بطاقة معلقة تحمل رقم الصنف والرمز الشريطي.",
            ),
            "pt": (
                "Estola Aurelia de caxemira — Monograma",
                "Estola 100% caxemira, 70 × 190 cm, tecida em jacquard com o monograma A tom sobre tom e acabada com "
                "franjas atadas à mão. Tecida na Escócia. Pesa cerca de 220 g: uma cópia em mistura de lã ou "
                "acrílico é mais pesada e menos macia.",
                "Caixa cinza com tampa magnética, estola dobrada em papel de seda e etiqueta pendente com a "
                "referência e o código de barras.",
            ),
        },
        clues=(
            ClueSpec(
                "print",
                ClueKind.LABEL,
                {
                    "en": (
                        "Care label print",
                        "The care label is printed in sharp black characters — “100% CASHMERE – MADE IN "
                        "SCOTLAND” — with the lot number. On copies the print is blurred, smudged or faded, and "
                        "the composition often differs.",
                        "Care label sewn into the side seam",
                    ),
                    "fr": (
                        "Impression de l'étiquette d'entretien",
                        "L'étiquette d'entretien est imprimée en caractères noirs nets — « 100% CASHMERE – MADE IN "
                        "SCOTLAND » — avec le numéro de lot. Sur les copies, l'impression est floue, baveuse ou "
                        "pâle, et la composition diffère souvent.",
                        "Étiquette d'entretien cousue dans la couture latérale",
                    ),
                    "ar": (
                        "طباعة ملصق العناية",
                        "يُطبع ملصق العناية بحروف سوداء واضحة: «100% CASHMERE – MADE IN SCOTLAND» مع رقم الدفعة. "
                        "أما في النسخ المقلدة فتكون الطباعة ضبابية أو ملطخة أو باهتة، وكثيرًا ما يختلف التركيب "
                        "المذكور.",
                        "ملصق العناية المخيط في الدرز الجانبي",
                    ),
                    "pt": (
                        "Impressão da etiqueta de conservação",
                        "A etiqueta de conservação é impressa em caracteres pretos nítidos — “100% CASHMERE – MADE "
                        "IN SCOTLAND” — com o número do lote. Nas cópias, a impressão é borrada, manchada ou "
                        "desbotada, e a composição muitas vezes é outra.",
                        "Etiqueta de conservação costurada na costura lateral",
                    ),
                },
            ),
            ClueSpec(
                "logo",
                ClueKind.LABEL,
                {
                    "en": (
                        "Woven label",
                        "The woven label carries AURELIA in widely spaced serif letters. Copies misspell the name "
                        "or use a plain typeface, and their thread looks flat.",
                        "Woven label at one end, above the fringes",
                    ),
                    "fr": (
                        "Étiquette tissée",
                        "L'étiquette tissée porte AURELIA en lettres à empattements largement espacées. Les copies "
                        "comportent une faute d'orthographe ou une police simple, et leur fil paraît terne.",
                        "Étiquette tissée à une extrémité, au-dessus des franges",
                    ),
                    "ar": (
                        "الملصق المنسوج",
                        "يحمل الملصق المنسوج اسم AURELIA بحروف ذات زوائد ومتباعدة. أما النسخ المقلدة ففيها خطأ في "
                        "تهجئة الاسم أو خط بسيط، ويبدو خيطها باهتًا.",
                        "الملصق المنسوج في أحد الطرفين فوق الأهداب",
                    ),
                    "pt": (
                        "Etiqueta tecida",
                        "A etiqueta tecida traz AURELIA em letras serifadas bem espaçadas. As cópias erram o nome ou "
                        "usam uma fonte simples, e a linha parece opaca.",
                        "Etiqueta tecida numa das pontas, acima das franjas",
                    ),
                },
            ),
        ),
        photos=(PhotoView.FRONT, PhotoView.LABEL),
        reviewed_days_ago=40,
    ),
    ProductSpec(
        key="AUR-BAG-MARGAUX",
        brand="Aurelia",
        look=Look("handbag", "AURELIA", (150, 90, 45), GOLD),
        gtins=((aurelia("00201"), "Black"), (aurelia("00202"), "Tan")),
        hs_code="420221",
        made_in="FR",
        markets=AURELIA_MARKETS,
        price=(2900, 3400, "EUR"),
        small_print=("Full-grain calfskin", "Made in France", "N° 0A2417-118"),
        texts={
            "en": (
                "Aurelia Margaux Leather Handbag",
                "Structured top-handle bag in full-grain calfskin, 28 × 22 × 12 cm, saddle-stitched by hand with "
                "waxed linen thread, with a gilded brass clasp engraved AURELIA. Made in Pantin, France; each bag has "
                "an individual serial number heat-stamped inside the pocket.",
                "Sold in a cotton dust bag inside a rigid navy box, with a card bearing the serial number; barcode "
                "label on the box.",
            ),
            "fr": (
                "Sac à main Aurelia Margaux en cuir",
                "Sac structuré à poignée en veau pleine fleur, 28 × 22 × 12 cm, cousu main au point sellier avec du "
                "fil de lin ciré, fermoir en laiton doré gravé AURELIA. Fabriqué à Pantin (France) ; chaque sac "
                "porte un numéro de série individuel marqué à chaud à l'intérieur de la poche.",
                "Vendu dans une housse en coton, dans une boîte rigide bleu marine, avec une carte portant le numéro "
                "de série ; étiquette code-barres sur la boîte.",
            ),
            "ar": (
                "حقيبة يد أوريليا مارغو من الجلد",
                "حقيبة متينة الشكل بمقبض علوي من جلد العجل الطبيعي الكامل، بمقاس 28 × 22 × 12 سم، مخيطة يدويًا "
                "بغرزة السرج بخيط كتان مشمّع، ولها قفل من النحاس المذهّب محفور عليه AURELIA. تُصنع في بانتان "
                "بفرنسا، ولكل حقيبة رقم تسلسلي فريد مطبوع بالحرارة داخل الجيب.",
                "تُباع في كيس قطني داخل علبة صلبة بلون أزرق داكن، مع بطاقة تحمل الرقم التسلسلي، وملصق الرمز الشريطي "
                "على العلبة.",
            ),
            "pt": (
                "Bolsa Aurelia Margaux de couro",
                "Bolsa estruturada de alça superior em couro de bezerro plena flor, 28 × 22 × 12 cm, costurada à mão "
                "em ponto seleiro com linha de linho encerada, com fecho de latão dourado gravado AURELIA. Fabricada "
                "em Pantin, França; cada bolsa tem um número de série individual gravado a quente dentro do bolso.",
                "Vendida num saco de algodão dentro de uma caixa rígida azul-marinho, com um cartão com o número de "
                "série; etiqueta com código de barras na caixa.",
            ),
        },
        clues=(
            ClueSpec(
                "stitching",
                ClueKind.PRODUCT,
                {
                    "en": (
                        "Saddle stitching",
                        "Hand saddle stitches are slightly slanted, evenly spaced (about 3 per cm) and parallel "
                        "to the edge. Machine-stitched copies have straight, irregular stitches that wander from "
                        "the edge; loose thread ends are common.",
                        "Along the flap and the base",
                    ),
                    "fr": (
                        "Couture sellier",
                        "Les points sellier faits main sont légèrement inclinés, réguliers (environ 3 par cm) et "
                        "parallèles au bord. Les copies cousues à la machine ont des points droits, irréguliers, qui "
                        "s'écartent du bord ; des fils qui dépassent sont fréquents.",
                        "Le long du rabat et de la base",
                    ),
                    "ar": (
                        "غرزة السرج",
                        "غرز السرج اليدوية مائلة قليلًا ومنتظمة (نحو 3 غرز في كل سنتيمتر) وموازية للحافة. أما النسخ "
                        "المخيطة آليًا فغرزها مستقيمة وغير منتظمة وتبتعد عن الحافة، وكثيرًا ما تظهر فيها أطراف خيوط "
                        "متدلية.",
                        "على طول الغطاء والقاعدة",
                    ),
                    "pt": (
                        "Costura seleiro",
                        "Os pontos seleiro feitos à mão são ligeiramente inclinados, regulares (cerca de 3 por cm) "
                        "e paralelos à borda. As cópias costuradas à máquina têm pontos retos e irregulares que se "
                        "afastam da borda; pontas de linha soltas são comuns.",
                        "Ao longo da aba e da base",
                    ),
                },
            ),
            ClueSpec(
                "engraving",
                ClueKind.PRODUCT,
                {
                    "en": (
                        "Engraving on the clasp",
                        "The clasp is engraved AURELIA, deep and centred, with the reference and a serial number "
                        "that matches the card. Copies are stamped shallowly and off-centre, often with a generic "
                        "number such as 000001.",
                        "Back of the gilded clasp",
                    ),
                    "fr": (
                        "Gravure du fermoir",
                        "Le fermoir est gravé AURELIA, en profondeur et centré, avec la référence et un numéro de "
                        "série identique à celui de la carte. Les copies sont frappées peu profondément, décentrées, "
                        "souvent avec un numéro générique comme 000001.",
                        "Dos du fermoir doré",
                    ),
                    "ar": (
                        "النقش على القفل",
                        "يُحفر اسم AURELIA على القفل حفرًا عميقًا في المنتصف، مع المرجع ورقم تسلسلي مطابق لرقم "
                        "البطاقة. أما النسخ المقلدة فيكون الختم فيها سطحيًا وغير متمركز، وغالبًا برقم عام مثل "
                        "000001.",
                        "ظهر القفل المذهّب",
                    ),
                    "pt": (
                        "Gravação do fecho",
                        "O fecho é gravado AURELIA, em profundidade e centralizado, com a referência e um número de "
                        "série igual ao do cartão. As cópias têm gravação rasa e descentralizada, muitas vezes com "
                        "um número genérico como 000001.",
                        "Parte de trás do fecho dourado",
                    ),
                },
            ),
            ClueSpec(
                "logo",
                ClueKind.PRODUCT,
                {
                    "en": (
                        "Heat-stamped name",
                        "AURELIA is heat-stamped in gold on the flap, in widely spaced serif capitals. Copies print "
                        "it in ink that rubs off, or misspell it.",
                        "Front of the flap",
                    ),
                    "fr": (
                        "Marquage à chaud du nom",
                        "AURELIA est marqué à chaud à l'or sur le rabat, en capitales à empattements largement "
                        "espacées. Les copies l'impriment à l'encre, qui s'efface, ou l'écrivent mal.",
                        "Devant du rabat",
                    ),
                    "ar": (
                        "الاسم المطبوع بالحرارة",
                        "يُطبع اسم AURELIA بالحرارة باللون الذهبي على الغطاء، بحروف كبيرة ذات زوائد ومتباعدة. أما "
                        "النسخ المقلدة فتطبعه بحبر يزول بالاحتكاك أو تخطئ في تهجئته.",
                        "واجهة الغطاء",
                    ),
                    "pt": (
                        "Nome gravado a quente",
                        "AURELIA é gravado a quente em dourado na aba, em maiúsculas serifadas bem espaçadas. As "
                        "cópias imprimem o nome com tinta que sai ao esfregar, ou o escrevem errado.",
                        "Frente da aba",
                    ),
                },
            ),
        ),
        variants=(
            VariantSpec(
                date(2023, 11, 2),
                {
                    "en": (
                        "PU-leather Margaux look-alike",
                        "Polyurethane imitation with glued edges and machine stitching, a clasp without a serial "
                        "number and a dust bag in synthetic felt. Often sold online as “inspired by”.",
                    ),
                    "fr": (
                        "Imitation du Margaux en similicuir",
                        "Imitation en polyuréthane aux tranches collées et aux coutures machine, fermoir sans "
                        "numéro de série, housse en feutre synthétique. Souvent vendue en ligne comme « inspirée "
                        "de ».",
                    ),
                    "ar": (
                        "تقليد لحقيبة مارغو من الجلد الصناعي",
                        "تقليد من البولي يوريثان بحواف ملصقة وخياطة آلية، وقفل بلا رقم تسلسلي، وكيس من اللباد "
                        "الصناعي. يُباع غالبًا عبر الإنترنت بوصف «مستوحى من».",
                    ),
                    "pt": (
                        "Imitação da Margaux em couro sintético",
                        "Imitação em poliuretano com bordas coladas e costura à máquina, fecho sem número de série e "
                        "saco de feltro sintético. Muitas vezes vendida on-line como “inspirada em”.",
                    ),
                },
            ),
        ),
        routes=(
            RouteSpec("FR", "MA", ports="FRMRS, MACAS", modes="sea"),
            RouteSpec("FR", "BR", ports="FRCDG, BRGRU", modes="air"),
        ),
        reviewed_days_ago=65,
    ),
    ProductSpec(
        key="AUR-WAL-CPT",
        brand="Aurelia",
        look=Look("wallet", "AURELIA", (22, 22, 26), GOLD),
        gtins=((aurelia("00211"), "Black"),),
        hs_code="420231",
        made_in="FR",
        markets=("FR",),
        price=(480, 520, "EUR"),
        small_print=("Veau grainé", "Fabriqué en France", "Collection pilote"),
        texts={
            "fr": (
                "Portefeuille compact Aurelia",
                "Portefeuille deux volets en veau grainé noir, 11 × 9 cm, six fentes pour cartes, AURELIA marqué à "
                "l'or à l'intérieur. Fabriqué en France. Vendu uniquement dans les boutiques françaises (collection "
                "pilote) : un exemplaire trouvé hors de France mérite une vérification.",
                "Boîte noire avec le logo doré, housse en coton ; étiquette code-barres sous la boîte.",
            ),
        },
        clues=(
            ClueSpec(
                "stitching",
                ClueKind.PRODUCT,
                {
                    "fr": (
                        "Coutures du pourtour",
                        "Points réguliers, environ 3 par cm, à 3 mm du bord, fil noir ciré. Les copies ont des "
                        "points irréguliers, plus longs, et des tranches non peintes.",
                        "Pourtour du portefeuille",
                    ),
                },
            ),
            ClueSpec(
                "logo",
                ClueKind.PRODUCT,
                {
                    "fr": (
                        "Marquage AURELIA",
                        "AURELIA est marqué à chaud à l'or, lettres à empattements largement espacées. Les copies "
                        "l'écrivent mal ou l'impriment à l'encre.",
                        "Intérieur, sous les fentes pour cartes",
                    ),
                },
            ),
        ),
        photos=(PhotoView.FRONT, PhotoView.PACKAGING),
        visible_countries=("FR",),
        reviewed_days_ago=30,
    ),
    ProductSpec(
        key="AUR-BELT-REV30",
        brand="Aurelia",
        look=Look("belt", "AURELIA", (60, 35, 20), SILVER),
        gtins=((aurelia("00221"), "90 cm"), (aurelia("00222"), "100 cm")),
        hs_code="420330",
        made_in="IT",
        markets=AURELIA_MARKETS,
        price=(540, 590, "EUR"),
        texts={
            "en": (
                "Aurelia Reversible Leather Belt",
                "Reversible belt, black smooth calfskin on one side and brown grained calfskin on the other, 30 mm "
                "wide, palladium-finished buckle engraved AURELIA that turns to switch sides. Made in Italy.",
                "Long flat box with the belt rolled around a card insert; barcode on the end of the box.",
            ),
        },
        clues=(
            ClueSpec(
                "engraving",
                ClueKind.PRODUCT,
                {
                    "en": (
                        "Buckle engraving",
                        "AURELIA is engraved deep and centred on the back of the buckle with the reference. Copies "
                        "are shallow, off-centre and blurred.",
                        "Back of the buckle",
                    ),
                },
            ),
            ClueSpec(
                "stitching",
                ClueKind.PRODUCT,
                {
                    "en": (
                        "Edge stitching",
                        "Two rows of even stitches, parallel to the edges. Copies wander and change spacing.",
                        "Both edges of the strap",
                    ),
                },
            ),
        ),
        photos=(PhotoView.FRONT, PhotoView.PACKAGING),
        status=ProductStatus.DRAFT,
    ),
    ProductSpec(
        key="AUR-SNK-COURT",
        brand="Aurelia",
        look=Look("sneaker", "AURELIA", (244, 244, 240), NAVY),
        gtins=((aurelia("00301"), "EU 40"), (aurelia("00302"), "EU 42"), (aurelia("00303"), "EU 44")),
        hs_code="640399",
        made_in="PT",
        markets=AURELIA_MARKETS,
        price=(620, 690, "EUR"),
        small_print=("Upper: nappa leather", "Sole: natural rubber", "Made in Portugal"),
        texts={
            "en": (
                "Aurelia Court Sneaker",
                "Low-top sneaker in white nappa leather with a navy suede heel tab and a gold foil AURELIA on the "
                "side; stitched cupsole in natural rubber. Made in Portugal, sizes EU 36–46.",
                "White box with a navy lid, two dust bags and spare laces; a size label with the barcode on the short "
                "side of the box.",
            ),
            "fr": (
                "Basket Aurelia Court",
                "Basket basse en cuir nappa blanc, languette de talon en daim bleu marine et AURELIA en dorure sur le "
                "côté ; semelle cousue en caoutchouc naturel. Fabriquée au Portugal, pointures 36 à 46.",
                "Boîte blanche au couvercle bleu marine, deux housses, lacets de rechange ; étiquette de pointure "
                "avec le code-barres sur le petit côté de la boîte.",
            ),
            "ar": (
                "حذاء أوريليا كورت الرياضي",
                "حذاء رياضي منخفض من جلد النابا الأبيض، مع لسان خلفي من الشمواه الأزرق الداكن واسم AURELIA مطبوع "
                "بالرقائق الذهبية على الجانب، ونعل مخيط من المطاط الطبيعي. يُصنع في البرتغال، بمقاسات من 36 إلى 46.",
                "علبة بيضاء بغطاء أزرق داكن، مع كيسين للحفظ وأربطة احتياطية، وملصق المقاس مع الرمز الشريطي على "
                "الجانب القصير للعلبة.",
            ),
            "pt": (
                "Tênis Aurelia Court",
                "Tênis de cano baixo em couro napa branco, com aplicação de camurça azul-marinho no calcanhar e "
                "AURELIA em dourado na lateral; solado costurado de borracha natural. Fabricado em Portugal, tamanhos "
                "36 a 46 (EU).",
                "Caixa branca com tampa azul-marinho, dois saquinhos e cadarços extras; etiqueta de tamanho com o "
                "código de barras no lado menor da caixa.",
            ),
        },
        clues=(
            ClueSpec(
                "stitching",
                ClueKind.PRODUCT,
                {
                    "en": (
                        "Cupsole stitching",
                        "The sole is stitched to the upper all round with even, tight stitches in white thread. "
                        "Copies have a glued sole, or uneven stitches in off-white thread.",
                        "Around the sole, above the rubber",
                    ),
                    "fr": (
                        "Couture de la semelle",
                        "La semelle est cousue à la tige sur tout le tour, à points réguliers et serrés en fil "
                        "blanc. Les copies ont une semelle collée, ou des points irréguliers en fil blanc cassé.",
                        "Tout autour de la semelle, au-dessus du caoutchouc",
                    ),
                    "ar": (
                        "خياطة النعل",
                        "يُخاط النعل بالجزء العلوي من الحذاء على طول محيطه بغرز منتظمة ومشدودة بخيط أبيض. أما "
                        "النسخ المقلدة فنعلها ملصق بالغراء، أو غرزها غير منتظمة بخيط مائل إلى الصفرة.",
                        "حول النعل فوق المطاط",
                    ),
                    "pt": (
                        "Costura do solado",
                        "O solado é costurado ao cabedal em toda a volta, com pontos regulares e firmes em linha "
                        "branca. As cópias têm o solado colado ou pontos irregulares em linha off-white.",
                        "Em volta do solado, acima da borracha",
                    ),
                },
            ),
            ClueSpec(
                "print",
                ClueKind.LABEL,
                {
                    "en": (
                        "Size label inside the tongue",
                        "The label inside the tongue is printed crisply with the size, the article number and "
                        "“Made in Portugal”. On copies it is blurred and often says “Made in Italy” or has no "
                        "article number.",
                        "Inside of the tongue",
                    ),
                    "fr": (
                        "Étiquette de pointure dans la languette",
                        "L'étiquette à l'intérieur de la languette est imprimée nettement avec la pointure, la "
                        "référence et « Made in Portugal ». Sur les copies, elle est floue et indique souvent "
                        "« Made in Italy » ou aucune référence.",
                        "Intérieur de la languette",
                    ),
                    "ar": (
                        "ملصق المقاس داخل اللسان",
                        "يُطبع الملصق الموجود داخل اللسان بوضوح، ويحمل المقاس ورقم الصنف وعبارة «Made in "
                        "Portugal». أما في النسخ المقلدة فيكون ضبابيًا، وكثيرًا ما يحمل عبارة «Made in Italy» أو لا "
                        "يحمل رقم صنف.",
                        "داخل لسان الحذاء",
                    ),
                    "pt": (
                        "Etiqueta de tamanho na lingueta",
                        "A etiqueta dentro da lingueta é impressa com nitidez, com o tamanho, a referência e “Made "
                        "in Portugal”. Nas cópias, é borrada e muitas vezes diz “Made in Italy” ou não tem "
                        "referência.",
                        "Parte interna da lingueta",
                    ),
                },
            ),
            ClueSpec(
                "logo",
                ClueKind.PRODUCT,
                {
                    "en": (
                        "Gold foil name on the side",
                        "AURELIA is foil-stamped in gold, letters widely spaced. Copies misspell it or use a yellow "
                        "print.",
                        "Outer side, above the sole",
                    ),
                    "fr": (
                        "Nom doré sur le côté",
                        "AURELIA est marqué en dorure à chaud, lettres largement espacées. Les copies l'écrivent mal "
                        "ou utilisent une impression jaune.",
                        "Côté extérieur, au-dessus de la semelle",
                    ),
                    "ar": (
                        "الاسم الذهبي على الجانب",
                        "يُطبع اسم AURELIA بالرقائق الذهبية بحروف متباعدة. أما النسخ المقلدة فتخطئ في تهجئته أو "
                        "تستخدم طباعة صفراء.",
                        "الجانب الخارجي فوق النعل",
                    ),
                    "pt": (
                        "Nome dourado na lateral",
                        "AURELIA é aplicado em hot stamping dourado, com letras bem espaçadas. As cópias erram o "
                        "nome ou usam impressão amarela.",
                        "Lateral externa, acima do solado",
                    ),
                },
                marks=False,
            ),
        ),
        reviewed_days_ago=95,
    ),
    ProductSpec(
        key="AUR-SC70-ARCH19",
        brand="Aurelia",
        look=Look("scarf", "AURELIA", (140, 30, 40), GOLD),
        gtins=((aurelia("00121"), "Bordeaux"),),
        hs_code="621410",
        made_in="IT",
        markets=AURELIA_MARKETS,
        price=(290, 320, "EUR"),
        texts={
            "en": (
                "Aurelia Silk Scarf 70 — Archive 2019",
                "Discontinued 70 × 70 cm silk twill scarf from the 2019 collection. Kept for reference: genuine stock "
                "may still circulate second-hand, but no new stock has shipped since 2020.",
                "Small flat navy box.",
            ),
        },
        clues=(
            ClueSpec(
                "logo",
                ClueKind.LABEL,
                {
                    "en": (
                        "Woven label",
                        "AURELIA in widely spaced serif letters. Copies misspell it.",
                        "Corner of the hem",
                    ),
                },
            ),
            ClueSpec(
                "colour",
                ClueKind.PRODUCT,
                {
                    "en": (
                        "Bordeaux and gold",
                        "Deep bordeaux with a bright gold border. Copies are brownish and dull.",
                        "Border",
                    ),
                },
            ),
        ),
        photos=(PhotoView.FRONT, PhotoView.PACKAGING),
        status=ProductStatus.ARCHIVED,
        reviewed_months_ago=8,
    ),
    # --- Aurelia Horlogerie: watches ---
    ProductSpec(
        key="AH-2046-38",
        brand="Aurelia Horlogerie",
        look=Look("watch", "AURELIA", (20, 34, 74), SILVER, "AUTOMATIC"),
        gtins=((aurelia("01001"), "Steel, blue dial"),),
        model="2046.38.BL",
        hs_code="910221",
        made_in="CH",
        markets=WATCH_MARKETS,
        price=(4200, 4600, "CHF"),
        small_print=("Ref. 2046 · Automatic", "Swiss made", "Water-resistant 100 m"),
        texts={
            "en": (
                "Aurelia Horlogerie Céleste Automatic 38 mm",
                "Automatic wristwatch, 38 mm steel case, midnight-blue sunray dial with applied indices and a date "
                "window at 3 o'clock, sapphire crystal, water-resistant to 100 m. Swiss made; the caseback is "
                "engraved with the reference 2046 and an individual serial number.",
                "Navy leather presentation box, warranty card with a holographic seal and the serial number, "
                "instruction booklet; the barcode is on the outer sleeve.",
            ),
            "fr": (
                "Aurelia Horlogerie Céleste Automatique 38 mm",
                "Montre automatique, boîtier acier de 38 mm, cadran bleu nuit soleillé à index appliqués et guichet "
                "de date à 3 h, verre saphir, étanche à 100 m. Swiss made ; le fond est gravé de la référence 2046 "
                "et d'un numéro de série individuel.",
                "Écrin en cuir bleu marine, carte de garantie avec sceau holographique et numéro de série, mode "
                "d'emploi ; le code-barres figure sur le fourreau extérieur.",
            ),
            "ar": (
                "ساعة أوريليا أورلوجري سيليست أوتوماتيك 38 مم",
                "ساعة يد أوتوماتيكية بعلبة من الفولاذ قطرها 38 مم، وميناء أزرق ليلي بلمسة شمسية ومؤشرات مثبتة "
                "ونافذة للتاريخ عند الساعة 3، وزجاج من الياقوت، ومقاومة للماء حتى عمق 100 م. صُنعت في سويسرا، "
                "ويحمل غطاؤها الخلفي نقش المرجع 2046 ورقمًا تسلسليًا فريدًا.",
                "علبة عرض من الجلد الأزرق الداكن، وبطاقة ضمان عليها ختم هولوغرافي والرقم التسلسلي، وكتيب تعليمات؛ "
                "ويوجد الرمز الشريطي على الغلاف الخارجي.",
            ),
            "pt": (
                "Aurelia Horlogerie Céleste Automático 38 mm",
                "Relógio de pulso automático, caixa de aço de 38 mm, mostrador azul-noite acetinado com índices "
                "aplicados e janela de data às 3 horas, cristal de safira, resistente à água até 100 m. Swiss made; o "
                "fundo da caixa é gravado com a referência 2046 e um número de série individual.",
                "Estojo de couro azul-marinho, cartão de garantia com selo holográfico e número de série, manual de "
                "instruções; o código de barras fica na luva externa.",
            ),
        },
        clues=(
            ClueSpec("dial", ClueKind.PRODUCT, DIAL),
            ClueSpec("engraving", ClueKind.PRODUCT, CASEBACK),
            ClueSpec("hologram", ClueKind.DOCUMENTS, WARRANTY_HOLOGRAM),
        ),
        variants=(
            VariantSpec(
                date(2024, 9, 18),
                {
                    "en": (
                        "Quartz copy with an “Automatic” dial",
                        "Quartz movement (the seconds hand jumps every second; on a genuine automatic it sweeps), "
                        "mineral glass, caseback numbered 000001. Seized in express-courier parcels.",
                    ),
                    "fr": (
                        "Copie à quartz avec cadran « Automatic »",
                        "Mouvement à quartz (la trotteuse saute chaque seconde ; celle d'une vraie automatique "
                        "glisse), verre minéral, fond numéroté 000001. Saisie dans des colis de fret express.",
                    ),
                    "ar": (
                        "نسخة بحركة كوارتز على مينائها كلمة «Automatic»",
                        "حركة كوارتز (يقفز عقرب الثواني كل ثانية، بينما ينساب في الساعة الأوتوماتيكية الأصلية)، "
                        "وزجاج معدني، وغطاء خلفي مرقم 000001. ضُبطت في طرود البريد السريع.",
                    ),
                    "pt": (
                        "Cópia de quartzo com mostrador “Automatic”",
                        "Movimento de quartzo (o ponteiro dos segundos salta a cada segundo; num automático autêntico "
                        "ele desliza), vidro mineral, fundo numerado 000001. Apreendida em remessas expressas.",
                    ),
                },
            ),
        ),
        routes=(
            RouteSpec("CH", "FR", modes="road"),
            RouteSpec("CH", "MA", ports="CHGVA, MACMN", modes="air"),
            RouteSpec("CH", "BR", ports="CHZRH, BRGRU", modes="air,courier"),
        ),
        reviewed_days_ago=7,
    ),
    ProductSpec(
        key="AH-2032-Q",
        brand="Aurelia Horlogerie",
        look=Look("watch", "AURELIA", (238, 232, 218), GOLD, "QUARTZ"),
        gtins=((aurelia("01011"), "Steel and gold, ivory dial"),),
        model="2032.32.IV",
        hs_code="910211",
        made_in="CH",
        markets=WATCH_MARKETS,
        price=(1900, 2200, "CHF"),
        small_print=("Ref. 2032 · Quartz", "Swiss made", "Water-resistant 50 m"),
        texts={
            "en": (
                "Aurelia Horlogerie Céleste Quartz 32 mm",
                "Quartz wristwatch, 32 mm steel and gold-plated case, ivory dial with gold indices and a date at 3 "
                "o'clock, sapphire crystal, water-resistant to 50 m. Swiss made.",
                "Ivory box, warranty card with a holographic seal; barcode on the outer sleeve.",
            ),
        },
        clues=(
            ClueSpec("dial", ClueKind.PRODUCT, _only(DIAL, "en")),
            ClueSpec("hologram", ClueKind.DOCUMENTS, _only(WARRANTY_HOLOGRAM, "en")),
        ),
        photos=(PhotoView.FRONT, PhotoView.PACKAGING),
        reviewed_months_ago=14,  # stale: the review reminder and the officers' data-age warning show
        reviewed_days_ago=0,
    ),
    ProductSpec(
        key="AH-3042-CHR",
        brand="Aurelia Horlogerie",
        look=Look("watch", "AURELIA", (24, 24, 28), SILVER, "CHRONOGRAPHE"),
        gtins=((aurelia("01021"), "Acier, cadran noir"),),
        model="3042.42.NO",
        hs_code="910221",
        made_in="CH",
        markets=WATCH_MARKETS,
        price=(6800, 7300, "CHF"),
        small_print=("Réf. 3042 · Chronographe", "Swiss made", "Étanche 100 m"),
        texts={
            "fr": (
                "Aurelia Horlogerie Régate Chronographe 42 mm",
                "Chronographe automatique, boîtier acier de 42 mm, cadran noir à deux compteurs, lunette "
                "tachymétrique, verre saphir, étanche à 100 m. Swiss made ; numéro de série individuel gravé sur le "
                "fond.",
                "Écrin noir, carte de garantie avec sceau holographique ; code-barres sur le fourreau.",
            ),
            "en": (
                "Aurelia Horlogerie Régate Chronograph 42 mm",
                "Automatic chronograph, 42 mm steel case, black dial with two sub-dials, tachymeter bezel, sapphire "
                "crystal, water-resistant to 100 m. Swiss made; individual serial number engraved on the caseback.",
                "Black presentation box, warranty card with a holographic seal; barcode on the outer sleeve.",
            ),
        },
        clues=(
            ClueSpec("dial", ClueKind.PRODUCT, _only(DIAL, "fr", "en")),
            ClueSpec("engraving", ClueKind.PRODUCT, _only(CASEBACK, "fr", "en")),
        ),
        reviewed_days_ago=150,
    ),
    ProductSpec(
        key="AH-STRAP-20",
        brand="Aurelia Horlogerie",
        look=Look("strap", "AURELIA", (92, 52, 30), SILVER),
        gtins=((aurelia("01101"), "Brown"), (aurelia("01102"), "Black")),
        hs_code="911390",
        made_in="CH",
        markets=WATCH_MARKETS,
        price=(280, 320, "CHF"),
        texts={
            "en": (
                "Aurelia Horlogerie Calfskin Watch Strap 20 mm",
                "Replacement strap in alligator-grain calfskin for 20 mm lugs, hand-stitched edges, steel pin buckle "
                "engraved AURELIA. Swiss made.",
                "Small navy envelope box; barcode on the back.",
            ),
        },
        clues=(
            ClueSpec(
                "stitching",
                ClueKind.PRODUCT,
                {
                    "en": (
                        "Hand-stitched edges",
                        "Even stitches set 2 mm from the edge on both sides. Copies are glued or machine-stitched "
                        "unevenly.",
                        "Both edges of each half",
                    ),
                },
            ),
            ClueSpec(
                "engraving",
                ClueKind.PRODUCT,
                {
                    "en": (
                        "Buckle engraving",
                        "AURELIA engraved deep and centred on the buckle. Copies are shallow and off-centre.",
                        "Front of the buckle",
                    ),
                },
            ),
        ),
        photos=(PhotoView.FRONT, PhotoView.PACKAGING),
        reviewed_days_ago=200,
    ),
    ProductSpec(
        key="AH-2046-36-OR",
        brand="Aurelia Horlogerie",
        look=Look("watch", "AURELIA", (226, 206, 160), GOLD, "AUTOMATIC"),
        gtins=((aurelia("01031"), "18k yellow gold, champagne dial"),),
        model="2046.36.OR",
        hs_code="910121",
        made_in="CH",
        markets=WATCH_MARKETS,
        price=(14500, 16500, "CHF"),
        texts={
            "en": (
                "Aurelia Horlogerie Céleste 36 mm, 18k gold",
                "Automatic wristwatch, 36 mm case in 18k yellow gold with the Swiss hallmark, champagne dial, "
                "alligator strap. Swiss made; sold only with a certificate of origin.",
                "Burgundy lacquered box, certificate of origin, warranty card with a holographic seal.",
            ),
        },
        clues=(
            ClueSpec("dial", ClueKind.PRODUCT, _only(DIAL, "en")),
            ClueSpec("engraving", ClueKind.PRODUCT, _only(CASEBACK, "en")),
            ClueSpec("hologram", ClueKind.DOCUMENTS, _only(WARRANTY_HOLOGRAM, "en"), marks=False),
        ),
        reviewed_days_ago=45,
    ),
    # --- Maison Verre: perfumes and candles (written in French) ---
    ProductSpec(
        key="MV-AMB-EDP",
        brand="Maison Verre",
        look=Look("perfume", "MAISON VERRE", (200, 120, 40), GOLD, "Ambre Nocturne"),
        gtins=((aurelia("02001"), "100 ml"), (aurelia("02002"), "50 ml")),
        hs_code="330300",
        made_in="FR",
        markets=("FR", "DE", "IT", "CH", "GB", "MA", "BR", "AE", "SA"),
        price=(185, 240, "EUR"),
        small_print=("Eau de parfum · 100 ml", "Fabriqué à Grasse", "LOT MV24-0917"),
        texts={
            "fr": (
                "Maison Verre — Ambre Nocturne, eau de parfum",
                "Eau de parfum ambrée (ambre, vanille de Madagascar, bois de santal) dans un flacon en verre épais "
                "teinté ambre, bouchon en zamak doré de 180 g. Fabriqué à Grasse (France). Le numéro de lot est "
                "gravé au laser sous le flacon et répété sur l'étui.",
                "Étui en carton ivoire sous cellophane, fermé par un sceau de garantie perforé ; code-barres et "
                "numéro de lot au dos de l'étui.",
            ),
            "en": (
                "Maison Verre — Ambre Nocturne, eau de parfum",
                "Amber eau de parfum (amber, Madagascar vanilla, sandalwood) in a heavy amber-tinted glass bottle "
                "with a 180 g gilded zamak cap. Made in Grasse, France. The batch number is laser-etched under the "
                "bottle and repeated on the box.",
                "Ivory carton box in cellophane, closed with a perforated guarantee seal; barcode and batch number "
                "on the back of the box.",
            ),
            "ar": (
                "ميزون فير — أمبر نوكتورن، ماء عطر",
                "ماء عطر بنفحات العنبر (العنبر وفانيليا مدغشقر وخشب الصندل) في قارورة من الزجاج السميك بلون عنبري، "
                "مع غطاء من سبيكة الزاماك المذهّبة يزن 180 غرامًا. يُصنع في غراس بفرنسا. يُنقش رقم الدفعة بالليزر "
                "أسفل القارورة ويتكرر على العلبة.",
                "علبة من الورق المقوى بلون عاجي مغلفة بالسيلوفان ومغلقة بختم ضمان مثقب؛ ويوجد الرمز الشريطي ورقم "
                "الدفعة على ظهر العلبة.",
            ),
            "pt": (
                "Maison Verre — Ambre Nocturne, eau de parfum",
                "Eau de parfum ambarado (âmbar, baunilha de Madagascar, sândalo) em frasco de vidro espesso cor de "
                "âmbar, com tampa de zamak dourado de 180 g. Fabricado em Grasse, França. O número do lote é gravado "
                "a laser sob o frasco e repetido no cartucho.",
                "Cartucho de papel-cartão marfim envolto em celofane, fechado com um selo de garantia perfurado; "
                "código de barras e número do lote no verso do cartucho.",
            ),
        },
        clues=(
            ClueSpec(
                "print",
                ClueKind.LABEL,
                {
                    "fr": (
                        "Numéro de lot gravé",
                        "Le numéro de lot est gravé au laser sous le flacon, net et régulier, et identique à celui "
                        "imprimé sur l'étui. Sur les contrefaçons, il est imprimé à l'encre (il s'efface au doigt), "
                        "flou, ou différent de celui de l'étui.",
                        "Dessous du flacon et dos de l'étui",
                    ),
                    "en": (
                        "Etched batch number",
                        "The batch number is laser-etched under the bottle, sharp and even, and identical to the "
                        "one printed on the box. On fakes it is printed in ink (it rubs off), blurred, or different "
                        "from the box.",
                        "Under the bottle and on the back of the box",
                    ),
                    "ar": (
                        "رقم الدفعة المنقوش",
                        "يُنقش رقم الدفعة بالليزر أسفل القارورة بوضوح وانتظام، ويطابق الرقم المطبوع على العلبة. أما "
                        "في المنتجات المقلدة فيُطبع بالحبر (فيزول بالإصبع) أو يكون ضبابيًا أو مختلفًا عن رقم العلبة.",
                        "أسفل القارورة وظهر العلبة",
                    ),
                    "pt": (
                        "Número de lote gravado",
                        "O número do lote é gravado a laser sob o frasco, nítido e regular, e é idêntico ao impresso "
                        "no cartucho. Nas falsificações, é impresso a tinta (sai ao passar o dedo), borrado ou "
                        "diferente do cartucho.",
                        "Fundo do frasco e verso do cartucho",
                    ),
                },
            ),
            ClueSpec(
                "seal",
                ClueKind.PACKAGING,
                {
                    "fr": (
                        "Sceau de garantie de l'étui",
                        "L'étui est fermé par un sceau doré perforé portant SEALED et MAISON VERRE. Les contrefaçons "
                        "ont une simple étiquette pâle sans perforations, ou pas de sceau.",
                        "Rabat supérieur de l'étui",
                    ),
                    "en": (
                        "Guarantee seal on the box",
                        "The box is closed with a perforated gold seal reading SEALED and MAISON VERRE. Fakes have a "
                        "plain pale sticker without perforations, or no seal.",
                        "Top flap of the box",
                    ),
                    "ar": (
                        "ختم الضمان على العلبة",
                        "تُغلق العلبة بختم ذهبي مثقب يحمل عبارة SEALED واسم MAISON VERRE. أما المنتجات المقلدة "
                        "فتحمل ملصقًا باهتًا بسيطًا بلا ثقوب أو لا تحمل ختمًا.",
                        "اللسان العلوي للعلبة",
                    ),
                    "pt": (
                        "Selo de garantia do cartucho",
                        "O cartucho é fechado por um selo dourado perfurado com SEALED e MAISON VERRE. As "
                        "falsificações têm uma etiqueta simples e pálida, sem perfurações, ou nenhum selo.",
                        "Aba superior do cartucho",
                    ),
                },
            ),
            ClueSpec(
                "logo",
                ClueKind.LABEL,
                {
                    "fr": (
                        "Nom sur l'étiquette du flacon",
                        "MAISON VERRE est imprimé en capitales à empattements, largement espacées, sur une étiquette "
                        "ivoire. Les copies comportent souvent une faute (MAISON VERPE) ou une police sans "
                        "empattements.",
                        "Étiquette sur la face avant du flacon",
                    ),
                    "en": (
                        "Name on the bottle's label",
                        "MAISON VERRE is printed in widely spaced serif capitals on an ivory label. Copies often "
                        "misspell it (MAISON VERPE) or use a sans-serif typeface.",
                        "Label on the front of the bottle",
                    ),
                    "ar": (
                        "الاسم على ملصق القارورة",
                        "يُطبع اسم MAISON VERRE بحروف كبيرة ذات زوائد ومتباعدة على ملصق عاجي اللون. وكثيرًا ما "
                        "تحتوي النسخ المقلدة على خطأ في التهجئة (MAISON VERPE) أو تستخدم خطًا بلا زوائد.",
                        "الملصق على واجهة القارورة",
                    ),
                    "pt": (
                        "Nome no rótulo do frasco",
                        "MAISON VERRE é impresso em maiúsculas serifadas bem espaçadas num rótulo marfim. As cópias "
                        "muitas vezes erram o nome (MAISON VERPE) ou usam uma fonte sem serifa.",
                        "Rótulo na frente do frasco",
                    ),
                },
            ),
        ),
        variants=(
            VariantSpec(
                date(2025, 1, 20),
                {
                    "fr": (
                        "Flacon léger à lot imprimé",
                        "Verre fin, bouchon en plastique doré de 40 g, lot imprimé à l'encre qui s'efface au doigt ; "
                        "odeur alcoolisée. Saisi dans des colis postaux.",
                    ),
                    "en": (
                        "Light bottle with a printed batch",
                        "Thin glass, 40 g gold-coloured plastic cap, batch printed in ink that rubs off; smells of "
                        "alcohol. Seized in postal parcels.",
                    ),
                    "ar": (
                        "قارورة خفيفة برقم دفعة مطبوع",
                        "زجاج رقيق وغطاء بلاستيكي ذهبي اللون يزن 40 غرامًا، ورقم دفعة مطبوع بحبر يزول بالإصبع، "
                        "ورائحة كحولية. ضُبطت في طرود بريدية.",
                    ),
                    "pt": (
                        "Frasco leve com lote impresso",
                        "Vidro fino, tampa de plástico dourado de 40 g, lote impresso a tinta que sai ao passar o "
                        "dedo; cheiro de álcool. Apreendido em encomendas postais.",
                    ),
                },
            ),
        ),
        routes=(RouteSpec("FR", "MA", ports="FRMRS, MACAS", modes="sea"), RouteSpec("FR", "BR", modes="air")),
        reviewed_days_ago=25,
    ),
    ProductSpec(
        key="MV-FDS-EDT",
        brand="Maison Verre",
        look=Look("perfume", "MAISON VERRE", (120, 170, 200), GOLD, "Fleur de Sel"),
        gtins=((aurelia("02011"), "50 ml"),),
        hs_code="330300",
        made_in="FR",
        markets=("FR", "DE", "IT", "CH", "GB", "MA", "BR"),
        price=(95, 120, "EUR"),
        small_print=("Eau de toilette · 50 ml", "Fabriqué à Grasse", "LOT MV24-1102"),
        texts={
            "fr": (
                "Maison Verre — Fleur de Sel, eau de toilette",
                "Eau de toilette marine et boisée dans un flacon en verre bleu pâle, bouchon doré. Fabriquée à "
                "Grasse (France). Lot gravé au laser sous le flacon.",
                "Étui bleu pâle sous cellophane, code-barres au dos.",
            ),
            "en": (
                "Maison Verre — Fleur de Sel, eau de toilette",
                "Marine and woody eau de toilette in a pale blue glass bottle with a gilded cap. Made in Grasse, "
                "France. Batch number laser-etched under the bottle.",
                "Pale blue box in cellophane, barcode on the back.",
            ),
        },
        clues=(
            ClueSpec(
                "print",
                ClueKind.LABEL,
                {
                    "fr": ("Lot gravé", "Gravé au laser, net. Les copies l'impriment à l'encre.", "Sous le flacon"),
                    "en": ("Etched batch", "Laser-etched and sharp. Copies print it in ink.", "Under the bottle"),
                },
            ),
            ClueSpec(
                "logo",
                ClueKind.LABEL,
                {
                    "fr": ("Nom sur l'étiquette", "MAISON VERRE, sans faute, lettres espacées.", "Face avant"),
                    "en": ("Name on the label", "MAISON VERRE, correctly spelt, letters spaced.", "Front"),
                },
            ),
        ),
        reviewed_days_ago=110,
    ),
    ProductSpec(
        key="MV-BOUG-FIG",
        brand="Maison Verre",
        look=Look("candle", "MAISON VERRE", (90, 120, 70), GOLD, "Figuier"),
        gtins=((aurelia("02101"), "220 g"),),
        hs_code="340600",
        made_in="FR",
        markets=("FR", "DE", "GB", "MA", "BR"),
        price=(68, 75, "EUR"),
        texts={  # translated into French only: Moroccan and Brazilian officers read it in English, with a marker
            "en": (
                "Maison Verre Figuier Scented Candle 220 g",
                "Scented candle (fig leaf, cedar) in vegetable wax, in a thick green glass tumbler; burns about 50 "
                "hours. Poured in France.",
                "Green box with gold lettering; barcode and safety pictograms on the bottom.",
            ),
            "fr": (
                "Bougie parfumée Maison Verre Figuier 220 g",
                "Bougie parfumée (feuille de figuier, cèdre) en cire végétale, dans un verre épais vert ; environ 50 "
                "heures de combustion. Coulée en France.",
                "Boîte verte à lettres dorées ; code-barres et pictogrammes de sécurité dessous.",
            ),
        },
        clues=(
            ClueSpec(
                "logo",
                ClueKind.LABEL,
                {
                    "en": (
                        "Name on the label",
                        "MAISON VERRE in widely spaced serif capitals. Copies misspell it.",
                        "Label on the glass",
                    ),
                    "fr": (
                        "Nom sur l'étiquette",
                        "MAISON VERRE en capitales à empattements largement espacées. Les copies l'écrivent mal.",
                        "Étiquette sur le verre",
                    ),
                },
            ),
            ClueSpec(
                "print",
                ClueKind.LABEL,
                {
                    "en": (
                        "Safety label",
                        "Sharp pictograms and batch number under the glass. Copies are blurred.",
                        "Under the glass",
                    ),
                    "fr": (
                        "Étiquette de sécurité",
                        "Pictogrammes et numéro de lot nets sous le verre. Les copies sont floues.",
                        "Sous le verre",
                    ),
                },
            ),
        ),
        photos=(PhotoView.FRONT, PhotoView.PACKAGING),
        reviewed_days_ago=55,
    ),
    ProductSpec(
        key="MV-LAIT-AMB",
        brand="Maison Verre",
        look=Look("lotion", "MAISON VERRE", (200, 120, 40), GOLD, "Ambre Nocturne"),
        gtins=((aurelia("02021"), "200 ml"),),
        hs_code="330499",
        made_in="FR",
        markets=("FR", "BE", "CH", "MA"),
        price=(58, 65, "EUR"),
        texts={
            "fr": (
                "Maison Verre — Lait pour le corps Ambre Nocturne",
                "Lait pour le corps parfumé à l'Ambre Nocturne, flacon pompe de 200 ml. Fabriqué en France.",
                "Étui ivoire, code-barres au dos.",
            ),
        },
        clues=(
            ClueSpec(
                "logo",
                ClueKind.LABEL,
                {"fr": ("Nom sur le flacon", "MAISON VERRE sans faute. Les copies l'écrivent mal.", "Face avant")},
            ),
            ClueSpec(
                "print",
                ClueKind.LABEL,
                {"fr": ("Lot imprimé", "Impression nette du lot. Les copies sont floues.", "Dos du flacon")},
            ),
        ),
        photos=(PhotoView.FRONT, PhotoView.PACKAGING),
        reviewed_days_ago=80,
    ),
    # --- Northwind: medicines ---
    ProductSpec(
        key="NW-AMX-500-21",
        brand="Northwind",
        look=Look("carton", "NORTHWIND", (0, 110, 120), (240, 160, 0), "Amoxicillin|500 mg · 21 capsules"),
        gtins=((northwind("00101"), "21 capsules"),),
        hs_code="300410",
        made_in="DE",
        markets=NORTHWIND_MARKETS,
        price=(8.5, 12.9, "EUR"),
        small_print=("Amoxicillin 500 mg", "21 hard capsules · Rx only", "LOT NW24A117 · EXP 2027-09"),
        texts={
            "en": (
                "Northwind Amoxicillin 500 mg, 21 hard capsules",
                "Prescription antibiotic: red and pink size-0 capsules printed NW 500, in aluminium blisters of 7. "
                "Manufactured in Germany by Northwind Pharma; batch and expiry date are embossed on every blister "
                "and printed on the carton. Counterfeits with no active ingredient have been seized.",
                "White carton with a teal band and an orange base, holographic security label on the side, "
                "tamper-evident seal on both flaps, package leaflet in the local language.",
            ),
            "fr": (
                "Northwind Amoxicilline 500 mg, 21 gélules",
                "Antibiotique sur ordonnance : gélules rouge et rose taille 0 imprimées NW 500, en plaquettes "
                "aluminium de 7. Fabriqué en Allemagne par Northwind Pharma ; le lot et la date de péremption sont "
                "gravés en relief sur chaque plaquette et imprimés sur l'étui. Des contrefaçons sans principe actif "
                "ont été saisies.",
                "Étui blanc avec un bandeau bleu canard et une base orange, étiquette de sécurité holographique sur "
                "le côté, sceau d'inviolabilité sur les deux rabats, notice dans la langue locale.",
            ),
            "ar": (
                "نورثويند أموكسيسيلين 500 ملغ، 21 كبسولة صلبة",
                "مضاد حيوي يُصرف بوصفة طبية: كبسولات حمراء ووردية من الحجم 0 مطبوع عليها NW 500، في أشرطة من "
                "الألومنيوم يحتوي كل منها على 7 كبسولات. تصنعه شركة نورثويند فارما في ألمانيا، ويُطبع رقم الدفعة "
                "وتاريخ انتهاء الصلاحية بشكل بارز على كل شريط وعلى العلبة. وقد ضُبطت نسخ مقلدة لا تحتوي على أي مادة "
                "فعالة.",
                "علبة بيضاء بشريط أزرق مخضر وقاعدة برتقالية، مع ملصق أمان هولوغرافي على الجانب، وختم يكشف العبث على "
                "اللسانين، ونشرة داخلية باللغة المحلية.",
            ),
            "pt": (
                "Northwind Amoxicilina 500 mg, 21 cápsulas duras",
                "Antibiótico sob prescrição: cápsulas vermelhas e rosa, tamanho 0, impressas NW 500, em blísteres de "
                "alumínio de 7. Fabricado na Alemanha pela Northwind Pharma; o lote e a validade são gravados em "
                "relevo em cada blíster e impressos no cartucho. Foram apreendidas falsificações sem princípio "
                "ativo.",
                "Cartucho branco com faixa azul-petróleo e base laranja, etiqueta de segurança holográfica na "
                "lateral, lacre de inviolabilidade nas duas abas, bula no idioma local.",
            ),
        },
        clues=(
            ClueSpec("hologram", ClueKind.SECURITY_FEATURE, CARTON_HOLOGRAM),
            ClueSpec("foil", ClueKind.PRODUCT, BLISTER_FOIL),
            ClueSpec("seal", ClueKind.PACKAGING, CARTON_SEAL),
            ClueSpec("print", ClueKind.LABEL, BATCH_PRINT, marks=False),
        ),
        variants=(
            VariantSpec(
                date(2025, 4, 3),
                {
                    "en": (
                        "Capsules with no active ingredient",
                        "Cartons without a hologram, blister foil with the misspelt NORTHWIMD and no embossed batch. "
                        "Laboratory analysis found no amoxicillin. Seized at Tanger Med in 2025.",
                    ),
                    "fr": (
                        "Gélules sans principe actif",
                        "Étuis sans hologramme, opercule portant NORTHWIMD mal orthographié et sans lot en relief. "
                        "L'analyse en laboratoire n'a trouvé aucune amoxicilline. Saisies à Tanger Med en 2025.",
                    ),
                    "ar": (
                        "كبسولات بلا مادة فعالة",
                        "علب بلا هولوغرام، ورقاقة شريط عليها اسم NORTHWIMD بخطأ في التهجئة ومن دون رقم دفعة بارز. "
                        "لم يعثر التحليل المخبري على أي أموكسيسيلين. ضُبطت في ميناء طنجة المتوسط سنة 2025.",
                    ),
                    "pt": (
                        "Cápsulas sem princípio ativo",
                        "Cartuchos sem holograma, lâmina do blíster com NORTHWIMD escrito errado e sem lote em "
                        "relevo. A análise laboratorial não encontrou amoxicilina. Apreendidas em Tânger Med em "
                        "2025.",
                    ),
                },
            ),
        ),
        routes=(
            RouteSpec("DE", "MA", transit=("ES",), ports="DEHAM, ESALG, MAPTM", modes="sea"),
            RouteSpec("DE", "BR", ports="DEFRA, BRGRU", modes="air"),
            RouteSpec("DE", "FR", modes="road"),
        ),
        reviewed_days_ago=18,
    ),
    ProductSpec(
        key="NW-PCM-1G-8",
        brand="Northwind",
        look=Look("carton", "NORTHWIND", (0, 110, 120), (240, 160, 0), "Paracetamol|1 g · 8 tablets"),
        gtins=((northwind("00111"), "8 tablets"), (northwind("00112"), "16 tablets")),
        hs_code="300490",
        made_in="DE",
        markets=NORTHWIND_MARKETS,
        price=(2.5, 4.9, "EUR"),
        small_print=("Paracetamol 1 g", "8 tablets", "LOT NW24P311 · EXP 2028-01"),
        texts={
            "en": (
                "Northwind Paracetamol 1 g, 8 tablets",
                "Analgesic and antipyretic: white capsule-shaped tablets scored on one side and marked NW 1G on the "
                "other, in blisters of 4. Made in Germany. The carton carries the batch and expiry date printed in "
                "black and a 2D code.",
                "White carton with a teal band, tamper-evident seal, package leaflet.",
            ),
            "fr": (
                "Northwind Paracétamol 1 g, 8 comprimés",
                "Antalgique et antipyrétique : comprimés blancs oblongs sécables sur une face, marqués NW 1G sur "
                "l'autre, en plaquettes de 4. Fabriqué en Allemagne. L'étui porte le lot et la date de péremption "
                "imprimés en noir, et un code 2D.",
                "Étui blanc avec un bandeau bleu canard, sceau d'inviolabilité, notice.",
            ),
            "ar": (
                "نورثويند باراسيتامول 1 غ، 8 أقراص",
                "مسكن للألم وخافض للحرارة: أقراص بيضاء مستطيلة عليها خط للتقسيم في وجه وعبارة NW 1G في الوجه الآخر، "
                "في أشرطة من 4 أقراص. يُصنع في ألمانيا. تحمل العلبة رقم الدفعة وتاريخ انتهاء الصلاحية مطبوعين "
                "باللون الأسود، ورمزًا ثنائي الأبعاد.",
                "علبة بيضاء بشريط أزرق مخضر، مع ختم يكشف العبث ونشرة داخلية.",
            ),
            "pt": (
                "Northwind Paracetamol 1 g, 8 comprimidos",
                "Analgésico e antipirético: comprimidos brancos oblongos, sulcados de um lado e marcados NW 1G do "
                "outro, em blísteres de 4. Fabricado na Alemanha. O cartucho traz o lote e a validade impressos em "
                "preto e um código 2D.",
                "Cartucho branco com faixa azul-petróleo, lacre de inviolabilidade, bula.",
            ),
        },
        clues=(
            ClueSpec("print", ClueKind.LABEL, BATCH_PRINT),
            ClueSpec("seal", ClueKind.PACKAGING, CARTON_SEAL),
            ClueSpec("foil", ClueKind.PRODUCT, BLISTER_FOIL),
        ),
        reviewed_days_ago=60,
    ),
    ProductSpec(
        key="NW-ATV-20-30",
        brand="Northwind",
        look=Look("blister", "NORTHWIND", (0, 110, 120), (240, 160, 0)),
        gtins=((northwind("00121"), "30 tablets"),),
        hs_code="300490",
        made_in="DE",
        markets=NORTHWIND_MARKETS,
        price=(9.9, 14.5, "EUR"),
        small_print=("Atorvastatin 20 mg", "30 film-coated tablets", "LOT NW24T208"),
        texts={
            "en": (
                "Northwind Atorvastatin 20 mg, 30 film-coated tablets",
                "Lipid-lowering medicine: white oval film-coated tablets marked NW 20, in blisters of 10. Made in "
                "Germany.",
                "White carton with a teal band, holographic security label and tamper-evident seal.",
            ),
        },
        clues=(
            ClueSpec("hologram", ClueKind.SECURITY_FEATURE, _only(CARTON_HOLOGRAM, "en")),
            ClueSpec("foil", ClueKind.PRODUCT, _only(BLISTER_FOIL, "en")),
        ),
        photos=(PhotoView.FRONT, PhotoView.LABEL),
        reviewed_days_ago=130,
    ),
    ProductSpec(
        key="NW-GLA-100-5",
        brand="Northwind",
        look=Look("pen", "NORTHWIND", (120, 60, 160), (0, 110, 120)),
        gtins=((northwind("00131"), "5 pens × 3 ml"),),
        hs_code="300431",
        made_in="DE",
        markets=NORTHWIND_MARKETS,
        price=(62, 79, "EUR"),
        small_print=("Insulin glargine 100 U/ml", "5 pre-filled pens · 3 ml", "Store at 2-8 °C"),
        texts={
            "en": (
                "Northwind Insulin Glargine 100 units/ml, 5 pre-filled pens",
                "Long-acting insulin in 3 ml pre-filled pens with a violet dose knob and a dose window up to 80 "
                "units. Must be kept refrigerated (2–8 °C) until first use: pens shipped without cold-chain "
                "packaging are suspect. Made in Germany.",
                "Carton with a violet band, hologram and tamper-evident seal; shipped in insulated boxes with "
                "temperature loggers.",
            ),
        },
        clues=(
            ClueSpec(
                "print",
                ClueKind.LABEL,
                {
                    "en": (
                        "Pen label",
                        "Batch, expiry and “100 units/ml” are printed sharply on the pen's label. Copies are "
                        "blurred or show another strength.",
                        "Label on the pen body",
                    ),
                },
            ),
            ClueSpec("hologram", ClueKind.SECURITY_FEATURE, _only(CARTON_HOLOGRAM, "en")),
            ClueSpec("seal", ClueKind.PACKAGING, _only(CARTON_SEAL, "en"), marks=False),
        ),
        reviewed_days_ago=35,
    ),
    ProductSpec(
        key="NW-ORS-10",
        brand="Northwind",
        look=Look("sachets", "NORTHWIND", (0, 140, 100), (240, 160, 0), "Oral rehydration salts|10 sachets"),
        gtins=((northwind("00141"), "10 sachets"),),
        hs_code="300490",
        made_in="DE",
        markets=("DE", "FR", "MA", "BR", "SN", "CI"),
        price=(3.9, 5.5, "EUR"),
        texts={
            "en": (
                "Northwind Oral Rehydration Salts, 10 sachets",
                "Oral rehydration salts to the WHO formula, orange flavour: 10 sachets of 20.5 g, each dissolved in "
                "1 litre of water. Made in Germany for humanitarian and retail markets.",
                "Carton of 10 green-banded sachets; batch and expiry on each sachet.",
            ),
        },
        clues=(
            ClueSpec("print", ClueKind.LABEL, _only(BATCH_PRINT, "en")),
            ClueSpec("seal", ClueKind.PACKAGING, _only(CARTON_SEAL, "en")),
        ),
        photos=(PhotoView.FRONT, PhotoView.LABEL),
        reviewed_days_ago=170,
    ),
    # --- Voltix: chargers and electronics ---
    ProductSpec(
        key="VX-65C-GAN",
        brand="Voltix",
        look=Look("charger", "VOLTIX", (246, 246, 246), (20, 120, 220), "65W GaN"),
        gtins=((northwind("00501"), "EU plug"), (northwind("00502"), "UK plug")),
        model="VX-65C",
        hs_code="850440",
        made_in="CN",
        markets=VOLTIX_MARKETS,
        price=(49, 59, "EUR"),
        small_print=("Model VX-65C", "Input 100-240V~ 50/60Hz 1.7A", "Output 20V 3.25A max"),
        texts={
            "en": (
                "Voltix 65 W USB-C GaN charger",
                "Wall charger with two USB-C ports (65 W on one port, 45 W + 20 W shared), gallium-nitride "
                "technology, 112 g, 30 × 30 × 58 mm, EU folding pins. Certified CE and UKCA; the rating label is "
                "moulded into the housing. Made in China for Voltix (Northwind group).",
                "White cardboard box with a blue window showing the charger, a QR code to the Voltix verification "
                "page, and the barcode and CE mark on the back.",
            ),
            "fr": (
                "Chargeur Voltix USB-C GaN 65 W",
                "Chargeur secteur à deux ports USB-C (65 W sur un port, 45 W + 20 W partagés), technologie nitrure "
                "de gallium, 112 g, 30 × 30 × 58 mm, broches européennes repliables. Certifié CE et UKCA ; la plaque "
                "signalétique est moulée dans le boîtier. Fabriqué en Chine pour Voltix (groupe Northwind).",
                "Boîte en carton blanc avec une fenêtre bleue laissant voir le chargeur, un QR code vers la page de "
                "vérification Voltix, le code-barres et le marquage CE au dos.",
            ),
            "ar": (
                "شاحن فولتيكس USB-C بتقنية GaN بقدرة 65 واط",
                "شاحن حائط بمنفذين USB-C (65 واط على منفذ واحد، أو 45 واط + 20 واط عند الاستخدام المشترك)، بتقنية "
                "نتريد الغاليوم، يزن 112 غرامًا وأبعاده 30 × 30 × 58 مم، مع قابس أوروبي قابل للطي. حاصل على شهادتي "
                "CE وUKCA، وملصق المواصفات مقولب في الهيكل نفسه. يُصنع في الصين لصالح فولتيكس (مجموعة نورثويند).",
                "علبة من الورق المقوى الأبيض بنافذة زرقاء يظهر منها الشاحن، ورمز QR يؤدي إلى صفحة التحقق من "
                "فولتيكس، والرمز الشريطي وعلامة CE على الظهر.",
            ),
            "pt": (
                "Carregador Voltix USB-C GaN 65 W",
                "Carregador de parede com duas portas USB-C (65 W numa porta, 45 W + 20 W compartilhados), "
                "tecnologia de nitreto de gálio, 112 g, 30 × 30 × 58 mm, pinos europeus dobráveis. Certificado CE e "
                "UKCA; a etiqueta de especificações é moldada no corpo. Fabricado na China para a Voltix (grupo "
                "Northwind).",
                "Caixa de papelão branco com janela azul mostrando o carregador, QR code para a página de "
                "verificação Voltix, código de barras e marcação CE no verso.",
            ),
        },
        clues=(
            ClueSpec("ce", ClueKind.LABEL, CE_MARK),
            ClueSpec("logo", ClueKind.PRODUCT, VOLTIX_LOGO),
            ClueSpec(
                "hologram",
                ClueKind.SECURITY_FEATURE,
                {
                    **VOLTIX_HOLOGRAM,
                    "fr": (
                        "Autocollant holographique sur la boîte",
                        "La boîte est scellée par un autocollant holographique rond avec un V en relief ; les "
                        "couleurs changent quand on l'incline. Les contrefaçons ont un autocollant gris plat.",
                        "Dessous de la boîte",
                    ),
                    "ar": (
                        "الملصق الهولوغرافي على العلبة",
                        "تُغلق العلبة بملصق هولوغرافي دائري عليه حرف V بارز، وتتغير ألوانه عند الإمالة. أما "
                        "المنتجات المقلدة فتحمل ملصقًا رماديًا مسطحًا.",
                        "أسفل العلبة",
                    ),
                    "pt": (
                        "Adesivo holográfico na caixa",
                        "A caixa é lacrada com um adesivo holográfico redondo com um V em relevo; as cores mudam ao "
                        "inclinar. As falsificações têm um adesivo cinza liso.",
                        "Fundo da caixa",
                    ),
                },
            ),
        ),
        variants=(
            VariantSpec(
                date(2024, 12, 5),
                {
                    "en": (
                        "Lightweight copy without GaN",
                        "Weighs about 60 g instead of 112 g, gets hot and fails the insulation test; look-alike CE "
                        "mark and typos on the label. Sold on marketplaces at a third of the price.",
                    ),
                    "fr": (
                        "Copie légère sans GaN",
                        "Pèse environ 60 g au lieu de 112 g, chauffe et échoue au test d'isolement ; faux marquage CE "
                        "et fautes sur la plaque. Vendue sur les places de marché au tiers du prix.",
                    ),
                    "ar": (
                        "نسخة خفيفة بلا تقنية GaN",
                        "تزن نحو 60 غرامًا بدلًا من 112 غرامًا، وترتفع حرارتها، وتفشل في اختبار العزل؛ وتحمل علامة "
                        "CE مقلدة وأخطاء إملائية في الملصق. تُباع في الأسواق الإلكترونية بثلث السعر.",
                    ),
                    "pt": (
                        "Cópia leve sem GaN",
                        "Pesa cerca de 60 g em vez de 112 g, esquenta e falha no teste de isolamento; marca CE imitada "
                        "e erros na etiqueta. Vendida em marketplaces por um terço do preço.",
                    ),
                },
            ),
        ),
        routes=(
            RouteSpec("CN", "FR", transit=("NL",), ports="CNYTN, NLRTM, FRLEH", modes="sea"),
            RouteSpec("CN", "MA", ports="CNYTN, MAPTM", modes="sea"),
            RouteSpec("CN", "BR", ports="CNYTN, BRSSZ", modes="sea"),
        ),
        reviewed_days_ago=9,
    ),
    ProductSpec(
        key="VX-20C",
        brand="Voltix",
        look=Look("charger", "VOLTIX", (246, 246, 246), (20, 120, 220), "20W"),
        gtins=((northwind("00511"), "EU plug"),),
        model="VX-20C",
        hs_code="850440",
        made_in="CN",
        markets=VOLTIX_MARKETS,
        price=(19, 25, "EUR"),
        texts={
            "en": (
                "Voltix 20 W USB-C charger",
                "Compact charger with one USB-C port, 20 W Power Delivery, 48 g, EU pins. CE marked. Made in China "
                "for Voltix.",
                "Small white box; barcode and CE mark on the back.",
            ),
        },
        clues=(
            ClueSpec("ce", ClueKind.LABEL, _only(CE_MARK, "en")),
            ClueSpec("logo", ClueKind.PRODUCT, _only(VOLTIX_LOGO, "en")),
        ),
        photos=(PhotoView.FRONT, PhotoView.PACKAGING),
        reviewed_days_ago=75,
    ),
    ProductSpec(
        key="VX-PB10",
        brand="Voltix",
        look=Look("powerbank", "VOLTIX", (40, 42, 48), (20, 160, 220), "10 000 mAh"),
        gtins=((northwind("00521"), "Black"),),
        model="VX-PB10",
        hs_code="850760",
        made_in="CN",
        markets=VOLTIX_MARKETS,
        price=(35, 45, "EUR"),
        small_print=("Li-ion 10 000 mAh / 37 Wh", "USB-C PD 20 W", "S/N VX2407118842"),
        texts={
            "en": (
                "Voltix PowerCell 10 000 mAh power bank",
                "Lithium-ion power bank, 10 000 mAh / 37 Wh, USB-C in and out at 20 W, four charge LEDs, 210 g. The "
                "capacity and the Wh rating are printed on the housing. Copies are often much lighter (fewer or "
                "fake cells) and overstate the capacity.",
                "Black box with a blue stripe and a holographic sticker on the bottom; barcode on the back.",
            ),
        },
        clues=(
            ClueSpec("print", ClueKind.LABEL, VOLTIX_LABEL),
            ClueSpec("hologram", ClueKind.SECURITY_FEATURE, VOLTIX_HOLOGRAM),
        ),
        reviewed_days_ago=120,
    ),
    ProductSpec(
        key="VX-CBL-CC1",
        brand="Voltix",
        look=Look("cable", "VOLTIX", (30, 30, 34), (20, 160, 220)),
        gtins=((northwind("00531"), "1 m, black"),),
        hs_code="854442",
        made_in="CN",
        markets=VOLTIX_MARKETS,
        price=(15, 19, "EUR"),
        texts={
            "en": (
                "Voltix braided USB-C to USB-C cable, 1 m",
                "Nylon-braided cable rated 60 W (3 A), aluminium connector housings laser-engraved VOLTIX. Made in "
                "China.",
                "Card sleeve with a window; barcode on the back.",
            ),
        },
        clues=(
            ClueSpec("logo", ClueKind.PRODUCT, _only(VOLTIX_LOGO, "en")),
            ClueSpec("print", ClueKind.LABEL, VOLTIX_LABEL, marks=False),
        ),
        photos=(PhotoView.FRONT, PhotoView.PACKAGING),
        reviewed_days_ago=140,
    ),
    ProductSpec(
        key="VX-AIRBEAT",
        brand="Voltix",
        look=Look("earbuds", "VOLTIX", (250, 250, 250), (20, 160, 220)),
        gtins=((northwind("00541"), "White"),),
        model="VX-AB1",
        hs_code="851830",
        made_in="CN",
        markets=VOLTIX_MARKETS,
        price=(79, 99, "EUR"),
        small_print=("Model VX-AB1", "Bluetooth 5.3", "S/N VXAB2409300117"),
        texts={
            "en": (
                "Voltix AirBeat wireless earbuds",
                "True-wireless earbuds with a charging case, Bluetooth 5.3, USB-C. The serial number is printed "
                "inside the lid and on the box, and the two must match. Made in China.",
                "White box with a sleeve; barcode, serial number and CE mark on the bottom.",
            ),
        },
        clues=(
            ClueSpec("logo", ClueKind.PRODUCT, _only(VOLTIX_LOGO, "en")),
            ClueSpec("print", ClueKind.LABEL, VOLTIX_LABEL),
            ClueSpec("hologram", ClueKind.SECURITY_FEATURE, VOLTIX_HOLOGRAM),
        ),
        reviewed_days_ago=50,
    ),
)


# --- Loading ----------------------------------------------------------------------------------------------------


@dataclass
class Pictures:
    photos: list = field(default_factory=list)
    clues: list = field(default_factory=list)
    variants: list = field(default_factory=list)


def render_pictures(spec: ProductSpec) -> Pictures:
    """Every picture of one sheet, as JPEG bytes (no database access: safe in a worker thread)."""
    look = replace(spec.look, small_print=spec.small_print)
    gtin = spec.gtins[0][0]
    pictures = Pictures()
    for view in spec.photos:
        pictures.photos.append(
            images.product_photo(
                look, view=view, name=spec.name, gtin=gtin, code=f"REF {spec.key}", details=spec.small_print
            )
        )
    for clue in spec.clues:
        pictures.clues.append(images.clue_pair(clue.detail, look, marks=clue.marks))
    for _variant in spec.variants:
        pictures.variants.append(images.product_photo(replace(look, fake=True)))
    return pictures


@dataclass
class LoadedCatalogue:
    products: dict  # key → Product
    created: list  # keys of the sheets created by this run
    seconds: float = 0.0


def load_catalogue(holders: dict[str, Organisation], actors: dict[str, User]) -> LoadedCatalogue:
    """Create what is missing of the demo catalogue. ``holders`` and ``actors``: the right holders and an admin of
    each, keyed "brand" (Aurelia Luxury Goods) and "rival" (Northwind Pharma)."""
    started = time.monotonic()
    now = timezone.now()
    for key, prefix in PREFIXES.items():
        CompanyPrefix.objects.get_or_create(prefix=prefix, defaults={"right_holder": holders[key]})
    brands = {spec.name: _brand(spec, holders[spec.holder], actors[spec.holder]) for spec in BRANDS}
    existing = _existing_products()
    missing = [spec for spec in PRODUCTS if spec.gtins[0][0] not in existing]
    products, created = {}, []
    # Drawing pictures is pure Pillow work: a worker thread draws the next sheets' pictures while this thread
    # stores the previous ones (Pillow releases the GIL while it encodes and resizes).
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-pictures")
    try:
        futures: dict[str, Future] = {spec.key: pool.submit(render_pictures, spec) for spec in missing}
        for spec in PRODUCTS:
            product = existing.get(spec.gtins[0][0])
            if product is None:
                brand = brands[spec.brand]
                product = _create_product(spec, brand, actors[brand_holder(spec)], futures[spec.key].result(), now)
                created.append(spec.key)
            products[spec.key] = product
    finally:
        pool.shutdown(cancel_futures=True)  # on an error, drawing the remaining sheets' pictures is wasted time
    _holder_records(holders, brands, products, timezone.localdate(now))
    return LoadedCatalogue(products, created, time.monotonic() - started)


def brand_holder(spec: ProductSpec) -> str:
    return next(brand.holder for brand in BRANDS if brand.name == spec.brand)


def _existing_products() -> dict[str, Product]:
    by_gtin14 = {"0" + spec.gtins[0][0]: spec.gtins[0][0] for spec in PRODUCTS}
    found = ProductIdentifier.objects.filter(kind=IdentifierKind.GTIN, value__in=by_gtin14).select_related("product")
    return {by_gtin14[identifier.value]: identifier.product for identifier in found}


def _brand(spec: BrandSpec, holder: Organisation, actor: User) -> Brand:
    brand = Brand.objects.filter(right_holder=holder, name__iexact=spec.name).first()
    if brand is None:
        languages = list(spec.descriptions)
        brand = services.create_brand(
            actor, holder, name=spec.name, description=spec.descriptions[languages[0]], language=languages[0]
        )
        for language in languages[1:]:
            services.update_brand(actor, brand, description=spec.descriptions[language], language=language)
    if not brand.logo:
        media_services.set_brand_logo(actor, brand, images.logo(spec.name, spec.colour, spec.accent, face=spec.face))
    return brand


def _create_product(spec: ProductSpec, brand: Brand, actor: User, pictures: Pictures, now: datetime) -> Product:
    source = spec.source_language
    name, description, packaging = spec.texts[source]
    lowest, highest, currency = spec.price
    product = services.create_product(
        actor,
        brand,
        name=name,
        language=source,
        description=description,
        packaging=packaging,
        hs_code=spec.hs_code,
        country_of_manufacture=spec.made_in,
        intended_markets=list(spec.markets),
        price_min=lowest,
        price_max=highest,
        currency=currency,
        visible_countries=list(spec.visible_countries) if spec.visible_countries else None,
    )
    for gtin, variant in spec.gtins:
        services.add_identifier(actor, product, IdentifierKind.GTIN, gtin, variant)
    services.add_identifier(actor, product, IdentifierKind.SKU, spec.key)
    if spec.model:
        services.add_identifier(actor, product, IdentifierKind.MODEL, spec.model)
    translations = [language for language in spec.texts if language != source]
    for language in translations:
        name, description, packaging = spec.texts[language]
        services.set_product_text(actor, product, language, name=name, description=description, packaging=packaging)
    for view, data in zip(spec.photos, pictures.photos, strict=True):
        photo = media_services.add_product_photo(actor, product, data, view=view, caption=CAPTIONS[view][source])
        # The captions' translations are written directly: they are not part of a sheet's history, and a service
        # call (with its revision) for each would double the time the demo takes to load.
        for language in translations:
            photo.set_current_language(language)
            photo.caption = CAPTIONS[view][language]
        photo.save_translations()
    for clue_spec, pair in zip(spec.clues, pictures.clues, strict=True):
        title, explanation, where = clue_spec.texts[source]
        clue = services.add_clue(
            actor, product, language=source, kind=clue_spec.kind, title=title, explanation=explanation,
            where_to_look=where,
        )  # fmt: skip
        for language, (title, explanation, where) in clue_spec.texts.items():
            if language != source:
                services.update_clue(
                    actor, clue, language=language, title=title, explanation=explanation, where_to_look=where
                )
        media_services.set_clue_images(
            actor,
            clue,
            genuine_image=pair.genuine,
            counterfeit_image=pair.counterfeit,
            genuine_marks=pair.genuine_marks,
            counterfeit_marks=pair.counterfeit_marks,
        )
    for variant_spec, photo in zip(spec.variants, pictures.variants, strict=True):
        variant = CounterfeitVariant(product=product, first_seen=variant_spec.first_seen)
        for language, (variant_name, variant_description) in variant_spec.texts.items():
            variant.set_current_language(language)
            variant.name, variant.description = variant_name, variant_description
        variant.save()
        media_services.set_variant_photo(actor, variant, photo)
    for route in spec.routes:
        Route.objects.create(
            product=product,
            origin=route.origin,
            destination=route.destination,
            transit=list(route.transit),
            ports=route.ports,
            modes=route.modes,
        )
    if spec.status in (ProductStatus.PUBLISHED, ProductStatus.ARCHIVED):
        services.publish_product(actor, product)
        # The demo tells a story of sheets written over the past years and reviewed at different times.
        reviewed = months_before(now, spec.reviewed_months_ago) - timedelta(days=spec.reviewed_days_ago)
        Product.objects.filter(pk=product.pk).update(
            last_reviewed_at=reviewed, published_at=months_before(reviewed, 6 + len(spec.key) % 12)
        )
    if spec.status == ProductStatus.ARCHIVED:
        services.archive_product(actor, product)
    product.refresh_from_db()
    return product


# --- Records of the right holders -------------------------------------------------------------------------------


def _holder_records(holders: dict[str, Organisation], brands: dict[str, Brand], products: dict, today: date) -> None:
    """IP rights, applications for action, contacts and trade parties: matched by their natural keys, so loading
    the demo again adds nothing. Dates are relative to today, so that what is valid stays valid (and the one
    expired right and application stay expired) whenever the demo is loaded."""
    aurelia_holder, northwind_holder = holders["brand"], holders["rival"]

    def sheets(*keys):
        return [products[key] for key in keys]

    aurelia_sheets = sheets(
        "AUR-SC90-RIV", "AUR-ST-MONO", "AUR-BAG-MARGAUX", "AUR-WAL-CPT", "AUR-BELT-REV30", "AUR-SNK-COURT",
        "AUR-SC70-ARCH19",
    )  # fmt: skip
    watches = sheets("AH-2046-38", "AH-2032-Q", "AH-3042-CHR", "AH-STRAP-20", "AH-2046-36-OR")
    perfumes = sheets("MV-AMB-EDP", "MV-FDS-EDT", "MV-BOUG-FIG", "MV-LAIT-AMB")
    medicines = sheets("NW-AMX-500-21", "NW-PCM-1G-8", "NW-ATV-20-30", "NW-GLA-100-5", "NW-ORS-10")
    electronics = sheets("VX-65C-GAN", "VX-20C", "VX-PB10", "VX-CBL-CC1", "VX-AIRBEAT")

    def right(holder, brand, kind, office, number, classes, holder_name, registered, expires, linked=()):
        ip_right, _created = IPRight.objects.get_or_create(
            right_holder=holder,
            kind=kind,
            office=office,
            number=number,
            defaults={
                "brand": brands.get(brand),
                "classes": classes,
                "holder_name": holder_name,
                "registered_on": registered,
                "expires_on": expires,
            },
        )
        if linked:
            ip_right.products.add(*linked)
        return ip_right

    years = timedelta(days=365)
    eu_aurelia = right(
        aurelia_holder, "Aurelia", RightKind.TRADEMARK, "EUIPO", "018234567", "3, 14, 18, 25",
        "Aurelia Luxury Goods SA", date(2020, 5, 12), today + 4 * years, aurelia_sheets,
    )  # fmt: skip
    madrid_aurelia = right(
        aurelia_holder, "Aurelia", RightKind.TRADEMARK, "WIPO (Madrid)", "1543210", "14, 18, 25",
        "Aurelia Luxury Goods SA", date(2021, 2, 1), today + 5 * years,
    )  # fmt: skip
    ompic_aurelia = right(  # the expired one: officers see it flagged
        aurelia_holder, "Aurelia", RightKind.TRADEMARK, "OMPIC", "198765", "18, 25", "Aurelia Luxury Goods SA",
        date(2014, 11, 30), today - timedelta(days=120),
    )  # fmt: skip
    inpi_br_aurelia = right(
        aurelia_holder, "Aurelia", RightKind.TRADEMARK, "INPI (BR)", "912345678", "18, 25",
        "Aurelia Luxury Goods SA", date(2019, 8, 6), today + 3 * years,
    )  # fmt: skip
    design_margaux = right(
        aurelia_holder, "Aurelia", RightKind.DESIGN, "EUIPO", "008765432-0001", "03-01", "Aurelia Luxury Goods SA",
        date(2022, 3, 15), today + 2 * years, sheets("AUR-BAG-MARGAUX"),
    )  # fmt: skip
    eu_horlogerie = right(
        aurelia_holder, "Aurelia Horlogerie", RightKind.TRADEMARK, "EUIPO", "018300111", "14",
        "Aurelia Luxury Goods SA", date(2020, 9, 1), today + 4 * years, watches,
    )  # fmt: skip
    ch_horlogerie = right(
        aurelia_holder, "Aurelia Horlogerie", RightKind.TRADEMARK, "IPI (CH)", "P-712345", "14",
        "Aurelia Luxury Goods SA", date(2018, 4, 20), today + 2 * years,
    )  # fmt: skip
    inpi_verre = right(
        aurelia_holder, "Maison Verre", RightKind.TRADEMARK, "INPI (FR)", "4712345", "3, 4",
        "Aurelia Luxury Goods SA", date(2021, 1, 8), today + 5 * years, perfumes,
    )  # fmt: skip
    eu_northwind = right(
        northwind_holder, "Northwind", RightKind.TRADEMARK, "EUIPO", "017654321", "5", "Northwind Pharma GmbH",
        date(2018, 6, 4), today + 2 * years, medicines,
    )  # fmt: skip
    madrid_northwind = right(
        northwind_holder, "Northwind", RightKind.TRADEMARK, "WIPO (Madrid)", "1398765", "5", "Northwind Pharma GmbH",
        date(2018, 9, 17), today + 3 * years,
    )  # fmt: skip
    right(
        northwind_holder, "Northwind", RightKind.PATENT, "EPO", "EP3456789", "A61M 5/315", "Northwind Pharma GmbH",
        date(2019, 10, 2), today + 13 * years, sheets("NW-GLA-100-5"),
    )  # fmt: skip
    eu_voltix = right(
        northwind_holder, "Voltix", RightKind.TRADEMARK, "EUIPO", "018456789", "9", "Northwind Pharma GmbH",
        date(2021, 7, 9), today + 5 * years, electronics,
    )  # fmt: skip
    br_voltix = right(
        northwind_holder, "Voltix", RightKind.TRADEMARK, "INPI (BR)", "923456789", "9", "Northwind Pharma GmbH",
        date(2022, 2, 14), today + 6 * years,
    )  # fmt: skip

    def application(holder, country, reference, valid_from, valid_until, rights):
        afa, _created = ApplicationForAction.objects.get_or_create(
            right_holder=holder,
            country=country,
            reference=reference,
            defaults={"valid_from": valid_from, "valid_until": valid_until},
        )
        afa.ip_rights.add(*rights)

    application(
        aurelia_holder, "FR", "FR-AFA-2025-0412", today - timedelta(days=200), today + timedelta(days=165),
        [eu_aurelia, design_margaux, eu_horlogerie, inpi_verre],
    )  # fmt: skip
    application(  # the expired one: a Moroccan officer sees that it needs renewing
        aurelia_holder, "MA", "MA-DEM-2023-118", today - timedelta(days=900), today - timedelta(days=170),
        [madrid_aurelia, ompic_aurelia],
    )  # fmt: skip
    application(
        aurelia_holder, "BR", "BR-RFB-2025-0077", today - timedelta(days=60), today + timedelta(days=300),
        [madrid_aurelia, inpi_br_aurelia, ch_horlogerie],
    )  # fmt: skip
    application(
        northwind_holder, "FR", "FR-AFA-2025-0981", today - timedelta(days=100), today + timedelta(days=265),
        [eu_northwind, eu_voltix],
    )  # fmt: skip
    application(
        northwind_holder, "MA", "MA-DEM-2025-042", today - timedelta(days=40), today + timedelta(days=325),
        [madrid_northwind],
    )  # fmt: skip
    application(
        northwind_holder, "BR", "BR-RFB-2024-0311", today - timedelta(days=250), today + timedelta(days=115),
        [madrid_northwind, br_voltix],
    )  # fmt: skip

    def contact(holder, name, linked=(), **fields):
        record, _created = Contact.objects.get_or_create(right_holder=holder, name=name, defaults=fields)
        if linked:
            record.products.add(*linked)

    contact(
        aurelia_holder,
        "Claire Martin",
        function="Head of brand protection, France",
        phone="+33 1 84 88 12 40",
        emergency_phone="+33 6 70 12 34 56",  # 24/7
        email="claire.martin@aurelia.example",
        countries=["FR"],
        languages="fr, en",
    )
    contact(
        aurelia_holder,
        "Youssef Alaoui",
        function="Counsel for Aurelia in Morocco",
        organisation_name="Lex & Mark IP Counsel",
        is_legal_representative=True,
        phone="+212 5 22 48 90 10",
        email="youssef.alaoui@lexmark-ip.example",
        countries=["MA"],
        languages="ar, fr",
    )
    contact(
        aurelia_holder,
        "Mariana Costa",
        function="Brand protection, Latin America",
        phone="+55 11 4003 2210",
        email="mariana.costa@aurelia.example",
        countries=["BR"],
        languages="pt, es, en",
    )
    contact(
        aurelia_holder,
        "Aurelia brand protection desk",
        function="Global desk",
        phone="+41 22 700 40 40",
        email="brand-protection@aurelia.example",
        languages="en, fr",
    )
    contact(
        northwind_holder,
        "Dr. Jonas Weber",
        function="Product security, EMEA",
        phone="+49 30 2555 8010",
        emergency_phone="+49 171 555 0199",
        email="product-security@northwind.example",
        languages="de, en, fr",
    )
    contact(
        northwind_holder,
        "Fatima Zahra Idrissi",
        function="Regulatory affairs, Maghreb",
        phone="+212 5 37 71 20 30",
        email="maghreb@northwind.example",
        countries=["MA"],
        languages="ar, fr",
    )
    contact(
        northwind_holder,
        "Voltix product safety",
        function="Chargers and batteries",
        phone="+49 40 6090 2200",
        email="safety@voltix.example",
        languages="en, de",
        linked=electronics,
    )

    def party(holder, role, name, country, linked=(), **fields):
        record, _created = TradeParty.objects.get_or_create(
            right_holder=holder, role=role, name=name, defaults={"country": country, **fields}
        )
        if linked:
            record.products.add(*linked)

    party(
        aurelia_holder, PartyRole.MANUFACTURER, "Tessitura Aurelia Como S.r.l.", "IT",
        sheets("AUR-SC90-RIV", "AUR-SC70-ARCH19"), address="Via per Cernobbio 12, 22100 Como",
    )  # fmt: skip
    party(
        aurelia_holder, PartyRole.FACTORY, "Atelier Aurelia Pantin", "FR", sheets("AUR-BAG-MARGAUX", "AUR-WAL-CPT"),
        address="14 rue Delizy, 93500 Pantin",
    )  # fmt: skip
    party(aurelia_holder, PartyRole.IMPORTER, "Aurelia Maroc SARL", "MA", address="Boulevard d'Anfa, Casablanca")
    party(aurelia_holder, PartyRole.DISTRIBUTOR, "Aurelia Brasil Comércio Ltda.", "BR", address="São Paulo, SP")
    party(
        aurelia_holder, PartyRole.KNOWN_INFRINGER, "Golden Silk Trading Co.", "CN", sheets("AUR-SC90-RIV"),
        notes="Offers “AURELLA” scarves on marketplaces; ships by express courier in small parcels.",
    )  # fmt: skip
    party(
        northwind_holder, PartyRole.MANUFACTURER, "Northwind Pharma Produktion GmbH", "DE", medicines,
        address="Industriestraße 40, 21107 Hamburg",
    )  # fmt: skip
    party(northwind_holder, PartyRole.IMPORTER, "Pharma Maghreb Distribution SARL", "MA", medicines)
    party(northwind_holder, PartyRole.DISTRIBUTOR, "Northwind Farmacêutica do Brasil Ltda.", "BR", medicines)
    party(
        northwind_holder, PartyRole.MANUFACTURER, "Shenzhen Voltix Electronics Co., Ltd.", "CN", electronics,
        address="Bao'an District, Shenzhen",
    )  # fmt: skip
