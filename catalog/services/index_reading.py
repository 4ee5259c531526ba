"""The search documents a drain delivers, read from the database, one batch ahead if asked.

Loading a batch's products with their texts and building their documents is a third of a
drain; writing them into the index is the rest. With read-ahead, a second process reads the
next batch's products from the committed database while this one writes the current batch,
so that a large backlog (an import's tens of thousands of products) is drained on two cores.

The other process also makes the documents ready for the engine when the engine allows it
(:class:`search.engine.PreparesDocuments`: the embedded engine's text analysis, two fifths of
its writes), so that this one only writes them.

Reading ahead never changes what is delivered: a product is read after the outbox entry
that names it was committed, so its document holds that change or a newer one, and a
product the next batch names but the read-ahead did not cover is read here, as without it.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import typing as t
from concurrent.futures import Future
from concurrent.futures import ProcessPoolExecutor

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm import raiseload
from sqlalchemy.orm import sessionmaker

from catalog import collector
from catalog.models import Product
from catalog.services.pricing import RateLike
from catalog.services.pricing import rate_values
from catalog.services.pricing import to_cny
from catalog.services.refund_rules import RefundRules
from catalog.services.refund_rules import current_rules
from catalog.services.search_labels import CategoryNames
from catalog.services.search_labels import category_names
from catalog.services.search_labels import product_labels
from catalog.services.visibility import product_visible
from catalog.services.visibility import visible_contents
from search import LocalizedText
from search import SearchDocument

log = logging.getLogger(__name__)

#: Looks up a product's thumbnail URL (set by the media wiring); ``None`` when it has none.
ThumbnailLookup = t.Callable[[Session, t.Sequence[int]], t.Mapping[int, str]]

#: Each product id of a batch with its document, or ``None``: not published (or gone), so
#: the index must not hold it.
Found = dict[int, SearchDocument | None]

#: Makes a batch of documents ready for the engine, in the read-ahead process (see
#: :meth:`search.engine.PreparesDocuments.preparer`).
Preparer = t.Callable[[t.Sequence[SearchDocument]], t.Any]

#: How the products a document is built from are read: with their texts, category and booth,
#: not their wholesale tiers, which no document holds (a fifth of the rows a batch would load).
DOCUMENT_LOADS = (raiseload(Product.wholesale),)


@dataclasses.dataclass(frozen=True)
class DocumentContext:
    """What a batch's documents are built with besides their products: read once per batch, and
    shared by the batches that remember it, so never changed."""

    rates: t.Mapping[str, RateLike]
    categories: CategoryNames
    refund_rules: RefundRules


def document_context(session: Session) -> DocumentContext:
    """The exchange rates, category names and refund rules, read in *session*."""
    return DocumentContext(rate_values(session), category_names(session), current_rules(session))


#: Gives the :class:`DocumentContext` of a batch read in a session: :func:`document_context`
#: reads it there, :func:`catalog.caches.remembered_document_context` mostly does not.
ContextSource = t.Callable[[Session], DocumentContext]


def document_for(
    product: Product,
    rates: t.Mapping[str, RateLike],
    thumbnail: str | None = None,
    categories: CategoryNames | None = None,
    refund_rules: RefundRules | None = None,
) -> SearchDocument:
    """The search document of a published *product* (*categories*, *refund_rules*: read once for a batch)."""
    texts = {
        c.locale: LocalizedText(c.name, c.description, tuple(c.highlights))
        for c in visible_contents(product, None)  # the index answers anonymous readers
    }
    return SearchDocument(
        id=product.id,
        version=product.version,
        sku=product.sku,
        barcode=product.barcode,
        origin_country=product.origin_country,
        category=product.category.path,
        booth=product.booth.slug if product.booth else None,
        brand=product.brand,
        price=product.price_amount,
        currency=product.price_currency,
        price_cny=to_cny(product.price_amount, product.price_currency, rates),
        created_at=product.created_at,
        texts=texts,
        tags=tuple(product.tags),
        thumbnail=thumbnail,
        labels=product_labels(product, categories),
        tax_refund_periods=refund_rules.refund_periods(product) if refund_rules else (),
    )


def read_documents(
    session: Session,
    ids: t.Sequence[int],
    thumbnails: ThumbnailLookup | None,
    context: ContextSource = document_context,
) -> Found:
    """The documents of the products *ids*, read in *session*, in the order of *ids*."""
    chosen = sa.select(Product).where(Product.id.in_(ids)).options(*DOCUMENT_LOADS)
    products = {p.id: p for p in session.scalars(chosen)}
    published = [products[i] for i in ids if i in products and product_visible(products[i], None)]
    found: Found = dict.fromkeys(ids)
    if not published:
        return found
    shared = context(session)
    thumbs = thumbnails(session, [p.id for p in published]) if thumbnails else {}
    for product in published:
        found[product.id] = document_for(
            product, shared.rates, thumbs.get(product.id), shared.categories, shared.refund_rules
        )
    return found


class ReadAhead:
    """Reads the next batch's documents in a process of its own while the caller writes.

    :meth:`ahead` hands it the next batch's product ids; :meth:`documents` gives a batch's
    documents, those read ahead and the rest read in the caller's session. Without a
    database another process can open (an in-memory SQLite one), or after the process
    failed, everything is read in the caller's session.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        thumbnails: ThumbnailLookup | None,
        prepare: Preparer | None = None,
        context: ContextSource = document_context,
    ) -> None:
        self._thumbnails = thumbnails
        self._prepare = prepare
        self._context = context
        #: What *prepare* made of the published documents of the last batch :meth:`documents`
        #: gave, when they all came from the other process; ``None`` otherwise.
        self.prepared: t.Any = None
        bind = sessions.kw.get("bind")
        url = bind.url if isinstance(bind, sa.Engine) else None
        self._url = url.render_as_string(hide_password=False) if url is not None and _shared(url) else None
        self._pool: ProcessPoolExecutor | None = None
        self._pending: tuple[frozenset[int], Future[tuple[Found, t.Any]]] | None = None
        #: Products whose documents came from the other process.
        self.served = 0

    @property
    def active(self) -> bool:
        """Whether batches are still read in the other process."""
        return self._url is not None

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def ahead(self, ids: t.Sequence[int]) -> None:
        """Start reading the documents of *ids*, the batch after the current one."""
        if not ids or self._url is None:
            return
        if self._pool is None:
            # spawned: no copy of this process's connections or threads
            self._pool = ProcessPoolExecutor(
                1, mp_context=multiprocessing.get_context("spawn"), initializer=collector.relax
            )
        read = self._pool.submit(_read, self._url, list(ids), self._thumbnails, self._prepare)
        self._pending = (frozenset(ids), read)

    def documents(self, session: Session, ids: t.Sequence[int]) -> Found:
        """The documents of *ids*: read ahead where they were, read in *session* otherwise."""
        found: Found = {}
        self.prepared = None
        if self._pending is not None:
            covered, future = self._pending
            self._pending = None
            try:
                ready, prepared = future.result()
            except Exception as exc:  # a process that died or failed: read here from now on
                log.warning("search documents are read in this process only from now on: %r", exc)
                self._url = None
            else:
                found = {i: ready[i] for i in ids if i in covered}
                self.served += len(found)
                self.prepared = prepared if covered == frozenset(ids) else None
        missing = [i for i in ids if i not in found]
        if missing:
            found.update(read_documents(session, missing, self._thumbnails, self._context))
        return {i: found[i] for i in ids}


def _shared(url: sa.URL) -> bool:
    """Whether another process opening *url* sees the same database."""
    return url.get_backend_name() != "sqlite" or url.database not in (None, "", ":memory:")


_engines: dict[str, sa.Engine] = {}


def _read(
    url: str, ids: list[int], thumbnails: ThumbnailLookup | None, prepare: Preparer | None
) -> tuple[Found, t.Any]:
    """The documents of *ids*, read in the read-ahead process (one engine per database), and
    what *prepare* makes of the published ones, in the order of *ids* (``None`` without it)."""
    from catalog.db import make_engine

    engine = _engines.get(url)
    if engine is None:
        engine = _engines[url] = make_engine(url)
    with Session(engine) as session, session.begin():
        found = read_documents(session, ids, thumbnails)
    docs = [doc for doc in found.values() if doc is not None]
    return found, prepare(docs) if prepare is not None and docs else None
