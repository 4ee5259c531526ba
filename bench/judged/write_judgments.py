"""Write ``queries.jsonl``, the judged queries over the demo catalog, from the table below.

    python -m bench.judged.write_judgments

Each row names a query as a viewer types it, its group and the reader's locale, and grades
products 0-3 (3 exact, 2 substitute, 1 related; unnamed products are 0). The grades were
decided by reading the demo products; a grade names products by SKU, or by a category path
(``cat:drinks.wine``, the path and everything under it), an origin country (``cc:GE``) or
both joined by ``+``. The demo JSON is read only to expand those selectors into SKUs; draft
products are never found by search, so they get no grade. The highest grade of a product
wins. A row with no grades is a negative query: the catalog sells nothing of the kind.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTS = ROOT / "catalog" / "demo_data" / "products"
OUTPUT = Path(__file__).resolve().parent / "queries.jsonl"

# Grades shared by several queries (one concept, typed in several languages).
WINE = "3=cat:drinks.wine; 2=PL-WINE-001; 1=cat:drinks.spirits"
GE_WINE = "3=cat:drinks.wine+cc:GE; 1=GE-SPIRITS-001 cat:drinks.wine"
RED_DRY_WINE = (
    "3=GE-WINE-001 AR-WINE-001 AU-WINE-001 CL-WINE-001 CL-WINE-002 FR-WINE-001 FR-WINE-002 "
    "ES-WINE-001 IT-WINE-001 NZ-WINE-002 HU-WINE-002; 2=GE-WINE-002 AM-WINE-001; 1=cat:drinks.wine"
)
TEA = "3=cat:drinks.tea; 1=AZ-GLASS-001 UZ-CERAMICS-002 RU-CERAMICS-001"
BLACK_TEA = (
    "3=AZ-TEA-001 TR-TEA-001 KZ-TEA-001 MY-TEA-001 LK-TEA-001 LK-TEA-002 LK-TEA-003 LK-TEA-004 "
    "IN-TEA-001 IN-TEA-002; 2=LK-TEA-006 IN-TEA-003; 1=MN-TEA-001"
)
GREEN_TEA = "3=LK-TEA-005 ID-TEA-001 JP-TEA-002; 2=JP-TEA-001; 1=KR-SKIN-002"
HONEY = "3=cat:food.honey; 2=KG-HONEY-002; 1=NZ-SUPP-001 KR-TEA-001 PL-WINE-001"
FLOUR = "3=KZ-FLOUR-001 KZ-FLOUR-002 KZ-FLOUR-003; 2=KZ-FLOUR-004"
CARPETS = "3=cat:crafts.carpets KZ-FELT-001 KG-FELT-001"
NUTS = (
    "3=cat:snacks.nuts; 2=KG-HONEY-002; 1=GE-PRESERVES-001 GE-SWEETS-001 GE-SWEETS-002 "
    "UZ-SWEETS-002 CZ-BISCUITS-001 RU-SWEETS-001 ID-SPICES-001 RU-OIL-001"
)
WALNUTS = (
    "3=CL-NUTS-001 KG-NUTS-001; 2=KG-HONEY-002; 1=GE-SWEETS-001 GE-SWEETS-002 "
    "GE-PRESERVES-001 UZ-SWEETS-002 cat:snacks.nuts"
)
CHOCOLATE = (
    "3=KZ-SWEETS-001 RU-SWEETS-001 BY-SWEETS-002 KZ-SWEETS-002; 2=BY-SWEETS-001 PL-SWEETS-003 "
    "DE-SWEETS-001 PL-SWEETS-002 AR-BISCUITS-001 JP-BISCUITS-001 MY-SWEETS-001 RU-SWEETS-002"
)
DARK_CHOCOLATE = (
    "3=KZ-SWEETS-001 RU-SWEETS-001; 2=DE-SWEETS-001 PL-SWEETS-003; 1=BY-SWEETS-002 KZ-SWEETS-002 "
    "BY-SWEETS-001 PL-SWEETS-002 AR-BISCUITS-001 JP-BISCUITS-001 MY-SWEETS-001 RU-SWEETS-002"
)
CANDY = "3=KZ-SWEETS-002 RU-SWEETS-002 PL-SWEETS-001; 2=MY-SWEETS-001; 1=cat:food.sweets"
MILK = (
    "3=AU-DAIRY-001 AU-DAIRY-002 BY-DAIRY-001 BY-DAIRY-002 BY-DAIRY-003 NZ-DAIRY-001 KZ-DAIRY-001 "
    "KZ-DAIRY-002; 1=cat:baby.formula TH-CANNED-001 MN-TEA-001 BG-DAIRY-001 AR-DAIRY-001 KZ-DAIRY-003"
)
MILK_POWDER = (
    "3=AU-DAIRY-001 AU-DAIRY-002 BY-DAIRY-003 NZ-DAIRY-001 KZ-DAIRY-001 KZ-DAIRY-002; "
    "2=cat:baby.formula; 1=MN-TEA-001"
)
DRIED_APRICOTS = "3=TJ-DRIED-001 UZ-DRIED-001; 1=AM-DRIED-001 AM-JUICE-001 AM-PRESERVES-001"
RAISINS = "3=AF-DRIED-001 UZ-DRIED-002; 1=cat:snacks.dried-fruit"
RICE = "3=TH-RICE-001 PK-RICE-001 UZ-GRAINS-001; 1=VN-PASTA-001 JP-CHIPS-001 JP-CERAMICS-001"
OLIVE_OIL = (
    "3=ES-OIL-001 ES-OIL-002 GR-OIL-001 IT-OIL-001 IT-OIL-002 TR-OIL-001; "
    "1=PT-CANNED-001 PT-CANNED-002 FR-BODY-001 ES-CANNED-001 GR-CANNED-001"
)
COFFEE = "3=cat:drinks.coffee; 1=VN-KITCHEN-001 TR-KITCHEN-001"
COFFEE_BEANS = "3=VN-COFFEE-003 ID-COFFEE-001 IT-COFFEE-001; 1=VN-COFFEE-001 ID-COFFEE-002 TR-COFFEE-001"
SWEETS = "3=cat:food.sweets; 1=cat:snacks.biscuits"
DRINKS = "3=cat:drinks"
BEAUTY = "3=cat:beauty"
KR_BEAUTY = "3=cat:beauty+cc:KR; 1=cat:beauty"
SAFFRON = "3=AF-SAFFRON-001 IR-SAFFRON-001 IR-SAFFRON-002; 1=IR-SWEETS-002"
CASHMERE = "3=MN-CASH-001 MN-CASH-002 MN-CASH-004; 2=IN-CASH-001; 1=MN-CASH-003"
SCARVES = "3=UZ-SCARF-001 MN-CASH-002; 2=RU-SCARF-001 IN-CASH-001"
SILK_SCARF = "3=UZ-SCARF-001; 1=MN-CASH-002 RU-SCARF-001 IN-CASH-001"
PISTACHIO = "3=IR-NUTS-001; 2=TR-SWEETS-001 TR-SWEETS-003 IR-SWEETS-001 IR-SWEETS-002"
GINGERBREAD = "3=RU-SWEETS-003 PL-SWEETS-002 DE-BISCUITS-001"
CONDENSED = "3=BY-DAIRY-001 BY-DAIRY-002; 1=AR-DAIRY-001"
BALM = "3=LK-BALM-001 TH-BALM-001 TH-BALM-002; 1=TH-BALM-003 TH-BALM-004"
GINSENG = "3=KR-SUPP-001 KR-SUPP-002 CA-SUPP-001; 1=KR-SKIN-004"
SPICES = (
    "3=AF-SAFFRON-001 IR-SAFFRON-001 IR-SAFFRON-002 IN-SPICES-001 IN-SPICES-002 IN-SPICES-003 "
    "ES-SPICES-001 HU-SPICES-001 LK-SPICES-001 ID-SPICES-001 UZ-SPICES-001 GE-SPICES-001 "
    "TR-SPICES-001; 2=cat:food.spices; 1=IN-TEA-003"
)
BEER = "3=cat:drinks.beer"
MANGO = "3=TH-DRIED-001 TH-DRIED-002 PK-CANNED-001"
TOWELS = "3=BY-TEXTILE-001 EG-TEXTILE-001 TR-TEXTILE-001 TR-TEXTILE-002"
BEDDING = "3=BY-TEXTILE-002 EG-TEXTILE-002 PK-TEXTILE-001"
SEA_BUCKTHORN = "3=KG-JUICE-001 KG-PRESERVES-001; 2=RU-SKIN-001; 1=MN-SKIN-001"
PRESERVES = "3=cat:food.preserves"
JUICE = "3=cat:drinks.juice"
BUCKWHEAT = "3=KZ-GRAINS-001; 1=RU-HONEY-002"
BABY_FORMULA = "3=AU-BABY-001 DE-BABY-001 NZ-BABY-001; 2=AU-BABY-002; 1=cat:food.dairy"
OLIVES = "3=ES-CANNED-001 GR-CANNED-001; 1=" + OLIVE_OIL.split("; ")[0][2:]
KNIFE = "3=DE-KITCHEN-001 JP-KITCHEN-001"
HALVA = "3=UZ-SWEETS-002"
SPARKLING_WINE = "3=ES-WINE-002 FR-WINE-003 IT-WINE-002; 2=IT-WINE-003; 1=cat:drinks.wine"
COTTON_TOWELS = "3=EG-TEXTILE-001 TR-TEXTILE-001 TR-TEXTILE-002; 1=BY-TEXTILE-001"

#: (group, locale, query, grades)
QUERIES: tuple[tuple[str, str, str, str], ...] = (
    # Russian word forms
    ("ru-forms", "ru", "чая", TEA),
    ("ru-forms", "ru", "мёда", HONEY),
    ("ru-forms", "ru", "вина", WINE),
    ("ru-forms", "ru", "орехов", NUTS),
    ("ru-forms", "ru", "конфеты", CANDY),
    ("ru-forms", "ru", "конфет", CANDY),
    ("ru-forms", "ru", "шоколадом", CHOCOLATE),
    ("ru-forms", "ru", "муки", FLOUR),
    ("ru-forms", "ru", "коврами", CARPETS),
    ("ru-forms", "ru", "специями", SPICES),
    ("ru-forms", "ru", "шарфы", SCARVES),
    ("ru-forms", "ru", "пряников", GINGERBREAD),
    ("ru-forms", "ru", "оливками", OLIVES),
    ("ru-forms", "ru", "полотенца", TOWELS),
    ("ru-forms", "ru", "халвы", HALVA),
    ("ru-forms", "ru", "фиников", "3=AE-DRIED-001 EG-DRIED-001 IR-DRIED-001; 1=AE-SWEETS-001"),
    ("ru-forms", "ru", "водка", "2=GE-SPIRITS-001; 1=cat:drinks.spirits"),
    ("ru-forms", "ru", "облепиха", SEA_BUCKTHORN),
    # ё and е
    ("ru-yo", "ru", "мед", HONEY),
    ("ru-yo", "ru", "ковер", CARPETS),
    ("ru-yo", "ru", "зеленый чай", GREEN_TEA),
    ("ru-yo", "ru", "сгущенка", CONDENSED),
    ("ru-yo", "ru", "черный чай", BLACK_TEA),
    ("ru-yo", "ru", "тушенка", "3=KZ-CANNED-001"),
    ("ru-yo", "ru", "копченая паприка", "3=ES-SPICES-001; 2=HU-SPICES-001"),
    ("ru-yo", "ru", "тёмное пиво", "3=CZ-BEER-002 DE-BEER-003; 1=cat:drinks.beer"),
    # Russian typos
    ("ru-typo", "ru", "шоклад", CHOCOLATE),
    ("ru-typo", "ru", "фисташкы", PISTACHIO),
    ("ru-typo", "ru", "кардамн", "3=IN-SPICES-001"),
    ("ru-typo", "ru", "шафрн", SAFFRON),
    ("ru-typo", "ru", "макадамя", "3=AU-NUTS-001"),
    ("ru-typo", "ru", "кашимир", CASHMERE),
    ("ru-typo", "ru", "самавар", "3=RU-KITCHEN-001"),
    ("ru-typo", "ru", "бальзамм", BALM),
    ("ru-typo", "ru", "пахлова", "3=TR-SWEETS-003"),
    ("ru-typo", "ru", "турецкй кофе", "3=TR-COFFEE-001; 1=TR-KITCHEN-001 cat:drinks.coffee"),
    ("ru-typo", "ru", "женшень", GINSENG),
    ("ru-typo", "ru", "подсолнечнае масло", "3=KZ-OIL-001; 1=cat:food.oil"),
    ("ru-typo", "ru", "чурчхелла", "3=GE-SWEETS-001 GE-SWEETS-002"),
    # Russian phrases
    ("ru-phrase", "ru", "вино грузия", GE_WINE),
    ("ru-phrase", "ru", "грузинское вино", GE_WINE),
    ("ru-phrase", "ru", "турецкие сладости", "3=cat:food.sweets+cc:TR; 1=cat:food.sweets cc:TR"),
    ("ru-phrase", "ru", "оливковое масло", OLIVE_OIL),
    ("ru-phrase", "ru", "чай с молоком", "3=MN-TEA-001; 2=KZ-TEA-001 IN-TEA-003"),
    ("ru-phrase", "ru", "кофе в зернах", COFFEE_BEANS),
    ("ru-phrase", "ru", "мед манука", "3=NZ-HONEY-001 NZ-HONEY-002; 2=NZ-SUPP-001; 1=cat:food.honey"),
    ("ru-phrase", "ru", "соль гималайская", "3=PK-SALT-001 PK-SALT-002; 2=PK-KITCHEN-001"),
    ("ru-phrase", "ru", "рис для плова", "3=UZ-GRAINS-001; 2=PK-RICE-001; 1=TH-RICE-001 UZ-SPICES-001"),
    ("ru-phrase", "ru", "сухое молоко", MILK_POWDER),
    ("ru-phrase", "ru", "красное сухое вино", RED_DRY_WINE),
    ("ru-phrase", "ru", "постельное белье", BEDDING),
    (
        "ru-phrase",
        "ru",
        "крем для лица",
        "3=PL-SKIN-001 KR-SKIN-004; 2=MN-SKIN-001 AU-SKIN-001; 1=RU-SKIN-001 KR-SKIN-003",
    ),
    ("ru-phrase", "ru", "чай в пакетиках", "3=LK-TEA-005 MY-TEA-001; 1=cat:drinks.tea"),
    # Kazakh, Cyrillic
    ("kk", "kk", "шарап", WINE),
    ("kk", "kk", "шай", TEA),
    ("kk", "kk", "ұн", FLOUR),
    ("kk", "kk", "кілем", CARPETS),
    ("kk", "kk", "жаңғақ", NUTS),
    ("kk", "kk", "сүт", MILK),
    ("kk", "kk", "кептірілген өрік", DRIED_APRICOTS),
    ("kk", "kk", "қара шай", BLACK_TEA),
    ("kk", "kk", "кәмпит", CANDY),
    ("kk", "kk", "күріш", RICE),
    ("kk", "kk", "зәйтүн майы", OLIVE_OIL),
    ("kk", "kk", "жүн көрпе", "3=AU-TEXTILE-001; 2=MN-CASH-003"),
    ("kk", "kk", "бал", HONEY),
    ("kk", "kk", "қызыл шарап", RED_DRY_WINE),
    ("kk", "kk", "қазақ құрты", "3=KZ-DAIRY-003"),
    # Kazakh typed with Russian look-alike letters
    ("kk-lookalike", "kk", "килем", CARPETS),
    ("kk-lookalike", "kk", "жангак", NUTS),
    ("kk-lookalike", "kk", "кептирилген орик", DRIED_APRICOTS),
    ("kk-lookalike", "kk", "ун", FLOUR),
    ("kk-lookalike", "kk", "сут", MILK),
    ("kk-lookalike", "kk", "кара шай", BLACK_TEA),
    ("kk-lookalike", "kk", "таттилер", SWEETS),
    ("kk-lookalike", "kk", "кызыл шарап", RED_DRY_WINE),
    ("kk-lookalike", "kk", "Акбидай", "3=KZ-FLOUR-001 KZ-FLOUR-002 KZ-PASTA-001"),
    ("kk-lookalike", "kk", "Шубат Алеми", "3=KZ-DAIRY-002"),
    ("kk-lookalike", "kk", "Сарыагаш", "3=KZ-WATER-001"),
    ("kk-lookalike", "kk", "Дастаркан", "3=KZ-TEA-001"),
    ("kk-lookalike", "kk", "зайтун майы", OLIVE_OIL),
    ("kk-lookalike", "kk", "курыш", RICE),
    # Kazakh, 2021 Latin
    ("kk-latin", "kk", "qara şai", BLACK_TEA),
    ("kk-latin", "kk", "şarap", WINE),
    ("kk-latin", "kk", "ūn", FLOUR),
    ("kk-latin", "kk", "kılem", CARPETS),
    ("kk-latin", "kk", "jañğaq", NUTS),
    ("kk-latin", "kk", "süt", MILK),
    ("kk-latin", "kk", "şokolad", CHOCOLATE),
    ("kk-latin", "kk", "kürış", RICE),
    ("kk-latin", "kk", "Aqbidai", "3=KZ-FLOUR-001 KZ-FLOUR-002 KZ-PASTA-001"),
    ("kk-latin", "kk", "tättıler", SWEETS),
    ("kk-latin", "kk", "keptırılgen örık", DRIED_APRICOTS),
    ("kk-latin", "kk", "zäitün maiy", OLIVE_OIL),
    ("kk-latin", "kk", "qūrt", "3=KZ-DAIRY-003"),
    # Uzbek, Latin
    ("uz", "uz", "asal", HONEY),
    ("uz", "uz", "choy", TEA),
    ("uz", "uz", "qora choy", BLACK_TEA),
    ("uz", "uz", "yong'oq", WALNUTS),
    ("uz", "uz", "bodom", "3=UZ-NUTS-001; 2=AE-DRIED-001 MY-SWEETS-001"),
    ("uz", "uz", "mayiz", RAISINS),
    ("uz", "uz", "quritilgan o'rik", DRIED_APRICOTS),
    ("uz", "uz", "guruch", RICE),
    ("uz", "uz", "gilam", CARPETS),
    ("uz", "uz", "ipak ro'mol", SILK_SCARF),
    ("uz", "uz", "palov uchun ziravor", "3=UZ-SPICES-001; 1=UZ-GRAINS-001"),
    ("uz", "uz", "holva", HALVA),
    ("uz", "uz", "qahva", COFFEE),
    ("uz", "uz", "paxta sochiq", COTTON_TOWELS),
    ("uz", "uz", "Farg'ona", "3=UZ-DRIED-001 UZ-DRIED-002 UZ-NUTS-001 UZ-GRAINS-001"),
    # Chinese without spaces
    ("zh", "zh", "格鲁吉亚葡萄酒", GE_WINE),
    ("zh", "zh", "韩国化妆品", KR_BEAUTY),
    ("zh", "zh", "面粉", FLOUR),
    ("zh", "zh", "蜂蜜", HONEY),
    ("zh", "zh", "红茶", BLACK_TEA),
    ("zh", "zh", "绿茶", GREEN_TEA),
    ("zh", "zh", "橄榄油", OLIVE_OIL),
    ("zh", "zh", "巧克力", CHOCOLATE),
    ("zh", "zh", "咖啡豆", COFFEE_BEANS),
    ("zh", "zh", "开心果", PISTACHIO),
    ("zh", "zh", "地毯", CARPETS),
    ("zh", "zh", "羊绒围巾", "3=MN-CASH-002; 2=IN-CASH-001; 1=MN-CASH-001 MN-CASH-004 UZ-SCARF-001"),
    ("zh", "zh", "土耳其软糖", "3=TR-SWEETS-001 TR-SWEETS-002; 1=TR-SWEETS-003"),
    ("zh", "zh", "奶粉", MILK_POWDER),
    ("zh", "zh", "婴儿奶粉", BABY_FORMULA),
    ("zh", "zh", "藏红花", SAFFRON),
    ("zh", "zh", "日本茶", "3=JP-TEA-001 JP-TEA-002; 1=JP-BISCUITS-001"),
    ("zh", "zh", "泰国药膏", "3=TH-BALM-001 TH-BALM-002; 2=LK-BALM-001; 1=TH-BALM-003 TH-BALM-004"),
    ("zh", "zh", "德国啤酒", "3=cat:drinks.beer+cc:DE; 1=cat:drinks.beer"),
    ("zh", "zh", "葡萄干", RAISINS),
    ("zh", "zh", "核桃", WALNUTS),
    ("zh", "zh", "矿泉水", "3=GE-WATER-001 KZ-WATER-001"),
    ("zh", "zh", "饮品", DRINKS),
    ("zh", "zh", "甜食", SWEETS),
    # English
    ("en", "en", "wine georgia", GE_WINE),
    ("en", "en", "georgian wine", GE_WINE),
    ("en", "en", "japanese tea", "3=JP-TEA-001 JP-TEA-002; 1=JP-BISCUITS-001"),
    ("en", "en", "turkish delight", "3=TR-SWEETS-001 TR-SWEETS-002"),
    ("en", "en", "honey", HONEY),
    ("en", "en", "olive oil", OLIVE_OIL),
    ("en", "en", "dark chocolate", DARK_CHOCOLATE),
    ("en", "en", "green tea", GREEN_TEA),
    ("en", "en", "instant coffee", "3=VN-COFFEE-002 MY-COFFEE-001 MY-COFFEE-002; 1=cat:drinks.coffee"),
    ("en", "en", "pine nuts", "3=RU-NUTS-001; 1=RU-OIL-001"),
    ("en", "en", "silk scarf", SILK_SCARF),
    ("en", "en", "rice", RICE),
    ("en", "en", "sea buckthorn", SEA_BUCKTHORN),
    (
        "en",
        "en",
        "wool carpet",
        "3=TM-CARPET-001 AF-CARPET-001 IR-CARPET-001 AZ-CARPET-001; 2=" + CARPETS[2:],
    ),
    ("en", "en", "baby formula", BABY_FORMULA),
    ("en", "en", "red ginseng", "3=KR-SUPP-001 KR-SUPP-002; 2=CA-SUPP-001 KR-SKIN-004"),
    ("en", "en", "saffron", SAFFRON),
    ("en", "en", "beer", BEER),
    ("en", "en", "shampoo", "3=KR-HAIR-001; 1=BY-HAIR-001"),
    ("en", "en", "hazelnuts", "3=AZ-NUTS-001 TR-NUTS-001; 2=RU-SWEETS-001; 1=CZ-BISCUITS-001"),
    ("en", "en", "mango", MANGO),
    ("en", "en", "cashmere sweater", "3=MN-CASH-001; 1=MN-CASH-002 MN-CASH-004 IN-CASH-001"),
    ("en", "en", "sparkling wine", SPARKLING_WINE),
    ("en", "en", "chef knife", "3=DE-KITCHEN-001; 2=JP-KITCHEN-001"),
    ("en", "en", "vodka", "2=GE-SPIRITS-001; 1=cat:drinks.spirits"),
    # Russian typed in Latin letters
    ("ru-latin", "ru", "muka", FLOUR),
    ("ru-latin", "ru", "chai", TEA),
    ("ru-latin", "ru", "vino", WINE),
    ("ru-latin", "ru", "kover", CARPETS),
    ("ru-latin", "ru", "shokolad", CHOCOLATE),
    ("ru-latin", "ru", "sgushchenka", CONDENSED),
    ("ru-latin", "ru", "grechka", BUCKWHEAT),
    ("ru-latin", "ru", "pryaniki", GINGERBREAD),
    ("ru-latin", "ru", "kofe v zernah", COFFEE_BEANS),
    ("ru-latin", "ru", "orehi", NUTS),
    ("ru-latin", "ru", "kuraga", DRIED_APRICOTS),
    ("ru-latin", "ru", "izyum", RAISINS),
    ("ru-latin", "ru", "med", HONEY),
    # Wrong keyboard layout
    ("layout", "ru", "vjkjrj", MILK),
    ("layout", "ru", "xfq", TEA),
    ("layout", "ru", "vtl", HONEY),
    ("layout", "ru", "ijrjkfl", CHOCOLATE),
    ("layout", "ru", "rjat", COFFEE),
    ("layout", "ru", "dbyj", WINE),
    ("layout", "ru", "rjdth", CARPETS),
    ("layout", "ru", "uhtxrf", BUCKWHEAT),
    ("layout", "ru", "ifha", SCARVES),
    ("layout", "en", "ьфтпщ", MANGO),
    ("layout", "en", "ыфаакщт", SAFFRON),
    ("layout", "en", "рщтун", HONEY),
    ("layout", "en", "цшту", WINE),
    # SKU and barcode
    ("code", "ru", "GE-WINE-001", "3=GE-WINE-001"),
    ("code", "ru", "ge-wine-001", "3=GE-WINE-001"),
    ("code", "zh", "KZ-FLOUR-002", "3=KZ-FLOUR-002"),
    ("code", "en", "LK-TEA-004", "3=LK-TEA-004"),
    ("code", "en", "JP-TEA-002", "3=JP-TEA-002"),
    ("code", "ru", "4865699827729", "3=GE-WINE-001"),
    ("code", "kk", "4874437425219", "3=KZ-FLOUR-001"),
    ("code", "ru", "8694714747157", "3=TR-SWEETS-001"),
    ("code", "en", "9434020835563", "3=NZ-HONEY-001"),
    ("code", "zh", "6262974981974", "3=IR-SAFFRON-001"),
    # Country words
    ("country", "ru", "грузия", "3=cc:GE"),
    ("country", "ru", "турция", "3=cc:TR"),
    ("country", "ru", "Казахстан", "3=cc:KZ"),
    ("country", "ru", "япония", "3=cc:JP"),
    ("country", "en", "korea", "3=cc:KR"),
    ("country", "en", "italy", "3=cc:IT"),
    ("country", "kk", "Қазақстан", "3=cc:KZ"),
    ("country", "kk", "Түркия", "3=cc:TR"),
    ("country", "zh", "日本", "3=cc:JP"),
    ("country", "zh", "意大利", "3=cc:IT"),
    ("country", "ru", "вьетнамский кофе", "3=cat:drinks.coffee+cc:VN; 1=cc:VN cat:drinks.coffee"),
    ("country", "ru", "иранский шафран", "3=IR-SAFFRON-001 IR-SAFFRON-002; 2=AF-SAFFRON-001"),
    ("country", "ru", "французское вино", "3=cat:drinks.wine+cc:FR; 1=cat:drinks.wine"),
    ("country", "ru", "индийский чай", "3=cat:drinks.tea+cc:IN; 1=cat:drinks.tea"),
    ("country", "ru", "корейская косметика", KR_BEAUTY),
    ("country", "en", "new zealand", "3=cc:NZ"),
    ("country", "ru", "шри-ланка", "3=cc:LK"),
    ("country", "en", "mongolian cashmere", "3=cat:apparel.cashmere+cc:MN; 2=MN-CASH-003; 1=IN-CASH-001"),
    ("country", "kk", "жапон шайы", "3=cat:drinks.tea+cc:JP; 1=cat:drinks.tea"),
    # Category words
    ("category", "ru", "сладости", SWEETS),
    ("category", "ru", "напитки", DRINKS),
    ("category", "ru", "косметика", BEAUTY),
    ("category", "ru", "кондитерские изделия", "3=cat:food.sweets; 2=cat:snacks.biscuits"),
    ("category", "ru", "консервы", "3=cat:food.canned"),
    ("category", "ru", "сухофрукты", "3=cat:snacks.dried-fruit"),
    ("category", "ru", "специи", SPICES),
    ("category", "en", "drinks", DRINKS),
    ("category", "en", "cosmetics", BEAUTY),
    ("category", "en", "sweets", SWEETS),
    ("category", "en", "snacks", "3=cat:snacks"),
    ("category", "en", "kitchen", "3=cat:home.kitchen"),
    ("category", "en", "souvenirs", "3=cat:crafts"),
    ("category", "ru", "детские товары", "3=cat:baby"),
    ("category", "ru", "бады", "3=cat:health.supplements"),
    ("category", "zh", "零食", "3=cat:snacks"),
    ("category", "zh", "美妆", BEAUTY),
    ("category", "kk", "сусындар", DRINKS),
    # Brands, in either script
    ("brand", "ru", "Алатау", "3=KZ-SWEETS-001 KZ-SWEETS-002"),
    ("brand", "en", "Alatau", "3=KZ-SWEETS-001 KZ-SWEETS-002"),
    ("brand", "ru", "Кахети Марани", "3=GE-WINE-001 GE-WINE-002 GE-WINE-003 GE-SPIRITS-001"),
    ("brand", "en", "Kakheti Marani", "3=GE-WINE-001 GE-WINE-002 GE-WINE-003 GE-SPIRITS-001"),
    ("brand", "en", "Haci Ferhat", "3=TR-SWEETS-001 TR-SWEETS-002"),
    ("brand", "en", "Pedro Ridge", "3=LK-TEA-001 LK-TEA-002 LK-TEA-003 LK-TEA-006"),
    ("brand", "en", "Siam Herb", "3=TH-BALM-001 TH-BALM-002 TH-BALM-003 TH-BALM-004"),
    ("brand", "en", "Uji Chaho", "3=JP-BISCUITS-001 JP-TEA-001"),
    ("brand", "en", "Jeju Dew", "3=KR-SKIN-001 KR-SKIN-002 KR-SKIN-003"),
    ("brand", "ru", "Говь Ноолуур", "3=MN-CASH-001 MN-CASH-002 MN-CASH-003 MN-CASH-004"),
    ("brand", "en", "Gobi Nooluur", "3=MN-CASH-001 MN-CASH-002 MN-CASH-003 MN-CASH-004"),
    ("brand", "ru", "Белая Вежа", "3=BY-SWEETS-001 BY-SWEETS-002 BY-BISCUITS-001"),
    ("brand", "en", "Belaya Vezha", "3=BY-SWEETS-001 BY-SWEETS-002 BY-BISCUITS-001"),
    ("brand", "ru", "Заречье", "3=RU-SWEETS-001 RU-SWEETS-002"),
    ("brand", "kk", "Шығыс Майы", "3=KZ-OIL-001 KZ-OIL-002"),
    ("brand", "en", "Kaimai Manuka", "3=NZ-HONEY-001 NZ-HONEY-002 NZ-SUPP-001"),
    ("brand", "kk", "Ауыл Дәмі", "3=KZ-DAIRY-003 KZ-PASTA-002 KZ-CANNED-001"),
    ("brand", "ru", "Каймай Манука", "3=NZ-HONEY-001 NZ-HONEY-002 NZ-SUPP-001"),
    # Attributes
    (
        "attribute",
        "ru",
        "без сахара",
        "3=RS-PRESERVES-001 MY-COFFEE-002 AM-DRIED-001 AZ-JUICE-001; "
        "2=TH-DRIED-002 TJ-DRIED-002 GE-SWEETS-001 RS-JUICE-001",
    ),
    (
        "attribute",
        "ru",
        "органический",
        "3=KZ-FLOUR-003 LK-TEA-005 LK-OIL-001 RS-JUICE-001 CA-SWEETS-001 DE-BABY-001 EG-DRIED-001 "
        "TR-DRIED-001; 2=DE-BABY-002",
    ),
    ("attribute", "en", "extra virgin", OLIVE_OIL.replace("1=", "1=LK-OIL-001 ")),
    (
        "attribute",
        "en",
        "hand-painted",
        "3=TR-CERAMICS-001 UZ-CERAMICS-001 UZ-CERAMICS-002 JP-CERAMICS-001 RU-CERAMICS-001",
    ),
    ("attribute", "en", "SPF50", "3=KR-SKIN-003"),
    (
        "attribute",
        "ru",
        "холодного отжима",
        "3=KZ-OIL-002 RU-OIL-001 EG-SUPP-001; 2=KZ-OIL-001 LK-OIL-001 RS-JUICE-001",
    ),
    ("attribute", "ru", "полусладкое", "3=GE-WINE-002 AM-WINE-001; 1=IT-WINE-003 HU-WINE-001"),
    ("attribute", "ru", "безалкогольное пиво", "3=DE-BEER-005; 1=cat:drinks.beer"),
    ("attribute", "ru", "шоколад 70%", "3=KZ-SWEETS-001; 2=RU-SWEETS-001; 1=BY-SWEETS-002"),
    ("attribute", "en", "UMF 15+", "3=NZ-HONEY-002; 2=NZ-HONEY-001"),
    # Words of two to four letters
    ("short", "ru", "чай", TEA),
    ("short", "ru", "мёд", HONEY),
    ("short", "ru", "рис", RICE),
    ("short", "en", "tea", TEA),
    ("short", "ru", "сок", JUICE),
    ("short", "ru", "кофе", COFFEE),
    ("short", "en", "jam", PRESERVES),
    ("short", "ru", "газ", "3=IR-SWEETS-001; 1=GE-WATER-001"),
    ("short", "ru", "ким", "3=KR-CHIPS-001"),
    ("short", "ru", "фо", "3=VN-PASTA-001"),
    ("short", "ru", "маш", "3=TJ-GRAINS-001"),
    ("short", "ru", "курт", "3=KZ-DAIRY-003"),
    ("short", "ru", "пиво", BEER),
    ("short", "ru", "мыло", "3=FR-BODY-001"),
    ("short", "en", "oud", "3=AE-FRAG-001; 2=AE-FRAG-002"),
    ("short", "ru", "чача", "3=GE-SPIRITS-001"),
    ("short", "ru", "нож", KNIFE),
    ("short", "ru", "сыр", "1=KZ-DAIRY-003"),
    # Goods the catalog does not sell
    ("negative", "ru", "айфон", ""),
    ("negative", "ru", "ноутбук", ""),
    ("negative", "ru", "кроссовки", ""),
    ("negative", "ru", "велосипед", ""),
    ("negative", "ru", "бензин", ""),
    ("negative", "ru", "телевизор", ""),
    ("negative", "en", "iphone", ""),
    ("negative", "en", "laptop", ""),
    ("negative", "en", "sneakers", ""),
    ("negative", "en", "bicycle", ""),
    ("negative", "ru", "холодильник", ""),
    ("negative", "zh", "手机", ""),
    ("negative", "zh", "电视机", ""),
    ("negative", "ru", "шины для автомобиля", ""),
    ("negative", "ru", "сигареты", ""),
    ("negative", "kk", "жент", ""),
    ("negative", "en", "lego", ""),
    ("negative", "ru", "пылесос", ""),
    ("negative", "ru", "дрель", ""),
    ("negative", "ru", "икра", ""),
    ("negative", "ru", "пицца", ""),
    ("negative", "ru", "часы", ""),
    ("negative", "en", "zzzzqqq", ""),
    ("negative", "kk", "қымыз", ""),
    ("negative", "ru", "подгузники", ""),
)


def load_products(directory: Path = PRODUCTS) -> list[dict[str, object]]:
    """Every demo product, published or not, from the booth files."""
    products: list[dict[str, object]] = []
    for path in sorted(directory.glob("*.json")):
        products.extend(json.loads(path.read_text(encoding="utf-8")))
    return products


def _selected(selector: str, product: dict[str, object]) -> bool:
    """Whether *product* is named by one selector (SKU, ``cat:``, ``cc:`` or an AND of them)."""
    for part in selector.split("+"):
        if part.startswith("cat:"):
            path = str(product["category"])
            if path != part[4:] and not path.startswith(part[4:] + "."):
                return False
        elif part.startswith("cc:"):
            if product["origin_country"] != part[3:]:
                return False
        elif product["sku"] != part:
            return False
    return True


def expand(grades: str, products: Iterable[dict[str, object]]) -> dict[str, int]:
    """``{sku: grade}`` for the published products named in *grades* (highest grade wins)."""
    published = [p for p in products if p["status"] == "published"]
    known = {str(p["sku"]) for p in products}
    result: dict[str, int] = {}
    for clause in filter(None, (part.strip() for part in grades.split(";"))):
        grade_text, selectors = clause.split("=", 1)
        grade = int(grade_text)
        for selector in selectors.split():
            if ":" not in selector and selector not in known:
                raise ValueError(f"unknown SKU {selector!r}")
            for product in published:
                if _selected(selector, product):
                    sku = str(product["sku"])
                    result[sku] = max(grade, result.get(sku, 0))
    return dict(sorted(result.items(), key=lambda item: (-item[1], item[0])))


def main() -> int:
    products = load_products()
    seen: set[tuple[str, str]] = set()
    lines: list[str] = []
    for group, locale, query, grades in QUERIES:
        if (query, locale) in seen:
            raise ValueError(f"query {query!r} ({locale}) is listed twice")
        seen.add((query, locale))
        row = {"query": query, "group": group, "locale": locale, "grades": expand(grades, products)}
        lines.append(json.dumps(row, ensure_ascii=False))
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} judged queries to {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
