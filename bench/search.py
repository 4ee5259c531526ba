"""Search benchmark: build a realistic catalog, then time queries through the Python API.

    python bench/search.py --products 100000
    python bench/search.py --engine elasticsearch --url elasticsearch://127.0.0.1:9200

Prints one table: build rate, then p50/p95/max per query kind, and for a server engine the
floors of its answers (:data:`FLOORS`). Deterministic (seeded).
"""

from __future__ import annotations

import argparse
import functools
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search import LocalizedText
from search import SearchDocument
from search import SearchEngine
from search import SearchQuery
from search import engine_from_url
from search.dsl_query import HIT_SOURCE
from search.dsl_query import SORTS
from search.server_engine import UNCACHED_SEARCH_PARAMS
from search.server_engine import ServerEngine
from search.transliterate import russian_to_latin

# (category, zh, ru, kk, en)
KINDS: tuple[tuple[str, str, str, str, str], ...] = (
    ("food.flour", "面粉", "мука", "ұн", "flour"),
    ("food.grain", "大米", "рис", "күріш", "rice"),
    ("food.grain", "荞麦", "гречка", "қарақұмық", "buckwheat"),
    ("food.pasta", "面条", "макароны", "макарон", "pasta"),
    ("drinks.tea", "红茶", "чай", "шай", "tea"),
    ("drinks.coffee", "咖啡", "кофе", "кофе", "coffee"),
    ("drinks.juice", "果汁", "сок", "шырын", "juice"),
    ("drinks.water", "矿泉水", "минеральная вода", "минералды су", "mineral water"),
    ("drinks.wine", "葡萄酒", "вино", "шарап", "wine"),
    ("drinks.beer", "啤酒", "пиво", "сыра", "beer"),
    ("food.sweets.chocolate", "巧克力", "шоколад", "шоколад", "chocolate"),
    ("food.sweets.candy", "糖果", "конфеты", "кәмпит", "candy"),
    ("food.sweets.cookies", "饼干", "печенье", "печенье", "cookies"),
    ("food.honey", "蜂蜜", "мёд", "бал", "honey"),
    ("food.dairy.milk", "牛奶", "молоко", "сүт", "milk"),
    ("food.dairy.cheese", "奶酪", "сыр", "ірімшік", "cheese"),
    ("food.dairy.butter", "黄油", "масло сливочное", "сары май", "butter"),
    ("food.oil", "葵花籽油", "подсолнечное масло", "күнбағыс майы", "sunflower oil"),
    ("food.oil", "橄榄油", "оливковое масло", "зәйтүн майы", "olive oil"),
    ("food.meat", "牛肉干", "вяленая говядина", "кептірілген сиыр еті", "beef jerky"),
    ("food.meat", "马肉肠", "колбаса из конины", "қазы", "horse sausage"),
    ("food.fish", "鱼子酱", "икра", "уылдырық", "caviar"),
    ("food.nuts", "杏仁", "миндаль", "бадам", "almonds"),
    ("food.nuts", "核桃", "грецкие орехи", "жаңғақ", "walnuts"),
    ("food.dried-fruit", "红枣", "финики", "құрма", "dates"),
    ("food.dried-fruit", "葡萄干", "изюм", "мейіз", "raisins"),
    ("food.dried-fruit", "杏干", "курага", "кептірілген өрік", "dried apricots"),
    ("food.spices", "香料", "специи", "дәмдеуіш", "spices"),
    ("food.jam", "果酱", "варенье", "тосап", "jam"),
    ("health.balm", "青草膏", "мазь", "май", "balm"),
    ("health.vitamins", "维生素", "витамины", "дәрумендер", "vitamins"),
    ("beauty.cream", "面霜", "крем для лица", "бет кремі", "face cream"),
    ("beauty.soap", "香皂", "мыло", "сабын", "soap"),
    ("beauty.shampoo", "洗发水", "шампунь", "сусабын", "shampoo"),
    ("clothing.outerwear", "羊皮大衣", "шуба", "тон", "fur coat"),
    ("clothing.scarf", "围巾", "шарф", "мойынорағыш", "scarf"),
    ("clothing.hats", "帽子", "шапка", "бөрік", "hat"),
    ("home.carpet", "地毯", "ковёр", "кілем", "carpet"),
    ("home.tableware", "茶具", "чайный сервиз", "шай ыдысы", "tea set"),
    ("home.textile", "毛毯", "плед", "жамылғы", "blanket"),
)
# (ISO, zh, ru, kk, en, share)
COUNTRIES: tuple[tuple[str, str, str, str, str, int], ...] = (
    ("KZ", "哈萨克斯坦", "Казахстан", "Қазақстан", "Kazakhstan", 30),
    ("RU", "俄罗斯", "Россия", "Ресей", "Russia", 15),
    ("UZ", "乌兹别克斯坦", "Узбекистан", "Өзбекстан", "Uzbekistan", 8),
    ("KG", "吉尔吉斯斯坦", "Кыргызстан", "Қырғызстан", "Kyrgyzstan", 6),
    ("FR", "法国", "Франция", "Франция", "France", 5),
    ("IT", "意大利", "Италия", "Италия", "Italy", 5),
    ("TH", "泰国", "Таиланд", "Тайланд", "Thailand", 5),
    ("LK", "斯里兰卡", "Шри-Ланка", "Шри-Ланка", "Sri Lanka", 4),
    ("TR", "土耳其", "Турция", "Түркия", "Turkey", 6),
    ("GE", "格鲁吉亚", "Грузия", "Грузия", "Georgia", 4),
    ("MN", "蒙古", "Монголия", "Моңғолия", "Mongolia", 4),
    ("AZ", "阿塞拜疆", "Азербайджан", "Әзербайжан", "Azerbaijan", 4),
    ("BY", "白俄罗斯", "Беларусь", "Беларусь", "Belarus", 4),
)
# (zh, ru, kk, en)
QUALITIES: tuple[tuple[str, str, str, str], ...] = (
    ("有机", "органический", "органикалық", "organic"),
    ("天然", "натуральный", "табиғи", "natural"),
    ("优质", "премиум", "премиум", "premium"),
    ("手工", "ручной работы", "қолдан жасалған", "handmade"),
    ("传统", "традиционный", "дәстүрлі", "traditional"),
    ("山区", "горный", "таулы", "mountain"),
    ("家庭装", "семейная упаковка", "отбасылық қаптама", "family pack"),
    ("礼盒装", "подарочный", "сыйлық", "gift box"),
    ("低糖", "без сахара", "қантсыз", "sugar free"),
    ("经典", "классический", "классикалық", "classic"),
)
SIZES = (
    ("500克", "500 г", "500 г", "500 g"),
    ("1公斤", "1 кг", "1 кг", "1 kg"),
    ("250毫升", "250 мл", "250 мл", "250 ml"),
    ("2公斤", "2 кг", "2 кг", "2 kg"),
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


RU_FILLER = _words(
    "качество вкус аромат упаковка хранить прохладном месте сухом срок годности "
    "производитель доставка свежий лучший выбор семьи подарок праздник рецепт "
    "традиции сырьё контроль стандарт экологически чистый регион урожай"
)
EN_FILLER = _words(
    "quality taste aroma package store cool dry place shelf life producer delivery "
    "fresh best choice family gift holiday recipe tradition raw material control "
    "standard ecologically clean region harvest"
)
KK_FILLER = _words(
    "сапа дәм хош иіс қаптама салқын құрғақ жерде сақтау мерзімі өндіруші жеткізу "
    "жаңа таңдау отбасы сыйлық мереке рецепт дәстүр шикізат бақылау стандарт "
    "экологиялық таза аймақ өнім"
)
ZH_FILLER = (
    "品质",
    "口感",
    "香气",
    "包装",
    "阴凉干燥处保存",
    "保质期",
    "生产商",
    "新鲜",
    "首选",
    "家庭",
    "礼物",
    "节日",
    "传统工艺",
    "原料",
    "严格把控",
    "绿色",
    "产区",
)
SYLLABLES = _words(
    "al ak ar as bal bek dar er gul jan kar kan mar nur sar tal tur zhan "
    "ba da ka la ma na ra sa ta za bo do ko lo mo no ro so to"
)


def brand_names(rng: random.Random, count: int) -> list[str]:
    """Invented brand names from syllables."""
    names: set[str] = set()
    while len(names) < count:
        names.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title())
    return sorted(names)


def generate(count: int, seed: int = 42) -> Iterator[SearchDocument]:
    """A deterministic catalog of *count* published products in zh/ru/kk/en."""
    rng = random.Random(seed)
    brands = brand_names(rng, 2000)
    weights = [c[5] for c in COUNTRIES]
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for doc_id in range(1, count + 1):
        kind = rng.choice(KINDS)
        country = rng.choices(COUNTRIES, weights)[0]
        quality = rng.choice(QUALITIES)
        size = rng.choice(SIZES)
        brand = rng.choice(brands)
        model = f"{rng.randint(1, 999)}"
        texts = {
            "zh": LocalizedText(
                f"{brand} {country[1]}{quality[0]}{kind[1]} {size[0]}",
                "".join(rng.sample(ZH_FILLER, 6)) + f"。{country[1]}{kind[1]}。",
                (f"{quality[0]}{kind[1]}",),
            ),
            "ru": LocalizedText(
                f"{kind[2].capitalize()} {quality[1]} {brand} {model}, {size[1]}",
                f"{kind[2].capitalize()} из страны {country[2]}. "
                + " ".join(rng.sample(RU_FILLER, 12))
                + ".",
                (f"{quality[1].capitalize()} {kind[2]}", f"Страна: {country[2]}"),
            ),
            "en": LocalizedText(
                f"{brand} {quality[3]} {kind[4]} {model}, {size[3]}",
                f"{kind[4].capitalize()} from {country[4]}. " + " ".join(rng.sample(EN_FILLER, 12)) + ".",
                (f"{quality[3].capitalize()} {kind[4]}",),
            ),
        }
        if rng.random() < 0.8:  # not every listing has its Kazakh translation yet
            texts["kk"] = LocalizedText(
                f"{brand} {quality[2]} {kind[3]} {model}, {size[2]}",
                f"{country[3]} {kind[3]}. " + " ".join(rng.sample(KK_FILLER, 10)) + ".",
            )
        price = Decimal(rng.randint(500, 200_000)) / 100
        yield SearchDocument(
            id=doc_id,
            version=1,
            sku=f"{country[0]}-{doc_id:06d}",
            barcode=f"{4_870_000_000_000 + doc_id}",
            origin_country=country[0],
            category=kind[0],
            booth=country[4].lower().replace(" ", "-"),
            brand=brand,
            price=price,
            currency="CNY",
            price_cny=price,
            created_at=start + timedelta(minutes=doc_id * 5),
            texts=texts,
            popularity=rng.paretovariate(1.5),
        )


def typo(word: str, rng: random.Random) -> str:
    """*word* with one letter replaced by its neighbour."""
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def query_sets(rng: random.Random) -> dict[str, list[SearchQuery]]:
    """Query kinds with a pool of realistic queries each."""
    locales = (("ru", "en"), ("kk", "ru"), ("en",), ("zh",))

    def q(text: str, **kwargs: object) -> SearchQuery:
        return SearchQuery(text=text, locales=rng.choice(locales), **kwargs)  # type: ignore[arg-type]

    single = [w for k in KINDS for w in (k[2], k[3], k[4]) if " " not in w]
    long_words = [w for w in single if len(w) >= 6]
    sets: dict[str, list[SearchQuery]] = {
        "one word": [q(rng.choice(single + [c[2] for c in COUNTRIES])) for _ in range(300)],
        "two words": [
            q(f"{rng.choice(QUALITIES)[lang]} {rng.choice(KINDS)[lang + 1]}")
            for lang in (rng.choice((1, 3)) for _ in range(300))
        ],
        "typo": [q(typo(rng.choice(long_words), rng)) for _ in range(300)],
        "transliterated": [q(russian_to_latin(rng.choice(KINDS)[2]).lower()) for _ in range(300)],
        "chinese": [
            q(
                rng.choice((lambda k, c: f"{c[1]}{k[1]}", lambda k, c: k[1]))(
                    rng.choice(KINDS), rng.choice(COUNTRIES)
                )
            )
            for _ in range(300)
        ],
        "filtered + facets": [
            q(
                rng.choice(single),
                origin_countries=(rng.choice(COUNTRIES)[0],),
                price_min_cny=Decimal(rng.randint(10, 200)),
                price_max_cny=Decimal(rng.randint(500, 2000)),
                facets=("origin_country", "category", "booth"),
            )
            for _ in range(300)
        ],
        "browse, newest": [
            q("", categories=(rng.choice(KINDS)[0].split(".")[0],), sort="newest") for _ in range(100)
        ],
    }
    return sets


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(actions: list[Callable[[], object]]) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each action."""
    wall: list[float] = []
    cpu: list[float] = []
    for action in actions:
        started, started_cpu = time.perf_counter(), time.thread_time()
        action()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
    return wall, cpu


def latency_row(
    kind: str, actions: list[Callable[[], object]], *, after_first: Callable[[], object] | None = None
) -> tuple[str, ...]:
    """Run *actions* twice: first as they come (some cold), then again (warm)."""
    wall, cpu = timed(actions)
    if after_first is not None:
        after_first()
    warm, _ = timed(actions)
    return (
        kind,
        str(len(actions)),
        f"{statistics.median(wall):.2f}",
        f"{percentile(wall, 0.95):.2f}",
        f"{max(wall):.1f}",
        f"{percentile(cpu, 0.95):.2f}",
        f"{statistics.median(warm):.2f}",
        f"{percentile(warm, 0.95):.2f}",
    )


def heap_used(request: Callable[..., Any]) -> str:
    """The heap the node(s) use now, of their maximum."""
    stats = request("GET", "/_nodes/stats/jvm", None, {"filter_path": "nodes.*.jvm.mem"})
    mems = [node["jvm"]["mem"] for node in stats["nodes"].values()]
    used = sum(mem["heap_used_in_bytes"] for mem in mems) / 2**20
    most = sum(mem["heap_max_in_bytes"] for mem in mems) / 2**20
    return f"{used:,.0f} of {most:,.0f} MiB"


def server_figures(engine: SearchEngine) -> str | None:
    """Index size on disk and heap use of a server engine (``None`` for the embedded one)."""
    if not isinstance(engine, ServerEngine):
        return None
    backend, alias = engine.backend, engine.alias
    store = backend.request("GET", f"/{alias}/_stats/store")["_all"]["primaries"]["store"]
    return f"index {store['size_in_bytes'] / 2**20:,.1f} MiB on disk, heap {heap_used(backend.request)}"


def request_cache_counts(engine: SearchEngine) -> tuple[int, int] | None:
    """Hits and misses of a server engine's shard request cache so far (``None`` when embedded)."""
    if not isinstance(engine, ServerEngine):
        return None
    stats = engine.backend.request("GET", f"/{engine.alias}/_stats/request_cache")
    counts = stats["_all"]["total"]["request_cache"]
    return int(counts["hit_count"]), int(counts["miss_count"])


class FirstPassCache:
    """Hits and misses of a server engine's request cache in the first passes alone (the table's
    p50 and p95; a second pass asks what the first did, and the cache answers all of it)."""

    def __init__(self, engine: SearchEngine) -> None:
        self.engine = engine
        self.hits = self.misses = 0
        self._started: tuple[int, int] | None = None

    def start(self) -> None:
        self._started = request_cache_counts(self.engine)

    def stop(self) -> None:
        now = request_cache_counts(self.engine)
        if now is not None and self._started is not None:
            self.hits += now[0] - self._started[0]
            self.misses += now[1] - self._started[1]

    def line(self) -> str | None:
        if not self.hits + self.misses:  # the embedded engine, or a server told not to cache
            return None
        share = self.hits / (self.hits + self.misses)
        return f"shard request cache, first passes: {self.hits:,} hits, {self.misses:,} misses ({share:.0%} hits)"


#: Requests simpler than any search, timed on a server engine like the query kinds but never
#: answered from its request cache: an empty request, under which no answer of the node comes,
#: and the newest page with the fields a hit shows, under which no newest-first browse comes.
FLOORS: dict[str, dict[str, Any]] = {
    "floor: an empty request": {"size": 0, "track_total_hits": False},
    "floor: 20 newest, shown fields": {
        "size": 20,
        "_source": HIT_SOURCE,
        "sort": SORTS["newest"],
        "track_total_hits": False,
    },
}


def floor_actions(engine: ServerEngine, body: dict[str, Any], count: int) -> list[Callable[[], object]]:
    """*count* searches of the raw *body* through *engine*'s own client, never from its request cache."""
    path = f"/{engine.alias}/_search"
    return [functools.partial(engine.backend.request, "POST", path, body, UNCACHED_SEARCH_PARAMS)] * count


def suggest_actions(engine: SearchEngine, rng: random.Random, count: int) -> list[Callable[[], object]]:
    """*count* type-ahead asks: the first letters of kinds' names, and of their transliterations."""
    prefixes = [
        k[i][: rng.randint(2, 4)]
        for k in (rng.choice(KINDS) for _ in range(300))
        for i in (rng.choice((2, 3, 4)),)
    ]
    prefixes += [russian_to_latin(rng.choice(KINDS)[2])[:3].lower() for _ in range(100)]
    return [functools.partial(engine.suggest, p, locales=("ru", "en")) for p in prefixes[:count]]


def warm_up(engine: SearchEngine, seed: int, count: int) -> None:
    """Ask *count* queries of every kind drawn with another seed, untimed, and say how slow they were.

    A node that has just started answers its first queries slowly while its JVM compiles the
    search code; a node in service has long done so. The figures after this are those of a
    node in service, and the line printed here keeps the cost of the start in view.
    """
    rng = random.Random(seed + 2)
    actions: list[Callable[[], object]] = [
        functools.partial(engine.search, query)
        for queries in query_sets(rng).values()
        for query in queries[:count]
    ]
    actions += suggest_actions(engine, rng, count)
    wall, _ = timed(actions)
    print(
        f"warm-up: {len(actions)} queries of every kind (seed {seed + 2}, not the measured ones) "
        f"in {sum(wall) / 1000:.1f} s; their p50 / p95 {statistics.median(wall):.2f} / "
        f"{percentile(wall, 0.95):.2f} ms, the last {count}: "
        f"{statistics.median(wall[-count:]):.2f} / {percentile(wall[-count:], 0.95):.2f} ms"
    )


def engine_url(url: str | None, workdir: str, *, remembered: bool) -> str:
    """The engine to time: *url*, else an embedded index in *workdir*. Unless *remembered*, no
    answer is remembered (every query is timed doing its work): the embedded index made here
    keeps none, and a server engine asks its request cache for none (an embedded *url* is
    taken as given)."""
    if url is None:
        return f"sqlite:///{workdir}/bench.db" + ("" if remembered else "?results=0")
    if remembered or url.startswith("sqlite:"):
        return url
    return url + ("&" if "?" in url else "?") + "request_cache=false"


def _search_total(engine: SearchEngine, query: SearchQuery, totals: list[int]) -> None:
    totals.append(engine.search(query).total)


#: One printed row: query kind, n, p50, p95, max, CPU p95, warm p50, warm p95.
Row = tuple[str, ...]
#: The columns of :data:`Row`.
HEADER: Row = ("query kind", "n", "p50", "p95", "max", "cpu p95", "warm p50", "warm p95")


def main(argv: list[str] | None = None) -> int:
    run(argv)
    return 0


def run(argv: list[str] | None = None) -> list[Row]:
    """Build the catalog, time every query kind (and a server engine's floors), print the table and
    return its rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("embedded", "elasticsearch", "opensearch"), default="embedded")
    parser.add_argument("--url", help="engine URL (default: a temporary SQLite file)")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-rebuild", action="store_true", help="query the index already at --url")
    parser.add_argument("--queries", type=int, default=300, help="queries per kind at most")
    parser.add_argument(
        "--warmup", type=int, default=0, help="untimed queries per kind first, drawn with another seed"
    )
    parser.add_argument(
        "--remembered",
        action="store_true",
        help="answers remembered as in service: the embedded engine's memory, the servers' request cache",
    )
    args = parser.parse_args(argv)
    if args.engine != "embedded" and not args.url:
        parser.error(f"--url is required for --engine {args.engine}")
    workdir = tempfile.TemporaryDirectory(prefix="tianshan-bench-")
    engine: SearchEngine = engine_from_url(engine_url(args.url, workdir.name, remembered=args.remembered))
    engine.ensure_index()

    print(f"engine: {args.engine}, products: {args.products}, seed: {args.seed}")
    if not args.no_rebuild:
        started, started_cpu = time.perf_counter(), time.process_time()
        report = engine.rebuild(generate(args.products, args.seed))
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - started_cpu
        print(
            f"build: {report.indexed} products in {seconds:.1f} s = "
            f"{report.indexed / seconds:,.0f} products/s "
            f"(process CPU {cpu_seconds:.1f} s = {report.indexed / cpu_seconds:,.0f}/s)"
        )
    figures = server_figures(engine)
    if figures:
        print(figures)
    first, _ = timed([lambda: engine.search(SearchQuery(text="мука"))])
    print(f"first query after start (loads the in-memory view): {first[0]:.0f} ms")

    if args.warmup:
        warm_up(engine, args.seed, args.warmup)
    rng = random.Random(args.seed + 1)
    first_passes = FirstPassCache(engine)
    rows: list[tuple[str, ...]] = []
    totals: list[int] = []
    for kind, queries in query_sets(rng).items():
        actions: list[Callable[[], object]] = [
            functools.partial(_search_total, engine, query, totals) for query in queries[: args.queries]
        ]
        first_passes.start()
        rows.append(latency_row(kind, actions, after_first=first_passes.stop))
    suggest = suggest_actions(engine, rng, args.queries)
    first_passes.start()
    rows.append(latency_row("suggest", suggest, after_first=first_passes.stop))
    cache_line = first_passes.line()
    if isinstance(engine, ServerEngine):
        rows += [
            latency_row(kind, floor_actions(engine, body, args.queries)) for kind, body in FLOORS.items()
        ]
    engine.close()
    workdir.cleanup()

    if cache_line:
        print(cache_line)
    print(f"median matches per search: {statistics.median(totals):.0f}; times in ms")
    widths = [max(len(row[i]) for row in [HEADER, *rows]) for i in range(len(HEADER))]
    for row in [HEADER, tuple("-" * w for w in widths), *rows]:
        print(" | ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
