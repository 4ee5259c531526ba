"""A fixed multilingual catalog for the contract suite: real product names in zh/ru/kk/en (and uz)."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from decimal import Decimal

from search import LocalizedText
from search import SearchDocument

T = LocalizedText


def _doc(
    doc_id: int,
    sku: str,
    country: str,
    category: str,
    price_cny: str,
    texts: dict[str, LocalizedText],
    *,
    booth: str | None = None,
    brand: str | None = None,
    barcode: str | None = None,
    day: int = 1,
    popularity: float = 0.0,
    tags: tuple[str, ...] = (),
) -> SearchDocument:
    return SearchDocument(
        id=doc_id,
        version=1,
        sku=sku,
        barcode=barcode,
        origin_country=country,
        category=category,
        booth=booth,
        brand=brand,
        price=Decimal(price_cny),
        currency="CNY",
        price_cny=Decimal(price_cny),
        created_at=datetime(2026, 10, day, 12, 0, tzinfo=UTC),
        texts=texts,
        tags=tags,
        thumbnail=f"/media/thumb/{doc_id}.webp",
        popularity=popularity,
    )


FLOUR = 1
TEA = 2
DARK_CHOCOLATE = 3
MILK = 4
FUR_COAT = 5
WINE = 6
BALM = 7
HONEY = 8
KURT = 9
JUJUBE = 10
KAZY = 11
COOKIES = 12
MILK_CHOCOLATE = 13
TEA_SET = 14
MASALA = 15
KUMIS = 16
BREAD = 17

CATALOG: tuple[SearchDocument, ...] = (
    _doc(
        FLOUR,
        "KZ-FLOUR-0001",
        "KZ",
        "food.flour",
        "25.00",
        {
            "zh": T("哈萨克斯坦面粉 高筋 2公斤", "来自科斯塔奈的硬质小麦面粉。", ("适合做面包",)),
            "ru": T(
                "Мука пшеничная высшего сорта, 2 кг",
                "Мука из твёрдой пшеницы Костаная.",
                ("Для хлеба и выпечки",),
            ),
            "kk": T(
                "Ұн, бидай, жоғары сорт, 2 кг", "Қостанай қатты бидайынан жасалған ұн.", ("Нан пісіруге",)
            ),
            "en": T(
                "Kazakhstan wheat flour, premium grade, 2 kg",
                "Hard wheat flour milled in Kostanay.",
                ("For bread and pastry",),
            ),
            "uz": T("Bugʻdoy uni, oliy nav, 2 kg", "Qostanay qattiq bugʻdoyidan tortilgan un.", ()),
        },
        booth="kazakhstan",
        brand="Tsesna",
        barcode="4870001234567",
        day=3,
        popularity=50,
    ),
    _doc(
        TEA,
        "LK-TEA-0002",
        "LK",
        "drinks.tea",
        "38.50",
        {
            "zh": T("锡兰红茶 100克", "斯里兰卡高山红茶。", ("浓郁",)),
            "ru": T("Цейлонский чёрный чай, 100 г", "Крупнолистовой высокогорный чай.", ("Крепкий вкус",)),
            "kk": T("Цейлон қара шайы, 100 г", "Таулы аймақтың ірі жапырақты шайы.", ()),
            "en": T("Ceylon black tea, 100 g", "Large-leaf high-grown tea.", ("Strong taste",)),
        },
        booth="sri-lanka",
        day=5,
        popularity=40,
    ),
    _doc(
        DARK_CHOCOLATE,
        "RU-CHOC-0003",
        "RU",
        "food.sweets.chocolate",
        "18.00",
        {
            "zh": T("俄罗斯黑巧克力 70%", "可可含量百分之七十。", ()),
            "ru": T("Шоколад тёмный «Бабаевский» 70%", "Горький шоколад, какао 70%.", ()),
            "kk": T("Қара шоколад «Бабаевский» 70%", "Какаосы 70% ащы шоколад.", ()),
            "en": T("Dark chocolate Babaevsky 70%", "Bitter chocolate with 70% cocoa.", ()),
        },
        booth="russia",
        day=7,
        popularity=30,
    ),
    _doc(
        MILK,
        "KZ-MILK-0004",
        "KZ",
        "food.dairy.milk",
        "12.00",
        {
            "zh": T("超高温灭菌牛奶 3.2%", "一升装。", ()),
            "ru": T("Молоко ультрапастеризованное 3,2%", "Литровая упаковка.", ()),
            "kk": T("Сүт 3,2%", "Бір литрлік қаптама.", ()),
            "en": T("UHT milk 3.2%", "One-litre carton.", ()),
        },
        booth="kazakhstan",
        day=9,
        popularity=35,
    ),
    _doc(
        FUR_COAT,
        "RU-COAT-0005",
        "RU",
        "clothing.outerwear",
        "2600.00",
        {
            "zh": T("羊皮大衣", "天然羊皮，冬季保暖。", ()),
            "ru": T("Шуба из овчины", "Натуральная овчина, для суровой зимы.", ()),
            "kk": T("Қой терісінен тон", "Табиғи қой терісі.", ()),
            "en": T("Sheepskin fur coat", "Natural sheepskin for harsh winters.", ()),
        },
        booth="russia",
        day=11,
        popularity=5,
    ),
    _doc(
        WINE,
        "FR-WINE-0006",
        "FR",
        "drinks.wine",
        "168.00",
        {
            "zh": T("法国波尔多干红葡萄酒", "梅洛与赤霞珠混酿。", ()),
            "ru": T("Вино красное сухое Бордо", "Купаж мерло и каберне.", ()),
            "en": T("Bordeaux dry red wine", "A blend of Merlot and Cabernet.", ()),
        },
        booth="france",
        day=13,
        popularity=20,
    ),
    _doc(
        BALM,
        "TH-BALM-0007",
        "TH",
        "health.balm",
        "22.00",
        {
            "zh": T("泰国卧佛牌青草膏", "缓解蚊虫叮咬。", ()),
            "ru": T("Тайская травяная мазь", "Помогает от укусов насекомых.", ()),
            "kk": T("Тай шөп майы", "Жәндік шаққанда көмектеседі.", ()),
            "en": T("Thai herbal balm", "Soothes insect bites.", ()),
        },
        booth="thailand",
        barcode="8850000000077",
        day=15,
        popularity=25,
    ),
    _doc(
        HONEY,
        "KZ-HONEY-0008",
        "KZ",
        "food.honey",
        "66.00",
        {
            "zh": T("阿尔泰山区蜂蜜", "天然花蜜。", ()),
            "ru": T("Мёд горный алтайский", "Натуральный цветочный мёд.", ()),
            "kk": T("Алтай тау балы", "Табиғи гүл балы.", ()),
            "en": T("Altai mountain honey", "Natural flower honey, good on bread.", ()),
            "uz": T("Oltoy togʻ asali", "Tabiiy gul asali.", ()),
        },
        booth="kazakhstan",
        day=17,
        popularity=15,
    ),
    _doc(
        KURT,
        "KZ-KURT-0009",
        "KZ",
        "food.dairy.cheese",
        "15.00",
        {
            "zh": T("哈萨克奶疙瘩", "传统干酪球。", ()),
            "ru": T("Курт, сушёный сыр", "Традиционные шарики из сушёного творога.", ()),
            "kk": T("Құрт", "Дәстүрлі кептірілген ірімшік.", ()),
            "en": T("Kurt dried cheese balls", "Traditional dried curd balls.", ()),
        },
        booth="kazakhstan",
        day=19,
        popularity=10,
    ),
    _doc(
        JUJUBE,
        "CN-DATE-0010",
        "CN",
        "food.dried-fruit",
        "45.00",
        {
            "zh": T("新疆若羌红枣", "新疆特产。", ()),
            "ru": T("Красный зизифус из Синьцзяна", "Сушёные финики унаби.", ()),
            "kk": T("Шыңжаң қызыл құрмасы", "Кептірілген құрма.", ()),
            "en": T("Xinjiang red jujube dates", "Dried jujube.", ()),
        },
        booth="xinjiang",
        day=21,
        popularity=45,
    ),
    _doc(
        KAZY,
        "KZ-KAZY-0011",
        "KZ",
        "food.meat",
        "120.00",
        {
            "zh": T("马肠子", "哈萨克传统马肉肠。", ()),
            "ru": T("Казы, колбаса из конины", "Традиционная казахская колбаса.", ()),
            "kk": T("Қазы", "Дәстүрлі жылқы етінен жасалған шұжық.", ()),
            "en": T("Kazy horse meat sausage", "Traditional Kazakh sausage.", ()),
        },
        booth="kazakhstan",
        day=23,
        popularity=12,
    ),
    _doc(
        COOKIES,
        "UZ-COOK-0012",
        "UZ",
        "food.sweets.cookies",
        "9.90",
        {
            "zh": T("燕麦饼干", "含有巧克力碎。", ()),
            "ru": T("Печенье овсяное", "Овсяное печенье с кусочками шоколада.", ("Без сахара",)),
            "kk": T("Сұлы печеньесі", "Шоколад қосылған сұлы печеньесі.", ()),
            "en": T("Oatmeal cookies", "Oat cookies with chocolate chips.", ("Sugar free",)),
        },
        booth="uzbekistan",
        day=25,
        popularity=60,
    ),
    _doc(
        MILK_CHOCOLATE,
        "KZ-CHOC-0013",
        "KZ",
        "food.sweets.chocolate",
        "21.00",
        {
            "zh": T("哈萨克斯坦牛奶巧克力", "拉哈特工厂出品。", ()),
            "ru": T("Шоколад молочный «Казахстан»", "Фабрика «Рахат».", ("С орехами",)),
            "kk": T("«Қазақстан» сүт шоколады", "«Рахат» фабрикасы.", ()),
            "en": T("Milk chocolate Kazakhstan", "Made by the Rakhat factory.", ()),
        },
        booth="kazakhstan",
        brand="Rakhat",
        day=27,
        popularity=55,
    ),
    _doc(
        TEA_SET,
        "CN-SET-0014",
        "CN",
        "home.tableware",
        "320.00",
        {
            "zh": T("景德镇瓷茶具套装", "六人份。", ()),
            "ru": T("Набор для чая, фарфор", "Сервиз на шесть персон.", ()),
            "kk": T("Фарфор шай жиынтығы", "Алты адамға арналған.", ()),
            "en": T("Porcelain tea set", "Service for six.", ()),
            "uz": T("Chinni choy toʻplami", "Olti kishilik.", ()),
        },
        booth="xinjiang",
        day=29,
        popularity=8,
    ),
    _doc(
        MASALA,
        "IN-SPICE-0015",
        "IN",
        "food.spices",
        "30.00",
        {
            "zh": T("印度玛萨拉香料", "用于调制奶茶。", ()),
            "ru": T("Смесь специй масала", "Для пряного напитка.", ()),
            "kk": T("Масала дәмдеуіштері", "Сусынға арналған.", ()),
            "en": T("Masala chai spice mix", "For a spiced drink.", ()),
        },
        booth="india",
        day=30,
        popularity=3,
    ),
    _doc(
        KUMIS,
        "KZ-KUMIS-0016",
        "KZ",
        "drinks.dairy",
        "28.00",
        {
            "ru": T("Кумыс натуральный", "Кобылье молоко.", ()),
            "kk": T("Табиғи қымыз", "Бие сүті.", ()),
            "en": T("Natural kumis", "Fermented mare's milk.", ()),
        },
        booth="kazakhstan",
        day=2,
        popularity=18,
    ),
    _doc(
        BREAD,
        "RU-BREAD-0017",
        "RU",
        "food.bakery",
        "8.50",
        {
            "zh": T("博罗金斯基黑麦面包", "加香菜籽。", ()),
            "ru": T("Хлеб бородинский ржаной", "С кориандром.", ()),
            "kk": T("Бородино қара наны", "Кориандр қосылған.", ()),
            "en": T("Borodinsky rye bread & coriander", "Dense dark loaf.", ()),
        },
        booth="russia",
        day=4,
        popularity=22,
    ),
)
"""Seventeen published products; the constants above name them by id."""


def by_id(doc_id: int) -> SearchDocument:
    """The catalog document with *doc_id*."""
    return next(doc for doc in CATALOG if doc.id == doc_id)
