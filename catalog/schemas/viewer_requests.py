"""Shapes of viewers' "show me this" requests and the host's queue of them."""

from __future__ import annotations

import typing as t

from pydantic import BaseModel
from pydantic import Field
from pydantic import StrictInt

from catalog.routing import MAX_ID
from catalog.schemas.common import Strict
from catalog.schemas.queries import QueryBase
from catalog.schemas.queries import ReadingLocale

ProductId = t.Annotated[StrictInt, Field(ge=1, le=MAX_ID)]


class ViewerRequestIn(Strict):
    """``POST /api/v1/streams/{id}/requests``: a viewer asks the host to show a product."""

    product_id: ProductId


class ViewerRequestOut(BaseModel):
    stream_id: int
    product_id: int
    counted: bool = Field(description="false when this client asked for the product within the window")


class RequestQueueQuery(QueryBase):
    locale: ReadingLocale | None = None


class RequestedProduct(BaseModel):
    product_id: int
    sku: str
    name: str
    count: int = Field(description="Requests within the window")
    last_requested_at: str
    on_run_sheet: bool


class RequestQueueOut(BaseModel):
    stream_id: int
    window_seconds: int
    items: list[RequestedProduct]


class UpNextIn(Strict):
    """``POST /api/v1/streams/{id}/lineup/up-next``: a product to show right after the card on air."""

    product_id: ProductId
