"""Shapes of product pictures."""

from __future__ import annotations

import typing as t

from pydantic import BaseModel
from pydantic import Field
from pydantic import StringConstraints

from catalog.schemas.common import Plain
from catalog.schemas.common import StoredNumber
from catalog.schemas.common import Strict
from catalog.schemas.queries import ContentLocaleCode
from catalog.schemas.queries import QueryBase
from catalog.schemas.queries import ReadQuery

AltText = t.Annotated[str, StringConstraints(strip_whitespace=True, max_length=300), Plain]


class Focal(Strict):
    x: float = Field(ge=0, le=1)
    y: float = Field(ge=0, le=1)


class ImagePatch(Strict):
    """Alt text per locale (merged; an empty string removes one) and the focal point of the card crop."""

    alt: dict[ContentLocaleCode, AltText] | None = None
    focal: Focal | None = None


class ImageOrder(Strict):
    image_ids: list[int] = Field(min_length=1, max_length=100)


class ImageOut(BaseModel):
    id: int
    sha256: str
    width: int
    height: int
    format: str
    position: int
    primary: bool
    focal: dict[str, float]
    alt: dict[str, str]
    renditions: dict[str, str]
    formats: dict[str, dict[str, str]]
    sizes: dict[str, dict[str, int]]


class ImageList(BaseModel):
    items: list[ImageOut]


class CardQuery(ReadQuery):
    layout: t.Literal["portrait", "landscape", "square"] = "portrait"
    stream: StoredNumber | None = Field(
        default=None,
        description="The show the card is on: its QR code then opens the product with from=stream:{id}",
    )


class UploadQuery(QueryBase):
    focal_x: float = Field(default=0.5, ge=0, le=1)
    focal_y: float = Field(default=0.5, ge=0, le=1)
