"""The human sentence that goes with a verdict, in the officer's language when this provider has it.

The protocol lets a provider answer in the language IPM asks for (``context.language``, then ``Accept-Language``);
this one speaks English, French, Spanish, Arabic and Portuguese and falls back to English. A real provider would
keep these in its own translation files; a table is enough for five languages and ten sentences.
"""

DEFAULT_LANGUAGE = "en"

MESSAGES: dict[str, dict[str, str]] = {
    "authentic": {
        "en": "This item is registered and genuine.",
        "fr": "Cet article est enregistré et authentique.",
        "es": "Este artículo está registrado y es auténtico.",
        "ar": "هذا المنتج مسجّل وأصلي.",
        "pt": "Este item está registrado e é autêntico.",
    },
    "no_serial": {
        "en": "This code has no serial number: this service only verifies serialised items.",
        "fr": "Ce code ne porte pas de numéro de série : ce service ne vérifie que les articles sérialisés.",
        "es": "Este código no lleva número de serie: este servicio solo verifica artículos serializados.",
        "ar": "لا يحمل هذا الرمز رقمًا تسلسليًا: لا تتحقق هذه الخدمة إلا من المنتجات ذات الأرقام التسلسلية.",
        "pt": "Este código não tem número de série: este serviço só verifica itens serializados.",
    },
    "unknown_gtin": {
        "en": "This product is not secured by this service.",
        "fr": "Ce produit n'est pas sécurisé par ce service.",
        "es": "Este producto no está protegido por este servicio.",
        "ar": "هذا المنتج غير مشمول بحماية هذه الخدمة.",
        "pt": "Este produto não é protegido por este serviço.",
    },
    "never_commissioned": {
        "en": "This serial number was never issued for this product.",
        "fr": "Ce numéro de série n'a jamais été mis en service pour ce produit.",
        "es": "Este número de serie nunca se emitió para este producto.",
        "ar": "لم يُصدَر هذا الرقم التسلسلي قط لهذا المنتج.",
        "pt": "Este número de série nunca foi emitido para este produto.",
    },
    "decommissioned": {
        "en": "This serial number was taken out of circulation (destroyed, stolen or withdrawn).",
        "fr": "Ce numéro de série a été retiré de la circulation (détruit, volé ou retiré).",
        "es": "Este número de serie fue retirado de la circulación (destruido, robado o retirado).",
        "ar": "سُحب هذا الرقم التسلسلي من التداول (أُتلف أو سُرق أو سُحب).",
        "pt": "Este número de série foi retirado de circulação (destruído, roubado ou retirado).",
    },
    "lot_mismatch": {
        "en": "The lot number does not match the one this serial number was issued with.",
        "fr": "Le numéro de lot ne correspond pas à celui avec lequel ce numéro de série a été mis en service.",
        "es": "El número de lote no coincide con el que se registró con este número de serie.",
        "ar": "رقم الدفعة لا يطابق الرقم المسجّل مع هذا الرقم التسلسلي.",
        "pt": "O número do lote não corresponde ao registrado com este número de série.",
    },
    "expiry_mismatch": {
        "en": "The expiry date does not match the one this serial number was issued with.",
        "fr": "La date de péremption ne correspond pas à celle avec laquelle ce numéro de série a été mis en service.",
        "es": "La fecha de caducidad no coincide con la que se registró con este número de serie.",
        "ar": "تاريخ انتهاء الصلاحية لا يطابق التاريخ المسجّل مع هذا الرقم التسلسلي.",
        "pt": "A data de validade não corresponde à registrada com este número de série.",
    },
    "lot_expiry_mismatch": {
        "en": "Neither the lot number nor the expiry date match those this serial number was issued with.",
        "fr": "Ni le numéro de lot ni la date de péremption ne correspondent à ceux de ce numéro de série.",
        "es": "Ni el número de lote ni la fecha de caducidad coinciden con los registrados con este número de serie.",
        "ar": "لا رقم الدفعة ولا تاريخ انتهاء الصلاحية يطابقان ما سُجّل مع هذا الرقم التسلسلي.",
        "pt": "Nem o número do lote nem a data de validade correspondem aos registrados com este número de série.",
    },
    "cloned": {
        "en": "This serial number was already verified in another country in the last {hours} hours: "
        "the code may have been copied.",
        "fr": "Ce numéro de série a déjà été vérifié dans un autre pays au cours des {hours} dernières heures : "
        "le code a peut-être été copié.",
        "es": "Este número de serie ya se verificó en otro país en las últimas {hours} horas: "
        "el código puede haber sido copiado.",
        "ar": "سبق التحقق من هذا الرقم التسلسلي في بلد آخر خلال الساعات الـ{hours} الماضية: ربما نُسخ الرمز.",
        "pt": "Este número de série já foi verificado em outro país nas últimas {hours} horas: "
        "o código pode ter sido copiado.",
    },
    "outside_market": {
        "en": "This item was shipped to other markets than this country.",
        "fr": "Cet article a été expédié vers d'autres marchés que ce pays.",
        "es": "Este artículo se envió a otros mercados distintos de este país.",
        "ar": "شُحن هذا المنتج إلى أسواق غير هذا البلد.",
        "pt": "Este item foi enviado para outros mercados que não este país.",
    },
}

LANGUAGES = frozenset(MESSAGES["authentic"])


def parse_accept_language(header: str | None) -> list[str]:
    """The language tags of an ``Accept-Language`` header, most wanted first (``q=0`` left out)."""
    weighted = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag.strip() and quality > 0:
            weighted.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


def choose_language(context_language: str | None, accept_language: str | None) -> str:
    """The first of the request's languages (``context.language``, then ``Accept-Language``) this provider
    speaks, by primary subtag (``pt-BR`` is ``pt``); English otherwise."""
    wanted = ([context_language] if isinstance(context_language, str) else []) + parse_accept_language(accept_language)
    for tag in wanted:
        primary = tag.split("-")[0].split("_")[0].lower()
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


def message(keys: list[str], language: str, **values) -> str:
    """The sentences of ``keys`` in ``language`` (English when missing), joined."""
    return " ".join(MESSAGES[key].get(language, MESSAGES[key][DEFAULT_LANGUAGE]).format(**values) for key in keys)
