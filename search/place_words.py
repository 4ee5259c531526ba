"""Words people type for the catalog's origin countries and categories, beyond CLDR's names.

Country names come from CLDR (:mod:`search.names`); these are the adjectives and everyday
names readers use instead ("грузинское вино", "Japanese tea", "Turkey", "Цейлон"), and the
category words that are not a category's own name ("косметика", "cosmetics", "化妆品").
Russian adjectives are given in one form: the Russian stemmer matches the others.
"""

from __future__ import annotations

#: ISO country code -> locale -> words (adjectives, ethnonyms, common short names).
COUNTRY_WORDS: dict[str, dict[str, str]] = {
    "AE": {"ru": "эмиратский арабский Эмираты", "en": "Emirati UAE Arabian", "kk": "араб", "zh": "阿联酋"},
    "AF": {"ru": "афганский", "en": "Afghan", "kk": "ауған"},
    "AM": {"ru": "армянский", "en": "Armenian", "kk": "армян"},
    "AR": {"ru": "аргентинский", "en": "Argentine Argentinian", "kk": "аргентиналық"},
    "AU": {"ru": "австралийский", "en": "Australian Aussie", "kk": "австралиялық", "zh": "澳洲"},
    "AZ": {"ru": "азербайджанский", "en": "Azerbaijani Azeri", "kk": "әзірбайжан"},
    "BG": {"ru": "болгарский", "en": "Bulgarian", "kk": "болгар"},
    "BY": {"ru": "белорусский", "en": "Belarusian", "kk": "беларусь"},
    "CA": {"ru": "канадский", "en": "Canadian", "kk": "канадалық"},
    "CL": {"ru": "чилийский", "en": "Chilean", "kk": "чилилік"},
    "CZ": {"ru": "чешский", "en": "Czech", "kk": "чех"},
    "DE": {"ru": "немецкий германский", "en": "German", "kk": "неміс"},
    "EG": {"ru": "египетский", "en": "Egyptian", "kk": "мысырлық египет"},
    "ES": {"ru": "испанский", "en": "Spanish", "kk": "испан"},
    "FR": {"ru": "французский", "en": "French", "kk": "француз"},
    "GE": {"ru": "грузинский", "en": "Georgian", "kk": "грузин"},
    "GR": {"ru": "греческий", "en": "Greek", "kk": "грек"},
    "HU": {"ru": "венгерский", "en": "Hungarian", "kk": "венгр мажар"},
    "ID": {"ru": "индонезийский", "en": "Indonesian", "kk": "индонезиялық", "zh": "印尼"},
    "IN": {"ru": "индийский", "en": "Indian"},
    "IR": {"ru": "иранский персидский Персия", "en": "Iranian Persian Persia", "kk": "иран парсы"},
    "IT": {"ru": "итальянский", "en": "Italian", "kk": "итальян"},
    "JP": {"ru": "японский", "en": "Japanese", "kk": "жапон"},
    "KG": {"ru": "киргизский кыргызский Киргизия", "en": "Kyrgyz Kirghiz", "kk": "қырғыз"},
    "KR": {"ru": "корейский Корея", "en": "Korean Korea", "kk": "корей", "zh": "韩国 南韩"},
    "KZ": {"ru": "казахский казахстанский", "en": "Kazakh Kazakhstani", "kk": "қазақ қазақстандық"},
    "LK": {"ru": "ланкийский цейлонский Цейлон", "en": "Sri Lankan Ceylon", "kk": "цейлон", "zh": "锡兰"},
    "MN": {"ru": "монгольский", "en": "Mongolian", "kk": "моңғол"},
    "MY": {"ru": "малайзийский", "en": "Malaysian", "kk": "малайзиялық"},
    "NZ": {"ru": "новозеландский", "en": "Kiwi", "kk": "жаңазеландиялық"},
    "PK": {"ru": "пакистанский", "en": "Pakistani", "kk": "пәкістандық"},
    "PL": {"ru": "польский", "en": "Polish", "kk": "поляк"},
    "PT": {"ru": "португальский", "en": "Portuguese", "kk": "португал"},
    "RS": {"ru": "сербский", "en": "Serbian", "kk": "серб"},
    "RU": {"ru": "российский русский", "en": "Russian", "kk": "орыс ресейлік"},
    "TH": {"ru": "тайский", "en": "Thai", "kk": "тай"},
    "TJ": {"ru": "таджикский", "en": "Tajik", "kk": "тәжік"},
    "TM": {"ru": "туркменский", "en": "Turkmen", "kk": "түрікмен"},
    "TR": {"ru": "турецкий", "en": "Turkish Turkey", "kk": "түрік"},
    "UZ": {"ru": "узбекский", "en": "Uzbek", "kk": "өзбек"},
    "VN": {"ru": "вьетнамский", "en": "Vietnamese", "kk": "вьетнам"},
}

#: Category path -> locale -> everyday words for it that its own names lack.
CATEGORY_WORDS: dict[str, dict[str, str]] = {
    "beauty": {"ru": "косметика", "en": "cosmetics", "kk": "косметика", "zh": "化妆品"},
    "drinks.spirits": {"ru": "алкоголь", "en": "alcohol liquor", "kk": "алкоголь"},
    "food.sweets": {"ru": "сладкое", "en": "candy", "zh": "糖果"},
}
