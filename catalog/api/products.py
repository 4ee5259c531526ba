"""``/api/v1/products``: create, read, change, archive and list products."""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import jsonify
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from catalog.api.spec import operation
from catalog.auth import current_reader
from catalog.auth import current_user
from catalog.caches import json_cache
from catalog.caches import read_memo
from catalog.db import get_session
from catalog.errors import BadRequest
from catalog.http import decode_cursor
from catalog.http import encode_cursor
from catalog.http import etag_for
from catalog.http import parse_body
from catalog.http import parse_query
from catalog.http import require_if_match
from catalog.models import Product
from catalog.models import Role
from catalog.negotiation import reading_currency
from catalog.negotiation import reading_locale
from catalog.presenting.products import product_json
from catalog.schemas.products import ProductCreate
from catalog.schemas.products import ProductList
from catalog.schemas.products import ProductOut
from catalog.schemas.products import ProductPatch
from catalog.schemas.queries import ProductListQuery
from catalog.schemas.queries import ReadQuery
from catalog.services import products as service
from catalog.services.images import thumbnail_urls
from catalog.services.pricing import all_rates
from catalog.services.tax_refund import current_rules
from catalog.services.tax_refund import today
from catalog.services.visibility import audience
from catalog.services.visibility import require_visible
from catalog.services.visibility import visible_statuses

bp = Blueprint("products_api", __name__, url_prefix="/api/v1/products")
STAFF = (Role.ADMIN, Role.EDITOR)


def _product_etag(product: Product) -> str:
    return etag_for("product", product.id, product.version)


def _respond(product: Product, query: ReadQuery, status: int = 200) -> Response:
    session = get_session()
    body = product_json(
        product,
        reading_locale(query.locale),
        reading_currency(query.currency),
        all_rates(session),
        thumbnail_urls(session, [product.id]).get(product.id),
        current_user(),
        current_rules(session),
    )
    response = jsonify(body)
    response.status_code = status
    response.headers["ETag"] = _product_etag(product)
    return response


@bp.post("")
@operation(
    summary="Create a product",
    tag="products",
    body=ProductCreate,
    roles=STAFF,
    responses={201: ProductOut},
    errors=(409,),
    etag=True,
)
def create() -> ResponseReturnValue:
    data = parse_body(ProductCreate)
    session = get_session()
    product = service.create_product(session, data, current_user())
    session.commit()
    response = _respond(product, ReadQuery(), 201)
    response.headers["Location"] = url_for(".read", product_id=product.id)
    return response


@bp.get("/<int:product_id>")
@operation(
    summary="Read a product, localized and priced for the reader",
    tag="products",
    query=ReadQuery,
    responses={200: ProductOut},
    errors=(404, 422),
    etag=True,
)
def read(product_id: int) -> ResponseReturnValue:
    query = parse_query(ReadQuery)
    locale, currency = reading_locale(query.locale), reading_currency(query.currency)
    reader = current_reader()
    # Until a table it was read from changes, the stamp comes from memory and a cached body touches
    # no session. It is read in the request's session, so that the body rendered below comes from
    # the same snapshot: nothing reads in that session before it (the token has a session of its own).
    version, *rates = read_memo().get(
        ("product", product_id), lambda: service.read_stamp(get_session(), product_id)
    )
    # A version is rendered for one audience only after its status was found visible to it.
    # The refund in force depends on the day too: a rule may take effect tomorrow.
    key = ("product", product_id, version, locale, currency, *rates, today(), audience(reader))

    def render() -> bytes:
        session = get_session()
        product = require_visible(service.get_product(session, product_id), reader)
        body = product_json(
            product,
            locale,
            currency,
            all_rates(session),
            thumbnail_urls(session, [product_id]).get(product_id),
            reader,
            current_rules(session),
        )
        return current_app.json.dumps(body).encode()

    response = Response(json_cache().get_or_render(key, render), mimetype="application/json")
    response.headers["ETag"] = etag_for("product", product_id, version)
    return response


@bp.patch("/<int:product_id>")
@operation(
    summary="Change some fields of a product",
    tag="products",
    body=ProductPatch,
    roles=STAFF,
    if_match=True,
    responses={200: ProductOut},
    errors=(404,),
    etag=True,
)
def patch(product_id: int) -> ResponseReturnValue:
    session = get_session()
    product = service.get_product(session, product_id, for_update=True)
    require_if_match(_product_etag(product))
    data = parse_body(ProductPatch)
    service.update_product(session, product, data, current_user())
    session.commit()
    return _respond(product, ReadQuery())


@bp.delete("/<int:product_id>")
@operation(
    summary="Archive a product (its history is kept)",
    tag="products",
    roles=STAFF,
    if_match=True,
    responses={200: ProductOut},
    errors=(404,),
    etag=True,
)
def archive(product_id: int) -> ResponseReturnValue:
    session = get_session()
    product = service.get_product(session, product_id, for_update=True)
    require_if_match(_product_etag(product))
    service.archive_product(session, product, current_user())
    session.commit()
    return _respond(product, ReadQuery())


@bp.get("")
@operation(
    summary="List products",
    tag="products",
    query=ProductListQuery,
    responses={200: ProductList},
    errors=(422,),
)
def index() -> ResponseReturnValue:
    query = parse_query(ProductListQuery)
    state = decode_cursor(query.cursor, "products")
    reader = current_reader()
    filters = service.ProductFilter(
        category=query.category,
        origin_country=query.origin_country,
        status=query.status,
        booth=query.booth,
        statuses=visible_statuses(reader),
    )
    if state is not None and state.get("f") != _filter_key(filters):
        raise BadRequest(gettext("This cursor was made for other filters; start from the first page."))
    session = get_session()
    page = service.list_products(session, filters, state["after"] if state else None, query.limit + 1)
    locale, currency = reading_locale(query.locale), reading_currency(query.currency)
    rates = all_rates(session)
    shown = page[: query.limit]
    thumbs = thumbnail_urls(session, [p.id for p in shown])
    refund = current_rules(session)
    items = [product_json(p, locale, currency, rates, thumbs.get(p.id), reader, refund) for p in shown]
    next_cursor = None
    if len(page) > query.limit:
        next_cursor = encode_cursor(
            {"k": "products", "after": page[query.limit - 1].id, "f": _filter_key(filters)}
        )
    return jsonify({"items": items, "next_cursor": next_cursor})


def _filter_key(filters: service.ProductFilter) -> list[str | None]:
    return [filters.category, filters.origin_country, filters.status, filters.booth]
